import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
// @ts-expect-error plain JavaScript build script, no types
import { build, ROOT, staleParts } from '../../scripts/build.mjs';

/**
 * The artefact production runs: `npm run build` into a folder inside the repository (its npm packages resolve
 * from node_modules), then the bundle started with plain node, without tsx.
 */
const out = join(ROOT, 'test-results', `dist-${process.pid}`);
const data = mkdtempSync(join(tmpdir(), 'mutualise-build-'));
before(async () => {
  await build({ out, force: true, log: () => {} });
});
after(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(data, { recursive: true, force: true });
});

function startBuilt(env: Record<string, string>): Promise<{ url: string; stop(): Promise<void>; output(): string }> {
  const child = spawn(process.execPath, [join(out, 'server', 'main.js')], {
    env: { PATH: process.env.PATH, PORT: '0', MUTUALISE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout.on('data', (b) => (text += b));
  child.stderr.on('data', (b) => (text += b));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no start within 120 s: ${text}`));
    }, 120_000);
    child.on('exit', (code) => reject(new Error(`exited ${code}: ${text}`)));
    child.stdout.on('data', () => {
      const m = /running at (http:\/\/\S+)/.exec(text);
      if (!m) return;
      clearTimeout(timer);
      resolve({
        url: m[1]!,
        output: () => text,
        stop: () =>
          new Promise((done) => {
            child.removeAllListeners('exit');
            child.on('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

describe('npm run build → dist/', () => {
  it('lays out the server, the scripts, migrations, fonts and the client, and knows it is up to date', () => {
    for (const file of ['server/main.js', 'scripts/setup.js', 'scripts/backup.js', 'scripts/restore.js', 'db/migrations/meta/_journal.json', 'fonts/DejaVuSans.ttf', 'client/index.html', 'build.json']) {
      assert.ok(existsSync(join(out, file)), `${file} is built`);
    }
    assert.deepEqual(staleParts(out), [], 'built from the current sources');
  });

  it('imports at run time only packages listed in dependencies, so `npm ci --omit=dev` is enough to run it', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const meta = JSON.parse(readFileSync(join(out, 'meta.json'), 'utf8')) as { outputs: Record<string, { imports: { path: string; external?: boolean }[] }> };
    const packages = new Set<string>();
    for (const output of Object.values(meta.outputs)) {
      for (const i of output.imports) {
        if (!i.external || i.path.startsWith('node:')) continue;
        packages.add(i.path.split('/').slice(0, i.path.startsWith('@') ? 2 : 1).join('/'));
      }
    }
    assert.ok(packages.has('fastify') && packages.has('better-sqlite3'));
    const missing = [...packages].filter((p) => !pkg.dependencies[p]);
    assert.deepEqual(missing, [], 'imported by dist/ but not a runtime dependency');
    for (const dev of ['tsx', 'vite', 'esbuild', 'preact', 'dejavu-fonts-ttf']) assert.ok(!pkg.dependencies[dev], `${dev} is a dev dependency`);
  });

  it('starts with plain node: migrates, seeds the demo on loopback, serves the client, the API, /healthz and a PDF with its fonts', async () => {
    const server = await startBuilt({ MUTUALISE_DB: join(data, 'built.sqlite'), HOST: '127.0.0.1' });
    try {
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      assert.equal(((await health.json()) as { status: string }).status, 'ok');
      const page = await fetch(`${server.url}/`);
      assert.match(await page.text(), /<div id="app">/);
      const login = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'coordination@demo.test', password: 'demo-mutualise' }),
      });
      assert.equal(login.status, 200, await login.clone().text());
      const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
      const invoices = (await (await fetch(`${server.url}/api/invoices`, { headers: { cookie } })).json()) as { items: { id: number }[] };
      assert.ok(invoices.items.length > 0);
      const pdf = await fetch(`${server.url}/api/invoices/${invoices.items[0]!.id}/pdf`, { headers: { cookie } });
      assert.equal(pdf.status, 200);
      const bytes = Buffer.from(await pdf.arrayBuffer());
      assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
      assert.match(bytes.toString('latin1'), /DejaVuSans/, 'the embedded font comes from dist/fonts');
    } finally {
      await server.stop();
    }
  });

  it('runs the operator scripts from dist/ (setup on a new database)', () => {
    const db = join(data, 'setup.sqlite');
    const res = spawnSync(process.execPath, [join(out, 'scripts', 'setup.js'), '--email', 'chef@pole.fr', '--name', 'Cheffe', '--password', 'a long enough password'], {
      env: { PATH: process.env.PATH, MUTUALISE_DB: db },
      encoding: 'utf8',
    });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, /Coordinator #1 chef@pole\.fr created/);
  });
});
