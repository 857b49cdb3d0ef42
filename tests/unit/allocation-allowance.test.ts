import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocateResource, DEFAULT_RULE, type ResourceCostInput } from '../../server/closing/allocation';
import { minutesByMonth } from '../../server/resources/allowance';
import '../helpers/seed';

const rule = { ...DEFAULT_RULE, rule: 'usage_over_allowance' as const };
const input = (over: Partial<ResourceCostInput>): ResourceCostInput => ({
  resourceId: 1,
  bearerMemberId: 1,
  costCents: 100_000,
  rule,
  usage: new Map(),
  activeMembers: [1, 2, 3].map((id) => ({ id, weight: 1 })),
  allowance: { minutesPerMonth: 600, limit: 'soft', members: [] },
  ...over,
});
const shares = (a: ReturnType<typeof allocateResource>) => a.shares.map((s) => [s.memberId, s.shareCents]);

describe('usage_over_allowance: included hours covered by the weights, overruns billed by usage', () => {
  it('nobody over: the cost is split by weights (the subscription), whoever used it', () => {
    const a = allocateResource(input({ usage: new Map([[2, 600]]) }));
    assert.deepEqual(shares(a), [[1, 33_334], [2, 33_333], [3, 33_333]]);
  });

  it('B used 15 h of 10 included, C 5 h: 5 h overrun of 20 h used → 25 % of the cost billed to B alone, 75 % by weights', () => {
    const a = allocateResource(input({ usage: new Map([[2, 900], [3, 300]]) }));
    assert.deepEqual(shares(a), [[1, 25_000], [2, 50_000], [3, 25_000]]);
    const b = a.shares.find((s) => s.memberId === 2)!.basis;
    assert.deepEqual([b.method, b.includedMinutes, b.overrunMinutes, b.fixedCents, b.usageCents], ['usage_over_allowance', 600, 300, 25_000, 25_000]);
    assert.equal(a.allocatedCents, 100_000);
  });

  it('per-member included quantities; no allowance at all is plain usage', () => {
    const a = allocateResource(input({ usage: new Map([[1, 60], [2, 60]]), allowance: { minutesPerMonth: 60, limit: 'hard', members: [{ memberId: 2, minutesPerMonth: 0 }] } }));
    // 60 of 120 minutes are B's overrun: half the cost to B by usage, half by weights.
    assert.deepEqual(shares(a), [[1, 16_667], [2, 66_667], [3, 16_666]]);
    const plain = allocateResource(input({ usage: new Map([[1, 30], [2, 90]]), allowance: null }));
    assert.deepEqual(shares(plain), [[1, 25_000], [2, 75_000]]);
  });

  it('property: shares are whole cents summing exactly to the cost', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 3000 }),
        (cost, used, included) => {
          const a = allocateResource(input({ costCents: cost, usage: new Map(used.map((m, i) => [i + 1, m])), allowance: { minutesPerMonth: included, limit: 'soft', members: [] } }));
          assert.equal(a.shares.reduce((s, x) => s + x.shareCents, 0), cost);
          for (const s of a.shares) assert.ok(Number.isSafeInteger(s.shareCents) && s.shareCents >= 0);
        },
      ),
    );
  });
});

describe('minutes of a booking per month of the pole’s zone', () => {
  it('splits at local midnight of the 1st and counts the 23- and 25-hour days as they are', () => {
    const z = 'Europe/Paris';
    assert.deepEqual([...minutesByMonth(Date.parse('2026-11-30T23:00:00+01:00'), Date.parse('2026-12-01T00:30:00+01:00'), 2, z)], [['2026-11', 120], ['2026-12', 60]]);
    assert.deepEqual([...minutesByMonth(Date.parse('2026-03-29T00:00:00+01:00'), Date.parse('2026-03-30T00:00:00+02:00'), 1, z)], [['2026-03', 23 * 60]]);
    assert.deepEqual([...minutesByMonth(Date.parse('2026-10-31T23:00:00+01:00'), Date.parse('2026-11-01T01:00:00+01:00'), 1, z)], [['2026-10', 60], ['2026-11', 60]]);
  });
});
