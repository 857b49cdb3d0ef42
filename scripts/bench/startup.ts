/**
 * Start-up of the server as production runs it (`node dist/server/main.js`, built by `npm run build`) against
 * the sources through tsx (`node --import tsx server/main.ts`, what `npm start` did before the build):
 *   npx tsx scripts/bench/startup.ts        (BENCH_RUNS, default 5)
 * Each run starts a fresh process on its own copy of one migrated database (no demo seeding, so only the
 * server's own start is measured), polls GET /healthz every 10 ms and records the time from spawn to the
 * first 200, then the resident memory (VmRSS) right after it and once the process settles (1 s later).
 * Variants are interleaved run by run. Prints a table and one JSON line.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../db/index';
// @ts-expect-error plain JavaScript build script, no types
import { build } from '../build.mjs';
import { ROOT, RUNS } from './harness';
import { formatSummary, formatTable, ratio, round, summarize } from './stats';

const variants = {
  built: [join(ROOT, 'dist', 'server', 'main.js')],
  tsx: ['--import', 'tsx', join(ROOT, 'server', 'main.ts')],
} as const;
type Variant = keyof typeof variants;

const rssMb = (pid: number) => {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function once(variant: Variant, db: string, port: number) {
  const started = performance.now();
  const child = spawn(process.execPath, [...variants[variant]], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, MUTUALISE_DB: db, MUTUALISE_DEMO: '0', PORT: String(port), MUTUALISE_LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant} exited with ${child.exitCode}`);
      if (performance.now() - started > 60_000) throw new Error(`${variant}: no answer within 60 s`);
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.status === 200, () => false);
      if (ok) break;
      await sleep(10);
    }
    const ms = performance.now() - started;
    const firstRss = rssMb(child.pid!);
    await sleep(1000);
    return { ms, firstRss, settledRss: rssMb(child.pid!) };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

const dir = mkdtempSync(join(tmpdir(), 'mutualise-startup-bench-'));
try {
  await build({ log: (line: string) => console.log(line) });
  const template = join(dir, 'template.sqlite');
  openStore(template).close();
  const results: Record<Variant, { ms: number[]; firstRss: number[]; settledRss: number[] }> = {
    built: { ms: [], firstRss: [], settledRss: [] },
    tsx: { ms: [], firstRss: [], settledRss: [] },
  };
  let port = 3900 + (process.pid % 50);
  for (let run = 1; run <= RUNS; run++) {
    for (const variant of Object.keys(variants) as Variant[]) {
      const db = join(dir, `${variant}-${run}.sqlite`);
      copyFileSync(template, db);
      const r = await once(variant, db, port++);
      results[variant].ms.push(r.ms);
      results[variant].firstRss.push(r.firstRss);
      results[variant].settledRss.push(r.settledRss);
      process.stdout.write(`\r  run ${run}/${RUNS}: ${variant} ${r.ms.toFixed(0)} ms, ${r.firstRss.toFixed(0)} MB   `);
    }
  }
  process.stdout.write('\n');
  const s = (v: Variant) => ({ ms: summarize(results[v].ms), first: summarize(results[v].firstRss), settled: summarize(results[v].settledRss) });
  const built = s('built');
  const tsx = s('tsx');
  console.log(`\nStart-up to the first answered request (median of ${RUNS}, min–max), Node ${process.version}:\n`);
  console.log(
    formatTable(
      ['variant', 'time to first request (ms)', 'RSS at first request (MB)', 'RSS 1 s later (MB)'],
      [
        ['node dist/server/main.js (built)', formatSummary(built.ms, 0), formatSummary(built.first, 0), formatSummary(built.settled, 0)],
        ['node --import tsx server/main.ts', formatSummary(tsx.ms, 0), formatSummary(tsx.first, 0), formatSummary(tsx.settled, 0)],
      ],
    ),
  );
  console.log(
    JSON.stringify({
      builtMs: round(built.ms.median, 0),
      tsxMs: round(tsx.ms.median, 0),
      builtVsTsxTime: round(ratio(built.ms.median, tsx.ms.median)),
      builtRssMb: round(built.first.median, 0),
      tsxRssMb: round(tsx.first.median, 0),
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
