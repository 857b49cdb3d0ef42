import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { SESSION_COOKIE } from '../../server/plugins/access';
import { buildTestApp, login, seedPole, TEST_PASSWORD, type SeededPole, type TestApp } from '../helpers/app';
import '../helpers/seed';

/**
 * Sessions, beyond tests/api/auth.test.ts: the idle and absolute limits as a model-checked property over
 * random usage patterns (never accepted past a limit, never refused within them), server-side logout that
 * leaves the user's other devices alone, disabling that ends every device's session for good, forged
 * tokens that neither pass nor destroy the real session, and role changes that apply on the next request.
 */
const IDLE = 10 * 60_000;
const ABSOLUTE = 60 * 60_000;
/** Sessions write their last use at most once a minute (sessions.ts), so idle time counts from that write. */
const ACTIVITY_WRITE = 60_000;

describe('proof: sessions', () => {
  let t: TestApp;
  let pole: SeededPole;
  beforeEach(async () => {
    t = await buildTestApp({ config: { sessionIdleMs: IDLE, sessionAbsoluteMs: ABSOLUTE } });
    pole = await seedPole(t.store);
  });
  afterEach(() => t.close());

  const me = (cookie: string) => t.app.inject({ url: '/api/me', headers: { cookie } });
  const sessionRows = (userId: number) => (t.store.sqlite.prepare('SELECT count(*) AS n FROM sessions WHERE user_id = ?').get(userId) as { n: number }).n;
  const newSession = (userId: number) => `${SESSION_COOKIE}=${t.app.sessions.create(userId).token}`;

  it('idle and absolute expiry hold for any usage pattern (model-checked, injected clock)', async () => {
    const userId = pole.userIds[pole.userA]!;
    let requests = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 12 * 60_000 }), { minLength: 1, maxLength: 25 }), async (gaps) => {
        const created = t.clock.now();
        const cookie = newSession(userId);
        let lastUse = created;
        let dead = false;
        for (const gap of gaps) {
          t.clock.advance(gap);
          const now = t.clock.now();
          const status = (await me(cookie)).statusCode;
          requests++;
          const pastLimits = now - created >= ABSOLUTE || now - lastUse >= IDLE;
          const safelyWithin = now - created < ABSOLUTE && now - lastUse < IDLE - ACTIVITY_WRITE;
          if (dead || pastLimits) assert.equal(status, 401, `accepted ${now - lastUse} ms after last use, ${now - created} ms after login`);
          else if (safelyWithin) assert.equal(status, 200, `refused ${now - lastUse} ms after last use, ${now - created} ms after login`);
          if (status === 401) dead = true;
          else lastUse = now;
        }
        if (dead) assert.equal((await me(cookie)).statusCode, 401, 'an ended session never comes back');
      }),
      { numRuns: 60 },
    );
    console.log(`sessions: expiry model checked over 60 usage patterns, ${requests} requests`);
  });

  it('an expired session is deleted server-side, not only refused', async () => {
    const userId = pole.userIds[pole.userA]!;
    const cookie = await login(t.app, pole.userA);
    assert.equal(sessionRows(userId), 1);
    t.clock.advance(IDLE);
    assert.equal((await me(cookie)).statusCode, 401);
    assert.equal(sessionRows(userId), 0);
    t.clock.advance(-IDLE); // even back in time, the row is gone
    assert.equal((await me(cookie)).statusCode, 401);
  });

  it('logout ends this session only: the same user’s other devices stay signed in', async () => {
    const userId = pole.userIds[pole.userA]!;
    const laptop = await login(t.app, pole.userA);
    const phone = await login(t.app, pole.userA);
    assert.equal(sessionRows(userId), 2);
    const out = await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: laptop } });
    assert.equal(out.statusCode, 204);
    assert.match(String(out.headers['set-cookie']), new RegExp(`${SESSION_COOKIE}=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)`), 'the cookie is cleared');
    assert.equal(sessionRows(userId), 1);
    assert.equal((await me(laptop)).statusCode, 401, 'the logged-out cookie is dead even if the browser kept it');
    assert.equal((await me(phone)).statusCode, 200);
    // Logging out again, or with garbage, is harmless and touches no other session.
    for (const cookie of [laptop, `${SESSION_COOKIE}=garbage`, `${SESSION_COOKIE}=${'x'.repeat(5000)}`, '']) {
      assert.equal((await t.app.inject({ method: 'POST', url: '/api/auth/logout', headers: cookie ? { cookie } : {} })).statusCode, 204);
    }
    assert.equal((await me(phone)).statusCode, 200);
  });

  it('disabling a user ends every one of its sessions for good; re-enabling does not revive them', async () => {
    const userId = pole.userIds[pole.userA]!;
    const devices = [await login(t.app, pole.userA), await login(t.app, pole.userA), newSession(userId)];
    const other = await login(t.app, pole.userB);
    const admin = await login(t.app, pole.adminA);
    const patch = (active: boolean) => t.app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: { cookie: admin }, payload: { active } });
    assert.equal((await patch(false)).statusCode, 200);
    assert.equal(sessionRows(userId), 0);
    for (const cookie of devices) assert.equal((await me(cookie)).statusCode, 401);
    assert.equal((await me(other)).statusCode, 200, 'other users keep their sessions');
    assert.equal((await patch(true)).statusCode, 200);
    for (const cookie of devices) assert.equal((await me(cookie)).statusCode, 401, 're-enabled, yet the old sessions stay dead');
    assert.equal((await me(await login(t.app, pole.userA))).statusCode, 200, 'a new login works');
  });

  it('a disabled user’s session ends even when the flag is flipped behind the API’s back', async () => {
    const userId = pole.userIds[pole.userA]!;
    const cookie = await login(t.app, pole.userA);
    t.store.sqlite.prepare('UPDATE users SET active = 0 WHERE id = ?').run(userId);
    assert.equal((await me(cookie)).statusCode, 401);
    assert.equal(sessionRows(userId), 0);
  });

  it('an administrator resetting a password ends that user’s sessions', async () => {
    const userId = pole.userIds[pole.userA]!;
    const cookie = await login(t.app, pole.userA);
    const admin = await login(t.app, pole.adminA);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${userId}`, headers: { cookie: admin }, payload: { password: 'another long password' } });
    assert.equal(res.statusCode, 200);
    assert.equal((await me(cookie)).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email: pole.userA, password: TEST_PASSWORD } })).statusCode, 401);
  });

  it('forged tokens never pass and never end the real session', async () => {
    const cookie = await login(t.app, pole.userA);
    const token = decodeURIComponent(cookie.slice(SESSION_COOKIE.length + 1));
    const [id, secret] = token.split('.') as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith('a') ? 'b' : 'a');
    const other = decodeURIComponent((await login(t.app, pole.userB)).slice(SESSION_COOKIE.length + 1));
    const forgeries = [
      `${id}.${flipped}`,
      `${id}.`,
      `${id}`,
      `.${secret}`,
      `${id}.${other.split('.')[1]}`, // this id, another session's valid secret
      `${other.split('.')[0]}.${secret}`,
      `${id}.${secret}.extra`,
      `${id}.${secret}`.toUpperCase(),
      `${id}.${'a'.repeat(300)}`,
      `' OR 1=1 --.${secret}`,
    ];
    for (const forged of forgeries) {
      const res = await me(`${SESSION_COOKIE}=${encodeURIComponent(forged)}`);
      assert.equal(res.statusCode, 401, `forged ${forged.slice(0, 40)}`);
    }
    assert.equal((await me(cookie)).statusCode, 200, 'the real session survived every forgery');
  });

  it('a role change applies on the very next request of an open session', async () => {
    const adminId = pole.userIds[pole.adminA]!;
    const cookie = await login(t.app, pole.adminA);
    const edit = () => t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberA}`, headers: { cookie }, payload: { address: 'Ailleurs' } });
    assert.equal((await edit()).statusCode, 200);
    const coordinator = await login(t.app, pole.coordinator);
    assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/users/${adminId}`, headers: { cookie: coordinator }, payload: { role: 'member' } })).statusCode, 200);
    assert.equal((await edit()).statusCode, 403, 'demoted: no longer an administrator');
    assert.equal((await me(cookie)).json().role, 'member');
  });
});
