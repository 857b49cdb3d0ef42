/**
 * Mutation testing of the domain core with StrykerJS: `npm run mutate [-- module …]`.
 *
 * Each module is mutated on its own, with Stryker's command runner running only the unit tests that speak
 * for it (a narrowed `node --test`), one mutant at a time by default (MUTATE_CONCURRENCY; the machine is
 * shared). Prints Stryker's progress, the score per module, and ends with one JSON line:
 *   {"mutationScore": <killed or timed out / valid mutants, over every module run, in %>, "modules": {…}}
 * Not part of `npm test`: a full run takes tens of minutes. Reports land in reports/mutation/ (ignored by git).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

interface Module {
  /** Files (or file:line-range) Stryker mutates. */
  mutate: string[];
  /** The unit tests that must kill those mutants. */
  tests: string[];
}

export const MODULES: Record<string, Module> = {
  money: { mutate: ['server/shared/money.ts'], tests: ['tests/unit/money.test.ts'] },
  allocation: { mutate: ['server/closing/allocation.ts'], tests: ['tests/unit/allocation.test.ts'] },
  settlement: { mutate: ['server/settlements/rules.ts'], tests: ['tests/unit/settlement.test.ts'] },
  booking: { mutate: ['server/bookings/rules.ts', 'server/bookings/intervals.ts'], tests: ['tests/unit/booking-rules.test.ts'] },
  chain: { mutate: ['server/invoices/chain.ts'], tests: ['tests/unit/invoicing.test.ts'] },
  invoicing: { mutate: ['server/invoices/vat-lines.ts', 'server/invoices/mentions.ts', 'server/invoices/wording.ts', 'server/invoices/close-drafts.ts', 'server/invoices/credit-notes.ts'], tests: ['tests/unit/invoicing.test.ts'] },
  zone: { mutate: ['server/shared/zone.ts'], tests: ['tests/unit/booking-zone.test.ts', 'tests/unit/time.test.ts'] },
};

const ROOT = join(import.meta.dirname, '..');
const REPORTS = join(ROOT, 'reports', 'mutation');
const KILLED = new Set(['Killed', 'Timeout']);
const INVALID = new Set(['CompileError', 'RuntimeError', 'Ignored', 'Pending']);

interface MutantResult {
  id: string;
  mutatorName: string;
  status: string;
  replacement?: string;
  location: { start: { line: number; column: number } };
}

export interface ModuleScore {
  score: number;
  killed: number;
  survived: number;
  noCoverage: number;
  timeout: number;
  valid: number;
  survivors: string[];
}

/** Tallies a Stryker JSON report (mutation-testing-report-schema). */
export function scoreOf(report: { files: Record<string, { source: string; mutants: MutantResult[] }> }): ModuleScore {
  const out: ModuleScore = { score: 0, killed: 0, survived: 0, noCoverage: 0, timeout: 0, valid: 0, survivors: [] };
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    const lines = source.split('\n');
    for (const m of mutants) {
      if (INVALID.has(m.status)) continue;
      out.valid++;
      if (m.status === 'Killed') out.killed++;
      else if (m.status === 'Timeout') out.timeout++;
      else if (m.status === 'NoCoverage') out.noCoverage++;
      else out.survived++;
      if (!KILLED.has(m.status)) {
        const line = m.location.start.line;
        out.survivors.push(`${file}:${line} ${m.mutatorName} → ${(m.replacement ?? '').replace(/\s+/g, ' ').slice(0, 60)}   | ${lines[line - 1]?.trim().slice(0, 90)}`);
      }
    }
  }
  out.score = out.valid === 0 ? 0 : Math.round((10_000 * (out.killed + out.timeout)) / out.valid) / 100;
  return out;
}

function run(name: string, module: Module): ModuleScore {
  const reportFile = join(REPORTS, `${name}.json`);
  const config = {
    testRunner: 'command',
    commandRunner: { command: `node scripts/mutate-run.mjs ${module.tests.join(' ')}` },
    mutate: module.mutate,
    coverageAnalysis: 'off',
    concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 1),
    reporters: ['progress-append-only', 'json'],
    jsonReporter: { fileName: reportFile },
    tempDirName: join('reports', 'mutation', `.tmp-${name}`),
    cleanTempDir: true,
    ignorePatterns: ['client/dist', 'data', 'reports', 'test-results', '*.sqlite', '*.sqlite-*'],
    timeoutMS: 60_000,
    timeoutFactor: 2,
    disableTypeChecks: true,
    logLevel: 'warn',
  };
  const configFile = join(REPORTS, `stryker-${name}.json`);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  console.log(`\n== ${name}: mutating ${module.mutate.join(', ')} against ${module.tests.join(', ')}`);
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/@stryker-mutator/core/bin/stryker.js'), 'run', configFile], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, NO_COLOR: '1', MUTUALISE_LOG_LEVEL: 'silent', PROOF_SEED: process.env.PROOF_SEED ?? '20261129' },
  });
  if (result.status !== 0) throw new Error(`stryker failed on ${name} (exit ${result.status})`);
  rmSync(configFile, { force: true });
  return scoreOf(JSON.parse(readFileSync(reportFile, 'utf8')));
}

function main() {
  const wanted = process.argv.slice(2).filter((a) => a !== '--');
  const names = wanted.length ? wanted : Object.keys(MODULES);
  for (const n of names) if (!MODULES[n]) throw new Error(`unknown module ${n}; one of ${Object.keys(MODULES).join(', ')}`);
  mkdirSync(REPORTS, { recursive: true });
  const modules: Record<string, ModuleScore> = {};
  for (const name of names) {
    const s = run(name, MODULES[name]!);
    modules[name] = s;
    console.log(`${name}: ${s.score} % (${s.killed + s.timeout} killed of ${s.valid}; ${s.survived} survived, ${s.noCoverage} not covered)`);
    for (const line of s.survivors) console.log(`  survivor ${line}`);
  }
  const valid = Object.values(modules).reduce((a, m) => a + m.valid, 0);
  const killed = Object.values(modules).reduce((a, m) => a + m.killed + m.timeout, 0);
  console.log('\nmutation score per module:');
  for (const [name, s] of Object.entries(modules)) console.log(`  ${name.padEnd(12)} ${String(s.score).padStart(6)} %  (${s.killed + s.timeout}/${s.valid})`);
  const summary = {
    mutationScore: valid === 0 ? 0 : Math.round((10_000 * killed) / valid) / 100,
    modules: Object.fromEntries(Object.entries(modules).map(([n, s]) => [n, { score: s.score, killed: s.killed + s.timeout, survived: s.survived + s.noCoverage, valid: s.valid }])),
  };
  console.log(JSON.stringify(summary));
}

if (import.meta.url === `file://${process.argv[1]}`) main();
