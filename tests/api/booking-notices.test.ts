import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { nextDigestAt } from '../../server/notifications/enqueue';
import { expandNotices } from '../../server/notifications/notices';
import type { Sender } from '../../server/notifications/sender';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertResource } from '../helpers/closing';
import { startMailServer, testSender, type MailServer } from '../helpers/mail';

/**
 * A booking writes one compact notice in its transaction; the sender addresses it into outbox rows (recipients,
 * languages, preferences, Message-IDs) in a transaction of its own that deletes it. These prove that step keeps
 * the outbox's guarantees: nothing written twice, nothing half-written, each mail dated by its change.
 */
describe('booking notices, addressed into the outbox by the sender', () => {
  let t: TestApp;
  let pole: SeededPole;
  let mail: MailServer;
  let sender: Sender;
  let userA: string;
  let room: number;

  beforeEach(async () => {
    mail = await startMailServer();
    t = await buildTestApp({ config: { publicUrl: 'https://pole.example.org' } });
    pole = await seedPole(t.store);
    sender = testSender(t.app, mail);
    userA = await login(t.app, pole.userA);
    room = insertResource(t.store, { name: 'Salle Jaurès', kind: 'room', bearerMemberId: pole.memberC });
  });
  afterEach(async () => {
    await sender.stop();
    await t.close();
    await mail.stop();
  });

  const book = async (start: string, end: string) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/bookings', headers: { cookie: userA }, payload: { resourceId: room, start, end } });
    assert.equal(res.statusCode, 201, res.body);
    return res.json().id as number;
  };
  const count = (table: 'notices' | 'outbox') => t.store.sqlite.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;

  it('a notice read by two senders is addressed once: the second expansion writes nothing (Message-ID)', async () => {
    await book('2026-11-20T10:00:00+01:00', '2026-11-20T11:00:00+01:00');
    assert.equal(count('notices'), 1);
    assert.equal(count('outbox'), 0, 'nothing addressed inside the booking');
    // A second sender that read the same notice before the first deleted it: the same row, expanded again.
    t.store.sqlite.prepare('INSERT INTO notices (kind, payload, created_at) SELECT kind, payload, created_at FROM notices').run();
    assert.equal(expandNotices(t.app.ctx), 2);
    assert.equal(count('notices'), 0);
    assert.equal(count('outbox'), 1, 'one row per Message-ID');
    assert.equal(await sender.tick(), 1);
    assert.equal(await sender.tick(), 0);
    assert.equal(mail.received.length, 1);
    assert.match(mail.received[0]!.mail.messageId ?? '', /^<booking\.confirmed\.\d+\.s0\.u\d+@pole\.example\.org>$/);
  });

  it('an expansion that fails writes nothing and deletes nothing; the sender still sends what the outbox holds', async () => {
    await book('2026-11-20T10:00:00+01:00', '2026-11-20T11:00:00+01:00');
    await sender.tick();
    assert.equal(mail.received.length, 1);
    await book('2026-11-21T10:00:00+01:00', '2026-11-21T11:00:00+01:00');
    // A notice that cannot be read, after a good one in the same batch.
    t.store.sqlite.prepare("INSERT INTO notices (kind, payload, created_at) VALUES ('booking', '{not json', 0)").run();
    assert.throws(() => expandNotices(t.app.ctx), SyntaxError);
    assert.equal(count('notices'), 2, 'both notices still there');
    assert.equal(count('outbox'), 1, 'the good notice’s mail was not written alone');
    // Mails already in the outbox do not wait for the broken notice.
    t.store.sqlite.prepare("UPDATE outbox SET status = 'pending', next_attempt_at = 0").run();
    assert.equal(await sender.tick(), 1, 'the pass went on to send');
    t.store.sqlite.prepare("DELETE FROM notices WHERE payload = '{not json'").run();
    assert.equal(await sender.tick(), 1);
    assert.equal(count('notices'), 0);
    assert.equal(count('outbox'), 2);
  });

  it('each mail is dated by its change, not by its expansion; a digest waits for the digest hour after the change', async () => {
    const prefs = await t.app.inject({ method: 'PUT', url: `/api/users/${pole.userIds[pole.userA]}/notifications`, headers: { cookie: userA }, payload: { lang: 'fr', mode: 'digest', disabled: [] } });
    assert.equal(prefs.statusCode, 200, prefs.body);
    const bookedAt = t.clock.now();
    await book('2026-11-20T10:00:00+01:00', '2026-11-20T11:00:00+01:00');
    t.clock.advance(3 * 86_400_000); // the sender was down for three days
    expandNotices(t.app.ctx);
    const row = t.store.sqlite.prepare('SELECT created_at AS createdAt, next_attempt_at AS next, digest FROM outbox').get() as { createdAt: number; next: number; digest: number };
    assert.deepEqual(row, { createdAt: bookedAt, next: nextDigestAt(bookedAt, 'Europe/Paris'), digest: 1 });
  });

  it('what addresses a mail is read at the expansion: a kind turned off meanwhile is not sent', async () => {
    await book('2026-11-20T10:00:00+01:00', '2026-11-20T11:00:00+01:00');
    const prefs = await t.app.inject({ method: 'PUT', url: `/api/users/${pole.userIds[pole.userA]}/notifications`, headers: { cookie: userA }, payload: { lang: 'en', mode: 'immediate', disabled: ['booking.confirmed'] } });
    assert.equal(prefs.statusCode, 200, prefs.body);
    assert.equal(await sender.tick(), 0);
    assert.equal(count('notices'), 0, 'expanded into nothing');
    assert.equal(count('outbox'), 0);
  });
});
