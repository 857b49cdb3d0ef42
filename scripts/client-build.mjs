// Builds client/dist when it is missing or older than its sources, so that the browser suites always test the
// current client. scripts/test.mjs calls it once before the suites start: built by each suite, two vite builds
// emptied the same client/dist under each other (ENOENT on a .br file in CI).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLIENT = join(ROOT, 'client');
const DIST_INDEX = join(CLIENT, 'dist', 'index.html');

function newestMtime(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

export function ensureClientBuilt() {
  const sources = Math.max(newestMtime(join(CLIENT, 'src')), newestMtime(join(CLIENT, 'index.html')), newestMtime(join(CLIENT, 'vite.config.ts')));
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', join(CLIENT, 'vite.config.ts'), '--logLevel', 'warn'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`client build failed:\n${result.stdout}\n${result.stderr}`);
}
