/**
 * Booking check: µs per overlap-and-capacity check at 10k and at 1M existing bookings (all in one month, 200
 * resources), the real repository's check (bookings/repository overlappingLoads + rules fitsCapacity) against a
 * raw prepared statement with the same index lower bound and an inline sweep. For context, the raw query
 * without the lower bound (which cannot use the index's range on start_ms). Run alone: npm run bench:check
 */
import Database from 'better-sqlite3';
import { applyPragmas } from '../../db/index';
import { monthRange } from '../../server/shared/time';
import { closeDbSpec } from './close';
import { BENCH_ZONE, rng, sharedBenchDb } from './fixtures';
import { isMain, note, RUNS } from './harness';
import { formatSummary, formatTable, ratio, summarize, type Summary } from './stats';

const SIZES = (process.env.BENCH_CHECK_SIZES ?? '10000,1000000').split(',').map(Number);
const PROBES = Number(process.env.BENCH_CHECK_PROBES ?? 20_000);
const QUARTER = 15 * 60_000;

interface Load {
  start: number;
  end: number;
  quantity: number;
}

export interface CheckSize {
  bookings: number;
  realUs: Summary;
  rawUs: Summary;
  unboundedUs: Summary;
  ratio: number | null;
  rowsPerCheck: number;
}

export interface CheckSummary {
  sizes: CheckSize[];
  error?: string;
}

function peak(rows: readonly Load[], c: Load): number {
  const events: [number, number][] = [[c.start, c.quantity], [c.end, -c.quantity]];
  for (const r of rows) events.push([Math.max(r.start, c.start), r.quantity], [Math.min(r.end, c.end), -r.quantity]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let used = 0;
  let max = 0;
  for (const [, d] of events) if ((used += d) > max) max = used;
  return max;
}

export async function runCheck(): Promise<CheckSummary> {
  let repo: typeof import('../../server/bookings/repository');
  let rules: typeof import('../../server/bookings/rules');
  try {
    repo = await import('../../server/bookings/repository');
    rules = await import('../../server/bookings/rules');
  } catch (error) {
    return { sizes: [], error: `bookings repository unavailable: ${(error as Error).message}` };
  }
  const sizes: CheckSize[] = [];
  for (const n of SIZES) {
    const spec = closeDbSpec(n);
    const db = await sharedBenchDb(spec);
    note(`Check: ${PROBES.toLocaleString('en')} overlap checks × ${RUNS} runs at ${n.toLocaleString('en')} bookings…`);
    const sqlite = new Database(db.path, { readonly: true });
    applyPragmas(sqlite);
    const { startMs, endMs } = monthRange(spec.month, BENCH_ZONE);
    const random = rng(7);
    const probes = Array.from({ length: PROBES }, () => {
      const s = startMs + Math.floor(random() * ((endMs - startMs) / QUARTER - 8)) * QUARTER;
      return { resourceId: db.resourceIds[Math.floor(random() * db.resourceIds.length)]!, start: s, end: s + 4 * QUARTER, quantity: 1 };
    });
    const capacity = 50;
    const resource = sqlite.prepare('SELECT longest_booking_ms FROM resources WHERE id = ?').pluck();
    const bounded = sqlite.prepare(
      `SELECT start_ms AS start, end_ms AS end, quantity FROM bookings
        WHERE resource_id = ? AND start_ms < ? AND start_ms > ? AND end_ms > ? AND status IN ('pending', 'confirmed')`,
    );
    const unbounded = sqlite.prepare(
      `SELECT start_ms AS start, end_ms AS end, quantity FROM bookings
        WHERE resource_id = ? AND start_ms < ? AND end_ms > ? AND status IN ('pending', 'confirmed')`,
    );
    let rows = 0;
    let sink = 0;
    const variants = {
      real: (p: Load & { resourceId: number }) => {
        const existing = repo.overlappingLoads(sqlite, p.resourceId, p.start, p.end);
        rows += existing.length;
        sink += rules.fitsCapacity(capacity, existing, p) ? 1 : 0;
      },
      raw: (p: Load & { resourceId: number }) => {
        const existing = bounded.all(p.resourceId, p.end, p.start - (resource.get(p.resourceId) as number), p.start) as Load[];
        sink += peak(existing, p) <= capacity ? 1 : 0;
      },
      unbounded: (p: Load & { resourceId: number }) => {
        const existing = unbounded.all(p.resourceId, p.end, p.start) as Load[];
        sink += peak(existing, p) <= capacity ? 1 : 0;
      },
    };
    const times: Record<keyof typeof variants, number[]> = { real: [], raw: [], unbounded: [] };
    // The unbounded query walks a resource's whole index tail: probe it less at 1M so the bench stays short.
    const unboundedProbes = n >= 500_000 ? probes.slice(0, 100) : probes;
    for (let run = 0; run <= RUNS; run++) {
      for (const name of ['raw', 'real', 'unbounded'] as const) {
        const list = name === 'unbounded' ? unboundedProbes : probes;
        const fn = variants[name];
        const t0 = performance.now();
        for (const p of list) fn(p);
        const us = ((performance.now() - t0) * 1000) / list.length;
        if (run > 0) times[name].push(us); // run 0 warms the JIT and the page cache
      }
    }
    sqlite.close();
    if (sink < 0) console.log(sink);
    const realUs = summarize(times.real);
    const rawUs = summarize(times.raw);
    sizes.push({ bookings: n, realUs, rawUs, unboundedUs: summarize(times.unbounded), ratio: ratio(realUs.median, rawUs.median), rowsPerCheck: rows / (PROBES * (RUNS + 1)) });
  }
  return { sizes };
}

export function printCheck(s: CheckSummary): void {
  console.log(`\nBooking check (overlap query + capacity sweep, 4-hour slot, 200 resources, one month), µs per check, ${RUNS} runs, median (min–max)`);
  if (s.error) console.log(`check bench failed: ${s.error}`);
  console.log(
    formatTable(
      ['bookings', 'rows/check', 'real repository µs', 'raw µs', 'real/raw', 'raw without lower bound µs'],
      s.sizes.map((z) => [
        z.bookings.toLocaleString('en'),
        z.rowsPerCheck.toFixed(1),
        formatSummary(z.realUs, 1),
        formatSummary(z.rawUs, 1),
        z.ratio === null ? 'n/a' : z.ratio.toFixed(2),
        formatSummary(z.unboundedUs, 0),
      ]),
    ),
  );
}

if (isMain(import.meta.url)) {
  const s = await runCheck();
  printCheck(s);
  const last = s.sizes.at(-1);
  console.log(JSON.stringify({ checkUs: last ? Number(last.realUs.median.toFixed(1)) : null, checkVsRaw: last?.ratio ?? null }));
}
