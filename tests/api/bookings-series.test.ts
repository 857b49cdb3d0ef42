import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe('recurring bookings', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let userA: string;
  let userB: string;
  let room: number;

  const send = (method: Method, url: string, cookie: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const ok = (res: LightMyRequestResponse, status = 200) => {
    assert.equal(res.statusCode, status, res.body);
    return res.json();
  };
  const weekly = (extra: Record<string, unknown> = {}) => ({
    resourceId: room,
    start: '2026-10-14T09:00:00+02:00',
    end: '2026-10-14T11:00:00+02:00',
    note: 'Répétition hebdomadaire',
    recurrence: { freq: 'weekly', count: 4 },
    ...extra,
  });

  beforeEach(async () => {
    // Early October: the series below crosses the end of summer time (25 October).
    t = await buildTestApp({ now: '2026-10-01T10:00:00+02:00' });
    pole = await seedPole(t.store);
    [coord, userA, userB] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.userA), login(t.app, pole.userB)]);
    room = ok(
      await send('POST', '/api/resources', coord, {
        name: 'Salle de répétition',
        kind: 'room',
        capacity: 1,
        bearerMemberId: pole.memberA,
        openingHours: { '1': [['08:00', '23:00']], '3': [['08:00', '23:00']], '5': [['08:00', '23:00']] },
        blackouts: [{ start: '2026-11-04T00:00:00+01:00', end: '2026-11-05T00:00:00+01:00', reason: 'Désinfection' }],
      }),
      201,
    ).id;
  });
  afterEach(() => t.close());

  it('creates every occurrence at the same local time across the DST change', async () => {
    const res = ok(await send('POST', '/api/bookings', userA, weekly({ recurrence: { freq: 'weekly', count: 3 } })), 201);
    assert.equal(res.occurrences.length, 3);
    assert.deepEqual(
      res.occurrences.map((o: { start: string; end: string; originalStart: string }) => [o.start, o.end, o.originalStart]),
      [
        ['2026-10-14T09:00:00+02:00', '2026-10-14T11:00:00+02:00', '2026-10-14T09:00:00+02:00'],
        ['2026-10-21T09:00:00+02:00', '2026-10-21T11:00:00+02:00', '2026-10-21T09:00:00+02:00'],
        ['2026-10-28T09:00:00+01:00', '2026-10-28T11:00:00+01:00', '2026-10-28T09:00:00+01:00'],
      ],
    );
    const seriesId = res.seriesId;
    assert.ok(Number.isInteger(seriesId));
    assert.ok(res.occurrences.every((o: { seriesId: number; status: string; note: string }) => o.seriesId === seriesId && o.status === 'confirmed' && o.note === 'Répétition hebdomadaire'));
    assert.equal(res.id, res.occurrences[0].id, 'the answer is the first occurrence');
    const series = t.store.sqlite.prepare('SELECT resource_id, member_id, rule FROM booking_series WHERE id = ?').get(seriesId) as Record<string, unknown>;
    assert.deepEqual(JSON.parse(series.rule as string), { freq: 'weekly', interval: 1, count: 3 });
    assert.equal(series.member_id, pole.memberA);
  });

  it('is all or nothing: a refusal lists every conflicting occurrence with its reason', async () => {
    ok(await send('POST', '/api/bookings', userB, { resourceId: room, start: '2026-10-28T10:00:00+01:00', end: '2026-10-28T12:00:00+01:00' }), 201);
    const before = dbFingerprint(t.store);
    const res = await send('POST', '/api/bookings', userA, weekly());
    assert.equal(res.statusCode, 409, res.body);
    const error = res.json().error;
    assert.equal(error.code, 'booking.conflict');
    assert.deepEqual(error.details.conflicts, [
      { start: '2026-10-28T09:00:00+01:00', end: '2026-10-28T11:00:00+01:00', reason: 'capacity', reasons: ['capacity'] },
      { start: '2026-11-04T09:00:00+01:00', end: '2026-11-04T11:00:00+01:00', reason: 'in_blackout', reasons: ['in_blackout'] },
    ]);
    assert.equal(error.details.occurrences, 4);
    assert.equal(dbFingerprint(t.store), before, 'no occurrence and no series row written');
  });

  it('checks a series against itself: overlapping occurrences cannot exceed the capacity', async () => {
    const van = ok(await send('POST', '/api/resources', coord, { name: 'Camion', kind: 'equipment', capacity: 1, bearerMemberId: pole.memberA }), 201).id;
    const before = dbFingerprint(t.store);
    const res = await send('POST', '/api/bookings', userA, {
      resourceId: van,
      start: '2026-10-12T08:00:00+02:00',
      end: '2026-10-13T14:00:00+02:00',
      recurrence: { freq: 'daily', count: 3 },
    });
    assert.equal(res.statusCode, 409, res.body);
    // The second overlaps the first; the third only the refused second, so it would fit.
    assert.deepEqual(
      res.json().error.details.conflicts.map((c: { start: string; reason: string }) => [c.start, c.reason]),
      [['2026-10-13T08:00:00+02:00', 'capacity']],
    );
    assert.equal(dbFingerprint(t.store), before);
    ok(
      await send('POST', '/api/bookings', userA, {
        resourceId: van,
        start: '2026-10-12T08:00:00+02:00',
        end: '2026-10-13T08:00:00+02:00',
        recurrence: { freq: 'daily', count: 3 },
      }),
      201,
    );
  });

  it('moves one occurrence and cancels another alone; scope=series cancels the future ones left', async () => {
    const res = ok(await send('POST', '/api/bookings', userA, weekly({ recurrence: { freq: 'weekly', until: '2026-10-28' } })), 201);
    const [first, second, third] = res.occurrences as { id: number; seriesId: number; sequence: number }[];
    assert.equal(res.occurrences.length, 3);
    const afterThird = ok(await send('POST', '/api/bookings', userA, weekly({ start: '2026-11-11T09:00:00+01:00', end: '2026-11-11T11:00:00+01:00', recurrence: { freq: 'weekly', count: 2 } })), 201);

    // Move the second occurrence to Friday afternoon: it stays in its series and remembers where it was.
    const moved = ok(await send('PATCH', `/api/bookings/${second!.id}`, userA, { start: '2026-10-23T14:00:00+02:00', end: '2026-10-23T16:00:00+02:00' }));
    assert.equal(moved.seriesId, res.seriesId);
    assert.equal(moved.originalStart, '2026-10-21T09:00:00+02:00');
    assert.equal(moved.start, '2026-10-23T14:00:00+02:00');
    assert.equal(moved.sequence, 1);
    // The freed Wednesday slot can be booked by someone else.
    ok(await send('POST', '/api/bookings', userB, { resourceId: room, start: '2026-10-21T09:00:00+02:00', end: '2026-10-21T11:00:00+02:00' }), 201);

    // Cancel the third alone.
    const cancelled = ok(await send('DELETE', `/api/bookings/${third!.id}`, userA));
    assert.equal(cancelled.status, 'cancelled');
    assert.equal(cancelled.sequence, 1);
    const get = async (id: number) => ok(await send('GET', `/api/bookings/${id}`, userA));
    assert.equal((await get(first!.id)).status, 'confirmed');
    assert.equal((await get(first!.id)).sequence, 0, 'the others are untouched');
    assert.equal((await get(second!.id)).status, 'confirmed');

    // Another structure cannot cancel the series.
    assert.equal((await send('DELETE', `/api/bookings/${first!.id}?scope=series`, userB)).statusCode, 404);

    // After the first occurrence has passed, scope=series cancels the future ones still active: the moved one.
    t.clock.set('2026-10-15T00:00:00+02:00');
    userA = await login(t.app, pole.userA); // two weeks later: the old session has expired
    const all = ok(await send('DELETE', `/api/bookings/${first!.id}?scope=series`, userA));
    assert.deepEqual(all.occurrences.map((o: { id: number }) => o.id), [second!.id]);
    assert.equal(all.occurrences[0].status, 'cancelled');
    assert.equal(all.occurrences[0].sequence, 2);
    assert.equal(all.status, 'confirmed', 'the past first occurrence is kept as it was');
    assert.equal((await get(third!.id)).sequence, 1, 'already cancelled: not touched again');
    assert.equal((await get(afterThird.id)).status, 'confirmed', 'another series is not touched');
    const statuses = t.store.sqlite.prepare('SELECT status, count(*) AS n FROM bookings WHERE series_id = ? GROUP BY status ORDER BY status').all(res.seriesId);
    assert.deepEqual(statuses, [
      { status: 'cancelled', n: 2 },
      { status: 'confirmed', n: 1 },
    ]);
  });

  it('a coordinator recording a past series meets closed months in the refusal', async () => {
    t.store.sqlite.prepare('INSERT INTO closings (month, closed_at) VALUES (?, ?)').run('2026-09', Date.now());
    const before = dbFingerprint(t.store);
    const res = await send('POST', '/api/bookings', coord, {
      resourceId: room,
      memberId: pole.memberB,
      start: '2026-09-23T09:00:00+02:00',
      end: '2026-09-23T10:00:00+02:00',
      recurrence: { freq: 'weekly', count: 3 },
    });
    assert.equal(res.statusCode, 409, res.body);
    assert.deepEqual(
      res.json().error.details.conflicts.map((c: { start: string; reason: string }) => [c.start, c.reason]),
      [['2026-09-23T09:00:00+02:00', 'month_closed'], ['2026-09-30T09:00:00+02:00', 'month_closed']],
    );
    assert.equal(dbFingerprint(t.store), before);
    // Members cannot book the past at all: every past occurrence is refused as such.
    const member = await send('POST', '/api/bookings', userA, { ...weekly(), start: '2026-09-30T09:00:00+02:00', end: '2026-09-30T11:00:00+02:00' });
    assert.deepEqual(member.json().error.details.conflicts.map((c: { reason: string }) => c.reason), ['in_past']);
  });
});
