import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DEMO_COORDINATOR, DEMO_PASSWORD, seedDemo } from '../../db/demo';
import { openStore } from '../../db/index';
import { configFromEnv } from '../../server/config';
import { manualClock } from '../../server/shared/clock';
import { buildTestApp, seedPole, TEST_PASSWORD } from '../helpers/app';

const dir = mkdtempSync(join(tmpdir(), 'mutualise-deploy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const loginBody = (email: string, password = TEST_PASSWORD) => ({ email, password });

describe('safe defaults for a real deployment', () => {
  it('seeds the demo pole only on a loopback address, or when MUTUALISE_DEMO=1 says so', () => {
    assert.equal(configFromEnv({}).demo, true, '127.0.0.1 by default');
    assert.equal(configFromEnv({ HOST: 'localhost' }).demo, true);
    assert.equal(configFromEnv({ HOST: '::1' }).demo, true);
    assert.equal(configFromEnv({ HOST: '0.0.0.0' }).demo, false, 'reachable from the network: no published password');
    assert.equal(configFromEnv({ HOST: '192.0.2.10' }).demo, false);
    assert.equal(configFromEnv({ HOST: '0.0.0.0', MUTUALISE_DEMO: '1' }).demo, true, 'explicitly asked for');
    assert.equal(configFromEnv({ MUTUALISE_DEMO: '0' }).demo, false);
    assert.throws(() => configFromEnv({ MUTUALISE_DEMO: 'yes please' }), /MUTUALISE_DEMO/);
  });

  it('reads MUTUALISE_TRUST_PROXY as a hop count or addresses, and refuses to trust everyone', () => {
    assert.equal(configFromEnv({}).trustProxy, false);
    assert.equal(configFromEnv({ MUTUALISE_TRUST_PROXY: '1' }).trustProxy, 1);
    assert.deepEqual(configFromEnv({ MUTUALISE_TRUST_PROXY: '127.0.0.1, ::1,10.0.0.0/8' }).trustProxy, ['127.0.0.1', '::1', '10.0.0.0/8']);
    assert.throws(() => configFromEnv({ MUTUALISE_TRUST_PROXY: 'true' }), /hop count/);
    assert.throws(() => configFromEnv({ MUTUALISE_TRUST_PROXY: 'evil.example' }), /neither a hop count/);
    assert.throws(() => configFromEnv({ MUTUALISE_PUBLIC_URL: 'pole.example.org' }), /absolute URL/);
  });

  it('npm run setup disables the demo accounts, their sessions and feeds', async () => {
    const db = join(dir, 'demo.sqlite');
    const store = openStore(db);
    await seedDemo(store, { clock: manualClock('2026-11-18T10:00:00+01:00') });
    const demoAccounts = (store.sqlite.prepare('SELECT count(*) AS n FROM users WHERE active = 1').get() as { n: number }).n;
    store.close();
    const res = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/setup.ts', '--email', 'chef@pole.fr', '--name', 'Cheffe', '--password', 'a long enough password'], {
      env: { ...process.env, MUTUALISE_DB: db },
      encoding: 'utf8',
    });
    assert.equal(res.status, 0, res.stderr);
    assert.match(res.stdout, new RegExp(`${demoAccounts} demo account\\(s\\) disabled`));
    const t = await buildTestApp();
    await t.close();
    const check = openStore(db);
    try {
      const active = check.sqlite.prepare('SELECT email FROM users WHERE active = 1').all();
      assert.deepEqual(active, [{ email: 'chef@pole.fr' }]);
      assert.equal((check.sqlite.prepare('SELECT count(*) AS n FROM feeds WHERE revoked_at IS NULL').get() as { n: number }).n, 0);
    } finally {
      check.close();
    }
    // And through the app on that database: the published password no longer opens anything.
    const { buildApp } = await import('../../server/app');
    const live = openStore(db);
    const app = await buildApp({ store: live, config: { serveClient: false, demo: false } });
    try {
      const demo = await app.inject({ method: 'POST', url: '/api/auth/login', payload: loginBody(DEMO_COORDINATOR, DEMO_PASSWORD) });
      assert.equal(demo.statusCode, 401);
      const chef = await app.inject({ method: 'POST', url: '/api/auth/login', payload: loginBody('chef@pole.fr', 'a long enough password') });
      assert.equal(chef.statusCode, 200);
    } finally {
      await app.close();
      live.close();
    }
  });

  it('answers 421 to a Host it does not serve (DNS rebinding), loopback names only from this machine', async () => {
    const t = await buildTestApp({ config: { publicUrl: 'https://pole.example.org' } });
    try {
      const rebinding = await t.app.inject({ url: '/api/auth/login', method: 'POST', headers: { host: 'attacker.example:3000' }, payload: loginBody('x@y.fr') });
      assert.equal(rebinding.statusCode, 421);
      assert.equal(rebinding.json().error.code, 'request.unknown_host');
      assert.equal((await t.app.inject({ url: '/healthz', headers: { host: 'attacker.example' } })).statusCode, 421);
      assert.equal((await t.app.inject({ url: '/healthz', headers: { host: 'pole.example.org' } })).statusCode, 200);
      assert.equal((await t.app.inject({ url: '/healthz', headers: { host: 'localhost:3000' } })).statusCode, 200, 'a local probe');
      const remote = await t.app.inject({ url: '/healthz', headers: { host: 'localhost:3000' }, remoteAddress: '203.0.113.9' });
      assert.equal(remote.statusCode, 421, 'a remote client naming localhost');
    } finally {
      await t.close();
    }
  });

  it('behind a trusted proxy: client address, HTTPS, __Host- Secure cookie, and Origin checked on scheme, host and port', async () => {
    const t = await buildTestApp({ config: { publicUrl: 'https://pole.example.org', trustProxy: ['127.0.0.1'] } });
    try {
      const pole = await seedPole(t.store);
      // nginx's default: Host rewritten to the upstream, the public scheme and host in X-Forwarded-*.
      const proxied = { host: '127.0.0.1:3000', 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.7' };
      const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { ...proxied, origin: 'https://pole.example.org' }, payload: loginBody(pole.adminA) });
      assert.equal(res.statusCode, 200, res.body);
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      const session = setCookie.find((c) => c.startsWith('__Host-mutualise_session='));
      assert.ok(session, `a __Host- cookie: ${setCookie.join(' | ')}`);
      assert.match(session, /; Secure/);
      assert.match(session, /; Path=\//);
      assert.doesNotMatch(session, /Domain=/i);
      const cookie = session.split(';')[0]!;
      const me = await t.app.inject({ url: '/api/me', headers: { ...proxied, cookie } });
      assert.equal(me.statusCode, 200);

      const write = (origin: string) =>
        t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberA}`, headers: { ...proxied, cookie, origin }, payload: { address: `From ${origin}` } });
      assert.equal((await write('https://pole.example.org')).statusCode, 200, 'the public origin');
      for (const origin of ['http://pole.example.org', 'https://pole.example.org:8443', 'https://evil.example', 'null']) {
        const refused = await write(origin);
        assert.equal(refused.statusCode, 403, origin);
        assert.equal(refused.json().error.code, 'request.cross_origin');
      }
    } finally {
      await t.close();
    }
  });

  it('does not believe X-Forwarded-* from a client that is not a trusted proxy', async () => {
    const t = await buildTestApp({ config: { publicUrl: 'http://localhost:3000' } });
    try {
      const pole = await seedPole(t.store);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { host: 'localhost:3000', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example' },
        payload: loginBody(pole.adminA),
      });
      assert.equal(res.statusCode, 200);
      const setCookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
      assert.ok(setCookie.some((c) => c.startsWith('mutualise_session=') && !/Secure/.test(c)), 'plain http on localhost');
    } finally {
      await t.close();
    }
  });

  it('sends the security headers (CSP, HSTS over HTTPS, no framing)', async () => {
    const https = await buildTestApp({ config: { publicUrl: 'https://pole.example.org' } });
    const http = await buildTestApp();
    try {
      const res = await https.app.inject({ url: '/healthz', headers: { host: 'pole.example.org' } });
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'self'/);
      assert.match(csp, /script-src 'self'(;|$)/, 'no inline or eval scripts');
      assert.match(csp, /frame-ancestors 'none'/);
      assert.match(csp, /object-src 'none'/);
      assert.match(String(res.headers['strict-transport-security']), /max-age=31536000/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      const plain = await http.app.inject({ url: '/healthz' });
      assert.equal(plain.headers['strict-transport-security'], undefined, 'no HSTS on a plain http pole');
      assert.ok(plain.headers['content-security-policy']);
    } finally {
      await https.close();
      await http.close();
    }
  });

  it('GET /healthz: process, database and migrations; 503 when the schema is not this build’s', async () => {
    const t = await buildTestApp();
    try {
      const ok = await t.app.inject({ url: '/healthz' });
      assert.equal(ok.statusCode, 200);
      const body = ok.json();
      assert.equal(body.status, 'ok');
      assert.equal(body.database, 'ok');
      assert.equal(body.migrations.current, true);
      assert.ok(body.migrations.applied >= 6);
      assert.equal(ok.headers['cache-control'], 'no-store');
      t.store.sqlite.prepare('DELETE FROM __drizzle_migrations WHERE created_at = (SELECT max(created_at) FROM __drizzle_migrations)').run();
      const behind = await t.app.inject({ url: '/healthz' });
      assert.equal(behind.statusCode, 503);
      assert.equal(behind.json().migrations.current, false);
    } finally {
      await t.close();
    }
  });
});

