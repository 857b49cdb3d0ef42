import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { simpleParser } from 'mailparser';
import { readEml } from '../../server/notifications/eml-files';
import { expandNotices } from '../../server/notifications/notices';
import { createSender, type Sender } from '../../server/notifications/sender';
import { fileTransport } from '../../server/notifications/transport';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertResource } from '../helpers/closing';

/** Without SMTP, mails are .eml files under the outbox directory; coordinators list and download them. */
describe('the outbox’s .eml files: GET /api/outbox/:id/eml', () => {
  let t: TestApp;
  let pole: SeededPole;
  let root: string;
  let dir: string;
  let sender: Sender;
  let coord: string;
  let userA: string;
  let room: number;

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'mutualise-eml-'));
    dir = join(root, 'outbox');
    t = await buildTestApp({ config: { outboxDir: dir } });
    pole = await seedPole(t.store);
    sender = createSender(t.app.ctx, fileTransport(dir));
    coord = await login(t.app, pole.coordinator);
    userA = await login(t.app, pole.userA);
    room = insertResource(t.store, { name: 'Salle Jaurès', kind: 'room', bearerMemberId: pole.memberC });
  });
  afterEach(async () => {
    await sender.stop();
    await t.close();
    rmSync(root, { recursive: true, force: true });
  });

  const book = (start: string, end: string) =>
    t.app.inject({ method: 'POST', url: '/api/bookings', headers: { cookie: userA }, payload: { resourceId: room, start, end } });
  const list = async () => (await t.app.inject({ url: '/api/outbox', headers: { cookie: coord } })).json().items as { id: number; eml: boolean; status: string; subject: string; toAddress: string }[];
  const download = (id: number, cookie = coord) => t.app.inject({ url: `/api/outbox/${id}/eml`, headers: { cookie } });

  it('lists which mails have a file and serves each as written, to coordinators only', async () => {
    assert.equal((await book('2026-11-20T10:00:00+01:00', '2026-11-20T11:00:00+01:00')).statusCode, 201);
    expandNotices(t.app.ctx); // addressed (as the sender's pass does first), not sent
    const [pending] = await list();
    assert.equal(pending!.eml, false, 'not sent yet: no file');
    const early = await download(pending!.id);
    assert.equal(early.statusCode, 404);
    assert.equal(early.json().error.code, 'outbox.no_file');

    assert.equal(await sender.tick(), 1);
    const [sent] = await list();
    assert.equal(sent!.eml, true);
    const res = await download(sent!.id);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'message/rfc822');
    const [file] = readdirSync(dir);
    assert.equal(res.headers['content-disposition'], `attachment; filename="${file}"`);
    assert.deepEqual(res.rawPayload, readFileSync(join(dir, file!)), 'the bytes of the file');
    const mail = await simpleParser(res.rawPayload);
    assert.equal(mail.subject, sent!.subject);
    assert.equal(mail.to && !Array.isArray(mail.to) ? mail.to.value[0]!.address : null, pole.userA);

    assert.equal((await download(sent!.id, userA)).statusCode, 403);
    assert.equal((await download(sent!.id, await login(t.app, pole.adminB))).statusCode, 403);
    assert.equal((await t.app.inject({ url: `/api/outbox/${sent!.id}/eml` })).statusCode, 401);
    assert.equal((await download(99_999)).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/outbox/..%2F..%2Fetc/eml', headers: { cookie: coord } })).statusCode, 400);

    rmSync(join(dir, file!));
    assert.equal((await list())[0]!.eml, false, 'a removed file is not offered');
    assert.equal((await download(sent!.id)).statusCode, 404);
  });

  it('a mail sent in a daily digest downloads as the digest it went out in', async () => {
    const prefs = await t.app.inject({ method: 'PUT', url: `/api/users/${pole.userIds[pole.userA]}/notifications`, headers: { cookie: userA }, payload: { lang: 'fr', mode: 'digest', disabled: [] } });
    assert.equal(prefs.statusCode, 200, prefs.body);
    await book('2026-11-20T10:00:00+01:00', '2026-11-20T11:00:00+01:00');
    await book('2026-11-21T10:00:00+01:00', '2026-11-21T11:00:00+01:00');
    assert.equal(await sender.tick(), 0, 'held for the digest');
    t.clock.advance(86_400_000);
    assert.equal(await sender.tick(), 2);
    const rows = await list();
    assert.deepEqual(rows.map((r) => r.eml), [true, true]);
    const [a, b] = await Promise.all(rows.map((r) => download(r.id)));
    assert.equal(a!.statusCode, 200);
    assert.deepEqual(a!.rawPayload, b!.rawPayload, 'both rows went out in one digest');
    assert.match((await simpleParser(a!.rawPayload)).subject ?? '', /2 notification\(s\) du jour/);
  });

  it('a Message-ID shaped like a path names a file inside the directory only; a name leaving it is refused', async () => {
    writeFileSync(join(root, 'secret.eml'), 'not an outbox file');
    const id = Number(
      t.store.sqlite
        .prepare(
          "INSERT INTO outbox (message_id, kind, to_address, lang, payload, status, next_attempt_at, created_at, sent_at) VALUES ('<../secret>', 'costs.missing', 'x@test.fr', 'fr', '{\"month\":\"2026-10\",\"resources\":[]}', 'sent', 0, 0, 0)",
        )
        .run().lastInsertRowid,
    );
    assert.equal((await list()).find((r) => r.id === id)!.eml, false);
    assert.equal((await download(id)).statusCode, 404, '<../secret> is the file .._secret.eml of the directory, which does not exist');
    assert.throws(() => readEml(dir, '../secret.eml'), /not an outbox file/);
    assert.throws(() => readEml(dir, '/etc/passwd'), /not an outbox file/);
  });

  it('over SMTP no file is kept: nothing is offered', async () => {
    const smtp = await buildTestApp({ config: { outboxDir: dir, smtpUrl: 'smtp://127.0.0.1:1' } });
    try {
      await seedPole(smtp.store);
      smtp.store.sqlite
        .prepare("INSERT INTO outbox (message_id, kind, to_address, lang, payload, status, next_attempt_at, created_at) VALUES ('<m@x>', 'costs.missing', 'x@test.fr', 'fr', '{\"month\":\"2026-10\",\"resources\":[]}', 'sent', 0, 0)")
        .run();
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'm@x.eml'), 'left over');
      const cookie = await login(smtp.app, pole.coordinator);
      const items = (await smtp.app.inject({ url: '/api/outbox', headers: { cookie } })).json().items;
      assert.equal(items[0].eml, false);
      assert.equal((await smtp.app.inject({ url: `/api/outbox/${items[0].id}/eml`, headers: { cookie } })).statusCode, 404);
    } finally {
      await smtp.close();
    }
  });
});
