import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { LightMyRequestResponse } from 'fastify';
import { openStore, type Store } from '../../db/index';
import { buildApp } from '../../server/app';
import { resourceForBooking } from '../../server/bookings/repository';
import { manualClock } from '../../server/shared/clock';
import { setReferenceCacheEnabled } from '../../server/shared/reference-cache';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';

/**
 * The reference cache (pole settings and zone, closed months, members, users, resource rules) must never let a
 * request see data older than the last committed write, whoever wrote it: a route, the close CLI, another
 * connection of this process, another process. And cached answers must be the uncached answers.
 */

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';
const CACHED_TABLES = ['pole', 'members', 'users', 'resources', 'closings'];
const ROOT = join(import.meta.dirname, '..', '..');

/** The app on `store`, the seeded pole, a coordinator's and a member's cookies, and one resource. */
async function setUp(store: Store) {
  const clock = manualClock('2026-11-16T10:00:00+01:00');
  const app = await buildApp({ store, clock, config: { serveClient: false, demo: false, loginMaxAttemptsPerIp: 1000 } });
  await app.ready();
  const pole = await seedPole(store);
  const [coord, userA] = await Promise.all([login(app, pole.coordinator), login(app, pole.userA)]);
  const send = (method: Method, url: string, cookie: string, payload?: unknown) =>
    app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const created = await send('POST', '/api/resources', coord, { name: 'Camion', kind: 'equipment', capacity: 2, bearerMemberId: pole.memberA });
  assert.equal(created.statusCode, 201, created.body);
  const van = created.json().id as number;
  return { app, clock, pole, coord, userA, send, van };
}

const status = (res: LightMyRequestResponse) => `${res.statusCode} ${res.statusCode >= 400 ? res.json().error.code : ''}`.trim();

describe('reference cache: a write is seen by the next request', () => {
  let t: TestApp;
  let s: Awaited<ReturnType<typeof setUp>>;
  beforeEach(async () => {
    t = await buildTestApp();
    s = await setUp(t.store);
  });
  afterEach(() => t.close());

  const book = (cookie: string, start: string, end: string, extra: Record<string, unknown> = {}) =>
    s.send('POST', '/api/bookings', cookie, { resourceId: s.van, start, end, ...extra });

  it('every cached table has its insert, update and delete trigger on the data version', () => {
    const triggers = t.store.sqlite.prepare("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger' AND sql LIKE '%reference_version%'").all() as { tbl_name: string; name: string }[];
    for (const table of CACHED_TABLES) {
      for (const event of ['insert', 'update', 'delete']) {
        assert.ok(
          triggers.some((tr) => tr.tbl_name === table && tr.name === `${table}_reference_${event}`),
          `${table} lost its ${event} trigger on reference_version (a migration that rebuilds the table must recreate it)`,
        );
      }
    }
  });

  it('routes: resource capacity, pole zone, member leaving, user role and a close', async () => {
    // Each lookup is made once before the write, so that the cache holds the old value.
    assert.equal(status(await book(s.userA, '2026-11-20T09:00:00+01:00', '2026-11-20T10:00:00+01:00')), '201');
    assert.equal((await s.send('PATCH', `/api/resources/${s.van}`, s.coord, { capacity: 1 })).statusCode, 200);
    assert.equal(status(await book(s.userA, '2026-11-20T09:00:00+01:00', '2026-11-20T10:00:00+01:00')), '409 booking.conflict');

    const mine = (await book(s.userA, '2026-11-23T09:00:00+01:00', '2026-11-23T10:00:00+01:00')).json();
    assert.equal(mine.start, '2026-11-23T09:00:00+01:00');
    assert.equal((await s.send('PATCH', '/api/pole', s.coord, { timeZone: 'America/New_York' })).statusCode, 200);
    assert.equal((await s.send('GET', `/api/bookings/${mine.id}`, s.userA)).json().start, '2026-11-23T03:00:00-05:00');
    assert.equal((await s.send('PATCH', '/api/pole', s.coord, { timeZone: 'Europe/Paris' })).statusCode, 200);

    assert.equal(status(await book(s.userA, '2026-12-10T09:00:00+01:00', '2026-12-10T10:00:00+01:00')), '201');
    assert.equal((await s.send('PATCH', `/api/members/${s.pole.memberA}`, s.coord, { leftOn: '2026-11-30' })).statusCode, 200);
    assert.equal(status(await book(s.userA, '2026-12-11T09:00:00+01:00', '2026-12-11T10:00:00+01:00')), '422 booking.member_left');

    assert.equal((await s.send('GET', '/api/me', s.userA)).json().role, 'member');
    const userId = s.pole.userIds[s.pole.userA];
    assert.equal((await s.send('PATCH', `/api/users/${userId}`, s.coord, { role: 'member_admin' })).statusCode, 200);
    assert.equal((await s.send('GET', '/api/me', s.userA)).json().role, 'member_admin');
    assert.equal((await s.send('PATCH', `/api/users/${userId}`, s.coord, { active: false })).statusCode, 200);
    assert.equal(status(await s.send('GET', '/api/me', s.userA)), '401 auth.required');

    assert.equal(status(await book(s.coord, '2026-10-20T09:00:00+02:00', '2026-10-20T10:00:00+02:00', { memberId: s.pole.memberB })), '201');
    assert.equal((await s.send('POST', '/api/closings', s.coord, { month: '2026-10' })).statusCode, 201);
    assert.equal(status(await book(s.coord, '2026-10-21T09:00:00+02:00', '2026-10-21T10:00:00+02:00', { memberId: s.pole.memberB })), '409 month.closed');
  });

  it('raw SQL on the same connection (what scripts and tests do) is seen too', async () => {
    assert.equal(status(await book(s.userA, '2026-11-20T09:00:00+01:00', '2026-11-20T10:00:00+01:00')), '201');
    t.store.sqlite.prepare('UPDATE resources SET active = 0 WHERE id = ?').run(s.van);
    assert.equal(status(await book(s.userA, '2026-11-20T11:00:00+01:00', '2026-11-20T12:00:00+01:00')), '404 resource.not_found');
  });

  it('a write rolled back after the cache saw it never comes back, even when a later commit moves the version again', () => {
    const { sqlite } = t.store;
    assert.equal(resourceForBooking(sqlite, s.van)!.capacity, 2);
    assert.throws(() =>
      sqlite.transaction(() => {
        sqlite.prepare('UPDATE resources SET capacity = 9 WHERE id = ?').run(s.van);
        assert.equal(resourceForBooking(sqlite, s.van)!.capacity, 9, 'inside the transaction, its own write');
        throw new Error('rollback');
      })(),
    );
    // A counter would now be back to the value it had inside the rolled-back transaction after one more write.
    sqlite.prepare("UPDATE resources SET name = 'Camion 2' WHERE id = ?").run(s.van);
    assert.equal(resourceForBooking(sqlite, s.van)!.capacity, 2);
  });
});

