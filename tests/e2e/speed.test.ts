import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { DEMO_PASSWORD } from '../../db/demo';
import { openSession, ROOT, signIn, startPole, type Pole } from './harness';

// The demo pole on Wednesday 18 November 2026 at 10:00 in Paris (see client.test.ts).
const SEEDED_AT = '2026-11-18T10:00:00+01:00';
const MEMBER = 'regie@smac.demo.test';

/** Chromium DevTools' « Slow 4G » preset: 562.5 ms of latency, 1.44 Mbit/s down, 675 kbit/s up. */
const SLOW_4G = { offline: false, latency: 562.5, downloadThroughput: (1.6 * 1024 * 1024 * 0.9) / 8, uploadThroughput: (750 * 1024 * 0.9) / 8 };

let pole: Pole;

describe('speed of a deep link (real server, demo pole, Chromium)', () => {
  before(async () => {
    pole = await startPole(SEEDED_AT);
  });
  after(async () => {
    await pole?.close();
  });

  it('serves the built client precompressed, hashed assets cached for a year and the page revalidated', async () => {
    const assets = join(ROOT, 'client', 'dist', 'assets');
    const script = readdirSync(assets).find((f) => /^index-.*\.js$/.test(f))!;
    const plain = readFileSync(join(assets, script));
    const br = await pole.app.inject({ url: `/assets/${script}`, headers: { 'accept-encoding': 'br, gzip' } });
    assert.equal(br.statusCode, 200);
    assert.equal(br.headers['content-encoding'], 'br');
    assert.equal(br.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.ok(br.rawPayload.length < plain.length / 2, `compressed ${br.rawPayload.length} of ${plain.length} bytes`);
    assert.deepEqual(brotliDecompressSync(br.rawPayload), plain, 'the same script once decompressed');
    const identity = await pole.app.inject({ url: `/assets/${script}`, headers: { 'accept-encoding': 'identity' } });
    assert.equal(identity.headers['content-encoding'], undefined);
    assert.equal(identity.rawPayload.length, plain.length);
    const page = await pole.app.inject({ url: '/resources/1', headers: { 'accept-encoding': 'gzip' } });
    assert.equal(page.statusCode, 200);
    assert.match(String(page.headers['cache-control']), /private, no-cache/);
    assert.doesNotMatch(page.body, /rel="(module)?preload"/, 'signed out: nothing to preload (it would answer 401)');
    // Signed in, a calendar link names what its boot will ask for: fetched with the page's code, not after it.
    const login = await pole.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: MEMBER, password: DEMO_PASSWORD } });
    const cookie = String(login.headers['set-cookie']).split(';')[0]!;
    const calendar = readdirSync(assets).find((f) => /^Calendar-.*\.js$/.test(f))!;
    const signedIn = await pole.app.inject({ url: '/resources/1', headers: { cookie } });
    for (const hint of ['<link rel="preload" href="/api/me" as="fetch" crossorigin>', '<link rel="preload" href="/api/pole" as="fetch" crossorigin>', `<link rel="modulepreload" href="/assets/${calendar}" crossorigin>`, '<link rel="preload" href="/api/resources/1" as="fetch" crossorigin>']) {
      assert.ok(signedIn.body.includes(hint), `${hint} in ${signedIn.body}`);
    }
    const catalogue = await pole.app.inject({ url: '/resources', headers: { cookie } });
    assert.ok(!catalogue.body.includes('modulepreload'), 'the calendar chunk only for a calendar link');
    console.log(`client script ${script}: ${plain.length} bytes, ${br.rawPayload.length} with brotli`);
  });

  it('opens a calendar link on a slow phone (Slow 4G, 4× CPU slowdown) and prints how long until it is usable', async () => {
    const session = await openSession(pole, { width: 390, height: 844 });
    const { page, context } = session;
    await signIn(page, pole.baseUrl, MEMBER);
    const room = (pole.store.sqlite.prepare("SELECT id FROM resources WHERE name = 'Salle de réunion'").get() as { id: number }).id;
    // A cold cache, as for a link opened from an e-mail.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.send('Network.emulateNetworkConditions', SLOW_4G);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    let started = Date.now();
    const sizes: number[] = [];
    // The waterfall, to see what waits for what: each request's start and end, in ms from the navigation.
    const requests = new Map<string, { path: string; start: number; end?: number }>();
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
      const url = new URL(e.request.url);
      requests.set(e.requestId, { path: url.pathname + url.search, start: Date.now() - started });
    });
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
      sizes.push(e.encodedDataLength);
      const r = requests.get(e.requestId);
      if (r) r.end = Date.now() - started;
    });

    started = Date.now();
    await page.goto(`${pole.baseUrl}/resources/${room}`, { waitUntil: 'commit' });
    // Usable: the week grid is drawn with the bookings on it, and the free slots are listed.
    const at = async (what: string, selector: string) => {
      await page.locator(selector).first().waitFor({ timeout: 60_000 });
      return `${what} ${Date.now() - started} ms`;
    };
    const milestones = await Promise.all([
      at('app shell', '.topbar'),
      at('page title', '#page-title'),
      at('time grid', 'td.fc-timegrid-slot-lane'),
      at('free slots', '[data-testid=next-slots] button'),
      at('bookings drawn', '.fc-event'),
    ]);
    await page.getByTestId('next-slots').waitFor({ timeout: 60_000 });
    const usableMs = Date.now() - started;
    console.log(`  milestones: ${milestones.join(', ')}`);
    const kB = sizes.reduce((a, b) => a + b, 0) / 1024;
    console.log(`deep link to a calendar, Slow 4G + 4× CPU: usable in ${usableMs} ms (${sizes.length} requests, ${kB.toFixed(0)} kB transferred; target < 2000 ms)`);
    for (const r of [...requests.values()].sort((a, b) => a.start - b.start)) {
      console.log(`  ${String(r.start).padStart(5)} → ${r.end === undefined ? '  …  ' : String(r.end).padStart(5)} ms  ${r.path.slice(0, 90)}`);
    }
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
    assert.deepEqual(session.errors, []);
    await session.close();
  });
});
