/**
 * A booking with its outbox row (the notification written in the booking's transaction) against the same
 * booking with notifications off, same process, same database file, interleaved batches; prints the median
 * time per booking of each and the median of the pairs' ratios (issue #15 asks for at most 1.10). Short: ~3,000
 * bookings. Run: npx tsx scripts/bench/outbox.ts (BENCH_OUTBOX_N: bookings per batch, default 50;
 * BENCH_OUTBOX_MEMORY=1: an in-memory database, to see the CPU alone without the file's writes).
 */
import { join } from 'node:path';
import { openStore } from '../../db/index';
import { createBooking } from '../../server/bookings/service';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import type { Actor } from '../../server/shared/actor';
import { systemClock } from '../../server/shared/clock';
import { benchTempDir } from './fixtures';
import { isMain, RUNS } from './harness';
import { median, round } from './stats';

const N = Number(process.env.BENCH_OUTBOX_N ?? 50);
const PAIRS = Math.max(RUNS * 6, 30);
const QUARTER = 15 * 60_000;

export function runOutbox(): { withOutboxUs: number; withoutUs: number; ratio: number } {
  const path = process.env.BENCH_OUTBOX_MEMORY ? ':memory:' : join(benchTempDir(), 'outbox.sqlite');
  const store = openStore(path);
  const { sqlite } = store;
  const now = Date.now();
  sqlite.prepare("INSERT INTO members (name, legal_form, siren, siret, address, billing_email, invoice_prefix, joined_on, created_at) VALUES ('Bench', 'association', '732829320', '73282932000074', '1 rue', 'b@bench.test', 'BENCH', '2025-01-01', ?)").run(now);
  const memberId = sqlite.prepare('SELECT id FROM members').pluck().get() as number;
  const userId = sqlite.prepare("INSERT INTO users (email, name, role, member_id, password_hash, created_at) VALUES ('u@bench.test', 'Bench user', 'member_admin', ?, 'x', ?) RETURNING id").pluck().get(memberId, now) as number;
  const resourceId = sqlite.prepare("INSERT INTO resources (name, kind, capacity, bearer_member_id, horizon_days, created_at) VALUES ('Salle', 'room', 1, ?, 3650, ?) RETURNING id").pluck().get(memberId, now) as number;
  const actor: Actor = { userId, role: 'member_admin', memberId, email: 'u@bench.test', name: 'Bench user', sessionId: 'bench' };
  const ctxOf = (notifications: boolean): AppContext => ({ store, db: store.db, sqlite, clock: systemClock, config: { ...defaultConfig, dbPath: path, demo: false, notifications } });
  const withOutbox = ctxOf(true);
  const without = ctxOf(false);
  // Quarter-hours within opening days, far enough ahead to be bookable, never twice the same.
  let slot = 0;
  const base = Date.UTC(new Date().getUTCFullYear() + 1, 0, 5, 8);
  const nextStart = () => base + slot++ * QUARTER;
  const batch = (ctx: AppContext) => {
    // CPU time of this process (user + system), not wall time: other processes on the machine do not count.
    const t0 = process.cpuUsage();
    for (let i = 0; i < N; i++) {
      const start = nextStart();
      createBooking(ctx, actor, { resourceId, start: new Date(start).toISOString(), end: new Date(start + QUARTER).toISOString() });
    }
    const used = process.cpuUsage(t0);
    return (used.user + used.system) / N;
  };
  batch(without); // warm-up: statements prepared, caches filled
  batch(withOutbox);
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < PAIRS; r++) {
    // Alternate which goes first, so that neither always runs on the bigger table.
    if (r % 2 === 0) {
      a.push(batch(withOutbox));
      b.push(batch(without));
    } else {
      b.push(batch(without));
      a.push(batch(withOutbox));
    }
  }
  const rows = sqlite.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
  store.close();
  if (rows !== N * (PAIRS + 1)) throw new Error(`expected ${N * (PAIRS + 1)} outbox rows, found ${rows}`);
  // Per pair (the two batches ran back to back, under the same load), then the median of the pairs.
  return { withOutboxUs: median(a), withoutUs: median(b), ratio: median(a.map((x, i) => x / b[i]!)) };
}

if (isMain(import.meta.url)) {
  const r = runOutbox();
  console.log(`booking with its outbox row   ${round(r.withOutboxUs, 1)} µs CPU per booking (median of ${PAIRS} batches of ${N})`);
  console.log(`booking, notifications off    ${round(r.withoutUs, 1)} µs CPU per booking`);
  console.log(`ratio                         ${round(r.ratio, 3)}  (median of the pairs' ratios; target ≤ 1.10)`);
}
