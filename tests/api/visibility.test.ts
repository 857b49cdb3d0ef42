import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildTestApp, login, seedPole } from '../helpers/app';
import { insertBooking, insertResource } from '../helpers/closing';

describe('what members no longer see', () => {
  it('an inactive resource is invisible to members everywhere: feeds (new and existing) and busy times', async () => {
    const t = await buildTestApp(); // 2026-11-16
    try {
      const pole = await seedPole(t.store);
      const resourceId = insertResource(t.store, { name: 'Studio', bearerMemberId: pole.memberA });
      insertBooking(t.store, { resourceId, memberId: pole.memberB, userId: pole.userIds[pole.userB]!, start: '2026-11-20T09:00:00Z', end: '2026-11-20T10:00:00Z' });
      const member = await login(t.app, pole.userA);
      const coordinator = await login(t.app, pole.coordinator);
      const busy = () => t.app.inject({ url: `/api/bookings?resourceId=${resourceId}&from=2026-11-16T00:00:00Z&to=2026-11-30T00:00:00Z`, headers: { cookie: member } });
      const createFeed = (cookie: string) => t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie }, payload: { scope: 'resource', resourceId } });

      assert.equal((await busy()).json().items.length, 1, 'B’s booking shows as busy while the resource is active');
      const feed = await createFeed(member);
      assert.equal(feed.statusCode, 201);
      const feedPath = new URL(feed.json().url).pathname;
      assert.equal((await t.app.inject({ url: feedPath })).statusCode, 200);

      t.store.sqlite.prepare('UPDATE resources SET active = 0 WHERE id = ?').run(resourceId);
      assert.equal((await t.app.inject({ url: `/api/resources/${resourceId}`, headers: { cookie: member } })).statusCode, 404, 'as before');
      assert.deepEqual((await busy()).json().items, [], 'no busy time of an inactive resource');
      const refused = await createFeed(member);
      assert.equal(refused.statusCode, 404);
      assert.equal(refused.json().error.code, 'resource.not_found');
      assert.equal((await t.app.inject({ url: feedPath })).statusCode, 404, 'the existing feed stops');
      assert.equal((await createFeed(coordinator)).statusCode, 201, 'coordinators still see it');
      const all = await t.app.inject({ url: `/api/bookings?resourceId=${resourceId}&from=2026-11-16T00:00:00Z&to=2026-11-30T00:00:00Z`, headers: { cookie: coordinator } });
      assert.equal(all.json().items.length, 1);
    } finally {
      await t.close();
    }
  });

  it('a disabled user’s feeds are revoked: re-enabling the user does not bring them back', async () => {
    const t = await buildTestApp();
    try {
      const pole = await seedPole(t.store);
      const user = await login(t.app, pole.userA);
      const admin = await login(t.app, pole.adminA);
      const feed = await t.app.inject({ method: 'POST', url: '/api/feeds', headers: { cookie: user }, payload: { scope: 'member', memberId: pole.memberA } });
      const path = new URL(feed.json().url).pathname;
      assert.equal((await t.app.inject({ url: path })).statusCode, 200);
      const id = pole.userIds[pole.userA];
      assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: { cookie: admin }, payload: { active: false } })).statusCode, 200);
      assert.equal((await t.app.inject({ url: path })).statusCode, 404);
      assert.equal((await t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: { cookie: admin }, payload: { active: true } })).statusCode, 200);
      assert.equal((await t.app.inject({ url: path })).statusCode, 404, 'still revoked after re-enabling');
      const row = t.store.sqlite.prepare('SELECT revoked_at AS revokedAt FROM feeds WHERE user_id = ?').get(id) as { revokedAt: number | null };
      assert.ok(row.revokedAt !== null);
    } finally {
      await t.close();
    }
  });
});
