import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  allocateResource,
  DEFAULT_RULE,
  invoicedShares,
  isActiveInMonth,
  rateShare,
  type ResourceCostInput,
  type RuleSpec,
} from '../../server/closing/allocation';
import '../helpers/seed';

const members = (...weights: number[]) => weights.map((weight, i) => ({ id: i + 1, weight }));
const input = (over: Partial<ResourceCostInput>): ResourceCostInput => ({
  resourceId: 1,
  bearerMemberId: 1,
  costCents: 10_000,
  rule: DEFAULT_RULE,
  usage: new Map(),
  activeMembers: members(1, 1, 1),
  ...over,
});
const rule = (r: Partial<RuleSpec> & Pick<RuleSpec, 'rule'>): RuleSpec => ({ ...DEFAULT_RULE, ...r });
const shares = (a: ReturnType<typeof allocateResource>) => a.shares.map((s) => [s.memberId, s.shareCents]);

describe('allocation rules: fixed examples', () => {
  it('splits 100.00 € 1:1:1 as 33.34 / 33.33 / 33.33, the extra cent to the lowest member id', () => {
    const a = allocateResource(input({ rule: rule({ rule: 'equal' }) }));
    assert.deepEqual(shares(a), [
      [1, 3334],
      [2, 3333],
      [3, 3333],
    ]);
    assert.deepEqual(a.shares[0]!.basis, { rule: 'equal', method: 'equal', weight: 1, totalWeight: 3, percent: 33.33 });
    // Same result whatever order the members come in.
    const b = allocateResource(input({ rule: rule({ rule: 'equal' }), activeMembers: members(1, 1, 1).reverse() }));
    assert.deepEqual(shares(b), shares(a));
  });

  it('usage: pro rata of minutes × quantity; a member that used nothing pays nothing', () => {
    const a = allocateResource(input({ costCents: 90_000, usage: new Map([[2, 120], [3, 240]]) }));
    assert.deepEqual(shares(a), [
      [2, 30_000],
      [3, 60_000],
    ]);
    assert.deepEqual(a.shares[0]!.basis, { rule: 'usage', method: 'usage', minutes: 120, totalMinutes: 360, percent: 33.33 });
    assert.equal(a.note, null);
    assert.equal(a.usageMinutes, 360);
  });

  it('usage with no usage at all falls back to the weights and says so', () => {
    const a = allocateResource(input({ costCents: 60_000, activeMembers: members(1, 2, 3) }));
    assert.deepEqual(shares(a), [
      [1, 10_000],
      [2, 20_000],
      [3, 30_000],
    ]);
    assert.equal(a.shares[1]!.basis.fallback, 'weights');
    assert.equal(a.shares[1]!.basis.method, 'weights');
    assert.deepEqual(a.note, { code: 'fallback', part: 'all', rule: 'usage', fallback: 'weights' });
  });

  it('weights: explicit per member, or each member’s own allocation weight; inactive members are left out', () => {
    const own = allocateResource(input({ rule: rule({ rule: 'weights' }), costCents: 1_000, activeMembers: members(1, 3) }));
    assert.deepEqual(shares(own), [
      [1, 250],
      [2, 750],
    ]);
    const explicit = allocateResource(
      input({ rule: rule({ rule: 'weights', weights: { '1': 1, '3': 4, '9': 100 } }), costCents: 1_000, activeMembers: members(1, 1, 1) }),
    );
    assert.deepEqual(shares(explicit), [
      [1, 200],
      [3, 800],
    ]);
  });

  it('equal: among the members active that month only', () => {
    assert.equal(isActiveInMonth({ joinedOn: '2026-10-31', leftOn: null }, '2026-10'), true);
    assert.equal(isActiveInMonth({ joinedOn: '2026-11-01', leftOn: null }, '2026-10'), false);
    assert.equal(isActiveInMonth({ joinedOn: '2025-01-01', leftOn: '2026-10-01' }, '2026-10'), true);
    assert.equal(isActiveInMonth({ joinedOn: '2025-01-01', leftOn: '2026-09-30' }, '2026-10'), false);
    const a = allocateResource(input({ rule: rule({ rule: 'equal' }), costCents: 1_001, activeMembers: members(5, 5) }));
    assert.deepEqual(shares(a), [
      [1, 501],
      [2, 500],
    ]);
  });

  it('mixed: x % by weights, the rest by usage, each part exact', () => {
    const a = allocateResource(
      input({ rule: rule({ rule: 'mixed', fixedPercent: 30 }), costCents: 100_000, activeMembers: members(1, 1), usage: new Map([[1, 60]]) }),
    );
    // 300 € by weights 1:1 → 150 / 150; 700 € by usage → all to member 1.
    assert.deepEqual(shares(a), [
      [1, 85_000],
      [2, 15_000],
    ]);
    assert.deepEqual(a.shares[1]!.basis, {
      rule: 'mixed',
      method: 'mixed',
      fixedPercent: 30,
      fixedCents: 15_000,
      usageCents: 0,
      weight: 1,
      totalWeight: 2,
      minutes: 0,
      totalMinutes: 60,
      percent: 15,
    });
  });

  it('rate: each member pays rate × hours; the gap to the real cost is reported, not hidden', () => {
    const a = allocateResource(
      input({ rule: rule({ rule: 'rate', rateCents: 4_500 }), bearerMemberId: 1, costCents: 50_000, usage: new Map([[1, 60], [2, 90], [3, 20]]) }),
    );
    // 45 €/h: 1 h → 45 €, 1 h 30 → 67.50 €, 20 min → 15 €.
    assert.deepEqual(shares(a), [
      [1, 4_500],
      [2, 6_750],
      [3, 1_500],
    ]);
    assert.equal(a.allocatedCents, 12_750);
    assert.equal(a.gapCents, 50_000 - 12_750, 'the bearer is left with the gap');
    assert.equal(rateShare(1_000, 1), 17, '10 €/h × 1 min = 16.67 cents → 17 (half-up)');
    assert.equal(rateShare(30, 1), 1, '0.5 cent rounds up');
    assert.equal(rateShare(29, 1), 0);
  });

  it('the bearer keeps its own share: it is never invoiced', () => {
    const a = allocateResource(input({ bearerMemberId: 2, rule: rule({ rule: 'equal' }) }));
    assert.deepEqual(
      invoicedShares(a).map((s) => s.memberId),
      [1, 3],
    );
    assert.equal(a.shares.find((s) => s.memberId === 2)!.shareCents, 3333, 'the bearer’s share is shown, not invoiced');
  });

  it('when no member can share the cost, the bearer keeps it and says so', () => {
    const a = allocateResource(input({ bearerMemberId: 7, rule: rule({ rule: 'weights', weights: { '1': 0 } }), activeMembers: [] }));
    assert.deepEqual(shares(a), [[7, 10_000]]);
    assert.deepEqual(a.note, { code: 'fallback', part: 'all', rule: 'weights', fallback: 'bearer' });
  });

  it('says, as data, why a rule could not apply as such', () => {
    const noteOf = (over: Partial<ResourceCostInput>) => allocateResource(input(over)).note;
    assert.deepEqual(noteOf({ activeMembers: [{ id: 1, weight: 0 }, { id: 2, weight: 0 }] }), { code: 'fallback', part: 'all', rule: 'usage', fallback: 'equal' });
    assert.deepEqual(noteOf({ rule: rule({ rule: 'weights', weights: { '1': 0 } }) }), { code: 'fallback', part: 'all', rule: 'weights', fallback: 'equal' });
    assert.deepEqual(noteOf({ rule: rule({ rule: 'equal' }), activeMembers: [] }), { code: 'fallback', part: 'all', rule: 'equal', fallback: 'bearer' });
    assert.deepEqual(noteOf({ rule: rule({ rule: 'mixed', fixedPercent: 40 }) }), { code: 'fallback', part: 'usage', rule: 'mixed', fallback: 'weights' });
    assert.deepEqual(noteOf({ rule: rule({ rule: 'mixed' }), activeMembers: [] }), { code: 'fallback', part: 'usage', rule: 'mixed', fallback: 'bearer' });
    assert.deepEqual(noteOf({ rule: rule({ rule: 'rate' }), usage: new Map([[2, 60]]) }), { code: 'no_rate' });
    assert.equal(noteOf({ rule: rule({ rule: 'rate', rateCents: 1_000 }), usage: new Map([[2, 60]]) }), null);
    assert.equal(noteOf({ rule: rule({ rule: 'mixed' }), usage: new Map([[2, 60]]) }), null);
  });

  it('refuses a negative or fractional cost and fractional minutes', () => {
    assert.throws(() => allocateResource(input({ costCents: -1 })), RangeError);
    assert.throws(() => allocateResource(input({ costCents: 10.5 })), RangeError);
    assert.throws(() => allocateResource(input({ usage: new Map([[1, 1.5]]) })), RangeError);
  });
});

