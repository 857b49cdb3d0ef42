import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { ok, refused, sendAs } from '../helpers/inject';

describe('allowances: an included quantity per structure and month, hard or soft', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let userA: string;
  let userB: string;
  let accountant: number;

  const send = sendAs(() => t.app);
  const book = (cookie: string, start: string, end: string, extra: Record<string, unknown> = {}) =>
    send('POST', '/api/bookings', cookie, { resourceId: accountant, start, end, ...extra });
  const setAllowance = async (allowance: unknown) => ok(await send('PATCH', `/api/resources/${accountant}`, coord, { allowance }));
  const tenHours = { minutesPerMonth: 600, limit: 'hard' };

  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    [coord, userA, userB] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.userA), login(t.app, pole.userB)]);
    accountant = ok(await send('POST', '/api/resources', coord, { name: 'Comptable', kind: 'service', capacity: 3, granularityMinutes: 1, bearerMemberId: pole.memberA }), 201).id;
  });
  afterEach(() => t.close());

  it('PATCH sets, answers and removes an allowance; bad ones are refused and write nothing', async () => {
    assert.equal(ok(await send('GET', `/api/resources/${accountant}`, userA)).allowance, null);
    const r = await setAllowance({ ...tenHours, members: [{ memberId: pole.memberB, minutesPerMonth: 1200 }] });
    assert.deepEqual(r.allowance, { minutesPerMonth: 600, limit: 'hard', members: [{ memberId: pole.memberB, minutesPerMonth: 1200 }] });
    const before = dbFingerprint(t.store);
    refused(await send('PATCH', `/api/resources/${accountant}`, coord, { allowance: { minutesPerMonth: 600, limit: 'hard', members: [{ memberId: 999, minutesPerMonth: 1 }] } }), 422, 'resource.invalid_allowance');
    refused(
      await send('PATCH', `/api/resources/${accountant}`, coord, {
        allowance: { minutesPerMonth: 600, limit: 'hard', members: [{ memberId: pole.memberB, minutesPerMonth: 1 }, { memberId: pole.memberB, minutesPerMonth: 2 }] },
      }),
      422,
      'resource.invalid_allowance',
    );
    assert.equal((await send('PATCH', `/api/resources/${accountant}`, coord, { allowance: { minutesPerMonth: -1, limit: 'hard' } })).statusCode, 400);
    assert.equal((await send('PATCH', `/api/resources/${accountant}`, coord, { allowance: { minutesPerMonth: 60, limit: 'maybe' } })).statusCode, 400);
    refused(await send('PATCH', `/api/resources/${accountant}`, userA, { allowance: null }), 403, 'access.forbidden');
    assert.equal(dbFingerprint(t.store), before, 'refused changes write nothing');
    assert.equal((await setAllowance(null)).allowance, null);
  });

  it('hard: at 9 h 30 of 10 h a member books 30 min and is refused 31 min, with what is left stated; nothing written', async () => {
    await setAllowance(tenHours);
    ok(await book(userA, '2026-11-18T08:00:00+01:00', '2026-11-18T17:30:00+01:00'), 201);
    const before = dbFingerprint(t.store);
    const error = refused(await book(userA, '2026-11-19T09:00:00+01:00', '2026-11-19T09:31:00+01:00', {}), 409, 'booking.allowance_exceeded');
    assert.deepEqual(error.details, { month: '2026-11', limit: 'hard', allowanceMinutes: 600, usedMinutes: 570, remainingMinutes: 30, askedMinutes: 31 });
    assert.match(error.message, /30 min left/);
    assert.equal(dbFingerprint(t.store), before);
    ok(await book(userA, '2026-11-19T09:00:00+01:00', '2026-11-19T09:30:00+01:00'), 201);
    // Now at 10 h: even one minute more is refused, B's hour is its own.
    assert.equal(refused(await book(userA, '2026-11-20T09:00:00+01:00', '2026-11-20T09:01:00+01:00'), 409, 'booking.allowance_exceeded').details.remainingMinutes, 0);
    ok(await book(userB, '2026-11-20T09:00:00+01:00', '2026-11-20T10:00:00+01:00'), 201);
    // A coordinator booking for A is held to the same hard limit.
    refused(await book(coord, '2026-11-20T11:00:00+01:00', '2026-11-20T11:15:00+01:00', { memberId: pole.memberA }), 409, 'booking.allowance_exceeded');
    // December is a new month in Paris: its allowance is whole again.
    ok(await book(userA, '2026-12-01T00:00:00+01:00', '2026-12-01T01:00:00+01:00'), 201);
  });

  it('hard: quantity counts (minutes × units), cancelled bookings free their minutes, moves are checked without the booking itself', async () => {
    await setAllowance({ minutesPerMonth: 120, limit: 'hard' });
    refused(await book(userA, '2026-11-18T09:00:00+01:00', '2026-11-18T10:30:00+01:00', { quantity: 2 }), 409, 'booking.allowance_exceeded');
    const b = ok(await book(userA, '2026-11-18T09:00:00+01:00', '2026-11-18T10:00:00+01:00', { quantity: 2 }), 201);
    // Moving it keeps 120 minutes: allowed (it does not count against itself); growing it is not.
    ok(await send('PATCH', `/api/bookings/${b.id}`, userA, { start: '2026-11-19T09:00:00+01:00', end: '2026-11-19T10:00:00+01:00' }));
    refused(await send('PATCH', `/api/bookings/${b.id}`, userA, { end: '2026-11-19T10:15:00+01:00' }), 409, 'booking.allowance_exceeded');
    ok(await send('DELETE', `/api/bookings/${b.id}`, userA));
    ok(await book(userA, '2026-11-20T09:00:00+01:00', '2026-11-20T11:00:00+01:00'), 201);
  });

  it('per-member quantities override the default; a booking across two months counts in each (Paris months, not UTC)', async () => {
    await setAllowance({ minutesPerMonth: 60, limit: 'hard', members: [{ memberId: pole.memberB, minutesPerMonth: 0 }] });
    refused(await book(userB, '2026-11-18T09:00:00+01:00', '2026-11-18T09:15:00+01:00'), 409, 'booking.allowance_exceeded');
    // 30 Nov 23:00 → 1 Dec 00:30 Paris: 60 min in November, 30 in December. Only 60 are included per month.
    ok(await book(userA, '2026-11-30T23:00:00+01:00', '2026-12-01T00:30:00+01:00'), 201);
    const dec = refused(await book(userA, '2026-12-02T09:00:00+01:00', '2026-12-02T09:45:00+01:00'), 409, 'booking.allowance_exceeded');
    assert.deepEqual([dec.details.month, dec.details.usedMinutes, dec.details.remainingMinutes], ['2026-12', 30, 30]);
    // 23:15 UTC on 30 November is already December in Paris: it fits in December's 30 minutes left (November is full).
    ok(await book(userA, '2026-11-30T23:15:00Z', '2026-11-30T23:45:00Z'), 201);
    assert.equal(ok(await send('GET', `/api/members/${pole.memberA}/allowances?month=2026-12`, userA)).items[0].remainingMinutes, 0);
  });

  it('a month with the 25-hour day: the allowance counts real minutes (Paris, 25 October 2026)', async () => {
    t.clock.set('2026-10-01T10:00:00+02:00');
    await setAllowance({ minutesPerMonth: 25 * 60, limit: 'hard' });
    ok(await book(coord, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00', { memberId: pole.memberA }), 201);
    const e = refused(await book(coord, '2026-10-27T00:00:00+01:00', '2026-10-27T00:15:00+01:00', { memberId: pole.memberA }), 409, 'booking.allowance_exceeded');
    assert.deepEqual([e.details.month, e.details.usedMinutes], ['2026-10', 1500]);
  });

  it('soft: past the allowance a member’s booking goes to approval, within it stays confirmed; coordinators approve it', async () => {
    await setAllowance({ minutesPerMonth: 60, limit: 'soft' });
    assert.equal(ok(await book(userA, '2026-11-18T09:00:00+01:00', '2026-11-18T10:00:00+01:00'), 201).status, 'confirmed');
    const over = ok(await book(userA, '2026-11-19T09:00:00+01:00', '2026-11-19T09:15:00+01:00'), 201);
    assert.equal(over.status, 'pending');
    assert.equal(ok(await book(userB, '2026-11-19T09:00:00+01:00', '2026-11-19T09:15:00+01:00'), 201).status, 'confirmed', 'B has its own hour');
    assert.equal(ok(await send('PATCH', `/api/bookings/${over.id}`, coord, { status: 'confirmed' })).status, 'confirmed');
    const series = ok(
      await book(userB, '2026-11-23T09:00:00+01:00', '2026-11-23T09:30:00+01:00', { recurrence: { freq: 'weekly', count: 2 } }),
      201,
    );
    assert.deepEqual(series.occurrences.map((o: { status: string }) => o.status), ['confirmed', 'pending'], 'the occurrence past the hour waits');
  });

  it('availability and the member page show what is left this month; other structures’ allowances are not readable', async () => {
    await setAllowance(tenHours);
    ok(await book(userA, '2026-11-18T08:00:00+01:00', '2026-11-18T17:30:00+01:00'), 201);
    const q = `from=${encodeURIComponent('2026-11-18T00:00:00+01:00')}&to=${encodeURIComponent('2026-11-19T00:00:00+01:00')}`;
    const avail = ok(await send('GET', `/api/resources/${accountant}/availability?${q}`, userA));
    assert.deepEqual(avail.allowance, { month: '2026-11', limit: 'hard', allowanceMinutes: 600, usedMinutes: 570, remainingMinutes: 30 });
    assert.equal(ok(await send('GET', `/api/resources/${accountant}/availability?${q}`, coord)).allowance, undefined);
    const page = ok(await send('GET', `/api/members/${pole.memberA}/allowances`, userA)).items;
    assert.deepEqual(page, [{ resourceId: accountant, resourceName: 'Comptable', month: '2026-11', limit: 'hard', allowanceMinutes: 600, usedMinutes: 570, remainingMinutes: 30 }]);
    assert.equal(ok(await send('GET', `/api/members/${pole.memberA}/allowances?month=2026-12`, coord)).items[0].remainingMinutes, 600);
    refused(await send('GET', `/api/members/${pole.memberA}/allowances`, userB), 404, 'member.not_found');
  });

  it('history: a past month answers with the allowance it had, after the allowance changes, is removed and the resource deactivated', async () => {
    t.clock.set('2026-10-01T08:00:00+02:00');
    ok(await send('PATCH', `/api/resources/${accountant}`, coord, { allowance: tenHours, allocation: { rule: 'usage_over_allowance' } }));
    ok(await book(coord, '2026-10-05T08:00:00+02:00', '2026-10-05T17:30:00+02:00', { memberId: pole.memberA }), 201);
    t.clock.set('2026-11-16T10:00:00+01:00');
    // November: 5 h for everyone, 2 h for A.
    await setAllowance({ minutesPerMonth: 300, limit: 'soft', members: [{ memberId: pole.memberA, minutesPerMonth: 120 }] });
    const october = { resourceId: accountant, resourceName: 'Comptable', month: '2026-10', limit: 'hard', allowanceMinutes: 600, usedMinutes: 570, remainingMinutes: 30 };
    const read = async (month: string) => ok(await send('GET', `/api/members/${pole.memberA}/allowances?month=${month}`, userA)).items;
    assert.deepEqual(await read('2026-10'), [october]);
    assert.deepEqual(await read('2026-11'), [{ ...october, month: '2026-11', limit: 'soft', allowanceMinutes: 120, usedMinutes: 0, remainingMinutes: 120 }]);
    // October's close counts the 10 h October included, not November's 2 h: no overrun.
    ok(await send('POST', '/api/costs', coord, { resourceId: accountant, month: '2026-10', amountCents: 60_000, vatRate: 0, label: 'Honoraires', nature: 'subscription' }), 201);
    const a = ok(await send('GET', '/api/allocations?month=2026-10', coord)).rows.find((r: { resourceId: number; memberId: number }) => r.resourceId === accountant && r.memberId === pole.memberA);
    assert.deepEqual([a.basis.includedMinutes, a.basis.overrunMinutes], [600, 0]);
    // A booking recorded in October (still open) is checked against October's 10 h: 31 min more is refused.
    refused(await book(coord, '2026-10-06T08:00:00+02:00', '2026-10-06T08:31:00+02:00', { memberId: pole.memberA }), 409, 'booking.allowance_exceeded');
    // Removed, and the resource deactivated: October still reads as it was; November has none.
    await setAllowance(null);
    ok(await send('PATCH', `/api/resources/${accountant}`, coord, { active: false }));
    assert.deepEqual(await read('2026-10'), [october]);
    assert.deepEqual(await read('2026-11'), []);
  });

  it('rule usage_over_allowance through the API: included hours by weights (1:2:3), overruns by usage', async () => {
    ok(await send('PATCH', `/api/resources/${accountant}`, coord, { allowance: { minutesPerMonth: 600, limit: 'soft' }, allocation: { rule: 'usage_over_allowance' }, allocationFrom: '2026-10' }));
    t.clock.set('2026-10-01T08:00:00+02:00');
    // October: A 12 h (2 h over), B 8 h; 20 h used, 2 h over → 10 % of 600 € by usage (to A), 540 € by weights 1:2:3.
    ok(await book(coord, '2026-10-05T08:00:00+02:00', '2026-10-05T20:00:00+02:00', { memberId: pole.memberA }), 201);
    ok(await book(coord, '2026-10-06T08:00:00+02:00', '2026-10-06T16:00:00+02:00', { memberId: pole.memberB }), 201);
    t.clock.set('2026-11-16T10:00:00+01:00');
    ok(await send('POST', '/api/costs', coord, { resourceId: accountant, month: '2026-10', amountCents: 60_000, vatRate: 0, label: 'Honoraires', nature: 'subscription' }), 201);
    const rows = ok(await send('GET', '/api/allocations?month=2026-10', coord)).rows.filter((r: { resourceId: number }) => r.resourceId === accountant);
    const byMember = Object.fromEntries(rows.map((r: { memberId: number; shareCents: number }) => [r.memberId, r.shareCents]));
    assert.deepEqual(byMember, { [pole.memberA]: 9_000 + 6_000, [pole.memberB]: 18_000, [pole.memberC]: 27_000 });
    const a = rows.find((r: { memberId: number }) => r.memberId === pole.memberA);
    assert.deepEqual([a.basis.includedMinutes, a.basis.overrunMinutes, a.basis.usageCents], [600, 120, 6_000]);
  });
});
