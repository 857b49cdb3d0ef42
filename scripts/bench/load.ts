/**
 * What one server holds: the busiest hour of a month of the demo pole (members booking, looking at free time
 * and at their calendar, every user's calendar app polling its feed every 15 minutes, PDFs downloaded, and the
 * month's close half-way through), replayed as an open loop at 10×, 100× and 1,000× one pole's traffic, then
 * doubled until the p99 of the requests exceeds 100 ms (or requests fail, or the server falls behind). Each step
 * runs the real server (buildApp) in its own process on core 0, on a fresh copy of the pole's database, with
 * the load generator on core 1. Reports p50/p99 per route, the server's CPU per request and its RSS, and
 * `polesPerServer`: the highest multiplier that held (k× one pole's traffic ≈ k poles of the demo's size;
 * see the README for what that assumes). Run alone: npm run bench:load
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchTempDir, copyDb, removeDb } from './fixtures';
import { isMain, note, runNode, sleep, startNode } from './harness';
import { createPoleFixture, type PoleFixture } from './pole-fixture';
import { ceiling, percentile, poleRates, ROUTES, stepHolds, type StepOutcome } from './pole-traffic';
import { formatTable } from './stats';

const LIMIT_MS = 100;
const FIXED_STEPS = [10, 100, 1000];
const MAX_MULTIPLIER = Number(process.env.BENCH_LOAD_MAX ?? 256_000);
/** Long enough for ~400 requests, within 20–45 s (BENCH_LOAD_SECONDS=min,max to change). */
const [MIN_SECONDS, MAX_SECONDS] = (process.env.BENCH_LOAD_SECONDS ?? '20,45').split(',').map(Number) as [number, number];
const stepSeconds = (perSecond: number) => Math.min(MAX_SECONDS, Math.max(MIN_SECONDS, 400 / perSecond));

interface RouteResult {
  latencies: number[];
  statuses: Record<string, number>;
  failed: number;
  bytes: number;
}

export interface LoadStep extends StepOutcome {
  seconds: number;
  offeredRps: number;
  routes: Record<string, { n: number; p50: number | null; p99: number | null; failed: number; statuses: Record<string, number> }>;
  closeMs: number | null;
  closesInWindow: number;
  cpuUsPerRequest: number | null;
  rssMb: number | null;
  peakRssMb: number | null;
}

export interface LoadSummary {
  steps: LoadStep[];
  polesPerServer: number;
  rssMbAtCeiling: number | null;
  /**
   * Poles whose busiest hour keeps the server's one JavaScript thread 70 % busy, from the CPU time per request
   * of the busiest step that held (or of the 1,000× step): a ceiling that contention on a shared machine
   * disturbs less than latency does, to read next to polesPerServer.
   */
  polesByCpu: number | null;
}

async function runStep(fixture: PoleFixture, dir: string, multiplier: number): Promise<LoadStep> {
  const rates = poleRates();
  const offeredRps = ROUTES.reduce((a, r) => a + rates[r], 0) * multiplier;
  const seconds = stepSeconds(offeredRps);
  const file = copyDb(fixture.path, join(dir, 'load-run.sqlite'));
  const server = startNode('http-server.ts', ['real', file], { core: 0 });
  try {
    const { port } = (await server.firstJson) as { port: number };
    const fixtureFile = join(dir, 'fixture.json');
    writeFileSync(fixtureFile, JSON.stringify(fixture));
    const out = (await runNode('load-gen.ts', [JSON.stringify({ port, multiplier, seconds, fixtureFile, serverPid: server.child.pid })], { core: 1 })) as {
      scheduled: number;
      answeredInWindow: number;
      closeInWindow: boolean;
      results: Record<string, RouteResult>;
    };
    const marks = () => server.lines.filter((l) => typeof l.cpuMark === 'number');
    for (let waited = 0; marks().length < 2 && waited < 5000; waited += 20) await sleep(20);
    const [m0, m1] = marks() as { cpuMark: number; rssMb: number; peakRssMb: number }[];
    const requests = ROUTES.flatMap((r) => out.results[r]!.latencies);
    const failed = [...ROUTES, 'close', 'preview'].reduce((a, r) => a + out.results[r]!.failed, 0);
    const total = requests.length + out.results.preview!.latencies.length + (out.closeInWindow ? 1 : 0);
    const routes = Object.fromEntries(
      [...ROUTES, 'close', 'preview'].map((r) => {
        const x = out.results[r]!;
        return [r, { n: x.latencies.length, p50: percentile(x.latencies, 0.5), p99: percentile(x.latencies, 0.99), failed: x.failed, statuses: x.statuses }];
      }),
    );
    return {
      multiplier,
      seconds,
      offeredRps,
      p99Ms: percentile(requests, 0.99),
      failedShare: total ? failed / (total + (out.closeInWindow ? 0 : 1)) : 1,
      answeredShare: out.scheduled ? out.answeredInWindow / out.scheduled : 0,
      routes,
      closeMs: out.results.close!.latencies[0] ?? null,
      closesInWindow: out.results.preview!.latencies.length + (out.closeInWindow ? 1 : 0),
      cpuUsPerRequest: m0 && m1 && total ? (m1.cpuMark - m0.cpuMark) / total : null,
      rssMb: m1?.rssMb ?? null,
      peakRssMb: m1?.peakRssMb ?? null,
    };
  } finally {
    await server.stop();
    removeDb(file);
  }
}