describe('allocation rules: properties', () => {
  const memberList = fc
    .uniqueArray(fc.integer({ min: 1, max: 40 }), { minLength: 0, maxLength: 8 })
    .chain((ids) => fc.tuple(...ids.map((id) => fc.record({ id: fc.constant(id), weight: fc.integer({ min: 0, max: 50 }) }))));
  const usage = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 44_640 * 3 })), { maxLength: 8 })
    .map((pairs) => new Map(pairs));
  const sharingRule: fc.Arbitrary<RuleSpec> = fc.oneof(
    fc.constant(rule({ rule: 'usage' })),
    fc.constant(rule({ rule: 'weights' })),
    fc.dictionary(fc.integer({ min: 1, max: 40 }).map(String), fc.integer({ min: 0, max: 20 })).map((w) => rule({ rule: 'weights', weights: w })),
    fc.constant(rule({ rule: 'equal' })),
    fc.integer({ min: 0, max: 100 }).map((p) => rule({ rule: 'mixed', fixedPercent: p })),
  );
  const inputs = fc.record({
    resourceId: fc.constant(1),
    bearerMemberId: fc.integer({ min: 1, max: 40 }),
    costCents: fc.integer({ min: 0, max: 10_000_000_00 }),
    rule: sharingRule,
    usage,
    activeMembers: memberList,
  });

  it('shares always sum exactly to the cost, are never negative, and are deterministic whatever the input order', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const a = allocateResource(i);
        assert.equal(a.shares.reduce((s, x) => s + x.shareCents, 0), i.costCents);
        assert.equal(a.allocatedCents, i.costCents);
        assert.equal(a.gapCents, 0);
        assert.ok(a.shares.every((s) => Number.isSafeInteger(s.shareCents) && s.shareCents >= 0));
        const shuffled = allocateResource({ ...i, activeMembers: [...i.activeMembers].reverse(), usage: new Map([...i.usage].reverse()) });
        assert.deepEqual(shuffled, a);
        assert.deepEqual(
          a.shares.map((s) => s.memberId),
          [...a.shares.map((s) => s.memberId)].sort((x, y) => x - y),
          'rows come by member id',
        );
      }),
    );
  });

  it('under usage, whenever anyone used the resource, a member that used nothing pays nothing', () => {
    fc.assert(
      fc.property(inputs, (i) => {
        const a = allocateResource({ ...i, rule: rule({ rule: 'usage' }) });
        if ([...i.usage.values()].some((m) => m > 0)) {
          for (const s of a.shares) if ((i.usage.get(s.memberId) ?? 0) === 0) assert.equal(s.shareCents, 0);
          assert.equal(a.note, null);
        }
      }),
    );
  });

  it('under rate, shares are rate × time rounded half-up, and shares + gap = cost', () => {
    fc.assert(
      fc.property(inputs, fc.integer({ min: 0, max: 100_000 }), (i, rateCents) => {
        const a = allocateResource({ ...i, rule: rule({ rule: 'rate', rateCents }) });
        for (const s of a.shares) {
          const exact = (rateCents * s.usageMinutes) / 60;
          assert.ok(Math.abs(s.shareCents - exact) <= 0.5 + 1e-9);
          assert.ok(s.shareCents >= 0);
        }
        assert.equal(a.allocatedCents + a.gapCents, i.costCents);
      }),
    );
  });
});
