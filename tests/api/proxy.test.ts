import assert from 'node:assert/strict';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, seedPole, TEST_PASSWORD, type SeededPole, type TestApp } from '../helpers/app';

/**
 * The server behind a reverse proxy started here, doing what nginx does by default with `proxy_pass`: Host
 * rewritten to the upstream's address, the client's address and the public scheme in X-Forwarded-For and
 * X-Forwarded-Proto. The test's clients say which address they stand for in `x-test-client`.
 */
function startProxy(upstreamPort: number): Promise<Server> {
  const proxy = createServer((req, res) => {
    const { 'x-test-client': client, ...headers } = req.headers;
    const forwarded = httpRequest(
      {
        host: '127.0.0.1',
        port: upstreamPort,
        method: req.method,
        path: req.url,
        headers: { ...headers, host: `127.0.0.1:${upstreamPort}`, 'x-forwarded-for': String(client ?? '203.0.113.1'), 'x-forwarded-proto': 'https' },
      },
      (upstream) => {
        res.writeHead(upstream.statusCode ?? 502, upstream.headers);
        upstream.pipe(res);
      },
    );
    forwarded.on('error', () => res.writeHead(502).end());
    req.pipe(forwarded);
  });
  return new Promise((resolve) => proxy.listen(0, '127.0.0.1', () => resolve(proxy)));
}

describe('behind a reverse proxy (X-Forwarded-*)', () => {
  let t: TestApp;
  let pole: SeededPole;
  let proxy: Server;
  let base: string;

  before(async () => {
    t = await buildTestApp({
      config: { publicUrl: 'https://pole.example.org', trustProxy: ['127.0.0.1'], loginMaxAttemptsPerIp: 5, loginMaxFailuresPerAccount: 50 },
    });
    pole = await seedPole(t.store);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    proxy = await startProxy((t.app.server.address() as AddressInfo).port);
    base = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  after(async () => {
    await new Promise((r) => proxy.close(r));
    await t.close();
  });

  const login = (client: string, email: string, password: string) =>
    fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-test-client': client, origin: 'https://pole.example.org' },
      body: JSON.stringify({ email, password }),
    });

  it('limits login failures per client address, not per proxy', async () => {
    for (let i = 0; i < 5; i++) assert.equal((await login('198.51.100.1', `nobody${i}@test.fr`, 'wrong-wrong')).status, 401);
    const limited = await login('198.51.100.1', pole.userA, TEST_PASSWORD);
    assert.equal(limited.status, 429, 'the client that failed is held back');
    assert.equal((await login('198.51.100.2', pole.userA, TEST_PASSWORD)).status, 200, 'another client behind the same proxy is not');
  });

  it('sets a Secure __Host- session cookie for the HTTPS pole, and accepts writes from the public origin only', async () => {
    const res = await login('198.51.100.3', pole.adminA, TEST_PASSWORD);
    assert.equal(res.status, 200);
    const setCookie = res.headers.getSetCookie();
    const session = setCookie.find((c) => c.startsWith('__Host-mutualise_session='));
    assert.ok(session && /; Secure/.test(session) && /; Path=\//.test(session), setCookie.join(' | '));
    const cookie = session.split(';')[0]!;
    const patch = (origin: string) =>
      fetch(`${base}/api/members/${pole.memberA}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json', 'x-test-client': '198.51.100.3', origin, cookie },
        body: JSON.stringify({ address: `from ${origin}` }),
      });
    assert.equal((await patch('https://pole.example.org')).status, 200, 'the public origin, although the proxy rewrote Host');
    for (const origin of ['https://evil.example', 'http://pole.example.org', 'https://pole.example.org:444']) {
      const refused = await patch(origin);
      assert.equal(refused.status, 403, origin);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'request.cross_origin');
    }
    const me = await fetch(`${base}/api/members/${pole.memberA}`, { headers: { cookie, 'x-test-client': '198.51.100.3' } });
    assert.equal(((await me.json()) as { address: string }).address, 'from https://pole.example.org');
  });
});
