import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { cancelBooking, createBooking, patchBooking } from '../../server/bookings/service';
import { fitsCapacity, peakLoad, type Load } from '../../server/bookings/rules';
import { AppError } from '../../server/shared/errors';
import type { Actor } from '../../server/shared/actor';
import { buildTestApp, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import '../helpers/seed';

const SLOT = 15 * 60_000;
const BASE = Date.parse('2026-11-20T08:00:00+01:00');
const iso = (slot: number) => new Date(BASE + slot * SLOT).toISOString();

describe('capacity property: accepted bookings never exceed capacity at any instant', () => {
  it('fitsCapacity agrees with a slot-by-slot count', () => {
    const load = fc.record({ start: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 1, max: 12 }), quantity: fc.integer({ min: 1, max: 3 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(load, { maxLength: 12 }), load, (capacity, existing, candidate) => {
        const toLoad = (l: { start: number; len: number; quantity: number }): Load => ({ start: l.start, end: l.start + l.len, quantity: l.quantity });
        const used = (slot: number) => existing.filter((l) => l.start <= slot && slot < l.start + l.len).reduce((a, l) => a + l.quantity, 0);
        let expected = true;
        let peak = 0;
        for (let s = candidate.start; s < candidate.start + candidate.len; s++) {
          peak = Math.max(peak, used(s));
          if (used(s) + candidate.quantity > capacity) expected = false;
        }
        assert.equal(fitsCapacity(capacity, existing.map(toLoad), toLoad(candidate)), expected);
        assert.equal(peakLoad(existing.map(toLoad), toLoad(candidate)), peak);
      }),
      { numRuns: 500 },
    );
  });

  describe('through the booking service, on the real store', () => {
    let t: TestApp;
    let pole: SeededPole;
    let members: Actor[];
    let coordinator: Actor;

    before(async () => {
      t = await buildTestApp();
      pole = await seedPole(t.store);
      const actor = (email: string, role: Actor['role'], memberId: number | null): Actor => ({
        userId: pole.userIds[email]!,
        role,
        memberId,
        email,
        name: email,
        sessionId: 'test',
      });
      members = [actor(pole.userA, 'member', pole.memberA), actor(pole.userB, 'member', pole.memberB)];
      coordinator = actor(pole.coordinator, 'coordinator', null);
    });
    after(() => t.close());

    type Op =
      | { kind: 'create'; who: number; start: number; len: number; quantity: number; repeat: number }
      | { kind: 'move'; pick: number; start: number; len: number; quantity: number }
      | { kind: 'cancel'; pick: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 5, arbitrary: fc.record({ kind: fc.constant('create' as const), who: fc.integer({ min: 0, max: 1 }), start: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 1, max: 12 }), quantity: fc.integer({ min: 1, max: 3 }), repeat: fc.integer({ min: 1, max: 3 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('move' as const), pick: fc.nat(), start: fc.integer({ min: 0, max: 40 }), len: fc.integer({ min: 1, max: 12 }), quantity: fc.integer({ min: 1, max: 3 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() }) },
    );

    it('random creates (single and daily series), moves and cancels keep every instant within capacity', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 3 }), fc.array(op, { minLength: 1, maxLength: 25 }), (capacity, ops) => {
          const resourceId = t.store.sqlite
            .prepare("INSERT INTO resources (name, kind, capacity, bearer_member_id, created_at) VALUES ('pool', 'equipment', ?, ?, 0) RETURNING id")
            .get(capacity, pole.memberA) as { id: number };
          const ids: number[] = [];
          const active = () =>
            t.store.sqlite
              .prepare("SELECT start_ms AS s, end_ms AS e, quantity AS q FROM bookings WHERE resource_id = ? AND status IN ('pending', 'confirmed')")
              .all(resourceId.id) as { s: number; e: number; q: number }[];
          const usedAt = (rows: { s: number; e: number; q: number }[], at: number) => rows.filter((r) => r.s <= at && at < r.e).reduce((a, r) => a + r.q, 0);
          for (const o of ops) {
            // The model's answer for a single booking: it fits iff every slot it covers keeps room for it.
            let expected: boolean | undefined;
            if (o.kind === 'create' && o.repeat === 1) {
              const rows = active();
              expected = o.quantity <= capacity;
              for (let slot = o.start; slot < o.start + o.len; slot++) if (usedAt(rows, BASE + slot * SLOT) + o.quantity > capacity) expected = false;
            }
            let ok = false;
            try {
              if (o.kind === 'create') {
                const recurrence = o.repeat > 1 ? { freq: 'daily' as const, count: o.repeat } : undefined;
                const res = createBooking(t.app.ctx, members[o.who]!, {
                  resourceId: resourceId.id,
                  start: iso(o.start),
                  end: iso(o.start + o.len),
                  quantity: o.quantity,
                  ...(recurrence ? { recurrence } : {}),
                });
                ids.push(...(res.occurrences ?? [res]).map((b) => b.id));
                ok = true;
              } else if (ids.length > 0) {
                const id = ids[o.pick % ids.length]!;
                if (o.kind === 'move') patchBooking(t.app.ctx, coordinator, id, { start: iso(o.start), end: iso(o.start + o.len), quantity: o.quantity });
                else cancelBooking(t.app.ctx, coordinator, id);
              }
            } catch (error) {
              assert.ok(error instanceof AppError && error.status < 500, String(error));
              if (expected !== undefined) assert.ok(['booking.conflict', 'booking.quantity_exceeds_capacity'].includes(error.code), error.code);
            }
            if (expected !== undefined) assert.equal(ok, expected, `create ${JSON.stringify(o)} on capacity ${capacity}`);
          }
          // Independent check: count units per 15-minute slot over everything stored for this resource.
          const rows = active();
          for (let slot = 0; slot < 4 * 24 * 4; slot++) {
            const used = usedAt(rows, BASE + slot * SLOT);
            assert.ok(used <= capacity, `slot ${iso(slot)} holds ${used} > ${capacity}`);
          }
        }),
        { numRuns: 60 },
      );
    });
  });
});
