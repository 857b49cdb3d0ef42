/**
 * HTTP bench: requests per second and p99 latency of five servers on the same database file, each server in
 * its own process pinned to core 0 and autocannon in another pinned to core 1 (when taskset and 2 cores exist):
 *   hello (a bare Fastify JSON route, for context), bare booking vs the real POST /api/bookings, bare
 *   availability vs the real GET /api/resources/:id/availability.
 * Variants are interleaved run by run (hello, bare, real, …, then again), each run on a fresh copy of the
 * same database, so that drift on a shared machine hits all variants alike. Run alone: npm run bench:http
 */
import { join } from 'node:path';
import { DateTime } from 'luxon';
import { BENCH_ZONE, benchTempDir, copyDb, createBenchDb, removeDb, type BenchDbInfo } from './fixtures';
import { canPin, isMain, note, RUNS, runNode, sleep, startNode } from './harness';
import { formatSummary, formatTable, ratio, summarize, type Summary } from './stats';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 5);
const WARMUP_SECONDS = Number(process.env.BENCH_HTTP_WARMUP ?? 1);
const CONNECTIONS = 50;
const DAY = 86_400_000;
const QUARTER = 15 * 60_000;

type Mode = 'hello' | 'book' | 'availability';
interface Variant {
  name: string;
  server: 'hello' | 'bare-booking' | 'bare-availability' | 'real';
  mode: Mode;
  path: string;
  pathTemplate?: string;
  login?: boolean;
}

const VARIANTS: Variant[] = [
  { name: 'hello (bare JSON route)', server: 'hello', mode: 'hello', path: '/hello' },
  { name: 'bare booking', server: 'bare-booking', mode: 'book', path: '/book' },
  { name: 'real POST /api/bookings', server: 'real', mode: 'book', path: '/api/bookings', login: true },
  { name: 'bare availability', server: 'bare-availability', mode: 'availability', path: '/availability', pathTemplate: '/availability/{id}' },
  {
    name: 'real GET …/availability',
    server: 'real',
    mode: 'availability',
    path: '/api/resources',
    pathTemplate: '/api/resources/{id}/availability',
    login: true,
  },
];

interface LoadResult {
  rps: number;
  total: number;
  /** Server CPU time per request in the measured window, µs. */
  cpuUs?: number;
  p99Ms: number;
  p50Ms: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
}

export interface HttpSummary {
  rows: { name: string; rps: Summary | null; p99: Summary | null; cpuUs: Summary | null; failures: string | null }[];
  bookingVsBare: number | null;
  bookingVsHello: number | null;
  bookingP99Ms: number | null;
  availabilityVsBare: number | null;
  dbMb: number;
}

async function login(base: string, db: BenchDbInfo): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: db.adminEmail, password: db.password }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie');
  if (!cookie) throw new Error('login set no cookie');
  return cookie.split(';')[0]!;
}

/** One request by hand before the load, so that a broken or missing route is named instead of measured. */
async function probe(base: string, variant: Variant, cookie: string | undefined, ids: number[], bookBase: number, availBase: number): Promise<string | null> {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  let res: Response;
  if (variant.mode === 'book') {
    const start = bookBase - 4 * QUARTER; // before the load's slots: never conflicts with them
    res = await fetch(base + variant.path, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ resourceId: ids[0], start: new Date(start).toISOString(), end: new Date(start + QUARTER).toISOString() }),
    });
  } else if (variant.mode === 'availability') {
    const q = `?from=${encodeURIComponent(new Date(availBase).toISOString())}&to=${encodeURIComponent(new Date(availBase + 7 * DAY).toISOString())}`;
    res = await fetch(base + variant.pathTemplate!.replace('{id}', String(ids[0])) + q, { headers });
  } else {
    res = await fetch(base + variant.path, { headers });
  }
  const body = await res.text();
  return res.status >= 200 && res.status < 300 ? null : `${res.status} ${body.slice(0, 300)}`;
}

