import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../db/index';
import { seedDemo } from '../../db/demo';
import { overlappingLoads, poleZone, resourceForBooking } from '../../server/bookings/repository';
import { peakLoad, ruleViolations } from '../../server/bookings/rules';
import { manualClock } from '../../server/shared/clock';

/** The demo pole writes its bookings straight into the table: they must obey the rules the API enforces. */
describe('demo bookings obey the booking rules', () => {
  let store: Store;
  const now = Date.parse('2026-11-16T10:00:00+01:00');

  before(async () => {
    store = openStore(':memory:');
    await seedDemo(store, { clock: manualClock(now) });
  });
  after(() => store.close());

  it('every demo booking respects opening hours, granularity, durations and capacity', () => {
    const zone = poleZone(store.sqlite);
    const rows = store.sqlite
      .prepare("SELECT id, resource_id AS resourceId, start_ms AS start, end_ms AS end, quantity FROM bookings WHERE status IN ('pending', 'confirmed')")
      .all() as { id: number; resourceId: number; start: number; end: number; quantity: number }[];
    assert.ok(rows.length > 100, `the demo has bookings (${rows.length})`);
    for (const b of rows) {
      const resource = resourceForBooking(store.sqlite, b.resourceId)!;
      // Coordinators may record the past; the horizon counts from the seeding day.
      assert.deepEqual(ruleViolations(resource, b, { zone, now, mayBookPast: true }), [], `booking ${b.id} on resource ${b.resourceId}`);
      const others = overlappingLoads(store.sqlite, b.resourceId, b.start, b.end).filter((o) => o.id !== b.id);
      assert.ok(peakLoad(others, b) + b.quantity <= resource.capacity, `booking ${b.id} overbooks resource ${b.resourceId}`);
    }
  });
});
