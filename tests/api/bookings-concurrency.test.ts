import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { applyPragmas, openStore, type Store } from '../../db/index';
import { createBooking } from '../../server/bookings/service';
import type { BookingCreate } from '../../server/bookings/schemas';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import type { Actor } from '../../server/shared/actor';
import { manualClock } from '../../server/shared/clock';
import type { SeededPole, TestApp } from '../helpers/app';

/** Over real HTTP: a listening server on an ephemeral port and 50 fetches in flight at once. */
// The helpers load the whole app: imported only on the main thread, so that race workers start light.
const helpers = isMainThread ? await import('../helpers/app') : undefined;

if (isMainThread) describe('parallel bookings over HTTP', () => {
  const { buildTestApp, login, seedPole } = helpers!;
  let t: TestApp;
  let pole: SeededPole;
  let base: string;
  let cookies: string[];
  let coord: string;

  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    // Two structures race each other (each login costs an argon2 verification: keep them few).
    [coord, ...cookies] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.userA), login(t.app, pole.userB)]);
  });
  after(() => t.close());

  async function resource(capacity: number): Promise<number> {
    const res = await fetch(`${base}/api/resources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: coord },
      body: JSON.stringify({ name: `Pool de ${capacity}`, kind: 'equipment', capacity, bearerMemberId: pole.memberA }),
    });
    assert.equal(res.status, 201);
    return ((await res.json()) as { id: number }).id;
  }

  async function race(resourceId: number, n: number) {
    const body = JSON.stringify({ resourceId, start: '2026-11-20T09:00:00+01:00', end: '2026-11-20T12:00:00+01:00' });
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${base}/api/bookings`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies[i % cookies.length]! }, body }).then(
          async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }),
        ),
      ),
    );
    const count = (status: number) => responses.filter((r) => r.status === status).length;
    const stored = t.store.sqlite.prepare("SELECT count(*) AS n FROM bookings WHERE resource_id = ? AND status = 'confirmed'").get(resourceId) as { n: number };
    return { responses, count, stored: stored.n };
  }

  it('50 requests for one slot of a capacity-1 resource: exactly one 201, 49 × 409 booking.conflict', async () => {
    const { responses, count, stored } = await race(await resource(1), 50);
    assert.equal(count(201), 1);
    assert.equal(count(409), 49);
    assert.ok(responses.filter((r) => r.status === 409).every((r) => r.body.error?.code === 'booking.conflict'));
    assert.equal(stored, 1);
  });

  it('50 requests for one slot of a pool of 3: exactly three 201', async () => {
    const { count, stored } = await race(await resource(3), 50);
    assert.equal(count(201), 3);
    assert.equal(count(409), 47);
    assert.equal(stored, 3);
  });
});

/**
 * Separate connections to one database file, in threads that book the same slot at the same instant: the
 * IMMEDIATE transaction makes them queue for the write lock before reading, so exactly one wins and every other
 * one gets a clean booking.conflict (a deferred read-then-write would fail with SQLITE_BUSY instead).
 */
const RACERS = 4;

if (isMainThread) {
  describe('parallel bookings over separate connections', () => {
    it(`${RACERS} threads, ${RACERS} connections, one slot of a capacity-1 resource: one booking, the others booking.conflict`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mutualise-race-'));
      const path = join(dir, 'race.sqlite');
      const store = openStore(path);
      try {
        const pole = await helpers!.seedPole(store);
        const resourceId = (
          store.sqlite
            .prepare("INSERT INTO resources (name, kind, capacity, bearer_member_id, created_at) VALUES ('Camion', 'equipment', 1, ?, 0) RETURNING id")
            .get(pole.memberA) as { id: number }
        ).id;
        const signal = new SharedArrayBuffer(4);
        const actors = [pole.userA, pole.userB].map((email, i) => ({
          userId: pole.userIds[email]!,
          role: 'member',
          memberId: i === 0 ? pole.memberA : pole.memberB,
          email,
          name: email,
          sessionId: 'race',
        }));
        const body = { resourceId, start: '2026-11-20T09:00:00+01:00', end: '2026-11-20T12:00:00+01:00' };
        // Worker threads do not inherit tsx's loader on Node 20: each one registers it, then loads this file.
        const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); })`;
        const workers = Array.from({ length: RACERS }, (_, i) => new Worker(bootstrap, { eval: true, workerData: { race: true, path, signal, actor: actors[i % 2], body } }));
        const ready = workers.map((w) => new Promise<void>((resolve) => w.once('message', () => resolve())));
        const results = workers.map((w) => new Promise<{ ok: boolean; code?: string }>((resolve, reject) => {
          w.on('message', (m: { ok?: boolean; code?: string }) => m.ok !== undefined && resolve(m as { ok: boolean; code?: string }));
          w.once('error', reject);
        }));
        await Promise.all(ready);
        const flag = new Int32Array(signal);
        Atomics.store(flag, 0, 1);
        Atomics.notify(flag, 0);
        const outcomes = await Promise.all(results);
        assert.equal(outcomes.filter((o) => o.ok).length, 1, JSON.stringify(outcomes));
        assert.deepEqual(outcomes.filter((o) => !o.ok).map((o) => o.code), Array(RACERS - 1).fill('booking.conflict'));
        assert.equal((store.sqlite.prepare('SELECT count(*) AS n FROM bookings').get() as { n: number }).n, 1);
      } finally {
        store.close();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
} else if ((workerData as { race?: boolean } | null)?.race) {
  const { path, signal, actor, body } = workerData as { path: string; signal: SharedArrayBuffer; actor: Actor; body: BookingCreate };
  // The file is migrated already: a bare connection with the app's pragmas is all the booking service uses.
  const sqlite = new Database(path);
  applyPragmas(sqlite);
  const store = { sqlite, db: undefined as unknown as Store['db'], close: () => sqlite.close() };
  const ctx: AppContext = { store, db: store.db, sqlite, clock: manualClock('2026-11-16T10:00:00+01:00'), config: defaultConfig };
  parentPort!.postMessage('ready');
  Atomics.wait(new Int32Array(signal), 0, 0);
  try {
    createBooking(ctx, actor, body);
    parentPort!.postMessage({ ok: true });
  } catch (error) {
    parentPort!.postMessage({ ok: false, code: (error as { code?: string }).code ?? String(error) });
  } finally {
    store.close();
  }
}
