import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, cookieFrom, login, seedPole, TEST_PASSWORD, type SeededPole, type TestApp } from '../helpers/app';

describe('auth', () => {
  let t: TestApp;
  let pole: SeededPole;
  beforeEach(async () => {
    t = await buildTestApp({ config: { loginMaxFailuresPerAccount: 3, loginMaxAttemptsPerIp: 10, allowedHosts: ['pole.example.org'] } });
    pole = await seedPole(t.store);
  });
  afterEach(() => t.close());

  it('logs in, answers /api/me, and sets a HttpOnly SameSite=Lax cookie', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userA, password: TEST_PASSWORD } });
    assert.equal(res.statusCode, 200);
    const setCookie = String(res.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Lax/);
    assert.doesNotMatch(setCookie, /Secure/, 'localhost gets a non-Secure cookie');
    const me = await t.app.inject({ url: '/api/me', headers: { cookie: cookieFrom(res) } });
    assert.equal(me.statusCode, 200);
    assert.deepEqual(me.json(), { id: pole.userIds[pole.userA], email: pole.userA, name: 'user.a', role: 'member', memberId: pole.memberA });
  });

  it('sets a Secure cookie outside localhost', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { host: 'pole.example.org' },
      payload: { email: pole.userA, password: TEST_PASSWORD },
    });
    assert.match(String(res.headers['set-cookie']), /Secure/);
  });

  it('stores only a hash of the session secret', async () => {
    const cookie = await login(t.app, pole.userA);
    const token = decodeURIComponent(cookie.split('=')[1]!);
    const [id, secret] = token.split('.');
    assert.ok(secret && secret.length >= 26, 'secret carries at least 128 bits');
    const row = t.store.sqlite.prepare('SELECT * FROM sessions WHERE id = ?').get(id) as Record<string, unknown>;
    assert.ok(row);
    assert.ok(!JSON.stringify(Object.values(row).map(String)).includes(secret!));
  });

  it('gives the same answer for a wrong password and an unknown e-mail', async () => {
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userA, password: 'nope-nope-nope' } });
    const unknown = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: 'nobody@test.fr', password: 'nope-nope-nope' } });
    assert.equal(wrong.statusCode, 401);
    assert.equal(unknown.statusCode, 401);
    assert.deepEqual(wrong.json(), unknown.json());
    assert.equal(wrong.json().error.code, 'auth.invalid_credentials');
  });

  it('rate-limits failed logins of unknown devices per account, then per IP', async () => {
    for (let i = 0; i < 3; i++) {
      const r = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userA, password: 'wrong-wrong' } });
      assert.equal(r.statusCode, 401);
    }
    const limited = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userA, password: TEST_PASSWORD } });
    assert.equal(limited.statusCode, 429);
    assert.ok(Number(limited.headers['retry-after']) > 0);
    t.clock.advance(16 * 60_000);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userA, password: TEST_PASSWORD } })).statusCode, 200);
    // Per IP: 10 failed attempts from unknown devices in the window, whatever the accounts.
    for (let i = 0; i < 10; i++) await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: `x${i}@test.fr`, password: 'wrong-wrong' } });
    const ipLimited = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userB, password: TEST_PASSWORD } });
    assert.equal(ipLimited.statusCode, 429);
  });

  it('ends a session after idle time and after its absolute lifetime (injected clock)', async () => {
    const cookie = await login(t.app, pole.userA);
    t.clock.advance(6 * 24 * 3_600_000);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode, 200, 'used within idle time');
    t.clock.advance(7 * 24 * 3_600_000 + 1);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode, 401, 'idle too long');

    const cookie2 = await login(t.app, pole.userA);
    for (let day = 0; day < 30; day += 5) {
      t.clock.advance(5 * 24 * 3_600_000);
      const status = (await t.app.inject({ url: '/api/me', headers: { cookie: cookie2 } })).statusCode;
      assert.equal(status, day + 5 < 30 ? 200 : 401, `day ${day + 5}`);
    }
  });

  it('logout ends the session server-side', async () => {
    const cookie = await login(t.app, pole.userA);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    assert.equal(out.statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode, 401);
  });

  it('a new login replaces the session it came with', async () => {
    const first = await login(t.app, pole.userA);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie: first }, payload: { email: pole.userA, password: TEST_PASSWORD } });
    assert.equal(res.statusCode, 200);
    assert.notEqual(cookieFrom(res), first);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: first } })).statusCode, 401);
  });

  it('disabling a user ends all its sessions and refuses its login', async () => {
    const userCookie = await login(t.app, pole.userA);
    const admin = await login(t.app, pole.adminA);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[pole.userA]}`, headers: { cookie: admin }, payload: { active: false } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().active, false);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: userCookie } })).statusCode, 401);
    const again = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userA, password: TEST_PASSWORD } });
    assert.equal(again.statusCode, 401);
  });

  it('refuses a cross-origin state-changing request', async () => {
    const cookie = await login(t.app, pole.adminA);
    const byOrigin = await t.app.inject({
      method: 'PATCH',
      url: `/api/members/${pole.memberA}`,
      headers: { cookie, origin: 'https://evil.example', host: 'localhost:80' },
      payload: { address: 'Somewhere else' },
    });
    assert.equal(byOrigin.statusCode, 403);
    assert.equal(byOrigin.json().error.code, 'request.cross_origin');
    const bySite = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(bySite.statusCode, 403);
    const member = await t.app.inject({ url: `/api/members/${pole.memberA}`, headers: { cookie } });
    assert.equal(member.json().address, '1 rue de la Paix, 44000 Nantes', 'nothing changed');
    const sameOrigin = await t.app.inject({
      method: 'PATCH',
      url: `/api/members/${pole.memberA}`,
      headers: { cookie, origin: 'http://localhost:80', host: 'localhost:80', 'sec-fetch-site': 'same-origin' },
      payload: { address: 'Somewhere else' },
    });
    assert.equal(sameOrigin.statusCode, 200);
  });

  it('answers 401 without a session', async () => {
    const res = await t.app.inject({ url: '/api/members' });
    assert.equal(res.statusCode, 401);
    assert.deepEqual(Object.keys(res.json().error).sort(), ['code', 'message']);
  });

  it('a failed login attempt does not end the session the browser came with', async () => {
    const cookie = await login(t.app, pole.userA);
    const res = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { cookie }, payload: { email: pole.userA, password: 'wrong password' } });
    assert.equal(res.statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie } })).statusCode, 200);
  });

  it('changing one’s own password ends one’s other sessions, not the current one', async () => {
    const laptop = await login(t.app, pole.userA);
    const phone = await login(t.app, pole.userA);
    const res = await t.app.inject({
      method: 'PATCH',
      url: `/api/users/${pole.userIds[pole.userA]}`,
      headers: { cookie: laptop },
      payload: { password: 'a brand new passphrase', currentPassword: TEST_PASSWORD },
    });
    assert.equal(res.statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: laptop } })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: phone } })).statusCode, 401);
    await login(t.app, pole.userA, 'a brand new passphrase');
  });

  it('asks for the current password to change one’s own, not to reset another user’s', async () => {
    const admin = await login(t.app, pole.adminB);
    const self = pole.userIds[pole.adminB];
    const change = (payload: Record<string, unknown>) => t.app.inject({ method: 'PATCH', url: `/api/users/${self}`, headers: { cookie: admin }, payload });
    const missing = await change({ password: 'stolen session takes over' });
    assert.equal(missing.statusCode, 400);
    assert.equal(missing.json().error.code, 'user.current_password_required');
    const wrong = await change({ password: 'stolen session takes over', currentPassword: 'a guess' });
    assert.equal(wrong.statusCode, 403);
    assert.equal(wrong.json().error.code, 'user.current_password_wrong');
    await login(t.app, pole.adminB); // unchanged
    assert.equal((await change({ name: 'B', currentPassword: TEST_PASSWORD })).statusCode, 400, 'only with a new password');
    const reset = await t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[pole.userB]}`, headers: { cookie: admin }, payload: { password: 'reset by the admin' } });
    assert.equal(reset.statusCode, 200, 'an admin resets a member’s password without knowing it');
    const ok = await change({ password: 'my own new passphrase', currentPassword: TEST_PASSWORD });
    assert.equal(ok.statusCode, 200);
    await login(t.app, pole.adminB, 'my own new passphrase');
  });

  it('a stolen session cannot guess the current password: past the account’s allowance it waits (429), even with the right one', async () => {
    const small = await buildTestApp({ config: { loginMaxFailuresPerAccount: 3 } });
    try {
      const p = await seedPole(small.store);
      const cookie = await login(small.app, p.userA);
      const change = (currentPassword: string) =>
        small.app.inject({ method: 'PATCH', url: `/api/users/${p.userIds[p.userA]}`, headers: { cookie }, payload: { password: 'taken over at last', currentPassword } });
      for (const guess of ['one', 'two', 'three']) assert.equal((await change(guess)).statusCode, 403);
      const limited = await change(TEST_PASSWORD);
      assert.equal(limited.statusCode, 429);
      assert.equal(limited.json().error.code, 'auth.rate_limited');
      await login(small.app, p.userA); // unchanged
      small.clock.advance(small.app.ctx.config.loginWindowMs);
      assert.equal((await change(TEST_PASSWORD)).statusCode, 200, 'the window slides');
    } finally {
      await small.close();
    }
  });
});
