/**
 * The load generator of the pole scenario, in its own process: an OPEN loop (requests leave at their scheduled
 * Poisson arrival times whether or not earlier ones were answered, so a slow server shows as latency instead of
 * slowing the load down), one arrival stream per route at `multiplier` × one pole's busiest-hour rate, and a
 * stream of month closes at `multiplier` × one pole's rate during the closing days (the busiest hour is assumed
 * to fall on one of them). The pole has one month to close: every close of the window is a preview of it (the
 * same allocation, drafting and sealing, without the writes) except the last, which closes it. When the window
 * holds no close, one is made after it, alone, so that its duration is still reported. Latency counts from the
 * scheduled time. Prints one JSON line.
 * Usage: load-gen.ts '<json options>'.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { rng } from './fixtures';
import type { PoleFixture } from './pole-fixture';
import { closeRate, poissonArrivals, poleRates, ROUTES, type Route } from './pole-traffic';

interface Options {
  port: number;
  multiplier: number;
  seconds: number;
  /** A JSON file holding the PoleFixture (too large for a command line). */
  fixtureFile: string;
  serverPid?: number;
  seed?: number;
}

const o = JSON.parse(process.argv[2] ?? '{}') as Options;
const f = JSON.parse(readFileSync(o.fixtureFile, 'utf8')) as PoleFixture;
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const random = rng(o.seed ?? 7);
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
let slot = 0;

interface Call {
  method: 'GET' | 'POST';
  path: string;
  cookie?: string;
  body?: string;
}

function callFor(route: Route | 'close' | 'preview'): Call {
  switch (route) {
    case 'book': {
      const s = f.slots[slot++ % f.slots.length]!;
      return { method: 'POST', path: '/api/bookings', cookie: pick(f.memberCookies), body: JSON.stringify(s) };
    }
    case 'availability':
      return {
        method: 'GET',
        path: `/api/resources/${pick(f.resourceIds)}/availability?from=${encodeURIComponent(f.weekFrom)}&to=${encodeURIComponent(f.weekTo)}`,
        cookie: pick(f.memberCookies),
      };
    case 'list':
      return { method: 'GET', path: `/api/bookings?from=${encodeURIComponent(f.monthFrom)}&to=${encodeURIComponent(f.monthTo)}`, cookie: pick(f.memberCookies) };
    case 'feed':
      return { method: 'GET', path: pick(f.feedPaths) };
    case 'pdf':
      return { method: 'GET', path: pick(f.pdfPaths), cookie: f.coordinatorCookie };
    case 'close':
    case 'preview':
      return { method: 'POST', path: route === 'close' ? '/api/closings' : '/api/closings/preview', cookie: f.coordinatorCookie, body: JSON.stringify({ month: f.closeMonth }) };
  }
}

/** Statuses that are a correct answer to this scenario (a booking may meet a taken slot: 409). */
const expected = (route: Route | 'close' | 'preview', status: number) => (status >= 200 && status < 300) || (route === 'book' && (status === 409 || status === 422));

function send(call: Call): Promise<{ status: number; bytes: number }> {
  return new Promise((resolve) => {
    const headers: Record<string, string> = {};
    if (call.cookie) headers.cookie = call.cookie;
    if (call.body) headers['content-type'] = 'application/json';
    const req = request({ host: '127.0.0.1', port: o.port, method: call.method, path: call.path, headers, agent }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
      res.on('error', () => resolve({ status: 0, bytes }));
    });
    req.on('error', () => resolve({ status: 0, bytes: 0 }));
    if (call.body) req.write(call.body);
    req.end();
  });
}

const rates = poleRates();
const schedule: { at: number; route: Route | 'close' | 'preview' }[] = [];
for (const route of ROUTES) for (const at of poissonArrivals(rates[route] * o.multiplier, o.seconds, random)) schedule.push({ at, route });
const closes = poissonArrivals(closeRate() * o.multiplier, o.seconds, random);
closes.forEach((at, i) => schedule.push({ at, route: i === closes.length - 1 ? 'close' : 'preview' }));
schedule.sort((a, b) => a.at - b.at);

const results: Record<string, { latencies: number[]; statuses: Record<string, number>; failed: number; bytes: number }> = {};
for (const r of [...ROUTES, 'close', 'preview']) results[r] = { latencies: [], statuses: {}, failed: 0, bytes: 0 };
const pending: Promise<void>[] = [];
const mark = () => o.serverPid && process.kill(o.serverPid, 'SIGUSR2');

// Warm-up, not measured: a fresh server compiles its code paths on first use (a real one has long been up).
for (let round = 0; round < 20; round++) {
  await Promise.all((['availability', 'list', 'feed', 'pdf'] as const).map((route) => send(callFor(route))));
}
slot = f.slots.length - 200; // warm-up bookings far ahead, away from the measured ones
for (let n = 0; n < 20; n++) await send(callFor('book'));
slot = 0;
await send({ ...callFor('close'), path: '/api/closings/preview' });

mark();
const t0 = performance.now();
let answeredInWindow = 0;
await new Promise<void>((done) => {
  let i = 0;
  const tick = () => {
    const now = performance.now() - t0;
    while (i < schedule.length && schedule[i]!.at <= now) {
      const { at, route } = schedule[i++]!;
      const call = callFor(route);
      pending.push(
        send(call).then(({ status, bytes }) => {
          const end = performance.now() - t0;
          const r = results[route]!;
          r.latencies.push(end - at);
          r.statuses[status] = (r.statuses[status] ?? 0) + 1;
          r.bytes += bytes;
          if (!expected(route, status)) r.failed++;
          if (end <= o.seconds * 1000 + 1000) answeredInWindow++;
        }),
      );
    }
    if (i >= schedule.length) return done();
    setTimeout(tick, Math.max(0, Math.min(schedule[i]!.at - (performance.now() - t0), 50)));
  };
  tick();
});
await Promise.all(pending);
mark();
if (closes.length === 0) {
  const t = performance.now();
  const { status } = await send(callFor('close'));
  results.close!.latencies.push(performance.now() - t);
  results.close!.statuses[status] = 1;
  if (!expected('close', status)) results.close!.failed++;
}
agent.destroy();
process.stdout.write(`${JSON.stringify({ scheduled: schedule.length, answeredInWindow, closeInWindow: closes.length > 0, results })}\n`);
