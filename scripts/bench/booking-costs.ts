/**
 * Diagnostic, not part of `npm run bench`: where the real booking path spends its time beyond the bare one,
 * in µs per call, measured in-process on the HTTP bench's kind of database (each step alone, interleaved,
 * median of 5 runs). Each lookup is measured through the reference cache (a hit: the data-version read and a
 * map lookup) and without it (the SQL it saves). HTTP framing, JSON parsing and response serialisation are
 * not here: they are the difference between the HTTP bench's server CPU per request and the `service` line.
 * Run: npx tsx scripts/bench/booking-costs.ts
 */
import Fastify from 'fastify';
import { join } from 'node:path';
import { openStore } from '../../db/index';
import { createSessionRepository } from '../../server/auth/repository';
import { createSessionManager } from '../../server/auth/sessions';
import { hashSecret } from '../../server/auth/tokens';
import * as repo from '../../server/bookings/repository';
import { createBooking } from '../../server/bookings/service';
import { buildApp } from '../../server/app';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import type { Actor } from '../../server/shared/actor';
import { systemClock } from '../../server/shared/clock';
import { closedMonths } from '../../server/closing/freeze';
import { referenceCache, setReferenceCacheEnabled } from '../../server/shared/reference-cache';
import { benchTempDir, createBenchDb } from './fixtures';
import { isMain, RUNS } from './harness';
import { formatSummary, formatTable, summarize } from './stats';

const N = Number(process.env.BENCH_COSTS_N ?? 5000);
const QUARTER = 15 * 60_000;

export async function bookingCosts() {
  const dir = benchTempDir();
  const info = await createBenchDb(join(dir, 'costs.sqlite'), { members: 500, resources: 200, bookings: 200_000, month: '2026-12', months: 12, label: 'costs db' });
  const store = openStore(info.path);
  const { sqlite } = store;
  const ctx: AppContext = { store, db: store.db, sqlite, clock: systemClock, config: { ...defaultConfig, dbPath: info.path, demo: false } };
  const admin = sqlite.prepare("SELECT id, member_id AS memberId, email FROM users WHERE role = 'member_admin'").get() as { id: number; memberId: number; email: string };
  const sessions = createSessionManager(createSessionRepository(sqlite), systemClock, { idleMs: 7 * 86_400_000, absoluteMs: 30 * 86_400_000 });
  const { token } = sessions.create(admin.id);
  const actor: Actor = { userId: admin.id, role: 'member_admin', memberId: admin.memberId, email: admin.email, name: 'x', sessionId: 'x' };
  const bareResource = sqlite.prepare('SELECT capacity, longest_booking_ms AS longest FROM resources WHERE id = ?');
  const bareOverlap = sqlite.prepare(
    `SELECT start_ms AS s, end_ms AS e, quantity AS q FROM bookings WHERE resource_id = ? AND status IN ('pending', 'confirmed') AND start_ms < ? AND start_ms > ? AND end_ms > ?`,
  );
  const bareInsert = sqlite.prepare(
    `INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'confirmed', ?, ?)`,
  );
  const empty = sqlite.transaction(() => {});
  const bareBook = sqlite.transaction((rid: number, start: number) => {
    const r = bareResource.get(rid) as { capacity: number; longest: number };
    bareOverlap.all(rid, start + QUARTER, start - r.longest, start);
    const now = Date.now();
    bareInsert.run(rid, admin.memberId, admin.id, start, start + QUARTER, 1, now, now);
  });
  let slot = 0;
  const base = Date.UTC(2027, 1, 1);
  const nextSlot = () => {
    const i = slot++;
    return { rid: info.resourceIds[i % 200]!, start: base + Math.floor(i / 200) * QUARTER };
  };
  const probe = Date.UTC(2026, 11, 10, 9);
  // The app's plumbing on a route that does almost nothing (GET /api/me: cookie, session, access and security
  // hooks, response schema) against a bare Fastify route, both through inject (whose own cost cancels out).
  const app = await buildApp({ store, config: { dbPath: info.path, demo: false, serveClient: false }, clock: systemClock });
  await app.ready();
  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  await bare.ready();
  const cookie = `mutualise_session=${token}`;
  const injectSteps: Record<string, () => Promise<unknown>> = {
    'inject GET /api/me (real app: session, hooks, schemas)': () => app.inject({ method: 'GET', url: '/api/me', headers: { cookie } }),
    'inject GET /hello (bare Fastify)': () => bare.inject({ method: 'GET', url: '/hello' }),
  };
  const uncached = (fn: () => void) => () => {
    setReferenceCacheEnabled(false);
    try {
      fn();
    } finally {
      setReferenceCacheEnabled(true);
    }
  };
  const book = () => {
    const { rid, start } = nextSlot();
    createBooking(ctx, actor, { resourceId: rid, start: new Date(start).toISOString(), end: new Date(start + QUARTER).toISOString() });
  };
  const validate = () => void sessions.validate(token);
  const resource = () => void repo.resourceForBooking(sqlite, 1);
  const member = () => void repo.findMemberForBooking(sqlite, admin.memberId);
  const zone = () => void repo.poleZone(sqlite);
  const closed = () => void closedMonths(sqlite);
  const steps: Record<string, () => void> = {
    'empty IMMEDIATE transaction (BEGIN + COMMIT)': () => empty.immediate(),
    'bare booking transaction (resource, overlap, insert)': () => {
      const { rid, start } = nextSlot();
      bareBook.immediate(rid, start);
    },
    'service createBooking (whole transaction), cached': book,
    'service createBooking, reference cache off': uncached(book),
    'session validate (session row + SHA-256 + user), cached': validate,
    'session validate, reference cache off (user read)': uncached(validate),
    '  of which SHA-256 of the secret (@oslojs)': () => void hashSecret(token.slice(token.indexOf('.') + 1)),
    'data-version read (referenceCache)': () => void referenceCache(sqlite),
    'resource rules, cached': resource,
    'resource rules, cache off (row + parse)': uncached(resource),
    'member (left_on), cached': member,
    'member (left_on), cache off': uncached(member),
    'pole time zone, cached': zone,
    'pole time zone, cache off': uncached(zone),
    'closed months, cached': closed,
    'closed months, cache off': uncached(closed),
    'overlap query, repository': () => void repo.overlappingLoads(sqlite, 1, probe, probe + QUARTER),
    'overlap query, bare': () => void bareOverlap.all(1, probe + QUARTER, probe - 4 * 3_600_000, probe),
  };
  const times = new Map<string, number[]>([...Object.keys(steps), ...Object.keys(injectSteps)].map((k) => [k, []]));
  for (let run = 0; run <= RUNS; run++) {
    for (const [name, fn] of Object.entries(steps)) {
      const t0 = performance.now();
      for (let i = 0; i < N; i++) fn();
      if (run > 0) times.get(name)!.push(((performance.now() - t0) * 1000) / N);
    }
    for (const [name, fn] of Object.entries(injectSteps)) {
      const t0 = performance.now();
      for (let i = 0; i < N; i++) await fn();
      if (run > 0) times.get(name)!.push(((performance.now() - t0) * 1000) / N);
    }
  }
  await app.close();
  await bare.close();
  store.close();
  return [...times.entries()].map(([name, t]) => ({ name, us: summarize(t) }));
}

if (isMain(import.meta.url)) {
  const rows = await bookingCosts();
  console.log(`\nBooking path, µs per call (median (min–max) of ${RUNS} runs × ${N})`);
  console.log(formatTable(['step', 'µs'], rows.map((r) => [r.name, formatSummary(r.us, 1)])));
}
