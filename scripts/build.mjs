#!/usr/bin/env node
/**
 * Builds what production runs, into dist/ (or --out DIR):
 *   dist/server/main.js       the server, bundled by esbuild (npm packages stay imports: node_modules at run time)
 *   dist/scripts/*.js         the operator's CLIs (setup, backup, restore, close, verify, export, entries), bundled alike
 *   dist/{server,scripts}/render-worker.js  the PDF render thread, beside each bundle that starts it
 *   dist/db/migrations/       the committed drizzle-kit migrations, applied at start
 *   dist/fonts/               the DejaVu TTFs embedded in the PDFs
 *   dist/client/              the single-page app, built once by Vite
 *   dist/build.json           hashes of the sources each part was built from (what `npm start` compares)
 * `node scripts/build.mjs` builds what is stale; `--force` rebuilds all. Plain JavaScript so that it runs
 * without tsx; esbuild and Vite are dev dependencies, loaded only when something must be built.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SCRIPT_ENTRIES = ['setup', 'backup', 'restore', 'close', 'verify', 'export', 'entries'];

function filesUnder(dir, skip) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (skip(path)) continue;
    if (statSync(path).isDirectory()) out.push(...filesUnder(path, skip));
    else out.push(path);
  }
  return out;
}

function hashFiles(files) {
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

const never = () => false;
const common = () => ['package.json', 'package-lock.json', 'scripts/build.mjs'].map((f) => join(ROOT, f)).filter(existsSync);

/** What each part of dist/ is built from. Null when the sources are not there (a deployment of dist/ alone). */
export function sourceHashes() {
  if (!existsSync(join(ROOT, 'server', 'main.ts'))) return null;
  const serverFiles = [
    ...filesUnder(join(ROOT, 'server'), never),
    ...filesUnder(join(ROOT, 'db'), never),
    ...SCRIPT_ENTRIES.map((s) => join(ROOT, 'scripts', `${s}.ts`)).filter(existsSync),
    ...filesUnder(join(ROOT, 'scripts'), (p) => p.includes(`${join('scripts', 'bench')}`)).filter((p) => p.endsWith('.ts')),
    ...common(),
  ];
  const clientFiles = [...filesUnder(join(ROOT, 'client'), (p) => p === join(ROOT, 'client', 'dist')), ...common()];
  return { server: hashFiles([...new Set(serverFiles)]), client: hashFiles(clientFiles) };
}

export function readBuildInfo(out) {
  try {
    return JSON.parse(readFileSync(join(out, 'build.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** The parts of `out` missing or built from other sources than the current ones. */
export function staleParts(out = join(ROOT, 'dist')) {
  const info = readBuildInfo(out);
  const hashes = sourceHashes();
  if (!hashes) return info ? [] : ['server', 'client'];
  const stale = [];
  if (!info || info.server !== hashes.server || !existsSync(join(out, 'server', 'main.js'))) stale.push('server');
  if (!info || info.client !== hashes.client || !existsSync(join(out, 'client', 'index.html'))) stale.push('client');
  return stale;
}

function requireDev(name) {
  try {
    return createRequire(join(ROOT, 'package.json')).resolve(name);
  } catch {
    throw new Error(
      `dist/ is missing or older than the sources, and building it needs the dev dependencies (${name} is not installed): ` +
        'run `npm ci` then `npm run build` (a production install builds first, then may prune with `npm prune --omit=dev`).',
    );
  }
}

async function buildServer(out) {
  const esbuild = await import(pathToFileURL(requireDev('esbuild')).href);
  // The PDF render thread sits beside each bundle that may start it (render-pool.ts loads ./render-worker.js).
  const worker = join(ROOT, 'server', 'documents', 'render-worker.ts');
  const entryPoints = [
    join(ROOT, 'server', 'main.ts'),
    ...SCRIPT_ENTRIES.map((s) => join(ROOT, 'scripts', `${s}.ts`)),
    { in: worker, out: 'server/render-worker' },
    { in: worker, out: 'scripts/render-worker' },
  ];
  const result = await esbuild.build({
    entryPoints,
    outbase: ROOT,
    outdir: out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    define: { __MUTUALISE_BUNDLE__: 'true' },
    metafile: true,
    logLevel: 'warning',
  });
  writeFileSync(join(out, 'meta.json'), JSON.stringify(result.metafile));
  cpSync(join(ROOT, 'db', 'migrations'), join(out, 'db', 'migrations'), { recursive: true });
  const fonts = join(dirname(requireDev('dejavu-fonts-ttf/package.json')), 'ttf');
  mkdirSync(join(out, 'fonts'), { recursive: true });
  for (const face of ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']) cpSync(join(fonts, face), join(out, 'fonts', face));
}

async function buildClient(out) {
  const vite = await import(pathToFileURL(requireDev('vite')).href);
  await vite.build({
    configFile: join(ROOT, 'client', 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir: join(out, 'client'), emptyOutDir: true },
  });
}

/**
 * Builds the stale parts of `out` (all with `force`) into a fresh folder and swaps it in, so a failed build
 * leaves the previous dist/ whole. Returns the parts built.
 */
export async function build({ out = join(ROOT, 'dist'), force = false, log = console.log } = {}) {
  const parts = force ? ['server', 'client'] : staleParts(out);
  if (parts.length === 0) return parts;
  const hashes = sourceHashes();
  if (!hashes) throw new Error('the sources (server/, client/) are not here: nothing to build dist/ from');
  const started = performance.now();
  const next = `${out}.partial`;
  rmSync(next, { recursive: true, force: true });
  mkdirSync(next, { recursive: true });
  const previous = readBuildInfo(out);
  // Keep the part that is up to date.
  for (const part of ['server', 'client']) {
    if (parts.includes(part)) continue;
    const kept = part === 'server' ? ['server', 'scripts', 'db', 'fonts', 'meta.json'] : ['client'];
    for (const entry of kept) if (existsSync(join(out, entry))) cpSync(join(out, entry), join(next, entry), { recursive: true });
  }
  try {
    if (parts.includes('server')) {
      log('build: server and scripts (esbuild)…');
      await buildServer(next);
    }
    if (parts.includes('client')) {
      log('build: client (Vite)…');
      await buildClient(next);
    }
  } catch (err) {
    rmSync(next, { recursive: true, force: true });
    throw err;
  }
  const info = {
    server: parts.includes('server') ? hashes.server : previous?.server,
    client: parts.includes('client') ? hashes.client : previous?.client,
    builtAt: new Date().toISOString(),
    node: process.version,
  };
  writeFileSync(join(next, 'build.json'), `${JSON.stringify(info, null, 2)}\n`);
  rmSync(out, { recursive: true, force: true });
  renameSync(next, out);
  log(`build: ${parts.join(' + ')} → ${relative(process.cwd(), out) || '.'} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return parts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? resolve(args[outAt + 1]) : join(ROOT, 'dist');
  try {
    const built = await build({ out, force: args.includes('--force') });
    if (built.length === 0) console.log(`build: ${relative(process.cwd(), out) || '.'} is up to date`);
  } catch (err) {
    console.error(`build failed: ${err.message}`);
    process.exit(1);
  }
}
