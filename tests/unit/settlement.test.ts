import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pairsOf, positionsOf, settle, transfersOf, type Flow } from '../../server/settlements/rules';
import '../helpers/seed';

describe('settlement', () => {
  it('nets positions and pairs, and plans few transfers (fixed example)', () => {
    const flows: Flow[] = [
      { sellerMemberId: 1, buyerMemberId: 2, amountCents: 30_000 }, // 2 owes 1
      { sellerMemberId: 1, buyerMemberId: 3, amountCents: 50_000 }, // 3 owes 1
      { sellerMemberId: 2, buyerMemberId: 1, amountCents: 168_000 }, // 1 owes 2
      { sellerMemberId: 2, buyerMemberId: 3, amountCents: 168_000 }, // 3 owes 2
      { sellerMemberId: 2, buyerMemberId: 3, amountCents: -8_000 }, // a credit note
    ];
    const { positions, pairs, transfers } = settle(flows);
    assert.deepEqual(
      positions.map((p) => [p.memberId, p.netCents]),
      [
        [1, 80_000 - 168_000],
        [2, 160_000 + 168_000 - 30_000],
        [3, -50_000 - 160_000],
      ],
    );
    assert.deepEqual(pairs, [
      { fromMemberId: 1, toMemberId: 2, amountCents: 138_000, owedCents: 168_000, offsetCents: 30_000 },
      { fromMemberId: 3, toMemberId: 1, amountCents: 50_000, owedCents: 50_000, offsetCents: 0 },
      { fromMemberId: 3, toMemberId: 2, amountCents: 160_000, owedCents: 160_000, offsetCents: 0 },
    ]);
    // Four bilateral payments become two transfers.
    assert.deepEqual(transfers, [
      { fromMemberId: 3, toMemberId: 2, amountCents: 210_000 },
      { fromMemberId: 1, toMemberId: 2, amountCents: 88_000 },
    ]);
  });

  it('settles nothing when nothing is owed', () => {
    assert.deepEqual(settle([]), { positions: [], pairs: [], transfers: [] });
    assert.deepEqual(transfersOf(positionsOf([{ sellerMemberId: 1, buyerMemberId: 2, amountCents: 5 }, { sellerMemberId: 2, buyerMemberId: 1, amountCents: 5 }])), []);
  });

  const flows = fc.array(
    fc
      .tuple(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 1_000_000 }))
      .filter(([a, b]) => a !== b)
      .map(([sellerMemberId, buyerMemberId, amountCents]) => ({ sellerMemberId, buyerMemberId, amountCents })),
    { maxLength: 40 },
  );

  it('positions sum to zero; the transfers move exactly the net positions, positive, at most n − 1 of them', () => {
    fc.assert(
      fc.property(flows, (f) => {
        const { positions, pairs, transfers } = settle(f);
        assert.equal(positions.reduce((a, p) => a + p.netCents, 0), 0);
        const after = new Map(positions.map((p) => [p.memberId, p.netCents]));
        for (const t of transfers) {
          assert.ok(t.amountCents > 0 && t.fromMemberId !== t.toMemberId);
          after.set(t.fromMemberId, after.get(t.fromMemberId)! + t.amountCents);
          after.set(t.toMemberId, after.get(t.toMemberId)! - t.amountCents);
        }
        assert.ok([...after.values()].every((v) => v === 0), 'everyone is even after the plan');
        const nonZero = positions.filter((p) => p.netCents !== 0).length;
        assert.ok(transfers.length <= Math.max(0, nonZero - 1));
        // Pairs: netting them gives the same positions.
        const fromPairs = new Map<number, number>();
        for (const p of pairs) {
          assert.ok(p.amountCents >= 0 && p.amountCents === p.owedCents - p.offsetCents);
          fromPairs.set(p.toMemberId, (fromPairs.get(p.toMemberId) ?? 0) + p.amountCents);
          fromPairs.set(p.fromMemberId, (fromPairs.get(p.fromMemberId) ?? 0) - p.amountCents);
        }
        for (const p of positions) assert.equal(fromPairs.get(p.memberId) ?? 0, p.netCents);
        assert.deepEqual(pairsOf([...f].reverse()), pairs, 'deterministic whatever the order');
      }),
    );
  });
});
