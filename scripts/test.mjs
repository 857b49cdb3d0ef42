#!/usr/bin/env node
// Runs every *.test.ts under tests/ with node's test runner (through tsx). Node 20 does not expand a quoted
// glob and finds nothing without file arguments, so the files are listed here. Pass folder names to narrow:
// `npm test -- unit api`.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ensureClientBuilt } from './client-build.mjs';

const roots = process.argv.slice(2).length ? process.argv.slice(2).map((d) => join('tests', d)) : ['tests'];
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.ts')) files.push(path);
  }
};
roots.forEach(walk);
if (files.length === 0) {
  console.error(`No test files under ${roots.join(', ')}`);
  process.exit(1);
}
// The browser suites share one client build, made here before they start.
if (files.some((f) => f.split(/[\\/]/).includes('e2e'))) ensureClientBuilt();
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-reporter=spec', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: 'inherit', env: { ...process.env, NO_COLOR: '1', MUTUALISE_LOG_LEVEL: 'silent' } },
);
process.exit(result.status ?? 1);
