import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { openStore } from '../../db/index';
import { issueAdjustment } from '../../server/closing/adjustments';
import { monthReconciliation } from '../../server/closing/month-view';
import { checkIntegrity } from '../../server/closing/integrity';
import { closeMonth } from '../../server/closing/service';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { invoiceRepository } from '../../server/invoices/repository';
import { isAppError } from '../../server/shared/errors';
import { ensurePole } from '../../server/pole/repository';
import { manualClock } from '../../server/shared/clock';
import { seedPole } from '../helpers/app';
import { insertBooking, insertCost, insertResource, setRule } from '../helpers/closing';
import '../helpers/seed';

/**
 * Property (issue #11): for random original costs of a resource and a random adjustment (a late cost, or an
 * entry corrected up or down, to zero included), what the close billed plus what the adjustment issued equals,
 * per buyer and cost nature, to the cent, what a close of the corrected costs bills from the start. The oracle
 * is a second pole closed with the corrected costs: nothing of the adjustment code takes part in it.
 */

const NATURES = ['subscription', 'rent_or_lease', 'other'] as const;
type Nature = (typeof NATURES)[number];
interface Entry {
  nature: Nature;
  amountCents: number;
}

interface Case {
  rule: 'usage' | 'weights' | 'equal';
  bearer: 0 | 1 | 2;
  /** Half-hours booked by A, B, C in October. */
  halfHours: [number, number, number];
  entries: Entry[];
  adjustment: { late: Entry } | { correct: number; amountCents: number };
}

const entry = fc.record({ nature: fc.constantFrom(...NATURES), amountCents: fc.integer({ min: 1, max: 500_000 }) });
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    rule: fc.constantFrom('usage' as const, 'weights' as const, 'equal' as const),
    bearer: fc.constantFrom(0 as const, 1 as const, 2 as const),
    halfHours: fc.tuple(fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })),
    entries: fc.array(entry, { minLength: 1, maxLength: 3 }),
    late: entry,
    correct: fc.nat(),
    amountCents: fc.integer({ min: 0, max: 500_000 }),
    isLate: fc.boolean(),
  })
  .map((r) => ({
    rule: r.rule,
    bearer: r.bearer,
    halfHours: r.halfHours,
    entries: r.entries,
    adjustment: r.isLate ? { late: r.late } : { correct: r.correct % r.entries.length, amountCents: r.amountCents },
  }));

const corrected = (c: Case): Entry[] =>
  'late' in c.adjustment ? [...c.entries, c.adjustment.late] : c.entries.map((e, i) => (i === (c.adjustment as { correct: number }).correct ? { ...e, amountCents: (c.adjustment as { amountCents: number }).amountCents } : e));

/** A pole with one resource and October's bookings and costs; October closed on 16 November. */
async function pole(c: Case, entries: readonly Entry[]) {
  const store = openStore(':memory:');
  const clock = manualClock('2026-11-16T10:00:00+01:00');
  const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock, config: { ...defaultConfig, demo: false } };
  ensurePole(ctx);
  const p = await seedPole(store);
  const members = [p.memberA, p.memberB, p.memberC];
  const resourceId = insertResource(store, { name: 'Salle partagée', kind: 'room', bearerMemberId: members[c.bearer]! });
  setRule(store, resourceId, '2026-01', { rule: c.rule });
  const userId = Object.values(p.userIds)[0]!;
  c.halfHours.forEach((h, i) => {
    if (h > 0) insertBooking(store, { resourceId, memberId: members[i]!, userId, start: '2026-10-14T08:00:00+02:00', end: new Date(Date.parse('2026-10-14T08:00:00+02:00') + h * 30 * 60_000).toISOString() });
  });
  const costIds = entries.map((e) => insertCost(store, { resourceId, month: '2026-10', amountCents: e.amountCents, nature: e.nature }));
  closeMonth(ctx, { month: '2026-10', actor: null });
  return { ctx, store, resourceId, costIds, members };
}

/** Net billed excl. VAT per buyer and nature: invoices less credit notes. */
function billed(ctx: AppContext): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of invoiceRepository(ctx.sqlite).list({ month: '2026-10' })) {
    for (const l of d.lines) {
      const key = `${d.sellerMemberId}>${d.buyerMemberId}|${l.nature}`;
      out.set(key, (out.get(key) ?? 0) + (d.kind === 'credit_note' ? -1 : 1) * l.totalExclVatCents);
    }
  }
  for (const [k, v] of out) if (v === 0) out.delete(k);
  return out;
}

/** One case: adjusts the first pole, closes the oracle with the corrected costs, compares. True when documents were issued. */
async function adjustAndCompare(c: Case): Promise<boolean> {
  const adjusted = await pole(c, c.entries);
  const oracle = await pole(c, corrected(c));
  try {
    const costs =
      'late' in c.adjustment
        ? [{ label: 'Facture reçue en retard', nature: c.adjustment.late.nature, amountCents: c.adjustment.late.amountCents }]
        : [{ costId: adjusted.costIds[c.adjustment.correct]!, amountCents: c.adjustment.amountCents }];
    let issued = true;
    try {
      issueAdjustment(adjusted.ctx, null, '2026-10', { resourceId: adjusted.resourceId, costs });
    } catch (err) {
      // Nothing to adjust only when the corrected costs bill exactly what was billed (checked just below).
      if (!isAppError(err) || err.code !== 'adjustment.nothing_to_adjust') throw err;
      issued = false;
    }
    assert.deepEqual(Object.fromEntries([...billed(adjusted.ctx)].sort()), Object.fromEntries([...billed(oracle.ctx)].sort()));
    assert.equal(monthReconciliation(adjusted.ctx, '2026-10')!.total.differenceCents, 0);
    assert.equal(checkIntegrity(adjusted.ctx).ok, true);
    return issued;
  } finally {
    adjusted.store.close();
    oracle.store.close();
  }
}

describe('adjustments: property', () => {
  it('original shares + adjustment documents = shares of the corrected cost, per member and nature, to the cent', async () => {
    let issued = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        if (await adjustAndCompare(c)) issued++;
      }),
      { numRuns: 20 },
    );
    assert.ok(issued > 5, `only ${issued} of 20 runs issued documents`);
  });
});
