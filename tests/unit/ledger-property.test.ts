import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import '../helpers/seed';
import { balancesOf, invoiceBalances, netPositions, planTransfers, type LedgerDocument, type LedgerPayment, type SettlementMode } from '../../server/payments/rules';

/**
 * Over random invoices, credit notes and payments: every member's balance is issued − credited − paid, the
 * positions sum to zero, and any plan (bilateral or multilateral, with or without agreements and public
 * bodies), once recorded as the payments of the invoices it lists, leaves every open balance at zero while its
 * transfers move exactly each member's net position.
 */
const MEMBERS = [1, 2, 3, 4, 5];

const ledgerArb = fc
  .array(
    fc.record({
      seller: fc.constantFrom(...MEMBERS),
      buyerOffset: fc.integer({ min: 1, max: MEMBERS.length - 1 }),
      total: fc.integer({ min: 1, max: 500_000 }),
      credits: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 2 }),
      payments: fc.array(fc.integer({ min: 1, max: 100 }), { maxLength: 3 }),
      creditAfterPayment: fc.boolean(),
    }),
    { minLength: 1, maxLength: 25 },
  )
  .map((specs) => {
    const docs: LedgerDocument[] = [];
    const payments: LedgerPayment[] = [];
    let id = 0;
    for (const s of specs) {
      const buyer = MEMBERS[(MEMBERS.indexOf(s.seller) + s.buyerOffset) % MEMBERS.length]!;
      const invoice: LedgerDocument = { id: ++id, kind: 'invoice', sellerMemberId: s.seller, buyerMemberId: buyer, issueDate: '2026-11-01', totalInclVatCents: s.total, creditedInvoiceId: null };
      docs.push(invoice);
      // Credit notes never exceed the invoice; payments never exceed what is open when paid.
      let credited = 0;
      let paid = 0;
      const credit = (pct: number) => {
        const amount = Math.min(s.total - credited, Math.max(1, Math.floor((s.total * pct) / 200)));
        if (amount <= 0) return;
        credited += amount;
        docs.push({ id: ++id, kind: 'credit_note', sellerMemberId: s.seller, buyerMemberId: buyer, issueDate: '2026-11-05', totalInclVatCents: amount, creditedInvoiceId: invoice.id });
      };
      if (!s.creditAfterPayment) s.credits.forEach(credit);
      for (const pct of s.payments) {
        const open = s.total - credited - paid;
        const amount = Math.min(open, Math.max(1, Math.floor((open * pct) / 100)));
        if (amount <= 0) continue;
        paid += amount;
        payments.push({ invoiceId: invoice.id, amountCents: amount, paidOn: '2026-11-10' });
      }
      if (s.creditAfterPayment) s.credits.forEach(credit);
    }
    return { docs, payments };
  });

const partiesArb = fc.record({
  netting: fc.subarray(MEMBERS),
  publicBodies: fc.subarray(MEMBERS, { maxLength: 2 }),
  mode: fc.constantFrom<SettlementMode>('bilateral', 'multilateral'),
});

describe('payments ledger: properties', () => {
  it('balances are issued − credited − paid per member, and the positions sum to zero', () => {
    fc.assert(
      fc.property(ledgerArb, ({ docs, payments }) => {
        const balances = balancesOf(docs, invoiceBalances(docs, payments));
        const net = netPositions(balances);
        for (const m of MEMBERS) {
          const sum = (pred: (d: LedgerDocument) => boolean, kind: LedgerDocument['kind']) => docs.filter((d) => d.kind === kind && pred(d)).reduce((a, d) => a + d.totalInclVatCents, 0);
          const paid = (pred: (d: LedgerDocument) => boolean) => payments.filter((p) => pred(docs.find((d) => d.id === p.invoiceId)!)).reduce((a, p) => a + p.amountCents, 0);
          const asSeller = (d: LedgerDocument) => d.sellerMemberId === m;
          const asBuyer = (d: LedgerDocument) => d.buyerMemberId === m;
          const expected = sum(asSeller, 'invoice') - sum(asSeller, 'credit_note') - paid(asSeller) - (sum(asBuyer, 'invoice') - sum(asBuyer, 'credit_note') - paid(asBuyer));
          assert.equal(net.get(m) ?? 0, expected, `member ${m}`);
        }
        assert.equal([...net.values()].reduce((a, v) => a + v, 0), 0);
      }),
      { numRuns: 300 },
    );
  });

  it('a recorded plan leaves every open balance at zero, and its transfers move exactly each net position', () => {
    fc.assert(
      fc.property(ledgerArb, partiesArb, ({ docs, payments }, parties) => {
        const byInvoice = invoiceBalances(docs, payments);
        const balances = balancesOf(docs, byInvoice);
        const net = netPositions(balances);
        const plan = planTransfers(balances, parties.mode, { netting: new Set(parties.netting), publicBodies: new Set(parties.publicBodies) });
        // Money: each member receives − pays exactly its net position.
        for (const m of MEMBERS) {
          const moved = plan.reduce((a, t) => a + (t.toMemberId === m ? t.amountCents : 0) - (t.fromMemberId === m ? t.amountCents : 0), 0);
          assert.equal(moved, net.get(m) ?? 0, `member ${m}`);
        }
        assert.ok(plan.every((t) => t.amountCents >= 0 && t.fromMemberId !== t.toMemberId));
        // Public bodies are never netted; multilateral legs only among members with the agreement.
        for (const t of plan) {
          if (parties.publicBodies.includes(t.fromMemberId) || parties.publicBodies.includes(t.toMemberId)) assert.equal(t.basis, 'gross');
          if (t.basis === 'multilateral') assert.ok(parties.mode === 'multilateral' && parties.netting.includes(t.fromMemberId) && parties.netting.includes(t.toMemberId));
        }
        // Recording: each listed invoice gets a payment of its open balance; each invoice is listed once.
        const listed = plan.flatMap((t) => t.invoiceIds);
        assert.equal(new Set(listed).size, listed.length);
        const recorded = [...payments, ...listed.map((id) => ({ invoiceId: id, amountCents: byInvoice.get(id)!.openCents, paidOn: '2026-11-20' }))];
        assert.deepEqual(balancesOf(docs, invoiceBalances(docs, recorded)), []);
      }),
      { numRuns: 300 },
    );
  });
});
