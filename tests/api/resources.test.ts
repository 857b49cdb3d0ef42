import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { allocationRuleFor } from '../../server/resources/repository';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';

describe('resources', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let userA: string;
  const send = (method: 'GET' | 'POST' | 'PATCH', url: string, cookie: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = (res: LightMyRequestResponse, status = 200) => {
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  };
  const minimal = () => ({ name: 'Camion 20 m³', kind: 'equipment', capacity: 1, bearerMemberId: pole.memberA });

  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
    userA = await login(t.app, pole.userA);
  });
  afterEach(() => t.close());

  it('a resource created with only name, kind, capacity and bearer gets the defaults', async () => {
    const r = ok(await send('POST', '/api/resources', coord, minimal()), 201);
    assert.deepEqual(r, {
      id: r.id,
      name: 'Camion 20 m³',
      kind: 'equipment',
      category: null,
      capacity: 1,
      bearerMemberId: pole.memberA,
      granularityMinutes: 15,
      minMinutes: null,
      maxMinutes: null,
      openingHours: null,
      blackouts: [],
      horizonDays: 365,
      requiresApproval: false,
      active: true,
      vatRate: 20,
      managementFeesAgreed: false,
      allowance: null,
      allocation: { rule: 'usage', weights: null, fixedPercent: null, rateCents: null },
      allocationFrom: null,
    });
    assert.deepEqual(ok(await send('GET', `/api/resources/${r.id}`, userA)), r);
    assert.deepEqual(ok(await send('GET', '/api/resources', userA)).items, [r]);
  });

  it('stores opening hours, blackouts (in the pole zone, sorted) and every setting', async () => {
    const r = ok(
      await send('POST', '/api/resources', coord, {
        ...minimal(),
        name: 'Salle de répétition',
        kind: 'room',
        category: 'Salles',
        capacity: 2,
        granularityMinutes: 30,
        minMinutes: 60,
        maxMinutes: 240,
        openingHours: { '3': [['14:00', '18:00'], ['09:00', '12:00']], '1': [['09:00', '18:00']] },
        blackouts: [
          { start: '2026-12-24T00:00:00Z', end: '2026-12-26T00:00:00+01:00', reason: 'Noël' },
          { start: '2026-12-01T09:00:00+01:00', end: '2026-12-01T12:00:00+01:00' },
        ],
        horizonDays: 90,
        requiresApproval: true,
      }),
      201,
    );
    assert.deepEqual(r.openingHours, { '1': [['09:00', '18:00']], '3': [['09:00', '12:00'], ['14:00', '18:00']] });
    assert.deepEqual(r.blackouts, [
      { start: '2026-12-01T09:00:00+01:00', end: '2026-12-01T12:00:00+01:00' },
      { start: '2026-12-24T01:00:00+01:00', end: '2026-12-26T00:00:00+01:00', reason: 'Noël' },
    ]);
    assert.equal(r.category, 'Salles');
    assert.equal(r.requiresApproval, true);
    assert.equal(r.horizonDays, 90);
  });

  it('only coordinators create and change resources; members see active ones only', async () => {
    const before = dbFingerprint(t.store);
    assert.equal((await send('POST', '/api/resources', userA, minimal())).statusCode, 403);
    assert.equal((await send('POST', '/api/resources', await login(t.app, pole.adminA), minimal())).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/resources' })).statusCode, 401);
    assert.equal(dbFingerprint(t.store), before);
    const r = ok(await send('POST', '/api/resources', coord, minimal()), 201);
    assert.equal((await send('PATCH', `/api/resources/${r.id}`, userA, { name: 'Mine' })).statusCode, 403);
    const off = ok(await send('PATCH', `/api/resources/${r.id}`, coord, { active: false, name: 'Ancien camion' }));
    assert.equal(off.active, false);
    assert.equal(off.name, 'Ancien camion');
    assert.deepEqual(ok(await send('GET', '/api/resources', userA)).items, []);
    assert.equal(ok(await send('GET', `/api/resources/${r.id}`, userA), 404).error.code, 'resource.not_found');
    assert.equal(ok(await send('GET', '/api/resources', coord)).items.length, 1);
    assert.equal(ok(await send('GET', `/api/resources/${r.id}`, coord)).active, false);
    assert.equal(ok(await send('GET', '/api/resources/999', coord), 404).error.code, 'resource.not_found');
  });

  it('refuses bad input with clear codes and writes nothing', async () => {
    const before = dbFingerprint(t.store);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'x' }, 400, 'validation.failed'],
      [{ ...minimal(), capacity: '3' }, 400, 'validation.failed'],
      [{ ...minimal(), capacity: 0 }, 400, 'validation.failed'],
      [{ ...minimal(), kind: 'spaceship' }, 400, 'validation.failed'],
      [{ ...minimal(), isAdmin: true }, 400, 'validation.failed'],
      [{ ...minimal(), name: 'x'.repeat(1_000_000) }, 400, 'validation.failed'],
      [{ ...minimal(), bearerMemberId: 999 }, 404, 'member.not_found'],
      [{ ...minimal(), granularityMinutes: 7 }, 422, 'resource.invalid_durations'],
      [{ ...minimal(), minMinutes: 120, maxMinutes: 60 }, 422, 'resource.invalid_durations'],
      [{ ...minimal(), openingHours: { '1': [['18:00', '09:00']] } }, 422, 'resource.invalid_opening_hours'],
      [{ ...minimal(), openingHours: { '1': [['09:00', '12:00'], ['11:00', '13:00']] } }, 422, 'resource.invalid_opening_hours'],
      [{ ...minimal(), openingHours: { '8': [['09:00', '12:00']] } }, 400, 'validation.failed'],
      [{ ...minimal(), openingHours: { '1': [['9h', '12h']] } }, 400, 'validation.failed'],
      [{ ...minimal(), openingHours: { '1': [['09:00']] } }, 400, 'validation.failed'],
      [{ ...minimal(), blackouts: [{ start: '2026-02-30T10:00:00+01:00', end: '2026-03-01T10:00:00+01:00' }] }, 400, 'validation.invalid_instant'],
      [{ ...minimal(), blackouts: [{ start: '2026-12-02T10:00:00+01:00', end: '2026-12-01T10:00:00+01:00' }] }, 422, 'resource.invalid_blackout'],
      [{ ...minimal(), blackouts: [{ start: 'tomorrow', end: '2026-12-01T10:00:00+01:00' }] }, 400, 'validation.failed'],
      [{ ...minimal(), allocation: { rule: 'mixed' } }, 422, 'resource.invalid_allocation'],
      [{ ...minimal(), allocation: { rule: 'mixed', fixedPercent: 101 } }, 400, 'validation.failed'],
      [{ ...minimal(), allocation: { rule: 'rate' } }, 422, 'resource.invalid_allocation'],
      [{ ...minimal(), allocation: { rule: 'rate', rateCents: -1 } }, 400, 'validation.failed'],
      [{ ...minimal(), allocation: { rule: 'usage', rateCents: 100 } }, 422, 'resource.invalid_allocation'],
      [{ ...minimal(), allocation: { rule: 'weights', weights: { '999': 2 } } }, 422, 'resource.invalid_allocation'],
      [{ ...minimal(), allocation: { rule: 'weights', weights: { abc: 2 } } }, 400, 'validation.failed'],
      [{ ...minimal(), allocation: { rule: 'weights', weights: { '1': 1.5 } } }, 400, 'validation.failed'],
      [{ ...minimal(), allocation: { rule: 'weights', weights: { '1': -1 } } }, 400, 'validation.failed'],
      [{ ...minimal(), allocation: { rule: 'weights', weights: { '1': 0 } } }, 422, 'resource.invalid_allocation'],
      [{ ...minimal(), allocation: { rule: 'equal' }, allocationFrom: '2026-13' }, 400, 'validation.failed'],
      [{ ...minimal(), allocationFrom: '2026-11' }, 422, 'resource.allocation_from_without_allocation'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await send('POST', '/api/resources', coord, payload);
      assert.equal(res.statusCode, status, `${JSON.stringify(payload).slice(0, 120)} → ${res.body.slice(0, 300)}`);
      assert.equal(res.json().error.code, code, JSON.stringify(payload).slice(0, 120));
    }
    const r = await send('PATCH', '/api/resources/1', coord, { name: 'x' });
    assert.equal(r.statusCode, 404);
    assert.equal(dbFingerprint(t.store), before);
    const created = ok(await send('POST', '/api/resources', coord, minimal()), 201);
    const afterCreate = dbFingerprint(t.store);
    for (const [payload, code] of [
      [{}, 'validation.failed'],
      [{ capacity: null }, 'validation.failed'],
      [{ granularityMinutes: 50 }, 'resource.invalid_durations'],
      [{ maxMinutes: 10 }, 'resource.invalid_durations'],
      [{ bearerMemberId: 12345 }, 'member.not_found'],
      [{ allocation: { rule: 'weights', weights: {} } }, 'resource.invalid_allocation'],
    ] as [Record<string, unknown>, string][]) {
      const res = await send('PATCH', `/api/resources/${created.id}`, coord, payload);
      assert.ok(res.statusCode >= 400 && res.statusCode < 500, res.body);
      assert.equal(res.json().error.code, code);
    }
    assert.equal(dbFingerprint(t.store), afterCreate);
    assert.equal((await send('GET', '/api/resources/abc', coord)).statusCode, 400);
  });

  it('keeps the history of allocation rules; GET shows the rule in force now', async () => {
    const r = ok(
      await send('POST', '/api/resources', coord, { ...minimal(), allocation: { rule: 'weights', weights: { [pole.memberA]: 3, [pole.memberB]: 1 } }, allocationFrom: '2026-09' }),
      201,
    );
    assert.deepEqual(r.allocation, { rule: 'weights', weights: { [pole.memberA]: 3, [pole.memberB]: 1 }, fixedPercent: null, rateCents: null });
    assert.equal(r.allocationFrom, '2026-09');

    // From January on: a mixed rule. Now (November) still follows the weights.
    const patched = ok(await send('PATCH', `/api/resources/${r.id}`, coord, { allocation: { rule: 'mixed', fixedPercent: 40 }, allocationFrom: '2027-01' }));
    assert.equal(patched.allocation.rule, 'weights');
    // Without allocationFrom: from the current month (2026-11 in Paris).
    const now = ok(await send('PATCH', `/api/resources/${r.id}`, coord, { allocation: { rule: 'rate', rateCents: 2500 } }));
    assert.deepEqual(now.allocation, { rule: 'rate', weights: null, fixedPercent: null, rateCents: 2500 });
    assert.equal(now.allocationFrom, '2026-11');

    const db = t.store.db;
    assert.equal(allocationRuleFor(db, r.id, '2026-08').rule, 'weights', 'before every rule: the first one');
    assert.equal(allocationRuleFor(db, r.id, '2026-10').rule, 'weights');
    assert.equal(allocationRuleFor(db, r.id, '2026-11').rule, 'rate');
    assert.equal(allocationRuleFor(db, r.id, '2026-12').rule, 'rate');
    // The rate decided later (from November) overrides the mixed rule planned from January.
    assert.equal(allocationRuleFor(db, r.id, '2027-02').rule, 'rate');
    ok(await send('PATCH', `/api/resources/${r.id}`, coord, { allocation: { rule: 'equal' }, allocationFrom: '2027-03' }));
    assert.equal(allocationRuleFor(db, r.id, '2027-02').rule, 'rate');
    assert.deepEqual(allocationRuleFor(db, r.id, '2027-03'), { rule: 'equal', weights: null, fixedPercent: null, rateCents: null, fromMonth: '2027-03' });
    const rows = t.store.sqlite.prepare('SELECT from_month, rule FROM allocation_rules WHERE resource_id = ? ORDER BY id').all(r.id);
    assert.equal(rows.length, 4, 'history kept');
    const plain = ok(await send('POST', '/api/resources', coord, { ...minimal(), name: 'Sans règle' }), 201);
    assert.deepEqual(allocationRuleFor(db, plain.id, '2026-11'), { rule: 'usage', weights: null, fixedPercent: null, rateCents: null, fromMonth: null });
  });

  it('refuses an allocation rule that would rewrite a closed month', async () => {
    const r = ok(await send('POST', '/api/resources', coord, { ...minimal(), allocation: { rule: 'equal' }, allocationFrom: '2026-01' }), 201);
    t.store.sqlite.prepare('INSERT INTO closings (month, closed_at) VALUES (?, ?)').run('2026-10', Date.now());
    const before = dbFingerprint(t.store);
    const res = await send('PATCH', `/api/resources/${r.id}`, coord, { allocation: { rule: 'usage' }, allocationFrom: '2026-10' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'month.closed');
    assert.equal(dbFingerprint(t.store), before);
    assert.equal(allocationRuleFor(t.store.db, r.id, '2026-10').rule, 'equal');
    ok(await send('PATCH', `/api/resources/${r.id}`, coord, { allocation: { rule: 'usage' }, allocationFrom: '2026-11' }));
    assert.equal(allocationRuleFor(t.store.db, r.id, '2026-10').rule, 'equal');
    assert.equal(allocationRuleFor(t.store.db, r.id, '2026-11').rule, 'usage');
  });

  it('refuses to lower the capacity below what bookings to come already hold', async () => {
    const r = ok(await send('POST', '/api/resources', coord, { ...minimal(), name: 'Portables', capacity: 3 }), 201);
    const book = (start: string, end: string, quantity: number) =>
      send('POST', '/api/bookings', userA, { resourceId: r.id, start, end, quantity });
    ok(await book('2026-11-20T09:00:00+01:00', '2026-11-20T12:00:00+01:00', 2), 201);
    ok(await book('2026-11-20T11:00:00+01:00', '2026-11-20T13:00:00+01:00', 1), 201);
    const res = await send('PATCH', `/api/resources/${r.id}`, coord, { capacity: 2 });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'resource.capacity_in_use');
    assert.equal(res.json().error.details.peak, 3);
    t.clock.set('2026-11-21T00:00:00+01:00');
    assert.equal(ok(await send('PATCH', `/api/resources/${r.id}`, coord, { capacity: 1 })).capacity, 1, 'past bookings do not hold it');
  });

  describe('availability', () => {
    const q = (id: number, from: string, to: string) => `/api/resources/${id}/availability?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;

    it('answers constant-free-capacity intervals honouring opening hours, blackouts and bookings', async () => {
      const r = ok(
        await send('POST', '/api/resources', coord, {
          ...minimal(),
          name: 'Portables',
          capacity: 3,
          openingHours: { '1': [['09:00', '18:00']], '2': [['09:00', '18:00']] },
          blackouts: [{ start: '2026-11-24T12:00:00+01:00', end: '2026-11-24T14:00:00+01:00', reason: 'Inventaire' }],
        }),
        201,
      );
      ok(await send('POST', '/api/bookings', userA, { resourceId: r.id, start: '2026-11-23T10:00:00+01:00', end: '2026-11-23T12:00:00+01:00', quantity: 2 }), 201);
      ok(await send('POST', '/api/bookings', coord, { resourceId: r.id, start: '2026-11-23T11:00:00+01:00', end: '2026-11-23T13:00:00+01:00', memberId: pole.memberB }), 201);
      const items = ok(await send('GET', q(r.id, '2026-11-23T00:00:00+01:00', '2026-11-25T00:00:00+01:00'), userA)).items;
      assert.deepEqual(items, [
        { start: '2026-11-23T00:00:00+01:00', end: '2026-11-23T09:00:00+01:00', free: 0 },
        { start: '2026-11-23T09:00:00+01:00', end: '2026-11-23T10:00:00+01:00', free: 3 },
        { start: '2026-11-23T10:00:00+01:00', end: '2026-11-23T11:00:00+01:00', free: 1 },
        { start: '2026-11-23T11:00:00+01:00', end: '2026-11-23T12:00:00+01:00', free: 0 },
        { start: '2026-11-23T12:00:00+01:00', end: '2026-11-23T13:00:00+01:00', free: 2 },
        { start: '2026-11-23T13:00:00+01:00', end: '2026-11-23T18:00:00+01:00', free: 3 },
        { start: '2026-11-23T18:00:00+01:00', end: '2026-11-24T09:00:00+01:00', free: 0 },
        { start: '2026-11-24T09:00:00+01:00', end: '2026-11-24T12:00:00+01:00', free: 3 },
        { start: '2026-11-24T12:00:00+01:00', end: '2026-11-24T14:00:00+01:00', free: 0 },
        { start: '2026-11-24T14:00:00+01:00', end: '2026-11-24T18:00:00+01:00', free: 3 },
        { start: '2026-11-24T18:00:00+01:00', end: '2026-11-25T00:00:00+01:00', free: 0 },
      ]);
    });

    it('is 0 before now for members (not for coordinators), beyond the horizon, and everywhere when inactive', async () => {
      const r = ok(await send('POST', '/api/resources', coord, { ...minimal(), horizonDays: 2 }), 201);
      const range = q(r.id, '2026-11-16T00:00:00+01:00', '2026-11-20T00:00:00+01:00');
      assert.deepEqual(ok(await send('GET', range, userA)).items, [
        { start: '2026-11-16T00:00:00+01:00', end: '2026-11-16T10:00:00+01:00', free: 0 },
        { start: '2026-11-16T10:00:00+01:00', end: '2026-11-18T10:00:00+01:00', free: 1 },
        { start: '2026-11-18T10:00:00+01:00', end: '2026-11-20T00:00:00+01:00', free: 0 },
      ]);
      assert.deepEqual(ok(await send('GET', range, coord)).items[0], { start: '2026-11-16T00:00:00+01:00', end: '2026-11-18T10:00:00+01:00', free: 1 });
      ok(await send('PATCH', `/api/resources/${r.id}`, coord, { active: false }));
      assert.deepEqual(ok(await send('GET', range, coord)).items, [{ start: '2026-11-16T00:00:00+01:00', end: '2026-11-20T00:00:00+01:00', free: 0 }]);
      assert.equal((await send('GET', range, userA)).statusCode, 404);
    });

    it('covers the 25-hour day of October in Paris', async () => {
      t.clock.set('2026-10-01T10:00:00+02:00');
      const r = ok(await send('POST', '/api/resources', coord, { ...minimal(), openingHours: { '7': [['00:00', '24:00']] } }), 201);
      const items = ok(await send('GET', q(r.id, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00'), userA)).items;
      assert.deepEqual(items, [{ start: '2026-10-25T00:00:00+02:00', end: '2026-10-26T00:00:00+01:00', free: 1 }]);
      const [day] = items as { start: string; end: string }[];
      assert.equal(Date.parse(day!.end) - Date.parse(day!.start), 25 * 3_600_000);
    });

    it('refuses bad ranges and unknown resources', async () => {
      const r = ok(await send('POST', '/api/resources', coord, minimal()), 201);
      const cases: [string, number, string][] = [
        [`/api/resources/${r.id}/availability`, 400, 'validation.failed'],
        [q(r.id, '2026-11-16T00:00:00+01:00', '2026-11-15T00:00:00+01:00'), 422, 'range.invalid'],
        [q(r.id, '2026-02-30T00:00:00+01:00', '2026-03-02T00:00:00+01:00'), 400, 'validation.invalid_instant'],
        [q(r.id, '2026-11-16', '2026-11-17'), 400, 'validation.invalid_instant'],
        [q(r.id, '2026-01-01T00:00:00Z', '2028-01-01T00:00:00Z'), 422, 'range.too_long'],
        [q(999, '2026-11-16T00:00:00+01:00', '2026-11-17T00:00:00+01:00'), 404, 'resource.not_found'],
        [`${q(r.id, '2026-11-16T00:00:00+01:00', '2026-11-17T00:00:00+01:00')}&extra=1`, 400, 'validation.failed'],
      ];
      for (const [url, status, code] of cases) {
        const res = await send('GET', url, userA);
        assert.equal(res.statusCode, status, `${url} → ${res.body}`);
        assert.equal(res.json().error.code, code, url);
      }
    });
  });
});
