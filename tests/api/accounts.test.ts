import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashSecret } from '../../server/auth/tokens';
import { buildTestApp, dbFingerprint, login, seedPole, TEST_PASSWORD, type SeededPole, type TestApp } from '../helpers/app';

/** Invitations: a single-use, expiring link to set one's password, made by the user's administrator. */
describe('accounts: invitation links', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
  });
  after(() => t.close());

  const invite = (cookie: string, userId: number) => t.app.inject({ method: 'POST', url: `/api/users/${userId}/invitation`, headers: { cookie } });
  const tokenOf = (url: string) => new URL(url).hash.slice(1);
  const describeLink = (token: string) => t.app.inject({ method: 'POST', url: '/api/auth/account-link', payload: { token } });
  const setPassword = (token: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/set-password', payload: { token, password } });

  it('a new user follows its link once: the password is set, the link is spent, earlier sessions end', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: coord },
      payload: { name: 'Nouvelle Recrue', email: 'recrue@alpha.test', role: 'member', memberId: pole.memberA, password: 'placeholder never told' },
    });
    assert.equal(created.statusCode, 201, created.body);
    const userId = created.json().id as number;
    const held = await login(t.app, 'recrue@alpha.test', 'placeholder never told');

    const res = await invite(coord, userId);
    assert.equal(res.statusCode, 201, res.body);
    const { url, expiresAt } = res.json();
    assert.match(url, /^http:\/\/127\.0\.0\.1:3000\/set-password#[a-z0-9]+\.[a-z0-9]+$/);
    assert.equal(Date.parse(expiresAt) - t.clock.now(), 7 * 86_400_000);
    const token = tokenOf(url);
    const [id, secret] = token.split('.') as [string, string];
    const stored = t.store.sqlite.prepare('SELECT secret_hash FROM account_tokens WHERE id = ?').pluck().get(id) as Buffer;
    assert.deepEqual(new Uint8Array(stored), hashSecret(secret), 'only the SHA-256 of the secret is stored');

    const info = await describeLink(token);
    assert.equal(info.statusCode, 200);
    assert.deepEqual(info.json(), { purpose: 'invitation', email: 'recrue@alpha.test', name: 'Nouvelle Recrue', expiresAt });
    assert.equal((await setPassword(token, 'ma phrase de passe à moi')).statusCode, 204);
    await login(t.app, 'recrue@alpha.test', 'ma phrase de passe à moi');
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: held } })).statusCode, 401, 'a session opened before ends');

    const again = await setPassword(token, 'quelqu’un d’autre après');
    assert.equal(again.statusCode, 404);
    assert.equal(again.json().error.code, 'account.link_invalid');
    assert.equal((await describeLink(token)).statusCode, 404);
    await login(t.app, 'recrue@alpha.test', 'ma phrase de passe à moi');
  });

  it('a link expires, a newer link replaces the older, and a forged secret is refused, all alike and writing nothing', async () => {
    const userId = pole.userIds[pole.userB]!;
    const first = tokenOf((await invite(coord, userId)).json().url);
    const second = tokenOf((await invite(coord, userId)).json().url);
    const fingerprint = dbFingerprint(t.store);
    for (const token of [first, `${second.split('.')[0]}.${'a'.repeat(32)}`, 'nothing.here', 'x']) {
      const res = await setPassword(token, 'une tentative quelconque');
      assert.ok([400, 404].includes(res.statusCode), `${token}: ${res.statusCode}`);
      if (res.statusCode === 404) assert.equal(res.json().error.code, 'account.link_invalid');
    }
    assert.equal(dbFingerprint(t.store), fingerprint);
    t.clock.advance(7 * 86_400_000);
    assert.equal((await setPassword(second, 'trop tard pour celle-ci')).statusCode, 404, 'expired after 7 days');
    await login(t.app, pole.userB, TEST_PASSWORD);
    t.clock.advance(-7 * 86_400_000);
  });

  it('only the user’s administrators invite: a member no, another structure’s admin sees no such user', async () => {
    const target = pole.userIds[pole.userA]!;
    const member = await login(t.app, pole.userB);
    assert.equal((await invite(member, target)).statusCode, 403);
    const otherAdmin = await login(t.app, pole.adminB);
    assert.equal((await invite(otherAdmin, target)).statusCode, 404);
    const ownAdmin = await login(t.app, pole.adminB);
    assert.equal((await invite(ownAdmin, pole.userIds[pole.userB]!)).statusCode, 201);
    const res = await invite(coord, 99_999);
    assert.equal(res.statusCode, 404);
  });

  it('refuses a short password and a malformed body with 400, writing nothing', async () => {
    const token = tokenOf((await invite(coord, pole.userIds[pole.userA]!)).json().url);
    const fingerprint = dbFingerprint(t.store);
    assert.equal((await setPassword(token, 'court')).statusCode, 400);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/auth/set-password', payload: { token } })).statusCode, 400);
    assert.equal(dbFingerprint(t.store), fingerprint);
    assert.equal((await setPassword(token, 'maintenant assez longue')).statusCode, 204);
  });
});

describe('accounts: one’s own sessions', () => {
  let t: TestApp;
  let pole: SeededPole;
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
  });
  after(() => t.close());

  it('lists them, the current one marked, and « se déconnecter partout » ends every other one only', async () => {
    const laptop = await login(t.app, pole.userA);
    t.clock.advance(120_000);
    const phone = await login(t.app, pole.userA);
    const other = await login(t.app, pole.userB);
    const list = await t.app.inject({ url: '/api/me/sessions', headers: { cookie: phone } });
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().items.map((s: { current: boolean }) => s.current),
      [true, false],
      'two sessions of A, the phone’s first (latest used)',
    );
    assert.equal((await t.app.inject({ method: 'DELETE', url: '/api/me/sessions', headers: { cookie: phone } })).statusCode, 204);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: laptop } })).statusCode, 401);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: phone } })).statusCode, 200);
    assert.equal((await t.app.inject({ url: '/api/me', headers: { cookie: other } })).statusCode, 200, 'another user’s session stays');
    assert.equal((await t.app.inject({ url: '/api/me/sessions' })).statusCode, 401);
  });
});