export async function runHttp(): Promise<HttpSummary> {
  const dir = benchTempDir();
  const now = DateTime.now().setZone(BENCH_ZONE);
  // A year of bookings ending next month: history behind, and upcoming bookings that availability has to show.
  const month = now.plus({ months: 1 }).toFormat('yyyy-MM');
  note(`HTTP: building the shared database (500 members, 200 resources, 200,000 bookings over the 12 months to ${month})…`);
  const db = await createBenchDb(join(dir, 'http-base.sqlite'), { members: 500, resources: 200, bookings: 200_000, month, months: 12, label: 'http db' });
  // New bookings start the day after tomorrow (UTC midnight): future, inside the 365-day horizon.
  const bookBase = Date.UTC(now.year, now.month - 1, now.day) + 2 * DAY;
  // Availability reads a week of next month: in the future (a member sees nothing free in the past) and among
  // the generated bookings (~20 per resource and week, so ~40 segments of free capacity).
  const availBase = DateTime.fromISO(`${month}-08`, { zone: BENCH_ZONE }).toMillis();
  const ids = db.resourceIds;
  const results = new Map<string, LoadResult[]>(VARIANTS.map((v) => [v.name, []]));
  const failures = new Map<string, string>();
  note(`HTTP: ${RUNS} runs × ${VARIANTS.length} variants × ${SECONDS}s (+${WARMUP_SECONDS}s warm-up), ${CONNECTIONS} connections, ${canPin() ? 'server on core 0, load on core 1' : 'unpinned (no taskset or 1 core)'}`);

  // BENCH_HTTP_ONLY=real: only the variants whose name contains one of these words (profiling).
  const only = process.env.BENCH_HTTP_ONLY?.split(',');
  for (let run = 1; run <= RUNS; run++) {
    for (const variant of VARIANTS) {
      if (failures.has(variant.name) || (only && !only.some((w) => variant.name.includes(w)))) continue;
      process.stderr.write(`  run ${run}/${RUNS} ${variant.name}… `);
      const file = copyDb(db.path, join(dir, 'http-run.sqlite'));
      const server = startNode('http-server.ts', [variant.server, file], { core: 0 });
      try {
        const { port } = (await server.firstJson) as { port: number };
        const base = `http://127.0.0.1:${port}`;
        const cookie = variant.login ? await login(base, db) : undefined;
        const problem = await probe(base, variant, cookie, ids, bookBase, availBase);
        if (problem) {
          failures.set(variant.name, problem);
          process.stderr.write(`skipped: ${problem}\n`);
          continue;
        }
        const result = (await runNode(
          'http-load.ts',
          [
            JSON.stringify({
              url: base + variant.path,
              mode: variant.mode,
              connections: CONNECTIONS,
              seconds: SECONDS,
              warmupSeconds: WARMUP_SECONDS,
              cookie,
              resourceIds: ids,
              baseMs: variant.mode === 'book' ? bookBase : availBase,
              spanMs: 7 * DAY,
              pathTemplate: variant.pathTemplate,
              serverPid: server.child.pid,
            }),
          ],
          { core: 1 },
        )) as unknown as LoadResult;
        const cpuMarks = () => server.lines.filter((l) => typeof l.cpuMark === 'number').map((l) => l.cpuMark as number);
        // The server prints its second CPU mark once its event loop reaches the signal: wait for it (up to 5 s).
        for (let waited = 0; cpuMarks().length < 2 && waited < 5000; waited += 20) await sleep(20);
        const marks = cpuMarks();
        if (marks.length >= 2 && result.total > 0) result.cpuUs = (marks[1]! - marks[0]!) / result.total;
        const bad = result.non2xx + result.errors;
        process.stderr.write(`${Math.round(result.rps)} rps, p99 ${result.p99Ms} ms, ${result.cpuUs?.toFixed(0) ?? '?'} µs CPU/request${bad ? `, ${bad} failed (${JSON.stringify(result.statuses)})` : ''}\n`);
        if (bad > 0.01 * (result.rps * SECONDS)) failures.set(variant.name, `${bad} failed requests: ${JSON.stringify(result.statuses)}`);
        results.get(variant.name)!.push(result);
      } finally {
        await server.stop();
        removeDb(file);
      }
    }
  }

  const rows = VARIANTS.map((v) => {
    const rs = failures.has(v.name) ? [] : results.get(v.name)!;
    return {
      name: v.name,
      rps: rs.length ? summarize(rs.map((r) => r.rps)) : null,
      p99: rs.length ? summarize(rs.map((r) => r.p99Ms)) : null,
      cpuUs: rs.some((r) => r.cpuUs !== undefined) ? summarize(rs.flatMap((r) => (r.cpuUs === undefined ? [] : [r.cpuUs]))) : null,
      failures: failures.get(v.name) ?? null,
    };
  });
  const rps = (i: number) => rows[i]!.rps?.median;
  const summary: HttpSummary = {
    rows,
    bookingVsBare: ratio(rps(2), rps(1)),
    bookingVsHello: ratio(rps(2), rps(0)),
    bookingP99Ms: rows[2]!.p99?.median ?? null,
    availabilityVsBare: ratio(rps(4), rps(3)),
    dbMb: db.fileMb,
  };
  return summary;
}

export function printHttp(s: HttpSummary): void {
  console.log(`\nHTTP (${CONNECTIONS} connections, ${SECONDS}s × ${RUNS} runs, database ${s.dbMb.toFixed(0)} MB; median (min–max))`);
  console.log(
    formatTable(
      ['variant', 'rps', 'p99 ms', 'server CPU µs/request', 'note'],
      s.rows.map((r) => [
        r.name,
        r.rps ? formatSummary(r.rps, 0) : '–',
        r.p99 ? formatSummary(r.p99, 1) : '–',
        r.cpuUs ? formatSummary(r.cpuUs, 0) : '–',
        r.failures ?? '',
      ]),
    ),
  );
  const f = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
  console.log(`real booking / bare booking: ${f(s.bookingVsBare)} (target ≥ 0.80), p99 ${s.bookingP99Ms ?? 'n/a'} ms (target < 25)`);
  console.log(`real booking / hello:        ${f(s.bookingVsHello)}`);
  console.log(`real availability / bare:    ${f(s.availabilityVsBare)} (target ≥ 0.80)`);
}

if (isMain(import.meta.url)) {
  const s = await runHttp();
  printHttp(s);
  const { bookingVsBare, bookingVsHello, bookingP99Ms, availabilityVsBare } = s;
  console.log(JSON.stringify({ bookingVsBare, bookingVsHello, bookingP99Ms, availabilityVsBare }));
}
