import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../db/index';
import { seedPole, TEST_PASSWORD, type SeededPole } from '../helpers/app';
import { startChild, tempDir, until, type Child } from '../helpers/proof-process';

/**
 * Concurrency between PROCESSES on one database file, the case a single Node process cannot show (its
 * synchronous better-sqlite3 calls serialise requests whatever the code does). Server A runs with a test-only
 * preload (tests/proof/fixtures/pause-before-insert.ts) that stops a booking between its checks (rules,
 * closed months, capacity) and its insert, inside its transaction. While A is stopped there, a second process
 * acts on the same file: server B books the same slot, or `npm run close` closes the booking's month. A is
 * released once B has answered or is seen waiting for the database lock (its main thread sleeping in SQLite's
 * busy handler, /proc/PID/wchan); nothing is decided by a fixed sleep.
 *
 * These proofs were run against broken code (server/bookings/repository.ts `immediate()`):
 * - real code (BEGIN IMMEDIATE): both pass — B (or the close) waits for A's write lock, then sees A's row.
 * - no transaction (`return fn()`): both FAIL — two bookings of a capacity-1 resource (B 201 while A was
 *   stopped, then A 201); a booking stored in a month closed without it (the close ran while A was stopped).
 * - allowance read outside the transaction (server/bookings/service.ts computing `allowanceVerdict` before
 *   `repo.immediate`): the allowance proof FAILS — B 201 while A was stopped, then A 201: 90 min of a 60-min hard allowance.
 * - DEFERRED (`run.deferred(fn)`): both FAIL — A answers 500 (SQLITE_BUSY: its read snapshot went stale when
 *   B, or the close, committed) instead of a clean 201/409.
 */
const root = tempDir('race-processes');
const SERVER = ['--import', 'tsx', 'server/main.ts'];
const PAUSE = ['--import', 'tsx', '--import', './tests/proof/fixtures/pause-before-insert.ts', 'server/main.ts'];

