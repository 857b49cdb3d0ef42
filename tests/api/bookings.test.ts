import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { ok, refused, sendAs } from '../helpers/inject';

describe('bookings', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let userA: string;
  let userB: string;
  let van: number;

  const send = sendAs(() => t.app);
  const createResource = async (extra: Record<string, unknown> = {}) =>
    ok(await send('POST', '/api/resources', coord, { name: 'Ressource', kind: 'equipment', capacity: 1, bearerMemberId: pole.memberA, ...extra }), 201).id as number;
  const book = (cookie: string, body: Record<string, unknown>) => send('POST', '/api/bookings', cookie, { resourceId: van, ...body });
  const slot = (day: string, from: string, to: string) => ({ start: `${day}T${from}:00+01:00`, end: `${day}T${to}:00+01:00` });
  const list = async (cookie: string, query = '') =>
    ok(await send('GET', `/api/bookings?from=2026-11-01T00:00:00%2B01:00&to=2026-12-31T00:00:00%2B01:00${query}`, cookie)).items;

  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    [coord, userA, userB] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.userA), login(t.app, pole.userB)]);
    van = await createResource({ name: 'Camion' });
  });
  afterEach(() => t.close());

  it('a member books for its own structure; GET answers the booking shape', async () => {
    const b = ok(await book(userA, { ...slot('2026-11-20', '09:00', '12:00'), note: 'Déménagement décors' }), 201);
    assert.deepEqual(b, {
      id: b.id,
      resourceId: van,
      memberId: pole.memberA,
      userId: pole.userIds[pole.userA],
      start: '2026-11-20T09:00:00+01:00',
      end: '2026-11-20T12:00:00+01:00',
      quantity: 1,
      note: 'Déménagement décors',
      status: 'confirmed',
      seriesId: null,
      sequence: 0,
      originalStart: null,
    });
    assert.deepEqual(ok(await send('GET', `/api/bookings/${b.id}`, userA)), b);
    assert.deepEqual(ok(await send('GET', `/api/bookings/${b.id}`, await login(t.app, pole.adminA))), b, 'the whole structure sees it');
    assert.deepEqual(ok(await send('GET', `/api/bookings/${b.id}`, coord)), b);
    // Instants given in UTC come back in the pole zone.
    const utc = ok(await book(userA, { start: '2026-11-21T08:00:00Z', end: '2026-11-21T09:00:00.000Z' }), 201);
    assert.equal(utc.start, '2026-11-21T09:00:00+01:00');
  });

  it('capacity, touching intervals and quantities through the API', async () => {
    ok(await book(userA, slot('2026-11-20', '09:00', '12:00')), 201);
    const clash = refused(await book(userB, slot('2026-11-20', '11:45', '13:00')), 409, 'booking.conflict');
    assert.deepEqual(clash.details.conflicts, [{ start: '2026-11-20T11:45:00+01:00', end: '2026-11-20T13:00:00+01:00', reason: 'capacity', free: 0 }]);
    ok(await book(userB, slot('2026-11-20', '12:00', '13:00')), 201);
    ok(await book(userB, slot('2026-11-20', '08:00', '09:00')), 201);

    const laptops = await createResource({ name: 'Portables', capacity: 3 });
    ok(await book(userA, { resourceId: laptops, ...slot('2026-11-20', '09:00', '17:00'), quantity: 2 }), 201);
    refused(await book(userB, { resourceId: laptops, ...slot('2026-11-20', '10:00', '11:00'), quantity: 2 }), 409, 'booking.conflict');
    ok(await book(userB, { resourceId: laptops, ...slot('2026-11-20', '10:00', '11:00'), quantity: 1 }), 201);
    refused(await book(userB, { resourceId: laptops, ...slot('2026-11-20', '10:30', '10:45') }), 409, 'booking.conflict');
    refused(await book(userB, { resourceId: laptops, ...slot('2026-11-21', '10:00', '11:00'), quantity: 4 }), 422, 'booking.quantity_exceeds_capacity');
  });

  it('a long booking still blocks later slots it covers (the overlap lower bound follows the longest booking)', async () => {
    ok(await book(userA, { start: '2026-11-20T08:00:00+01:00', end: '2026-11-23T20:00:00+01:00' }), 201);
    refused(await book(userB, slot('2026-11-23', '10:00', '11:00')), 409, 'booking.conflict');
    assert.equal(
      (t.store.sqlite.prepare('SELECT longest_booking_ms AS l FROM resources WHERE id = ?').get(van) as { l: number }).l,
      Date.parse('2026-11-23T20:00:00+01:00') - Date.parse('2026-11-20T08:00:00+01:00'),
    );
    // A booking written straight into the table (scripts, demo) is bounded too: the trigger raises the bound.
    const other = await createResource({ name: 'Sono' });
    t.store.sqlite
      .prepare(
        `INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, status, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, 1, 'confirmed', 0, 0)`,
      )
      .run(other, pole.memberA, pole.userIds[pole.userA], Date.parse('2026-11-25T00:00:00+01:00'), Date.parse('2026-11-29T00:00:00+01:00'));
    refused(await book(userB, { resourceId: other, ...slot('2026-11-28', '10:00', '11:00') }), 409, 'booking.conflict');
  });

  it('other structures see bookings only as busy time and cannot read, change or cancel them', async () => {
    const mine = ok(await book(userA, { ...slot('2026-11-20', '09:00', '12:00'), note: 'Secret de production' }), 201);
    const before = dbFingerprint(t.store);
    refused(await send('GET', `/api/bookings/${mine.id}`, userB), 404, 'booking.not_found');
    refused(await send('PATCH', `/api/bookings/${mine.id}`, userB, { note: 'pwned' }), 404, 'booking.not_found');
    refused(await send('PATCH', `/api/bookings/${mine.id}`, userB, slot('2026-11-20', '13:00', '14:00')), 404, 'booking.not_found');
    refused(await send('DELETE', `/api/bookings/${mine.id}`, userB), 404, 'booking.not_found');
    refused(await send('DELETE', `/api/bookings/${mine.id}`, await login(t.app, pole.adminB)), 404, 'booking.not_found');
    refused(await book(userB, { ...slot('2026-11-21', '09:00', '12:00'), memberId: pole.memberA }), 403, 'booking.other_member');
    refused(await send('PATCH', `/api/bookings/${mine.id}`, userA, { status: 'confirmed' }), 403, 'access.forbidden');
    assert.equal(dbFingerprint(t.store), before);

    const seenByB = await list(userB);
    assert.deepEqual(seenByB, [
      { id: mine.id, resourceId: van, start: '2026-11-20T09:00:00+01:00', end: '2026-11-20T12:00:00+01:00', quantity: 1, status: 'confirmed', busy: true },
    ]);
    assert.ok(!JSON.stringify(seenByB).includes('Secret'));
    const seenByA = await list(userA);
    assert.equal(seenByA[0].busy, false);
    assert.equal(seenByA[0].note, 'Secret de production');
    assert.equal(seenByA[0].userId, pole.userIds[pole.userA]);
    refused(await send('GET', `/api/bookings?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&memberId=${pole.memberA}`, userB), 404, 'member.not_found');

    // Cancelled bookings of another structure are not even busy time.
    ok(await send('DELETE', `/api/bookings/${mine.id}`, userA));
    assert.deepEqual(await list(userB), []);
    assert.equal((await list(userA))[0].status, 'cancelled');
  });

  it('coordinators book for any member (memberId required) and see every booking in full', async () => {
    const before = dbFingerprint(t.store);
    refused(await book(coord, slot('2026-11-20', '09:00', '10:00')), 422, 'booking.member_required');
    refused(await book(coord, { ...slot('2026-11-20', '09:00', '10:00'), memberId: 999 }), 404, 'member.not_found');
    assert.equal(dbFingerprint(t.store), before);
    const b = ok(await book(coord, { ...slot('2026-11-20', '09:00', '10:00'), memberId: pole.memberB, note: 'Pour Bravo' }), 201);
    assert.equal(b.memberId, pole.memberB);
    assert.equal(b.userId, pole.userIds[pole.coordinator]);
    assert.equal(ok(await send('GET', `/api/bookings/${b.id}`, userB)).note, 'Pour Bravo');
    ok(await book(userA, slot('2026-11-20', '10:00', '11:00')), 201);
    const all = await list(coord);
    assert.deepEqual(all.map((x: { busy: boolean; note: string | null }) => [x.busy, x.note]), [[false, 'Pour Bravo'], [false, null]]);
    assert.equal((await list(coord, `&memberId=${pole.memberA}`)).length, 1);
    refused(await send('GET', '/api/bookings?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&memberId=999', coord), 404, 'member.not_found');
  });

  it('lists with filters: resource, member, status; refuses bad ranges', async () => {
    const sono = await createResource({ name: 'Sono', capacity: 2 });
    ok(await book(userA, slot('2026-11-20', '09:00', '10:00')), 201);
    const b2 = ok(await book(userA, { resourceId: sono, ...slot('2026-11-20', '09:00', '10:00') }), 201);
    ok(await book(userB, { resourceId: sono, ...slot('2026-11-20', '09:00', '10:00') }), 201);
    ok(await send('DELETE', `/api/bookings/${b2.id}`, userA));
    assert.equal((await list(userA)).length, 3);
    assert.equal((await list(userA, `&resourceId=${sono}`)).length, 2);
    assert.deepEqual((await list(userA, '&status=cancelled')).map((b: { id: number }) => b.id), [b2.id]);
    assert.equal((await list(userA, `&memberId=${pole.memberA}`)).length, 2);
    // Range: overlap, not containment; touching ends are out.
    const at = (from: string, to: string) => send('GET', `/api/bookings?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, coord);
    assert.equal(ok(await at('2026-11-20T09:30:00+01:00', '2026-11-20T09:45:00+01:00')).items.length, 3);
    assert.equal(ok(await at('2026-11-20T10:00:00+01:00', '2026-11-20T11:00:00+01:00')).items.length, 0);
    assert.equal(ok(await at('2026-11-20T08:00:00+01:00', '2026-11-20T09:00:00+01:00')).items.length, 0);
    refused(await send('GET', '/api/bookings', coord), 400, 'validation.failed');
    refused(await at('2026-11-20T10:00:00+01:00', '2026-11-20T09:00:00+01:00'), 422, 'range.invalid');
    refused(await at('2026-11-31T10:00:00+01:00', '2026-12-20T09:00:00+01:00'), 400, 'validation.invalid_instant');
    refused(await send('GET', `/api/bookings?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&resourceId=999`, coord), 404, 'resource.not_found');
    refused(await send('GET', `/api/bookings?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z&status=lost`, coord), 400, 'validation.failed');
  });

  it('approval resources: pending until a coordinator confirms or rejects; pending holds capacity', async () => {
    const tech = await createResource({ name: 'Technicien son', kind: 'staff', requiresApproval: true });
    const p = ok(await book(userA, { resourceId: tech, ...slot('2026-11-20', '14:00', '18:00') }), 201);
    assert.equal(p.status, 'pending');
    refused(await book(userB, { resourceId: tech, ...slot('2026-11-20', '15:00', '16:00') }), 409, 'booking.conflict');
    refused(await send('PATCH', `/api/bookings/${p.id}`, userA, { status: 'confirmed' }), 403, 'access.forbidden');
    const confirmed = ok(await send('PATCH', `/api/bookings/${p.id}`, coord, { status: 'confirmed' }));
    assert.equal(confirmed.status, 'confirmed');
    assert.equal(confirmed.sequence, 1);
    refused(await send('PATCH', `/api/bookings/${p.id}`, coord, { status: 'rejected' }), 409, 'booking.invalid_transition');
    // A member moving a confirmed booking of an approval resource sends it back for approval.
    const moved = ok(await send('PATCH', `/api/bookings/${p.id}`, userA, slot('2026-11-20', '15:00', '19:00')));
    assert.equal(moved.status, 'pending');
    assert.equal(moved.sequence, 2);
    const rejected = ok(await send('PATCH', `/api/bookings/${p.id}`, coord, { status: 'rejected' }));
    assert.equal(rejected.status, 'rejected');
    ok(await book(userB, { resourceId: tech, ...slot('2026-11-20', '15:00', '16:00') }), 201);
    refused(await send('PATCH', `/api/bookings/${p.id}`, coord, { status: 'confirmed' }), 409, 'booking.not_modifiable');
    refused(await send('DELETE', `/api/bookings/${p.id}`, userA), 409, 'booking.not_modifiable');
    // Coordinators' own bookings need no approval.
    assert.equal(ok(await book(coord, { resourceId: tech, ...slot('2026-11-21', '14:00', '18:00'), memberId: pole.memberC }), 201).status, 'confirmed');
    assert.equal((t.store.sqlite.prepare('SELECT count(*) AS n FROM bookings WHERE id = ?').get(p.id) as { n: number }).n, 1, 'rejected is kept');
  });

  it('moves a booking: checked against the others (not itself), sequence raised', async () => {
    const b = ok(await book(userA, slot('2026-11-20', '09:00', '11:00')), 201);
    ok(await book(userB, slot('2026-11-20', '12:00', '13:00')), 201);
    const m = ok(await send('PATCH', `/api/bookings/${b.id}`, userA, { end: '2026-11-20T12:00:00+01:00' }));
    assert.equal(m.end, '2026-11-20T12:00:00+01:00');
    assert.equal(m.sequence, 1);
    const before = dbFingerprint(t.store);
    refused(await send('PATCH', `/api/bookings/${b.id}`, userA, { end: '2026-11-20T12:30:00+01:00' }), 409, 'booking.conflict');
    refused(await send('PATCH', `/api/bookings/${b.id}`, userA, { end: '2026-11-20T08:00:00+01:00' }), 422, 'booking.invalid_range');
    refused(await send('PATCH', `/api/bookings/${b.id}`, userA, { start: '2026-11-20T09:05:00+01:00' }), 422, 'booking.misaligned');
    refused(await send('PATCH', `/api/bookings/${b.id}`, userA, { start: '2026-11-16T09:00:00+01:00' }), 422, 'booking.in_past');
    refused(await send('PATCH', `/api/bookings/${b.id}`, userA, { memberId: pole.memberB }), 400, 'validation.failed');
    refused(await send('PATCH', `/api/bookings/${b.id}`, userA, {}), 400, 'validation.failed');
    refused(await send('PATCH', '/api/bookings/999', userA, { note: 'x' }), 404, 'booking.not_found');
    assert.equal(dbFingerprint(t.store), before);
    const noted = ok(await send('PATCH', `/api/bookings/${b.id}`, userA, { note: 'Avec remorque' }));
    assert.equal(noted.note, 'Avec remorque');
    assert.equal(noted.sequence, 2);
    assert.equal(ok(await send('PATCH', `/api/bookings/${b.id}`, userA, { note: 'Avec remorque' })).sequence, 2, 'no change, no new sequence');
  });

  it('DELETE cancels and keeps the booking; the slot is free again', async () => {
    const b = ok(await book(userA, slot('2026-11-20', '09:00', '11:00')), 201);
    const c = ok(await send('DELETE', `/api/bookings/${b.id}`, userA));
    assert.equal(c.status, 'cancelled');
    assert.equal(c.sequence, 1);
    assert.deepEqual(ok(await send('DELETE', `/api/bookings/${b.id}`, userA)), c, 'cancelling again changes nothing');
    refused(await send('PATCH', `/api/bookings/${b.id}`, userA, { note: 'x' }), 409, 'booking.not_modifiable');
    assert.equal(ok(await send('GET', `/api/bookings/${b.id}`, userA)).status, 'cancelled');
    ok(await book(userB, slot('2026-11-20', '09:00', '11:00')), 201);
    refused(await send('DELETE', `/api/bookings/${b.id}?scope=series`, userA), 422, 'booking.not_in_series');
    refused(await send('DELETE', `/api/bookings/${b.id}?scope=all`, userA), 400, 'validation.failed');
  });

  it('members cannot book or change the past; coordinators record past bookings in open months only', async () => {
    refused(await book(userA, slot('2026-11-16', '08:00', '09:00')), 422, 'booking.in_past');
    const past = ok(await book(coord, { ...slot('2026-11-02', '08:00', '09:00'), memberId: pole.memberA }), 201);
    assert.equal(past.status, 'confirmed');
    refused(await send('DELETE', `/api/bookings/${past.id}`, userA), 422, 'booking.in_past');
    refused(await send('PATCH', `/api/bookings/${past.id}`, userA, { note: 'trop tard' }), 422, 'booking.in_past');
    const running = ok(await book(userA, slot('2026-11-16', '11:00', '12:00')), 201);
    t.clock.set('2026-11-16T11:30:00+01:00');
    refused(await send('DELETE', `/api/bookings/${running.id}`, userA), 422, 'booking.in_past');

    const octoberBooking = ok(await book(coord, { ...slot('2026-10-20', '08:00', '09:00'), memberId: pole.memberA }), 201);
    t.store.sqlite.prepare('INSERT INTO closings (month, closed_at) VALUES (?, ?)').run('2026-10', Date.now());
    const before = dbFingerprint(t.store);
    refused(await book(coord, { ...slot('2026-10-21', '08:00', '09:00'), memberId: pole.memberA }), 409, 'month.closed');
    refused(await book(coord, { start: '2026-10-31T22:00:00+01:00', end: '2026-11-01T02:00:00+01:00', memberId: pole.memberA }), 409, 'month.closed');
    refused(await send('DELETE', `/api/bookings/${octoberBooking.id}`, coord), 409, 'month.closed');
    refused(await send('PATCH', `/api/bookings/${octoberBooking.id}`, coord, slot('2026-11-20', '08:00', '09:00')), 409, 'month.closed');
    refused(await send('PATCH', `/api/bookings/${past.id}`, coord, slot('2026-10-22', '08:00', '09:00')), 409, 'month.closed');
    refused(await send('PATCH', `/api/bookings/${octoberBooking.id}`, coord, { note: 'après coup' }), 409, 'month.closed');
    assert.equal(dbFingerprint(t.store), before);
    assert.equal(ok(await send('DELETE', `/api/bookings/${past.id}`, coord)).status, 'cancelled', 'November is open');

    // Availability shows the closed month as unbookable, even to a coordinator, and November as open.
    const resourceId = octoberBooking.resourceId;
    const around = ok(await send('GET', `/api/resources/${resourceId}/availability?from=2026-10-31T00:00:00%2B02:00&to=2026-11-03T00:00:00%2B01:00`, coord)).items as {
      start: string;
      end: string;
      free: number;
    }[];
    const octoberFree = around.filter((i) => i.start < '2026-11-01T00:00:00+01:00' && i.free > 0);
    assert.deepEqual(octoberFree, [], 'nothing free in closed October');
    assert.ok(around.some((i) => i.start >= '2026-11-01T00:00:00+01:00' && i.free > 0), 'November has free time');
  });

  it('enforces opening hours, blackouts, granularity, durations, horizon and the active flag', async () => {
    const room = await createResource({
      name: 'Salle',
      kind: 'room',
      granularityMinutes: 30,
      minMinutes: 60,
      maxMinutes: 240,
      horizonDays: 30,
      openingHours: { '1': [['09:00', '18:00']], '2': [['09:00', '18:00']], '5': [['09:00', '18:00']] },
      blackouts: [{ start: '2026-11-24T12:00:00+01:00', end: '2026-11-24T14:00:00+01:00', reason: 'Désinfection' }],
    });
    const before = dbFingerprint(t.store);
    const cases: [Record<string, string>, string][] = [
      [slot('2026-11-23', '08:00', '10:00'), 'booking.outside_opening_hours'],
      [slot('2026-11-25', '10:00', '11:00'), 'booking.outside_opening_hours'],
      [slot('2026-11-24', '11:00', '13:00'), 'booking.in_blackout'],
      [slot('2026-11-23', '10:15', '11:30'), 'booking.misaligned'],
      [slot('2026-11-23', '10:00', '10:30'), 'booking.too_short'],
      [slot('2026-11-23', '10:00', '14:30'), 'booking.too_long'],
      [slot('2026-12-18', '10:00', '11:00'), 'booking.beyond_horizon'],
    ];
    for (const [s, code] of cases) {
      const error = refused(await book(userA, { resourceId: room, ...s }), 422, code);
      assert.ok(error.details.violations.includes(code.slice('booking.'.length)));
    }
    assert.equal(dbFingerprint(t.store), before);
    ok(await book(userA, { resourceId: room, ...slot('2026-11-24', '14:00', '18:00') }), 201);
    ok(await book(userA, { resourceId: room, ...slot('2026-11-24', '09:00', '12:00') }), 201);
    ok(await send('PATCH', `/api/resources/${room}`, coord, { active: false }));
    refused(await book(userA, { resourceId: room, ...slot('2026-11-27', '10:00', '11:00') }), 404, 'resource.not_found');
    refused(await book(coord, { resourceId: room, ...slot('2026-11-27', '10:00', '11:00'), memberId: pole.memberA }), 422, 'booking.resource_inactive');
  });

  it('books across the 23-hour day of March in Paris, on the wall clock', async () => {
    const hall = await createResource({ name: 'Salle', granularityMinutes: 60, openingHours: { '7': [['00:00', '24:00']] }, maxMinutes: 1440 });
    // 01:00 winter time to 03:00 summer time: two steps on the wall clock, one real hour.
    const night = ok(await book(userA, { resourceId: hall, start: '2027-03-28T01:00:00+01:00', end: '2027-03-28T03:00:00+02:00' }), 201);
    assert.equal(Date.parse(night.end) - Date.parse(night.start), 3_600_000);
    ok(await book(userB, { resourceId: hall, start: '2027-03-28T03:00:00+02:00', end: '2027-03-28T05:00:00+02:00' }), 201);
    refused(await book(userB, { resourceId: hall, start: '2027-03-28T00:00:00+01:00', end: '2027-03-28T03:00:00+02:00' }), 409, 'booking.conflict');
    // 02:30 winter time is 03:30 summer time: aligned on nothing.
    refused(await book(userB, { resourceId: hall, start: '2027-03-28T02:30:00+01:00', end: '2027-03-28T06:00:00+02:00' }), 422, 'booking.misaligned');
    const day = ok(await book(coord, { resourceId: hall, start: '2027-04-04T00:00:00+02:00', end: '2027-04-05T00:00:00+02:00', memberId: pole.memberC }), 201);
    assert.equal(day.end, '2027-04-05T00:00:00+02:00');
    const items = ok(await send('GET', `/api/resources/${hall}/availability?from=2027-03-28T00:00:00%2B01:00&to=2027-03-29T00:00:00%2B02:00`, userA)).items;
    assert.deepEqual(items, [
      { start: '2027-03-28T00:00:00+01:00', end: '2027-03-28T01:00:00+01:00', free: 1 },
      { start: '2027-03-28T01:00:00+01:00', end: '2027-03-28T05:00:00+02:00', free: 0 },
      { start: '2027-03-28T05:00:00+02:00', end: '2027-03-29T00:00:00+02:00', free: 1 },
    ]);
  });

  it('refuses bookings of a member that has left, after it left', async () => {
    t.store.sqlite.prepare('UPDATE members SET left_on = ? WHERE id = ?').run('2026-11-30', pole.memberB);
    ok(await book(userB, slot('2026-11-30', '09:00', '10:00')), 201);
    refused(await book(userB, slot('2026-12-01', '09:00', '10:00')), 422, 'booking.member_left');
    refused(await book(coord, { ...slot('2026-12-01', '09:00', '10:00'), memberId: pole.memberB }), 422, 'booking.member_left');
  });

  it('refuses bad input with clear codes and writes nothing', async () => {
    const good = { resourceId: van, ...slot('2026-11-20', '09:00', '10:00') };
    const before = dbFingerprint(t.store);
    const cases: [unknown, number, string][] = [
      [{}, 400, 'validation.failed'],
      [{ resourceId: van, start: good.start }, 400, 'validation.failed'],
      [{ ...good, resourceId: String(van) }, 400, 'validation.failed'],
      [{ ...good, resourceId: 0 }, 400, 'validation.failed'],
      [{ ...good, quantity: 0 }, 400, 'validation.failed'],
      [{ ...good, quantity: '1' }, 400, 'validation.failed'],
      [{ ...good, quantity: 1.5 }, 400, 'validation.failed'],
      [{ ...good, note: 42 }, 400, 'validation.failed'],
      [{ ...good, userId: 1 }, 400, 'validation.failed'],
      [{ ...good, status: 'confirmed' }, 400, 'validation.failed'],
      [{ ...good, note: 'x'.repeat(1_000_000) }, 400, 'validation.failed'],
      [{ ...good, note: 'x'.repeat(1_100_000) }, 413, 'request.too_large'],
      [{ ...good, start: 'x'.repeat(1_000_000) }, 400, 'validation.failed'],
      [{ ...good, start: '2026-02-30T10:00:00+01:00', end: '2026-03-01T10:00:00+01:00' }, 400, 'validation.invalid_instant'],
      [{ ...good, start: '2026-11-20T25:00:00+01:00' }, 400, 'validation.invalid_instant'],
      [{ ...good, start: '2026-11-20T09:00:00' }, 400, 'validation.failed'],
      [{ ...good, start: '2026-11-20' }, 400, 'validation.failed'],
      [{ ...good, start: '20/11/2026 09:00' }, 400, 'validation.failed'],
      [{ ...good, start: '9999-11-20T09:00:00+01:00', end: '9999-11-20T10:00:00+01:00' }, 400, 'validation.instant_out_of_range'],
      [{ ...good, end: '2026-11-20T08:00:00+01:00' }, 422, 'booking.invalid_range'],
      [{ ...good, end: good.start }, 422, 'booking.invalid_range'],
      [{ ...good, resourceId: 999 }, 404, 'resource.not_found'],
      [{ ...good, memberId: pole.memberB }, 403, 'booking.other_member'],
      [{ ...good, recurrence: { freq: 'weekly' } }, 422, 'booking.recurrence_no_end'],
      [{ ...good, recurrence: { freq: 'weekly', count: 2, until: '2026-12-31' } }, 422, 'booking.recurrence_both_ends'],
      [{ ...good, recurrence: { freq: 'hourly', count: 2 } }, 400, 'validation.failed'],
      [{ ...good, recurrence: { freq: 'weekly', count: 1000 } }, 400, 'validation.failed'],
      [{ ...good, recurrence: { freq: 'daily', until: '2027-12-31' } }, 422, 'booking.recurrence_too_many'],
      [{ ...good, recurrence: { freq: 'weekly', until: '2026-02-30' } }, 422, 'booking.recurrence_invalid_until'],
      [{ ...good, recurrence: { freq: 'weekly', until: '2026-11-01' } }, 422, 'booking.recurrence_until_before_start'],
      [[good], 400, 'validation.failed'],
      ['not json', 415, 'request.unsupported_media_type'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await send('POST', '/api/bookings', userA, payload);
      assert.equal(res.statusCode, status, `${JSON.stringify(payload).slice(0, 120)} → ${res.body.slice(0, 300)}`);
      assert.equal(res.json().error.code, code, JSON.stringify(payload).slice(0, 120));
    }
    const malformed = await t.app.inject({ method: 'POST', url: '/api/bookings', headers: { cookie: userA, 'content-type': 'application/json' }, payload: '{"resourceId":' });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.code, 'request.malformed_json');
    refused(await send('GET', '/api/bookings/abc', userA), 400, 'validation.failed');
    refused(await send('GET', '/api/bookings/99999999999', userA), 400, 'validation.failed');
    refused(await t.app.inject({ method: 'POST', url: '/api/bookings', payload: good }), 401, 'auth.required');
    assert.equal(dbFingerprint(t.store), before);
  });
});
