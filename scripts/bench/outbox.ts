/**
 * Issue #15: a booking with its notification (written in the booking's transaction) against the same booking
 * with notifications off, same process, same database file; target ratio ≤ 1.10.
 * Each of RUNS runs (≥ 5) books on a fresh database file: M bookings of each side, the two sides alternating
 * booking by booking (which goes first alternating too), so that whatever else the machine does falls on both
 * alike. Each booking is timed in CPU time of this process (user + system: other processes count less than in
 * wall time). A run's ratio is that of the two sides' means with the slowest and fastest 10 % of each side
 * left out (a WAL checkpoint or a garbage collection lands on one booking of either side at random); the plain
 * means' ratio is printed too. Printed: the median of the runs with their min–max, the load average, and the
 * sender's work outside the request (the notices addressed into outbox rows, µs per booking), which the ratio
 * does not include, so that it is not hidden either.
 * Short: 5 × 2,000 bookings, under a minute on a busy machine. Run: npx tsx scripts/bench/outbox.ts
 * (BENCH_OUTBOX_M: bookings of each side per run, default 1000; BENCH_OUTBOX_MEMORY=1: an in-memory database,
 * to see the CPU alone without the file's writes; BENCH_OUTBOX_AA=1: both sides with notifications off, to
 * see the bench's own noise).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { createBooking } from '../../server/bookings/service';
import type { AppContext } from '../../server/context';
import { expandNotices } from '../../server/notifications/notices';
import { benchTempDir } from './fixtures';
import { outboxBenchPole } from './outbox-fixture';
import { isMain, machine, note, RUNS } from './harness';
import { formatSummary, round, summarize, type Summary } from './stats';

const M = Number(process.env.BENCH_OUTBOX_M ?? 1000);
const WARM = 50;
const QUARTER = 15 * 60_000;
const AA = Boolean(process.env.BENCH_OUTBOX_AA);

interface Run {
  withUs: number;
  withoutUs: number;
  ratio: number;
  meanRatio: number;
  expandUs: number;
}

/** CPU µs of this process (user + system) spent in `fn`. */
function cpu(fn: () => void): number {
  const t0 = process.cpuUsage();
  fn();
  const used = process.cpuUsage(t0);
  return used.user + used.system;
}

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
/** The mean without the lowest and highest `cut` of the sample. */
function trimmedMean(xs: readonly number[], cut = 0.1): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const k = Math.floor(sorted.length * cut);
  return mean(sorted.slice(k, sorted.length - k));
}

function oneRun(run: number): Run {
  const path = process.env.BENCH_OUTBOX_MEMORY ? ':memory:' : join(benchTempDir(), `outbox-${run}.sqlite`);
  const { store, sqlite, resourceId, actor, ctxOf } = outboxBenchPole(path);
  const withOutbox = ctxOf(!AA);
  const without = ctxOf(false);
  // Quarter-hours within opening days, far enough ahead to be bookable, never twice the same.
  let slot = 0;
  const base = Date.UTC(new Date().getUTCFullYear() + 1, 0, 5, 8);
  const book = (ctx: AppContext) => {
    const start = base + slot++ * QUARTER;
    return cpu(() => void createBooking(ctx, actor, { resourceId, start: new Date(start).toISOString(), end: new Date(start + QUARTER).toISOString() }));
  };
  // Warm-up: statements prepared, caches filled.
  for (let i = 0; i < WARM; i++) {
    book(without);
    book(withOutbox);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < M; i++) {
    if (i % 2 === 0) {
      a.push(book(withOutbox));
      b.push(book(without));
    } else {
      b.push(book(without));
      a.push(book(withOutbox));
    }
  }
  const notified = AA ? 0 : WARM + M;
  const notices = sqlite.prepare('SELECT count(*) FROM notices').pluck().get() as number;
  if (notices !== notified) throw new Error(`expected ${notified} notices, found ${notices}`);
  // The sender's share, outside the requests: every notice addressed into its outbox row, as its passes do.
  const expandUs = cpu(() => {
    while (expandNotices(withOutbox, 200) > 0);
  }) / Math.max(1, notified);
  const rows = sqlite.prepare('SELECT count(*) FROM outbox').pluck().get() as number;
  store.close();
  if (rows !== notified) throw new Error(`expected ${notified} outbox rows, found ${rows}`);
  const withUs = trimmedMean(a);
  const withoutUs = trimmedMean(b);
  return { withUs, withoutUs, ratio: withUs / withoutUs, meanRatio: mean(a) / mean(b), expandUs };
}

export function runOutbox(): { with: Summary; without: Summary; ratio: Summary; meanRatio: Summary; expand: Summary; load: [number, number] } {
  const loadBefore = loadavg()[0]!;
  const runs: Run[] = [];
  for (let r = 0; r < RUNS; r++) {
    runs.push(oneRun(r));
    note(`  outbox bench: run ${r + 1}/${RUNS}, ratio ${round(runs[r]!.ratio, 3)}`);
  }
  return {
    with: summarize(runs.map((r) => r.withUs)),
    without: summarize(runs.map((r) => r.withoutUs)),
    ratio: summarize(runs.map((r) => r.ratio)),
    meanRatio: summarize(runs.map((r) => r.meanRatio)),
    expand: summarize(runs.map((r) => r.expandUs)),
    load: [loadBefore, loadavg()[0]!],
  };
}

if (isMain(import.meta.url)) {
  const m = machine();
  const r = runOutbox();
  const where = process.env.BENCH_OUTBOX_MEMORY ? 'in memory' : 'database file (WAL)';
  console.log(`${RUNS} runs × ${M} bookings of each side, alternating, ${where}${AA ? ', A/A: both sides with notifications off' : ''}`);
  console.log(`${m.nproc} cores, ${m.cpu}, Node ${m.node}; load average ${r.load[0].toFixed(1)} at the start, ${r.load[1].toFixed(1)} at the end`);
  console.log(`booking with its notification    ${formatSummary(r.with)} µs CPU per booking (median of the runs, min–max)`);
  console.log(`booking, notifications off       ${formatSummary(r.without)} µs CPU per booking`);
  console.log(`ratio                            ${formatSummary(r.ratio, 3)}  (target ≤ 1.10; means without each side's 10 % extremes)`);
  console.log(`ratio of the plain means         ${formatSummary(r.meanRatio, 3)}  (every booking counted; noisier)`);
  console.log(`sender, outside the request      ${formatSummary(r.expand)} µs CPU per booking to address its notice into an outbox row (not in the ratio)`);
  console.log(
    JSON.stringify({ outboxVsBooking: round(r.ratio.median, 3), outboxVsBookingMin: round(r.ratio.min, 3), outboxVsBookingMax: round(r.ratio.max, 3), expandUs: round(r.expand.median, 1), loadAverage: round(r.load[0], 1) }),
  );
}
