#!/usr/bin/env node
/**
 * `npm start` and the operator's scripts run the built JavaScript in dist/:
 *   node scripts/run.mjs server/main          → dist/server/main.js
 *   node scripts/run.mjs scripts/backup --to F → dist/scripts/backup.js --to F
 * building dist/ first only when it is missing or was built from other sources, so `npm ci && npm start`
 * works on a fresh clone. The built module runs in this process (signals reach it directly).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, ROOT } from './build.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('Usage: node scripts/run.mjs server/main|scripts/<name> [args…]');
  process.exit(2);
}
try {
  await build({ log: (line) => console.error(line) });
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
const file = join(ROOT, 'dist', `${entry}.js`);
if (!existsSync(file)) {
  console.error(`No ${file} in the build`);
  process.exit(2);
}
process.setSourceMapsEnabled(true);
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