export async function runLoad(): Promise<LoadSummary> {
  const dir = benchTempDir();
  note('Load: building the demo pole with a session and a calendar feed per user…');
  const fixture = await createPoleFixture(join(dir, 'pole.sqlite'));
  const rates = poleRates();
  note(`Load: one pole at its busiest hour = ${ROUTES.map((r) => `${r} ${rates[r].toFixed(5)}/s`).join(', ')}; limit p99 ≤ ${LIMIT_MS} ms`);
  const steps: LoadStep[] = [];
  const report = (s: LoadStep) =>
    process.stderr.write(
      `  ${s.multiplier}×: ${s.offeredRps.toFixed(1)} req/s for ${s.seconds.toFixed(0)} s, p99 ${s.p99Ms?.toFixed(1) ?? '–'} ms, close ${s.closeMs?.toFixed(0) ?? '–'} ms, ` +
        `failed ${(100 * s.failedShare).toFixed(1)} %, answered ${(100 * s.answeredShare).toFixed(1)} %, ${s.cpuUsPerRequest?.toFixed(0) ?? '?'} µs CPU/request, RSS ${s.rssMb?.toFixed(0) ?? '?'} MB` +
        `${stepHolds(s, LIMIT_MS) ? '' : '  ← over the limit'}\n`,
    );
  for (const k of FIXED_STEPS) {
    const s = await runStep(fixture, dir, k);
    report(s);
    steps.push(s);
  }
  // Past 1,000×: double while the server holds, then one step half-way (geometrically) to narrow the ceiling.
  let k = FIXED_STEPS[FIXED_STEPS.length - 1]!;
  while (stepHolds(steps[steps.length - 1]!, LIMIT_MS) && k < MAX_MULTIPLIER) {
    k *= 2;
    const s = await runStep(fixture, dir, k);
    report(s);
    steps.push(s);
  }
  const held = ceiling(steps, LIMIT_MS);
  const failedAt = steps.find((s) => !stepHolds(s, LIMIT_MS))?.multiplier;
  if (held > 0 && failedAt) {
    const mid = Math.round(Math.sqrt(held * failedAt) / 100) * 100;
    if (mid > held && mid < failedAt) {
      const s = await runStep(fixture, dir, mid);
      report(s);
      steps.push(s);
    }
  }
  steps.sort((a, b) => a.multiplier - b.multiplier);
  const polesPerServer = ceiling(steps, LIMIT_MS);
  const basis = steps.find((s) => s.multiplier === polesPerServer && s.multiplier >= 1000) ?? steps.find((s) => s.multiplier === 1000);
  const coreShare = basis?.cpuUsPerRequest ? (basis.cpuUsPerRequest * basis.offeredRps) / 1e6 : null;
  const polesByCpu = basis && coreShare ? Math.round((basis.multiplier * 0.7) / coreShare / 100) * 100 : null;
  return { steps, polesPerServer, rssMbAtCeiling: steps.find((s) => s.multiplier === polesPerServer)?.rssMb ?? null, polesByCpu };
}

export function printLoad(s: LoadSummary): void {
  const f = (x: number | null, d = 1) => (x === null ? '–' : x.toFixed(d));
  console.log(`\nWhat one server holds (demo pole's busiest hour × k, open loop; p50 / p99 ms per route; limit p99 ≤ ${LIMIT_MS} ms)`);
  console.log(
    formatTable(
      ['× pole', 'req/s', 'book', 'availability', 'list', 'feed', 'pdf', 'all p99', 'closes in window', 'close ms', 'CPU µs/req (core busy)', 'RSS MB', 'failed', 'held'],
      s.steps.map((x) => [
        String(x.multiplier),
        f(x.offeredRps, 1),
        ...ROUTES.map((r) => `${f(x.routes[r]!.p50)} / ${f(x.routes[r]!.p99)} (${x.routes[r]!.n})`),
        f(x.p99Ms),
        String(x.closesInWindow),
        f(x.closeMs, 0),
        `${f(x.cpuUsPerRequest, 0)} (${f(x.cpuUsPerRequest === null ? null : (100 * x.cpuUsPerRequest * x.offeredRps) / 1e6, 1)} % core)`,
        `${f(x.rssMb, 0)} (peak ${f(x.peakRssMb, 0)})`,
        `${(100 * x.failedShare).toFixed(1)} %`,
        stepHolds(x, LIMIT_MS) ? 'yes' : 'no',
      ]),
    ),
  );
  const failures = s.steps.flatMap((x) => Object.entries(x.routes).filter(([, r]) => r.failed > 0).map(([name, r]) => `${x.multiplier}× ${name}: ${JSON.stringify(r.statuses)}`));
  if (failures.length) console.log(`unexpected statuses: ${failures.join('; ')}`);
  console.log(`polesPerServer: ${s.polesPerServer} (highest multiplier whose p99 stayed ≤ ${LIMIT_MS} ms), server RSS there ${f(s.rssMbAtCeiling, 0)} MB`);
  console.log(`by server CPU per request: ~${s.polesByCpu ?? '–'} poles keep the server's thread 70 % busy at their busiest hour`);
}

if (isMain(import.meta.url)) {
  const s = await runLoad();
  printLoad(s);
  console.log(JSON.stringify({ polesPerServer: s.polesPerServer }));
}
