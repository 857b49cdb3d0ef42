/**
 * Child process of the close bench (memory is measured per process): on fresh copies of one bench database,
 * alternately times the bare GROUP BY and the real close (allocation + invoicing, no PDF), measuring each one's
 * peak RSS. Linux lets a process reset its own peak (VmHWM) through /proc/self/clear_refs, so each phase gets
 * its own peak; elsewhere the process-wide maxRSS is reported.
 * Usage: close-child.ts '<json {base, work, month, now, runs}>'. Prints one JSON line.
 */
import { writeFileSync } from 'node:fs';
import { openStore } from '../../db/index';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { manualClock } from '../../server/shared/clock';
import { monthRange } from '../../server/shared/time';
import { BENCH_ZONE, copyDb } from './fixtures';
import { usageGroupBy as groupBy } from './usage-sql';
import { peakRssMb, rssMb } from './harness';

const { base, work, month, now, runs } = JSON.parse(process.argv[2] ?? '{}') as { base: string; work: string; month: string; now: string; runs: number };

let resettable = true;
function resetPeak(): void {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    resettable = false;
  }
}

interface Phase {
  ms: number;
  peakMb: number;
  beforeMb: number;
}

function measure(fn: () => unknown): Phase & { result: unknown } {
  global.gc?.();
  const beforeMb = rssMb();
  resetPeak();
  const t0 = performance.now();
  const result = fn();
  const ms = performance.now() - t0;
  return { ms, peakMb: peakRssMb(), beforeMb, result };
}

const { closeMonth } = await import('../../server/closing/service');
const groupByRuns: Phase[] = [];
const scanRuns: Phase[] = [];
const close: Phase[] = [];
let baselineMb = 0;
let rows = 0;
let invoices = 0;
const range = monthRange(month, BENCH_ZONE);

for (let run = 0; run < runs; run++) {
  for (const [hint, list] of [['', groupByRuns], ['NOT INDEXED', scanRuns]] as const) {
    const store = openStore(copyDb(base, work));
    if (run === 0 && hint === '') baselineMb = rssMb();
    const longest = store.sqlite.prepare('SELECT coalesce(max(longest_booking_ms), 0) FROM resources').pluck().get() as number;
    const stmt = store.sqlite.prepare(groupBy(hint));
    const m = measure(() => stmt.all({ start: range.startMs, end: range.endMs, lower: range.startMs - longest - 1 }));
    rows = (m.result as unknown[]).length;
    list.push({ ms: m.ms, peakMb: m.peakMb, beforeMb: m.beforeMb });
    store.close();
  }
  {
    const store = openStore(copyDb(base, work));
    const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock: manualClock(now), config: { ...defaultConfig, dbPath: work, demo: false } };
    const m = measure(() => closeMonth(ctx, { month, actor: null }));
    invoices = (m.result as { invoices: unknown[] }).invoices.length;
    close.push({ ms: m.ms, peakMb: m.peakMb, beforeMb: m.beforeMb });
    store.close();
  }
  process.stderr.write(
    `    run ${run + 1}/${runs}: GROUP BY ${groupByRuns.at(-1)!.ms.toFixed(0)} ms, scan ${scanRuns.at(-1)!.ms.toFixed(0)} ms, close ${close.at(-1)!.ms.toFixed(0)} ms\n`,
  );
}

process.stdout.write(`${JSON.stringify({ groupBy: groupByRuns, scan: scanRuns, close, rows, invoices, resettable, baselineMb })}\n`);