/** Linux: the kernel function the process's main thread sleeps in ("0" while it runs). */
const wchan = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/wchan`, 'utf8');
  } catch {
    return '';
  }
};
/**
 * Whether the process waits for another connection's lock: SQLite's busy handler sleeps with nanosleep, which
 * nothing else on a Node main thread does (the event loop waits in epoll, Atomics in futex).
 */
const waitsForLock = (pid: number) => /nanosleep/.test(wchan(pid));

interface Answer {
  status: number;
  body: { error?: { code: string } } & Record<string, unknown>;
}

describe('proof: concurrency between processes on one database file (booking stopped between check and insert)', () => {
  const dbPath = join(root.dir, 'race.sqlite');
  const pauseDir = root.dir;
  let pole: SeededPole;
  let a: Child;
  let b: Child;
  let urlA: string;
  let urlB: string;
  let coordinator: string;
  let userA: string;
  let userB: string;
  let released = 0;

  const release = () => writeFileSync(join(pauseDir, `release-${++released}`), '');
  const send = (base: string, method: string, path: string, cookie: string, body?: unknown): Promise<Answer> =>
    fetch(`${base}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Answer['body'] }));
  const must = async (answer: Promise<Answer>) => {
    const r = await answer;
    assert.ok(r.status < 300, JSON.stringify(r));
    return r.body;
  };
  const startServer = (args: string[]) =>
    startChild(process.execPath, args, { MUTUALISE_DB: dbPath, MUTUALISE_DEMO: '0', HOST: '127.0.0.1', PORT: '0', MUTUALISE_LOG_LEVEL: 'warn', PROOF_PAUSE_DIR: pauseDir });
  const urlOf = async (child: Child) => `http://127.0.0.1:${(await child.waitFor(/running at http:\/\/127\.0\.0\.1:(\d+)/, 180_000))[1]}`;
  const login = async (email: string) => {
    const res = await fetch(`${urlB}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: TEST_PASSWORD }) });
    assert.equal(res.status, 200);
    return res.headers.get('set-cookie')!.split(';')[0]!;
  };

  /** Stops a booking request in A before its insert, then lets `other` run; releases A when `other` is done or waits for A's lock. */
  async function raceAgainstStoppedBooking<T>(booking: { cookie: string; body: unknown }, other: () => { pid: number; done: () => boolean; result: Promise<T> }) {
    const paused = released + 1;
    const stopped = send(urlA, 'POST', '/api/bookings', booking.cookie, booking.body);
    await a.waitFor(new RegExp(`paused before booking insert ${paused}\\n`));
    const o = other();
    await until(() => o.done() || waitsForLock(o.pid), 'the other process has finished or waits for the lock');
    const otherFinishedFirst = o.done();
    release();
    const [stoppedAnswer, otherResult] = await Promise.all([stopped, o.result]);
    return { stopped: stoppedAnswer, other: otherResult, otherFinishedFirst };
  }

  before(async () => {
    const store = openStore(dbPath);
    pole = await seedPole(store);
    store.close();
    a = startServer(PAUSE);
    b = startServer(SERVER);
    [urlA, urlB] = await Promise.all([urlOf(a), urlOf(b)]);
    // The proofs see a process wait for the lock through /proc/PID/wchan: without it they cannot run (and must not pass).
    await until(() => /epoll/.test(wchan(b.proc.pid!)), `an idle server's /proc/PID/wchan names its epoll wait (got "${wchan(b.proc.pid!)}")`);
    // Sessions live in the database: a cookie from B is valid on A too.
    [coordinator, userA, userB] = await Promise.all([login('coord@test.fr'), login(pole.userA), login(pole.userB)]);
  });
  after(async () => {
    for (const child of [a, b]) if (child && child.proc.exitCode === null) child.proc.kill('SIGKILL');
    await Promise.all([a?.exited, b?.exited]);
    root.remove();
  });

  it('capacity 1: B books the slot A has checked but not inserted yet → B waits for A, then 409 booking.conflict; one booking stored', async () => {
    const { id: resourceId } = (await must(send(urlB, 'POST', '/api/resources', coordinator, { name: 'Camion', kind: 'equipment', capacity: 1, bearerMemberId: pole.memberC }))) as { id: number };
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const slot = { resourceId, start: `${day}T09:00:00Z`, end: `${day}T11:00:00Z` };

    const race = await raceAgainstStoppedBooking({ cookie: userA, body: slot }, () => {
      let answer: Answer | undefined;
      const result = send(urlB, 'POST', '/api/bookings', userB, slot).then((r) => (answer = r));
      return { pid: b.proc.pid!, done: () => answer !== undefined, result };
    });

    const db = new Database(dbPath, { readonly: true });
    const stored = db.prepare("SELECT member_id AS memberId FROM bookings WHERE resource_id = ? AND status IN ('pending', 'confirmed')").all(resourceId);
    db.close();
    const outcome = `A ${race.stopped.status} ${JSON.stringify(race.stopped.body.error ?? '')}, B ${race.other.status} ${JSON.stringify(race.other.body.error ?? '')}, B finished while A was stopped: ${race.otherFinishedFirst}, stored: ${JSON.stringify(stored)}`;
    console.log(`race between processes (capacity 1): ${outcome}`);
    assert.equal(stored.length, 1, `one booking of a capacity-1 resource: ${outcome}`);
    assert.equal(race.otherFinishedFirst, false, `B must wait for A's transaction: ${outcome}`);
    assert.equal(race.stopped.status, 201, outcome);
    assert.equal(race.other.status, 409, outcome);
    assert.equal(race.other.body.error?.code, 'booking.conflict', outcome);
    assert.deepEqual(stored, [{ memberId: pole.memberA }]);
  });

  it('hard allowance of 1 h: B books 30 min for the structure A has just filled (checked, not inserted) → B waits, then 409 booking.allowance_exceeded; 1 h stored', async () => {
    const { id: resourceId } = (await must(
      send(urlB, 'POST', '/api/resources', coordinator, { name: 'Comptable', kind: 'service', capacity: 2, bearerMemberId: pole.memberC, allowance: { minutesPerMonth: 60, limit: 'hard' } }),
    )) as { id: number };
    const day = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
    const race = await raceAgainstStoppedBooking({ cookie: userA, body: { resourceId, start: `${day}T08:00:00Z`, end: `${day}T09:00:00Z` } }, () => {
      let answer: Answer | undefined;
      const result = send(urlB, 'POST', '/api/bookings', userA, { resourceId, start: `${day}T12:00:00Z`, end: `${day}T12:30:00Z` }).then((r) => (answer = r));
      return { pid: b.proc.pid!, done: () => answer !== undefined, result };
    });
    const db = new Database(dbPath, { readonly: true });
    const minutes = db.prepare("SELECT coalesce(sum((end_ms - start_ms) / 60000), 0) FROM bookings WHERE resource_id = ? AND status IN ('pending', 'confirmed')").pluck().get(resourceId);
    db.close();
    const outcome = `A ${race.stopped.status} ${JSON.stringify(race.stopped.body.error ?? '')}, B ${race.other.status} ${JSON.stringify(race.other.body.error ?? '')}, B finished while A was stopped: ${race.otherFinishedFirst}, minutes stored: ${String(minutes)}`;
    console.log(`race between processes (hard allowance): ${outcome}`);
    assert.equal(minutes, 60, `never more than the hard allowance: ${outcome}`);
    assert.equal(race.otherFinishedFirst, false, `B must wait for A's transaction: ${outcome}`);
    assert.equal(race.stopped.status, 201, outcome);
    assert.equal(race.other.status, 409, outcome);
    assert.equal(race.other.body.error?.code, 'booking.allowance_exceeded', outcome);
  });

  it('close against a booking: `npm run close` of the month waits for the stopped booking and counts it; the month ends closed with every booking in its allocation', async () => {
    // An ended month (whatever today is): the previous UTC month has ended in Paris too.
    const now = new Date();
    const prev = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15));
    const month = prev.toISOString().slice(0, 7);
    const { id: resourceId } = (await must(send(urlB, 'POST', '/api/resources', coordinator, { name: 'Salle', kind: 'room', capacity: 2, bearerMemberId: pole.memberC }))) as { id: number };
    await must(send(urlB, 'POST', '/api/costs', coordinator, { resourceId, month, amountCents: 90_000, vatRate: 0, label: 'Loyer', nature: 'rent_or_lease' }));
    await must(send(urlB, 'POST', '/api/bookings', coordinator, { resourceId, memberId: pole.memberB, start: `${month}-10T08:00:00Z`, end: `${month}-10T10:00:00Z` }));

    const booking = { resourceId, memberId: pole.memberA, start: `${month}-12T08:00:00Z`, end: `${month}-12T11:00:00Z` };
    const race = await raceAgainstStoppedBooking({ cookie: coordinator, body: booking }, () => {
      const close = startChild(process.execPath, ['--import', 'tsx', 'scripts/close.ts', '--month', month], { MUTUALISE_DB: dbPath });
      let exit: { code: number | null } | undefined;
      const result = close.exited.then((e) => (exit = e)).then(() => ({ code: exit!.code, stdout: close.stdout(), stderr: close.stderr() }));
      return { pid: close.proc.pid!, done: () => exit !== undefined, result };
    });

    const db = new Database(dbPath, { readonly: true });
    const usage = db
      .prepare(
        `SELECT (SELECT usage_minutes FROM allocation_resources WHERE month = @month AND resource_id = @resourceId) AS allocated,
                (SELECT sum((end_ms - start_ms) / 60000) FROM bookings WHERE resource_id = @resourceId AND status IN ('pending', 'confirmed')) AS booked,
                (SELECT count(*) FROM closings WHERE month = @month) AS closed`,
      )
      .get({ month, resourceId });
    db.close();
    const outcome = `booking ${race.stopped.status} ${JSON.stringify(race.stopped.body.error ?? '')}, close exit ${race.other.code} (finished while the booking was stopped: ${race.otherFinishedFirst}), allocation vs bookings: ${JSON.stringify(usage)}`;
    console.log(`close against a stopped booking: ${outcome}`);
    assert.equal(race.other.code, 0, `${outcome}\n${race.other.stdout}\n${race.other.stderr}`);
    assert.deepEqual(usage, { allocated: 300, booked: 300, closed: 1 }, `every booking of the closed month is in its allocation: ${outcome}`);
    assert.equal(race.otherFinishedFirst, false, `the close must wait for the booking's transaction: ${outcome}`);
    assert.equal(race.stopped.status, 201, outcome);
  });
});
