import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertBooking, insertCost, insertResource } from '../helpers/closing';

/** Usage is counted on UTC instants clipped to the month in Europe/Paris: DST days count their real length. */
describe('usage minutes across DST changes and month boundaries', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let room: number;
  let pool: number;
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
    room = insertResource(t.store, { name: 'Salle de répétition', kind: 'room', bearerMemberId: pole.memberC });
    pool = insertResource(t.store, { name: 'Ordinateurs portables', kind: 'equipment', bearerMemberId: pole.memberC, capacity: 3 });
    const userId = pole.userIds[pole.coordinator]!;
    const book = (resourceId: number, memberId: number, start: string, end: string, quantity = 1) =>
      insertBooking(t.store, { resourceId, memberId, userId, start, end, quantity });
    // Whole days of the changes: Sunday 29 March 2026 (23 h) and Sunday 25 October 2026 (25 h).
    book(room, pole.memberA, '2026-03-29T00:00:00+01:00', '2026-03-30T00:00:00+02:00');
    book(room, pole.memberA, '2026-10-25T00:00:00+02:00', '2026-10-26T00:00:00+01:00');
    // Straddling the end of October: 2 h in October, 2 h in November.
    book(room, pole.memberB, '2026-10-31T22:00:00+01:00', '2026-11-01T02:00:00+01:00');
    // Two laptops for the whole of October (745 h) and of March (743 h).
    book(pool, pole.memberB, '2026-10-01T00:00:00+02:00', '2026-11-01T00:00:00+01:00', 2);
    book(pool, pole.memberB, '2026-03-01T00:00:00+01:00', '2026-04-01T00:00:00+02:00', 2);
    insertCost(t.store, { resourceId: room, month: '2026-10', amountCents: 13_500 });
  });
  after(() => t.close());

  const usage = async (month: string) => {
    const res = await t.app.inject({ url: `/api/allocations?month=${month}`, headers: { cookie: coord } });
    assert.equal(res.statusCode, 200, res.body);
    return res.json().rows as { resourceId: number; memberId: number; usageMinutes: number; shareCents: number }[];
  };
  const minutes = (rows: Awaited<ReturnType<typeof usage>>, resourceId: number, memberId: number) =>
    rows.find((r) => r.resourceId === resourceId && r.memberId === memberId)?.usageMinutes ?? 0;

  it('counts the 25-hour day of October as 25 hours, and the whole of October as 745 hours', async () => {
    const rows = await usage('2026-10');
    assert.equal(minutes(rows, room, pole.memberA), 25 * 60);
    assert.equal(minutes(rows, pool, pole.memberB), 745 * 60 * 2, '745 h × 2 laptops');
  });

  it('counts the 23-hour day of March as 23 hours, and the whole of March as 743 hours', async () => {
    const rows = await usage('2026-03');
    assert.equal(minutes(rows, room, pole.memberA), 23 * 60);
    assert.equal(minutes(rows, pool, pole.memberB), 743 * 60 * 2);
  });

  it('clips a booking to the month it straddles, and shares the cost by those minutes', async () => {
    const october = await usage('2026-10');
    assert.equal(minutes(october, room, pole.memberB), 120);
    // 135 € for 25 h + 2 h: A pays 25/27, B 2/27.
    assert.deepEqual(
      october.filter((r) => r.resourceId === room).map((r) => [r.memberId, r.shareCents]),
      [
        [pole.memberA, 12_500],
        [pole.memberB, 1_000],
      ],
    );
    assert.equal(minutes(await usage('2026-11'), room, pole.memberB), 120);
  });
});
