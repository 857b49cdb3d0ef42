/**
 * Month close at scale: a pole of 500 members and 200 resources (one cost each) with 10k, 100k and 1M bookings
 * in one month; the real close (allocation + invoicing, no PDF) against the bare SQL GROUP BY (resource, member)
 * over the same rows, each timed on a fresh copy of the database, with its own peak RSS. Run alone:
 * npm run bench:close (BENCH_CLOSE_SIZES=10000,100000 to shorten).
 */
import { join } from 'node:path';
import { benchTempDir, sharedBenchDb, type BenchDbSpec } from './fixtures';
import { isMain, note, RUNS, runNode } from './harness';
import { formatSummary, formatTable, ratio, summarize, type Summary } from './stats';

const MONTH = '2026-01';
/** The close runs a fortnight after the month ended (only an ended month can be closed). */
const CLOSE_AT = '2026-02-15T10:00:00+01:00';
/** The month-close pole at `bookings` bookings (the booking-check bench reuses it). */
export const closeDbSpec = (bookings: number): BenchDbSpec => ({ members: 500, resources: 200, bookings, month: MONTH, costs: true, label: `pole with ${bookings} bookings` });
const SIZES = (process.env.BENCH_CLOSE_SIZES ?? '10000,100000,1000000').split(',').map(Number);

interface Phase {
  ms: number;
  peakMb: number;
  beforeMb: number;
}

export interface CloseSize {
  bookings: number;
  dbMb: number;
  rows: number;
  invoices: number;
  groupByMs: Summary;
  scanMs: Summary;
  closeMs: Summary;
  ratio: number | null;
  /** RSS of the child once its modules are loaded and the database open, before any work. */
  baselineMb: number;
  groupByGrowthMb: number;
  /** Highest RSS of the process while a close ran (absolute), and its rise above the RSS just before. */
  closePeakMb: number;
  closeGrowthMb: number;
}

export interface CloseSummary {
  sizes: CloseSize[];
  closeVsGroupBy: number | null;
  closeRssMb: number | null;
  resettable: boolean;
  error?: string;
}

export async function runClose(): Promise<CloseSummary> {
  const dir = benchTempDir();
  const sizes: CloseSize[] = [];
  let resettable = true;
  for (const n of SIZES) {
    note(`Close: ${n.toLocaleString('en')} bookings in ${MONTH} (500 members, 200 resources)…`);
    const db = await sharedBenchDb(closeDbSpec(n));
    let out: { groupBy: Phase[]; scan: Phase[]; close: Phase[]; rows: number; invoices: number; resettable: boolean; baselineMb: number };
    try {
      out = (await runNode('close-child.ts', [JSON.stringify({ base: db.path, work: join(dir, 'close-run.sqlite'), month: MONTH, now: CLOSE_AT, runs: RUNS })], {
        core: 0,
        nodeArgs: ['--expose-gc'],
      })) as unknown as typeof out;
    } catch (error) {
      return { sizes, closeVsGroupBy: null, closeRssMb: null, resettable, error: String((error as Error).message).split('\n').slice(0, 6).join(' ') };
    }
    resettable &&= out.resettable;
    const groupByMs = summarize(out.groupBy.map((p) => p.ms));
    const closeMs = summarize(out.close.map((p) => p.ms));
    sizes.push({
      bookings: n,
      dbMb: db.fileMb,
      rows: out.rows,
      invoices: out.invoices,
      groupByMs,
      scanMs: summarize(out.scan.map((p) => p.ms)),
      closeMs,
      ratio: ratio(closeMs.median, groupByMs.median),
      baselineMb: out.baselineMb,
      groupByGrowthMb: Math.max(...out.groupBy.map((p) => p.peakMb - p.beforeMb)),
      closePeakMb: Math.max(...out.close.map((p) => p.peakMb)),
      closeGrowthMb: Math.max(...out.close.map((p) => p.peakMb - p.beforeMb)),
    });
  }
  const largest = sizes.at(-1);
  return { sizes, closeVsGroupBy: largest?.ratio ?? null, closeRssMb: largest ? Math.round(largest.closePeakMb) : null, resettable };
}

export function printClose(s: CloseSummary): void {
  console.log(`\nMonth close (allocation + invoicing, no PDF) vs bare GROUP BY resource, member; ${RUNS} runs, median (min–max)`);
  console.log(
    formatTable(
      ['bookings', 'db MB', 'pairs', 'invoices', 'GROUP BY ms', 'same, table scan ms', 'close ms', 'close/GROUP BY', 'RSS MB: baseline', 'GROUP BY +', 'close peak', 'close +'],
      s.sizes.map((z) => [
        z.bookings.toLocaleString('en'),
        z.dbMb.toFixed(0),
        z.rows.toLocaleString('en'),
        z.invoices.toLocaleString('en'),
        formatSummary(z.groupByMs, 0),
        formatSummary(z.scanMs, 0),
        formatSummary(z.closeMs, 0),
        z.ratio === null ? 'n/a' : z.ratio.toFixed(2),
        z.baselineMb.toFixed(0),
        z.groupByGrowthMb.toFixed(0),
        z.closePeakMb.toFixed(0),
        z.closeGrowthMb.toFixed(0),
      ]),
    ),
  );
  console.log('GROUP BY: the same SQL as the close’s usage query; table scan: that query with NOT INDEXED (context). RSS: the child’s');
  console.log('baseline once loaded, then the rise above it during each phase (“+”) and the absolute peak while closing.');
  if (!s.resettable) console.log('(peak RSS could not be reset per phase here: figures are process-wide maxima)');
  if (s.error) console.log(`close bench failed: ${s.error}`);
  console.log(`close / GROUP BY at the largest size: ${s.closeVsGroupBy?.toFixed(2) ?? 'n/a'} (target ≤ 3), peak RSS ${s.closeRssMb ?? 'n/a'} MB`);
}

if (isMain(import.meta.url)) {
  const s = await runClose();
  printClose(s);
  console.log(JSON.stringify({ closeVsGroupBy: s.closeVsGroupBy, closeRssMb: s.closeRssMb }));
}
