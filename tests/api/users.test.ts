import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';

describe('users', () => {
  let t: TestApp;
  let pole: SeededPole;
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
  });
  afterEach(() => t.close());

  it('never serialises password hashes', async () => {
    const coord = await login(t.app, pole.coordinator);
    const res = await t.app.inject({ url: '/api/users', headers: { cookie: coord } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().items.length, 5);
    assert.doesNotMatch(res.body, /argon2|passwordHash|password/);
  });

  it('a member_admin creates users for its own structure only, and they can log in', async () => {
    const admin = await login(t.app, pole.adminA);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { email: 'New.Person@Test.fr', name: 'Nouvelle Personne', role: 'member', password: 'a long enough password' },
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.equal(res.json().memberId, pole.memberA);
    assert.equal(res.json().email, 'new.person@test.fr');
    await login(t.app, 'new.person@test.fr', 'a long enough password');

    const before = dbFingerprint(t.store);
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { email: 'x@test.fr', name: 'X', role: 'member', memberId: pole.memberB, password: 'a long enough password' },
    });
    assert.equal(other.statusCode, 403);
    const coordinator = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { email: 'y@test.fr', name: 'Y', role: 'coordinator', password: 'a long enough password' },
    });
    assert.equal(coordinator.statusCode, 403);
    const taken = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { email: pole.userB, name: 'Y', role: 'member', password: 'a long enough password' },
    });
    assert.equal(taken.statusCode, 409);
    const short = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: admin },
      payload: { email: 'z@test.fr', name: 'Z', role: 'member', password: 'short' },
    });
    assert.equal(short.statusCode, 400);
    assert.equal(dbFingerprint(t.store), before);
  });

  it('a plain member cannot create users, sees only its structure, and cannot change others', async () => {
    const member = await login(t.app, pole.userA);
    const create = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: { cookie: member },
      payload: { email: 'z@test.fr', name: 'Z', role: 'member', password: 'a long enough password' },
    });
    assert.equal(create.statusCode, 403);
    const list = await t.app.inject({ url: '/api/users', headers: { cookie: member } });
    assert.deepEqual(list.json().items.map((u: { memberId: number }) => u.memberId), [pole.memberA, pole.memberA]);
    assert.equal((await t.app.inject({ url: `/api/users?memberId=${pole.memberB}`, headers: { cookie: member } })).statusCode, 404);
    const before = dbFingerprint(t.store);
    const patchOther = await t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[pole.userB]}`, headers: { cookie: member }, payload: { name: 'pwned' } });
    assert.equal(patchOther.statusCode, 404);
    const patchColleague = await t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[pole.adminA]}`, headers: { cookie: member }, payload: { name: 'pwned' } });
    assert.equal(patchColleague.statusCode, 403);
    const promoteSelf = await t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[pole.userA]}`, headers: { cookie: member }, payload: { role: 'member_admin' } });
    assert.equal(promoteSelf.statusCode, 403);
    assert.equal(dbFingerprint(t.store), before);
    const rename = await t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[pole.userA]}`, headers: { cookie: member }, payload: { name: 'Alice' } });
    assert.equal(rename.statusCode, 200);
    assert.equal(rename.json().name, 'Alice');
  });

  it('an admin cannot disable itself', async () => {
    const admin = await login(t.app, pole.adminA);
    const res = await t.app.inject({ method: 'PATCH', url: `/api/users/${pole.userIds[pole.adminA]}`, headers: { cookie: admin }, payload: { active: false } });
    assert.equal(res.statusCode, 422);
  });
});
