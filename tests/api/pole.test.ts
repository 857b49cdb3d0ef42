import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';

/** Pole settings (issue #10): the grouping it names, and a time zone that is valid and stays once a month is closed. */
describe('pole settings', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
  });
  afterEach(() => t.close());

  const patch = (payload: Record<string, unknown>, cookie = coord) => t.app.inject({ method: 'PATCH', url: '/api/pole', headers: { cookie }, payload });

  it('names its grouping (or none); an unknown member is 404 and only coordinators may', async () => {
    const res = await patch({ groupingMemberId: pole.memberC });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.json().groupingMemberId, pole.memberC);
    assert.equal((await patch({ groupingMemberId: null })).json().groupingMemberId, null);
    assert.equal((await patch({ groupingMemberId: 999 })).statusCode, 404);
    assert.equal((await patch({ groupingMemberId: pole.memberA }, await login(t.app, pole.adminA))).statusCode, 403);
  });

  it('accepts only zones Intl knows, writing nothing otherwise', async () => {
    const before = dbFingerprint(t.store);
    for (const zone of ['UTC+5', 'system', 'local', 'Mars/Olympus']) {
      const res = await patch({ timeZone: zone });
      assert.equal(res.statusCode, 422, zone);
      assert.equal(res.json().error.code, 'pole.invalid_time_zone');
    }
    assert.equal(dbFingerprint(t.store), before);
    assert.equal((await patch({ timeZone: 'America/Martinique' })).statusCode, 200);
  });

  it('locks the zone once a month is closed (409), the same zone still being accepted', async () => {
    seedOctober(t.store, pole);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } })).statusCode, 201);
    const res = await patch({ timeZone: 'America/Martinique' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'pole.zone_locked');
    assert.equal((await patch({ timeZone: 'Europe/Paris', paymentTermsDays: 45 })).statusCode, 200);
  });
});
