/**
 * The load generator of the HTTP bench, in its own process (pinned to its own core by the parent): autocannon
 * at N connections, a warm-up then a measured window. Booking requests each carry a NEW slot (a counter turned
 * into resource × 15-minute step), so that no request conflicts and every one does the full check-and-insert.
 * Usage: http-load.ts '<json options>'. Prints one JSON line: rps, latency percentiles, status counts.
 */
import autocannon, { type AutocannonRequest } from 'autocannon';

interface LoadOptions {
  url: string;
  /** hello: GET url; book: POST url with distinct slots; availability: GET url + /:id?from&to over resources. */
  mode: 'hello' | 'book' | 'availability';
  connections: number;
  seconds: number;
  warmupSeconds: number;
  cookie?: string;
  resourceIds: number[];
  /** book: first slot start (ms); availability: range start (ms). */
  baseMs: number;
  /** availability: range length (ms). */
  spanMs?: number;
  /** The server's pid: signalled (SIGUSR2) at the start and the end of the measured window. */
  serverPid?: number;
  /** availability: the path with `{id}` where the resource id goes. */
  pathTemplate?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
const QUARTER = 15 * 60_000;
const headers: Record<string, string> = options.cookie ? { cookie: options.cookie } : {};

let counter = 0;
function requests(): AutocannonRequest[] {
  const ids = options.resourceIds;
  if (options.mode === 'book') {
    return [
      {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        setupRequest(request) {
          const i = counter++;
          const start = options.baseMs + Math.floor(i / ids.length) * QUARTER;
          request.body = JSON.stringify({
            resourceId: ids[i % ids.length],
            start: new Date(start).toISOString(),
            end: new Date(start + QUARTER).toISOString(),
          });
          return request;
        },
      },
    ];
  }
  if (options.mode === 'availability') {
    const from = new Date(options.baseMs).toISOString();
    const to = new Date(options.baseMs + (options.spanMs ?? 7 * 86_400_000)).toISOString();
    const query = `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
    const template = options.pathTemplate ?? '/availability/{id}';
    return [
      {
        method: 'GET',
        headers,
        setupRequest(request) {
          request.path = template.replace('{id}', String(ids[counter++ % ids.length])) + query;
          return request;
        },
      },
    ];
  }
  return [{ method: 'GET', headers }];
}

const common = { url: options.url, connections: options.connections, requests: requests() };
if (options.warmupSeconds > 0) await autocannon({ ...common, duration: options.warmupSeconds });
const requestsBefore = counter;
const mark = () => options.serverPid && process.kill(options.serverPid, 'SIGUSR2');
mark();
const result = await autocannon({ ...common, duration: options.seconds });
mark();
const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
const ok = result['2xx'];
process.stdout.write(
  `${JSON.stringify({
    rps: ok / result.duration,
    total: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    maxMs: result.latency.max,
    seconds: result.duration,
    bodies: counter - requestsBefore,
  })}\n`,
);
