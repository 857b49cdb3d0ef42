/**
 * Allocation cache bench: the demo pole in memory, in one process; rounds of six statement PDFs (then six
 * allocation views) of the open month and one GET /api/me behind them (what a coordinator's page load and members' downloads look like), with
 * the per-month allocation cache on and off, interleaved round by round. Prints the time of a round and of the
 * /api/me waiting behind the statements, and their ratios (off ÷ on) measured in this run.
 * Run alone: npx tsx scripts/bench/allocation-cache.ts
 */
import { performance } from 'node:perf_hooks';
import { seedDemo } from '../../db/demo';
import { openStore } from '../../db/index';
import { buildApp } from '../../server/app';
import { setAllocationCacheEnabled } from '../../server/closing/allocation-cache';
import { manualClock } from '../../server/shared/clock';
import { isMain, note } from './harness';
import { formatSummary, ratio, summarize } from './stats';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);

export async function benchAllocationCache() {
  const store = openStore(':memory:');
  const clock = manualClock('2026-11-18T10:00:00+01:00');
  await seedDemo(store, { clock });
  const app = await buildApp({ store, clock, config: { serveClient: false, demo: false, loginMaxAttemptsPerIp: 10_000 } });
  await app.ready();
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'coordination@demo.test', password: 'demo-mutualise' } });
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  const memberIds = (store.sqlite.prepare('SELECT id FROM members ORDER BY id LIMIT 6').all() as { id: number }[]).map((m) => m.id);
  const month = '2026-11';

  async function round(on: boolean, what: 'statements' | 'allocations') {
    setAllocationCacheEnabled(on);
    const started = performance.now();
    let meMs = 0;
    const url = (id: number) => (what === 'statements' ? `/api/statements/${month}/${id}/pdf` : `/api/allocations?month=${month}`);
    const statements = memberIds.map((id) => app.inject({ url: url(id), headers: { cookie } }));
    const me = app.inject({ url: '/api/me', headers: { cookie } }).then((res) => {
      meMs = performance.now() - started;
      return res;
    });
    const all = await Promise.all([...statements, me]);
    if (all.some((r) => r.statusCode !== 200)) throw new Error(`statuses ${all.map((r) => r.statusCode).join(',')}`);
    return { roundMs: performance.now() - started, meMs };
  }

  const s = (xs: number[]) => summarize(xs);
  const measure = async (what: 'statements' | 'allocations') => {
    const on: { roundMs: number; meMs: number }[] = [];
    const off: { roundMs: number; meMs: number }[] = [];
    await round(true, what);
    await round(false, what); // warm-up of both paths
    for (let i = 0; i < ROUNDS; i++) {
      off.push(await round(false, what));
      on.push(await round(true, what));
    }
    return { roundOff: s(off.map((r) => r.roundMs)), roundOn: s(on.map((r) => r.roundMs)), meOff: s(off.map((r) => r.meMs)), meOn: s(on.map((r) => r.meMs)) };
  };
  const result = { statements: await measure('statements'), allocations: await measure('allocations') };
  setAllocationCacheEnabled(true);
  await app.close();
  store.close();
  return result;
}

if (isMain(import.meta.url)) {
  const results = await benchAllocationCache();
  const x = (a: { median: number }, b: { median: number }) => ratio(a.median, b.median)?.toFixed(2) ?? '—';
  for (const [what, r] of Object.entries(results)) {
    note(`six ${what} + /api/me, ms (median, min–max): cache off ${formatSummary(r.roundOff)}, on ${formatSummary(r.roundOn)}; off ÷ on ${x(r.roundOff, r.roundOn)}`);
    note(`  /api/me behind them, ms: cache off ${formatSummary(r.meOff)}, on ${formatSummary(r.meOn)}; off ÷ on ${x(r.meOff, r.meOn)}`);
  }
}