describe('reference cache: writes from outside the process', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let s: Awaited<ReturnType<typeof setUp>>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mutualise-cache-'));
    file = join(dir, 'pole.sqlite');
    store = openStore(file);
    s = await setUp(store);
  });
  after(async () => {
    await s.app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const book = (cookie: string, start: string, end: string, extra: Record<string, unknown> = {}) =>
    s.send('POST', '/api/bookings', cookie, { resourceId: s.van, start, end, ...extra });
  const availability = () =>
    s.send('GET', `/api/resources/${s.van}/availability?from=2026-11-20T00:00:00%2B01:00&to=2026-11-21T00:00:00%2B01:00`, s.userA);

  it('another connection of this process (as a script would open)', async () => {
    assert.equal((await availability()).statusCode, 200);
    const other = new Database(file);
    other.pragma('busy_timeout = 5000');
    other.prepare('UPDATE resources SET active = 0 WHERE id = ?').run(s.van);
    other.close();
    assert.equal(status(await availability()), '404 resource.not_found');
    store.sqlite.prepare('UPDATE resources SET active = 1 WHERE id = ?').run(s.van);
    assert.equal((await availability()).statusCode, 200);
  });

  it('another process: a member leaving, written by a child node process', async () => {
    assert.equal(status(await book(s.userA, '2026-12-01T09:00:00+01:00', '2026-12-01T10:00:00+01:00')), '201');
    const script = `const D = require('better-sqlite3'); const db = new D(process.argv[1]); db.pragma('busy_timeout = 5000');
      db.prepare("UPDATE members SET left_on = '2026-11-30' WHERE id = ?").run(Number(process.argv[2])); db.close();`;
    const child = spawnSync(process.execPath, ['-e', script, file, String(s.pole.memberA)], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(child.status, 0, child.stderr);
    assert.equal(status(await book(s.userA, '2026-12-02T09:00:00+01:00', '2026-12-02T10:00:00+01:00')), '422 booking.member_left');
    store.sqlite.prepare('UPDATE members SET left_on = NULL WHERE id = ?').run(s.pole.memberA);
  });

  it('the close CLI (npm run close) in another process', async () => {
    const october = (day: number) => [`2026-10-${day}T09:00:00+02:00`, `2026-10-${day}T10:00:00+02:00`] as const;
    assert.equal(status(await book(s.coord, ...october(20), { memberId: s.pole.memberB })), '201');
    const close = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/close.ts', '--month', '2026-10'], {
      cwd: ROOT,
      env: { ...process.env, MUTUALISE_DB: file },
      encoding: 'utf8',
    });
    assert.equal(close.status, 0, close.stderr + close.stdout);
    assert.equal(status(await book(s.coord, ...october(21), { memberId: s.pole.memberB })), '409 month.closed');
    const days = (await s.send('GET', `/api/resources/${s.van}/availability?from=2026-10-20T00:00:00%2B02:00&to=2026-10-21T00:00:00%2B02:00`, s.coord)).json();
    assert.deepEqual(days.items.map((i: { free: number }) => i.free), [0], 'a closed month shows nothing free');
  });
});

