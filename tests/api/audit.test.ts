import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import { openStore } from '../../db/index';
import { buildTestApp, login, seedPole, TEST_PASSWORD, type SeededPole, type TestApp } from '../helpers/app';

interface Entry {
  id: number;
  at: string;
  userId: number | null;
  action: string;
  objectType: string;
  objectId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip?: string | null;
  route: string | null;
}

describe('audit trail', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
  });
  afterEach(() => t.close());

  const get = async (query: string, cookie = coord) => {
    const res = await t.app.inject({ url: `/api/audit${query}`, headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json() as { items: Entry[]; nextBeforeId: number | null };
  };
  const patchMember = (id: number, payload: Record<string, unknown>, cookie = coord) =>
    t.app.inject({ method: 'PATCH', url: `/api/members/${id}`, headers: { cookie }, payload });

  it('records who changed what, when, from what to what, from where and through which route', async () => {
    t.clock.set('2026-11-17T09:30:00+01:00');
    assert.equal((await patchMember(pole.memberB, { name: 'Bravo Coop' })).statusCode, 200);
    const { items } = await get(`?objectType=member&objectId=${pole.memberB}`);
    const change = items[0]!;
    assert.equal(change.action, 'member.update');
    assert.equal(change.userId, pole.userIds[pole.coordinator]);
    assert.equal(change.at, '2026-11-17T08:30:00.000Z');
    assert.equal(change.before!.name, 'Association Bravo');
    assert.equal(change.after!.name, 'Bravo Coop');
    assert.equal(change.ip, '127.0.0.1');
    assert.equal(change.route, 'PATCH /api/members/:id');
    // The seed's insert is the object's first row: its whole history, newest first.
    assert.deepEqual(items.map((i) => i.action), ['member.update', 'member.create']);
  });

  it('never shows a secret: password hashes and feed tokens are redacted', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/users', headers: { cookie: coord }, payload: { email: 'new@test.fr', name: 'New', role: 'member', memberId: pole.memberA, password: TEST_PASSWORD } });
    assert.equal(res.statusCode, 201, res.body);
    const { items } = await get(`?objectType=user&objectId=${res.json().id}`);
    assert.equal(items[0]!.after!.password_hash, '[redacted]');
    const feed = await t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie: coord }, payload: { scope: 'member', memberId: pole.memberA } });
    assert.equal(feed.statusCode, 201, feed.body);
    const row = (await get(`?objectType=feed&objectId=${feed.json().id}`)).items[0]!;
    assert.match(String(row.after!.token_hash), /^\[redacted\]$|^sha256:[0-9a-f]{64}$/);
    const raw = t.store.sqlite.prepare('SELECT group_concat(after) FROM audit_log').pluck().get() as string;
    assert.ok(!raw.includes(feed.json().url.split('/').pop().replace('.ics', '')), 'the feed token is nowhere in the trail');
  });

  it('filters by user and by period (days in the pole’s zone), pages, and exports CSV', async () => {
    const adminA = await login(t.app, pole.adminA);
    t.clock.set('2026-11-18T23:30:00+01:00');
    const own = await patchMember(pole.memberA, { city: 'Alpha (18)' }, adminA);
    assert.equal(own.statusCode, 200, own.body);
    t.clock.set('2026-11-19T00:30:00+01:00');
    await patchMember(pole.memberA, { city: 'Alpha (19)' });
    const byAdmin = await get(`?userId=${pole.userIds[pole.adminA]}&objectType=member`);
    assert.deepEqual(byAdmin.items.map((i) => i.after!.city), ['Alpha (18)']);
    const on19 = await get('?from=2026-11-19&to=2026-11-19&objectType=member');
    assert.deepEqual(on19.items.map((i) => i.after!.city), ['Alpha (19)']);
    const page = await get('?limit=1');
    assert.equal(page.items.length, 1);
    const next = await get(`?limit=1&beforeId=${page.nextBeforeId}`);
    assert.ok(next.items[0]!.id < page.items[0]!.id);

    const csv = await t.app.inject({ url: `/api/audit.csv?objectType=member&objectId=${pole.memberA}`, headers: { cookie: coord } });
    assert.equal(csv.statusCode, 200);
    assert.match(String(csv.headers['content-type']), /text\/csv/);
    const rows = parse(csv.body.replace(/^\uFEFF/, ''), { delimiter: ';', columns: true }) as Record<string, string>[];
    assert.deepEqual(rows.map((r) => r.Action), ['member.update', 'member.update', 'member.create']);
    assert.equal(rows[0]!.Utilisateur, pole.coordinator);
    assert.equal(JSON.parse(rows[0]!['Après']!).city, 'Alpha (19)');

    const bad = await t.app.inject({ url: '/api/audit?from=2026-11-20&to=2026-11-19', headers: { cookie: coord } });
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'audit.invalid_period');
  });

  it('a member_admin sees its own structure’s rows only, without addresses; a member sees none', async () => {
    await patchMember(pole.memberA, { name: 'Alpha bis' });
    await patchMember(pole.memberB, { name: 'Bravo bis' });
    const adminB = await login(t.app, pole.adminB);
    const seen = await get('?objectType=member', adminB);
    assert.ok(seen.items.length > 0);
    assert.ok(seen.items.every((i) => i.objectId === String(pole.memberB)), JSON.stringify(seen.items.map((i) => i.objectId)));
    assert.ok(seen.items.every((i) => !('ip' in i)));
    assert.deepEqual((await get(`?memberId=${pole.memberA}`, adminB)).items, []);
    const member = await login(t.app, pole.userB);
    const refused = await t.app.inject({ url: '/api/audit', headers: { cookie: member } });
    assert.equal(refused.statusCode, 403);
  });

  it('records logins (success, failure, lockout) and session ends', async () => {
    const strict = await buildTestApp({ config: { loginMaxFailuresPerAccount: 2 } });
    try {
      const p = await seedPole(strict.store);
      const tryLogin = (password: string) => strict.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: p.userA, password } });
      assert.equal((await tryLogin('wrong')).statusCode, 401);
      assert.equal((await tryLogin('wrong')).statusCode, 401);
      assert.equal((await tryLogin(TEST_PASSWORD)).statusCode, 429);
      const cookie = await login(strict.app, p.coordinator);
      await strict.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
      await strict.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@test.fr', password: 'x' } });
      const rows = strict.store.sqlite.prepare("SELECT action, user_id AS userId, object_id AS objectId FROM audit_log WHERE action LIKE 'login.%' OR action LIKE 'session.%' ORDER BY id").all();
      const a = p.userIds[p.userA]!;
      const c = p.userIds[p.coordinator]!;
      assert.deepEqual(rows, [
        { action: 'login.failure', userId: a, objectId: String(a) },
        { action: 'login.failure', userId: a, objectId: String(a) },
        { action: 'login.lockout', userId: a, objectId: String(a) },
        { action: 'login.success', userId: c, objectId: String(c) },
        { action: 'session.end', userId: c, objectId: String(c) },
        { action: 'login.failure', userId: null, objectId: null },
      ]);
    } finally {
      await strict.close();
    }
  });

  it('a refused or rolled-back write leaves no audit row', async () => {
    const count = () => t.store.sqlite.prepare('SELECT count(*) FROM audit_log').pluck().get() as number;
    const before = count();
    assert.equal((await patchMember(pole.memberB, { siret: '44306184100048' })).statusCode, 422);
    assert.throws(() =>
      t.store.sqlite.transaction(() => {
        t.store.sqlite.prepare("UPDATE members SET name = 'rolled back' WHERE id = ?").run(pole.memberA);
        throw new Error('abort');
      })(),
    );
    assert.equal(count(), before);
  });

  it('the trail is append-only', () => {
    assert.throws(() => t.store.sqlite.exec("UPDATE audit_log SET action = 'x'"), /audit\.immutable/);
    assert.throws(() => t.store.sqlite.exec('DELETE FROM audit_log'), /audit\.immutable/);
  });

  it('GET /api/integrity names an edited, a deleted and a deleted last row', async () => {
    await patchMember(pole.memberB, { name: 'Bravo 1' });
    await patchMember(pole.memberB, { name: 'Bravo 2' });
    const integrity = async () => (await t.app.inject({ url: '/api/integrity', headers: { cookie: coord } })).json();
    assert.equal((await integrity()).ok, true);
    const ids = t.store.sqlite.prepare('SELECT id FROM audit_log ORDER BY id').pluck().all() as number[];
    t.store.sqlite.exec('DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete');
    t.store.sqlite.prepare("UPDATE audit_log SET after = replace(after, 'Bravo 1', 'Bravo X') WHERE id = ?").run(ids.at(-2));
    t.store.sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(ids[3]);
    t.store.sqlite.prepare('DELETE FROM audit_log WHERE id = ?').run(ids.at(-1));
    const report = await integrity();
    assert.equal(report.ok, false);
    const names = report.problems.map((p: { number: string; code: string }) => `${p.number} ${p.code}`);
    // Reading /api/integrity logged nothing: the last row is the one deleted.
    assert.deepEqual(names, [`audit #${ids[3]} integrity.audit_gap`, `audit #${ids[4]} integrity.audit_chain`, `audit #${ids.at(-2)} integrity.audit_content`, `audit #${ids.at(-1)} integrity.audit_tail`]);
  });
});

describe('npm run verify and the audit trail', () => {
  it('exits 1 naming a deleted audit row', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mutualise-audit-'));
    try {
      const db = join(dir, 'pole.sqlite');
      const store = openStore(db);
      await seedPole(store);
      store.close();
      const run = () => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts'], { env: { ...process.env, MUTUALISE_DB: db }, encoding: 'utf8' });
      const ok = run();
      assert.equal(ok.status, 0, ok.stderr);
      assert.match(ok.stdout, /\d+ audit row\(s\)/);
      const again = openStore(db);
      again.sqlite.exec('DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE id = 2');
      again.close();
      const broken = run();
      assert.equal(broken.status, 1);
      assert.match(broken.stderr, /audit #2: missing: this audit row was deleted/);
      assert.match(broken.stderr, /audit #3: chain/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
