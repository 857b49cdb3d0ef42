import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';

type Method = 'GET' | 'POST' | 'PATCH';

describe('GET /api/availability/next and series that book only their free dates', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let userA: string;
  let userB: string;
  let room: number;
  let office: number;

  const send = (method: Method, url: string, cookie: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = (res: LightMyRequestResponse, status = 200) => {
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  };
  const next = async (cookie: string, query: string) =>
    (ok(await send('GET', `/api/availability/next?${query}`, cookie)).items as { resourceId: number; start: string; end: string }[]).map((s) => [s.resourceId, s.start, s.end]);

  beforeEach(async () => {
    // Wednesday 18 November 2026, 10:20 in Paris.
    t = await buildTestApp({ now: '2026-11-18T10:20:00+01:00' });
    pole = await seedPole(t.store);
    [coord, userA, userB] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.userA), login(t.app, pole.userB)]);
    const weekdays = Object.fromEntries(['1', '2', '3', '4', '5'].map((d) => [d, [['09:00', '12:00'], ['14:00', '18:00']]]));
    room = ok(await send('POST', '/api/resources', coord, { name: 'Salle', kind: 'room', capacity: 1, granularityMinutes: 30, bearerMemberId: pole.memberA, openingHours: weekdays }), 201).id;
    office = ok(await send('POST', '/api/resources', coord, { name: 'Bureau', kind: 'room', capacity: 1, granularityMinutes: 15, bearerMemberId: pole.memberA, openingHours: { '4': [['08:00', '10:00']] } }), 201).id;
  });
  afterEach(() => t.close());

  it('offers the next bookable slots: aligned after now, inside one opening period, around busy blocks, no weekend', async () => {
    // Busy Wednesday 14:00–15:00 and Thursday 9:00–12:00 (another structure's bookings still block).
    ok(await send('POST', '/api/bookings', userB, { resourceId: room, start: '2026-11-18T14:00:00+01:00', end: '2026-11-18T15:00:00+01:00' }), 201);
    ok(await send('POST', '/api/bookings', userB, { resourceId: room, start: '2026-11-19T09:00:00+01:00', end: '2026-11-19T12:00:00+01:00' }), 201);
    assert.deepEqual(await next(userA, `resourceIds=${room}&durationMinutes=60&limit=6`), [
      [room, '2026-11-18T10:30:00+01:00', '2026-11-18T11:30:00+01:00'],
      [room, '2026-11-18T15:00:00+01:00', '2026-11-18T16:00:00+01:00'],
      [room, '2026-11-18T16:00:00+01:00', '2026-11-18T17:00:00+01:00'],
      [room, '2026-11-18T17:00:00+01:00', '2026-11-18T18:00:00+01:00'],
      [room, '2026-11-19T14:00:00+01:00', '2026-11-19T15:00:00+01:00'],
      [room, '2026-11-19T15:00:00+01:00', '2026-11-19T16:00:00+01:00'],
    ]);
    // From Friday evening: Monday morning, never the weekend; slots never overlap one another.
    assert.deepEqual(await next(userA, `resourceIds=${room}&durationMinutes=150&from=2026-11-20T17:00:00%2B01:00&limit=3`), [
      [room, '2026-11-23T09:00:00+01:00', '2026-11-23T11:30:00+01:00'],
      [room, '2026-11-23T14:00:00+01:00', '2026-11-23T16:30:00+01:00'],
      [room, '2026-11-24T09:00:00+01:00', '2026-11-24T11:30:00+01:00'],
    ]);
  });

  it('merges several resources earliest first, and finds nothing longer than any opening period', async () => {
    assert.deepEqual(await next(userA, `resourceIds=${office},${room}&durationMinutes=120&from=2026-11-19T00:00:00%2B01:00&limit=3`), [
      [office, '2026-11-19T08:00:00+01:00', '2026-11-19T10:00:00+01:00'],
      [room, '2026-11-19T09:00:00+01:00', '2026-11-19T11:00:00+01:00'],
      [room, '2026-11-19T14:00:00+01:00', '2026-11-19T16:00:00+01:00'],
    ]);
    assert.deepEqual(await next(userA, `resourceIds=${office}&durationMinutes=180`), []);
  });

  it('refuses bad input with a clear 4xx and hides inactive resources from members', async () => {
    assert.equal((await send('GET', `/api/availability/next?resourceIds=${room}&durationMinutes=0`, userA)).statusCode, 400);
    assert.equal((await send('GET', `/api/availability/next?resourceIds=abc&durationMinutes=60`, userA)).statusCode, 400);
    assert.equal((await send('GET', `/api/availability/next?resourceIds=${room}&durationMinutes=60&from=demain`, userA)).statusCode, 400);
    assert.equal((await send('GET', `/api/availability/next?resourceIds=999&durationMinutes=60`, userA)).json().error.code, 'resource.not_found');
    assert.equal((await send('GET', `/api/availability/next?resourceIds=${room}&durationMinutes=60`, '')).statusCode, 401);
    ok(await send('PATCH', `/api/resources/${office}`, coord, { active: false }));
    assert.equal((await send('GET', `/api/availability/next?resourceIds=${office}&durationMinutes=60`, userA)).statusCode, 404);
    assert.deepEqual(await next(coord, `resourceIds=${office}&durationMinutes=60`), []);
  });

  it('every offered slot books: the slots are what POST /api/bookings accepts', async () => {
    const slots = await next(userA, `resourceIds=${room},${office}&durationMinutes=30&limit=12`);
    assert.equal(slots.length, 12);
    for (const [resourceId, start, end] of slots) ok(await send('POST', '/api/bookings', userA, { resourceId, start, end }), 201);
  });

  it('a series on working days with skipConflicts books the free dates in one go and lists the others', async () => {
    ok(await send('POST', '/api/bookings', userB, { resourceId: room, start: '2026-11-25T09:00:00+01:00', end: '2026-11-25T10:00:00+01:00' }), 201);
    const series = { resourceId: room, start: '2026-11-23T09:00:00+01:00', end: '2026-11-23T10:00:00+01:00', recurrence: { freq: 'daily', count: 5, weekdays: [1, 2, 3, 4, 5] } };
    // The default stays all or nothing.
    const before = dbFingerprint(t.store);
    const refused = await send('POST', '/api/bookings', userA, series);
    assert.equal(refused.statusCode, 409);
    assert.equal(dbFingerprint(t.store), before);

    const res = ok(await send('POST', '/api/bookings', userA, { ...series, recurrence: { ...series.recurrence, count: 6 }, skipConflicts: true }), 201);
    assert.deepEqual(
      res.occurrences.map((o: { start: string }) => o.start.slice(0, 10)),
      ['2026-11-23', '2026-11-24', '2026-11-26', '2026-11-27', '2026-11-30'],
      'six working days, the weekend left out, Wednesday taken',
    );
    assert.deepEqual(res.skipped, [{ start: '2026-11-25T09:00:00+01:00', end: '2026-11-25T10:00:00+01:00', reason: 'capacity', reasons: ['capacity'] }]);
    const stored = t.store.sqlite.prepare('SELECT count(*) AS n FROM bookings WHERE series_id = ?').get(res.seriesId) as { n: number };
    assert.equal(stored.n, 5);
    // Nothing free at all: still refused, nothing written.
    const again = dbFingerprint(t.store);
    const none = await send('POST', '/api/bookings', userA, { ...series, recurrence: { freq: 'weekly', interval: 2, count: 1 }, skipConflicts: true });
    assert.equal(none.statusCode, 409);
    assert.equal(dbFingerprint(t.store), again);
  });

  it('every N weeks with an end date', async () => {
    const res = ok(
      await send('POST', '/api/bookings', userA, { resourceId: room, start: '2026-11-23T14:00:00+01:00', end: '2026-11-23T15:00:00+01:00', recurrence: { freq: 'weekly', interval: 2, until: '2026-12-31' } }),
      201,
    );
    assert.deepEqual(res.occurrences.map((o: { start: string }) => o.start.slice(0, 10)), ['2026-11-23', '2026-12-07', '2026-12-21']);
  });
});