/** The same scripted session against a fresh pole, with the cache on or off: every answer must be the same. */
async function scriptedSession(cached: boolean): Promise<string[]> {
  setReferenceCacheEnabled(cached);
  const t = await buildTestApp();
  try {
    const s = await setUp(t.store);
    const pole: SeededPole = s.pole;
    const out: string[] = [];
    const record = async (method: Method, url: string, cookie: string, payload?: unknown) => {
      const res = await s.send(method, url, cookie, payload);
      out.push(`${method} ${url} → ${res.statusCode} ${res.body}`);
      return res;
    };
    const week = (from: string, to: string) => `/api/resources/${s.van}/availability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const slot = (day: string, h1: string, h2: string) => ({ resourceId: s.van, start: `${day}T${h1}:00+01:00`, end: `${day}T${h2}:00+01:00` });
    for (let round = 0; round < 2; round++) {
      await record('POST', '/api/bookings', s.userA, slot('2026-11-20', '09:00', '11:00'));
      await record('POST', '/api/bookings', s.userA, slot('2026-11-20', '10:00', '12:00'));
      await record('POST', '/api/bookings', s.userA, slot('2026-11-20', '10:30', '11:30'));
      await record('POST', '/api/bookings', s.userA, { ...slot('2026-11-24', '09:00', '10:00'), recurrence: { freq: 'weekly', count: 3 } });
      await record('GET', week('2026-11-20T00:00:00+01:00', '2026-11-27T00:00:00+01:00'), s.userA);
      await record('GET', '/api/bookings?from=2026-11-01T00:00:00%2B01:00&to=2026-12-31T00:00:00%2B01:00', s.userA);
      await record('GET', '/api/me', s.userA);
      await record('GET', '/api/pole', s.userA);
      await record('PATCH', `/api/resources/${s.van}`, s.coord, {
        capacity: 3 - round,
        openingHours: { '1': [['08:00', '18:00']], '2': [['08:00', '18:00']], '3': [['08:00', '18:00']], '4': [['08:00', '18:00']], '5': [['08:00', '18:00']] },
      });
      await record('POST', '/api/bookings', s.userA, slot('2026-11-21', '09:00', '10:00'));
      await record('GET', week('2026-11-20T00:00:00+01:00', '2026-11-23T00:00:00+01:00'), s.userA);
      await record('PATCH', `/api/members/${pole.memberA}`, s.coord, { leftOn: round === 0 ? '2026-12-05' : null });
      await record('POST', '/api/bookings', s.userA, slot('2026-12-09', '09:00', '10:00'));
      await record('PATCH', '/api/pole', s.coord, { timeZone: round === 0 ? 'America/New_York' : 'Europe/Paris' });
      await record('GET', week('2026-11-20T00:00:00+01:00', '2026-11-23T00:00:00+01:00'), s.userA);
      await record('GET', '/api/bookings?from=2026-11-01T00:00:00%2B01:00&to=2026-12-31T00:00:00%2B01:00', s.coord);
      await record('POST', '/api/bookings', s.coord, { ...slot('2026-10-20', '09:00', '10:00'), memberId: pole.memberB });
      if (round === 0) await record('POST', '/api/closings', s.coord, { month: '2026-10' });
      await record('GET', week('2026-10-30T00:00:00+01:00', '2026-11-02T00:00:00+01:00'), s.coord);
      await record('PATCH', `/api/users/${pole.userIds[pole.userA]}`, s.coord, { role: round === 0 ? 'member_admin' : 'member' });
      await record('GET', '/api/me', s.userA);
    }
    return out;
  } finally {
    setReferenceCacheEnabled(true);
    await t.close();
  }
}

describe('reference cache: cached answers are the uncached answers', () => {
  it('the same session of bookings, availability, settings changes and a close answers byte for byte the same', async () => {
    const uncached = await scriptedSession(false);
    const cached = await scriptedSession(true);
    assert.ok(uncached.length > 30);
    assert.ok(uncached.some((l) => l.includes('→ 409')) && uncached.some((l) => l.includes('→ 201')), 'the session meets refusals and successes');
    assert.deepEqual(cached, uncached);
  });
});
