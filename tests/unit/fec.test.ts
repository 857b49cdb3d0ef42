import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { buildEntries, letterCode, recoversVat, type SourceDocument } from '../../server/accounting/entries';
import { entryBalance, fecAmount, fecDate, fecText, numberEntries, serializeFec } from '../../server/accounting/fec';
import { defaultMapping, effectiveMapping, mappingProblems } from '../../server/accounting/mapping';
import { vatBreakdown, totalsOf } from '../../server/invoices/vat-lines';
import type { InvoiceLine } from '../../server/invoices/document';
import { COST_NATURES } from '../../db/schema/enums';
import { balanceOf, entriesOf, parseFec } from '../helpers/fec';
import '../helpers/seed';

const party = (name: string, siren: string, vatRegime: string) => ({ name, siren, vatRegime });
const A = party('Alpha', '732829320', 'assujetti');
const B = party('Bravo', '552081317', 'non_assujetti');

function doc(id: number, over: Partial<SourceDocument> & { lines: SourceDocument['lines'] }): SourceDocument {
  const breakdown = vatBreakdown(over.lines as InvoiceLine[]);
  const totals = totalsOf(over.lines as InvoiceLine[], breakdown);
  return {
    id,
    number: `ALPH-2026-${String(id).padStart(4, '0')}`,
    kind: 'invoice',
    sellerMemberId: 1,
    buyerMemberId: 2,
    month: '2026-10',
    issueDate: '2026-11-05',
    seller: A,
    buyer: B,
    vatBreakdown: breakdown,
    ...totals,
    creditedInvoiceId: null,
    ...over,
  };
}

const line = (totalExclVatCents: number, vatRate: number, nature: SourceDocument['lines'][number]['nature'], resourceId = 1, name = 'Technicien') => ({
  description: `${name} — x — octobre 2026 — usage`,
  resourceId,
  nature,
  vatRate,
  totalExclVatCents,
});

describe('FEC formats', () => {
  it('writes amounts with a decimal comma, no thousands separator, and dates as YYYYMMDD', () => {
    assert.equal(fecAmount(0), '0,00');
    assert.equal(fecAmount(5), '0,05');
    assert.equal(fecAmount(123_456_789), '1234567,89');
    assert.equal(fecAmount(-1_050), '-10,50');
    assert.throws(() => fecAmount(1.5));
    assert.equal(fecDate('2026-02-28'), '20260228');
    assert.throws(() => fecDate('2026-2-28'));
    assert.equal(fecText('a\tb\r\nc  d '), 'a b c d');
    assert.deepEqual([1, 2, 26, 27, 17_576, 17_577].map(letterCode), ['AAA', 'AAB', 'AAZ', 'ABA', 'ZZZ', 'BAAA']);
  });

  it('refuses to write an unbalanced entry', () => {
    const entry = { journalCode: 'VT', journalLabel: 'Ventes', number: 'VT00001', date: '2026-11-05', pieceRef: 'X', pieceDate: '2026-11-05', validDate: '2026-11-05' };
    const l = { account: '411', accountLabel: 'Clients', auxAccount: null, auxLabel: null, label: 'x', letter: null, letterDate: null };
    assert.throws(() => serializeFec([{ ...entry, lines: [{ ...l, debitCents: 100, creditCents: 0 }, { ...l, debitCents: 0, creditCents: 99 }] }]), /not balanced/);
  });
});

describe('FEC entries', () => {
  const mapping = defaultMapping('pcg');
  const kinds = new Map([
    [1, 'staff' as const],
    [2, 'room' as const],
    [3, 'service' as const],
  ]);

  it('a non-recovering buyer books the VAT in each expense, shared by largest remainder; a liable one in 44566', () => {
    const d = doc(1, { lines: [line(333, 20, 'salary'), line(333, 20, 'social_charges'), line(334, 20, 'rent_or_lease', 2, 'Salle')] });
    assert.equal(d.totalVatCents, 200);
    const buyerSide = buildEntries({ memberId: 2, from: '2026-11-01', to: '2026-11-30', documents: [d], payments: [], mapping, resourceKinds: kinds });
    const lines = buyerSide[0]!.lines;
    assert.deepEqual(
      lines.map((l) => [l.account, l.debitCents, l.creditCents]),
      [
        ['6214', 799, 0],
        ['613', 401, 0],
        ['401', 0, 1_200],
      ],
    );
    const liable = { ...d, buyer: party('Bravo', '552081317', 'assujetti') };
    const recovered = buildEntries({ memberId: 2, from: '2026-11-01', to: '2026-11-30', documents: [liable], payments: [], mapping, resourceKinds: kinds });
    assert.deepEqual(
      recovered[0]!.lines.map((l) => [l.account, l.debitCents]),
      [
        ['6214', 666],
        ['613', 334],
        ['44566', 200],
        ['401', 0],
      ],
    );
    assert.equal(recoversVat({ name: 'x', siren: '1', vatStatus: 'assujetti', eligible261B: true }, 'auto'), false, 'a 261 B member’s activity is exempt');
    assert.equal(recoversVat({ name: 'x', siren: '1', vatStatus: 'assujetti' }, 'auto'), true);
    assert.equal(recoversVat({ name: 'x', siren: '1', vatRegime: 'franchise_293B' }, 'auto'), false);
    assert.equal(recoversVat({ name: 'x', siren: '1', vatRegime: 'franchise_293B' }, 'yes'), true);
  });

  it('exempt (E) and out-of-scope (O) lines carry no VAT account; only the standard line’s VAT is collected or deducted', () => {
    const mixed = [
      { ...line(1_000, 20, 'salary'), vatCategory: 'S' as const, exemptionCode: null, exemptionText: null },
      { ...line(500, 0, 'rent_or_lease', 2, 'Salle'), vatCategory: 'E' as const, exemptionCode: 'VATEX-EU-132-1F', exemptionText: 'Exonération de TVA, art. 261 B du CGI' },
      { ...line(300, 0, 'subscription', 3, 'Logiciel'), vatCategory: 'O' as const, exemptionCode: 'VATEX-EU-O', exemptionText: 'Opération non soumise à la TVA' },
    ];
    const d = doc(7, { lines: mixed, buyer: party('Bravo', '552081317', 'assujetti') });
    assert.deepEqual(
      d.vatBreakdown.map((v) => [v.vatRate, v.vatCents]),
      [
        [20, 200],
        [0, 0],
        [0, 0],
      ],
      'one breakdown per category, VAT only on S',
    );
    const accounts = (memberId: number, document: SourceDocument) =>
      buildEntries({ memberId, from: '2026-11-01', to: '2026-11-30', documents: [document], payments: [], mapping, resourceKinds: kinds })[0]!.lines.map((l) => [l.account, l.debitCents, l.creditCents]);
    assert.deepEqual(accounts(1, d), [
      ['411', 2_000, 0],
      ['7084', 0, 1_000],
      ['7083', 0, 500],
      ['706', 0, 300],
      ['44571', 0, 200],
    ]);
    assert.deepEqual(accounts(2, d), [
      ['6214', 1_000, 0],
      ['613', 500, 0],
      ['6226', 300, 0],
      ['44566', 200, 0],
      ['401', 0, 2_000],
    ]);
    // A buyer that cannot recover expenses the S line's VAT in that line alone, never in the E or O lines.
    const exempt = { ...d, buyer: party('Bravo', '552081317', 'non_assujetti') };
    assert.deepEqual(accounts(2, exempt), [
      ['6214', 1_200, 0],
      ['613', 500, 0],
      ['6226', 300, 0],
      ['401', 0, 2_000],
    ]);
  });

  it('a credit note reverses the invoice in the same journal and letters with it', () => {
    const inv = doc(1, { lines: [line(10_000, 20, 'salary')] });
    const note = doc(2, { kind: 'credit_note', number: 'ALPH-2026-0002', creditedInvoiceId: 1, issueDate: '2026-11-20', lines: [line(10_000, 20, 'salary')] });
    const entries = buildEntries({ memberId: 1, from: '2026-11-01', to: '2026-11-30', documents: [inv, note], payments: [], mapping, resourceKinds: kinds });
    assert.deepEqual(
      entries.map((e) => [e.journalCode, e.lines.map((l) => [l.account, l.debitCents, l.creditCents, l.letter])]),
      [
        ['VT', [['411', 12_000, 0, 'AAA'], ['7084', 0, 10_000, null], ['44571', 0, 2_000, null]]],
        ['VT', [['411', 0, 12_000, 'AAA'], ['7084', 10_000, 0, null], ['44571', 2_000, 0, null]]],
      ],
    );
    assert.equal(entries[0]!.lines[0]!.letterDate, '2026-11-20');
  });

  it('a partly paid invoice is lettered in lower case; lettering ignores what happens after the period', () => {
    const inv = doc(1, { lines: [line(10_000, 0, 'other', 3)] });
    const payments = [
      { id: 'p1', invoiceId: 1, amountCents: 4_000, date: '2026-11-10', reference: 'VIR 1' },
      { id: 'p2', invoiceId: 1, amountCents: 6_000, date: '2026-12-03', reference: null },
    ];
    const nov = buildEntries({ memberId: 1, from: '2026-11-01', to: '2026-11-30', documents: [inv], payments, mapping, resourceKinds: kinds });
    assert.deepEqual(nov.map((e) => [e.journalCode, e.lines.find((l) => l.account === '411')!.letter]), [
      ['VT', 'aaa'],
      ['BQ', 'aaa'],
    ]);
    assert.match(nov[1]!.lines[1]!.label, /réf\. VIR 1$/);
    const dec = buildEntries({ memberId: 1, from: '2026-11-01', to: '2026-12-31', documents: [inv], payments, mapping, resourceKinds: kinds });
    assert.deepEqual(dec.map((e) => e.lines.find((l) => l.account === '411')!.letter), ['AAA', 'AAA', 'AAA']);
    assert.ok(dec.every((e) => e.lines.filter((l) => l.letter).every((l) => l.letterDate === '2026-12-03')));
  });

  it('a recorded settlement is one entry: the net that moved on the bank, each invoice on its account; a pure set-off moves no money', () => {
    const sold = doc(1, { lines: [line(10_000, 0, 'other', 3)] });
    const bought = doc(2, { number: 'BRAV-2026-0001', sellerMemberId: 2, buyerMemberId: 1, seller: B, buyer: A, lines: [line(4_000, 0, 'other', 3)] });
    const paid = (amounts: [number, number], settlementId: number) => [
      { id: 'a', invoiceId: 1, amountCents: amounts[0], date: '2026-11-20', reference: 'Virement', settlementId },
      { id: 'b', invoiceId: 2, amountCents: amounts[1], date: '2026-11-20', reference: 'Compensation', settlementId },
    ];
    const net = buildEntries({ memberId: 1, from: '2026-11-01', to: '2026-11-30', documents: [sold, bought], payments: paid([10_000, 4_000], 7), mapping, resourceKinds: kinds });
    const reg = net.find((e) => e.pieceRef === 'REG-7')!;
    assert.equal(reg.journalCode, 'BQ');
    assert.deepEqual(reg.lines.map((l) => [l.account, l.debitCents, l.creditCents, l.letter]), [
      ['512', 6_000, 0, null],
      ['411', 0, 10_000, 'AAA'],
      ['401', 4_000, 0, 'AAB'],
    ]);
    assert.equal(net.filter((e) => e.journalCode === 'BQ').length, 1, 'one bank line per settlement, as on the bank statement');
    const setOff = buildEntries({
      memberId: 1,
      from: '2026-11-01',
      to: '2026-11-30',
      documents: [sold, { ...bought, lines: [line(10_000, 0, 'other', 3)], totalExclVatCents: 10_000, totalInclVatCents: 10_000 }],
      payments: paid([10_000, 10_000], 8),
      mapping,
      resourceKinds: kinds,
    });
    const od = setOff.find((e) => e.pieceRef === 'REG-8')!;
    assert.equal(od.journalCode, 'OD');
    assert.deepEqual(od.lines.map((l) => l.account), ['411', '401']);
    assert.equal(entryBalance(od), 0);
  });

  it('property: over random documents, credit notes and payments, every entry balances and the accounts match the documents', () => {
    const natures = [...COST_NATURES, null] as const;
    const arbLine = fc.record({
      cents: fc.integer({ min: 0, max: 5_000_000 }),
      rate: fc.constantFrom(0, 5.5, 10, 20),
      nature: fc.constantFrom(...natures),
      resource: fc.integer({ min: 1, max: 4 }),
    });
    const arbDoc = fc.record({
      lines: fc.array(arbLine, { minLength: 1, maxLength: 6 }),
      selling: fc.boolean(),
      day: fc.integer({ min: 1, max: 28 }),
      credit: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
      paid: fc.option(fc.integer({ min: 1, max: 100 }), { nil: null }),
      buyerRegime: fc.constantFrom('assujetti', 'exonere_261B', 'non_assujetti', 'franchise_293B'),
    });
    fc.assert(
      fc.property(fc.array(arbDoc, { minLength: 1, maxLength: 8 }), (specs) => {
        const documents: SourceDocument[] = [];
        const payments: { id: string; invoiceId: number; amountCents: number; date: string; reference: null }[] = [];
        let id = 0;
        for (const s of specs) {
          const lines = s.lines.map((l) => line(l.cents, l.rate, l.nature, l.resource));
          const date = `2026-11-${String(s.day).padStart(2, '0')}`;
          const parties = s.selling ? { sellerMemberId: 1, buyerMemberId: 2, seller: A, buyer: party('Bravo', '552081317', s.buyerRegime) } : { sellerMemberId: 2, buyerMemberId: 1, seller: B, buyer: { ...A, vatRegime: s.buyerRegime } };
          const inv = doc(++id, { ...parties, issueDate: date, lines });
          documents.push(inv);
          if (s.credit !== null) {
            const creditLines = lines.map((l) => ({ ...l, totalExclVatCents: Math.floor((l.totalExclVatCents * s.credit!) / 100) }));
            documents.push(doc(++id, { ...parties, kind: 'credit_note', creditedInvoiceId: inv.id, issueDate: date, lines: creditLines }));
          }
          if (s.paid !== null) payments.push({ id: `p${id}`, invoiceId: inv.id, amountCents: Math.floor((inv.totalInclVatCents * s.paid) / 100), date, reference: null });
        }
        const mapping = effectiveMapping('association', {});
        const entries = numberEntries(buildEntries({ memberId: 1, from: '2026-11-01', to: '2026-11-30', documents, payments, mapping, resourceKinds: kinds }), ['VT', 'AC', 'BQ']);
        for (const e of entries) assert.equal(entryBalance(e), 0);
        const rows = parseFec(serializeFec(entries));
        entriesOf(rows);
        const signed = (d: SourceDocument, c: number) => (d.kind === 'invoice' ? c : -c);
        const issued = documents.filter((d) => d.sellerMemberId === 1);
        const received = documents.filter((d) => d.buyerMemberId === 1);
        assert.equal(balanceOf(rows, (r) => r.JournalCode === 'VT' && r.CompteNum === '411'), issued.reduce((a, d) => a + signed(d, d.totalInclVatCents), 0));
        assert.equal(0 - balanceOf(rows, (r) => r.JournalCode === 'VT' && r.CompteNum.startsWith('7')), issued.reduce((a, d) => a + signed(d, d.totalExclVatCents), 0));
        assert.equal(0 - balanceOf(rows, (r) => r.JournalCode === 'AC' && r.CompteNum === '401'), received.reduce((a, d) => a + signed(d, d.totalInclVatCents), 0));
        const bank = payments.reduce((a, p) => a + (issued.some((d) => d.id === p.invoiceId) ? p.amountCents : -p.amountCents), 0);
        assert.equal(balanceOf(rows, (r) => r.CompteNum === '512'), bank);
      }),
      { numRuns: 150 },
    );
  });
});

describe('account mapping', () => {
  it('defaults follow the PCG, associations differ for rebilled services, and overrides are checked', () => {
    assert.deepEqual(mappingProblems(defaultMapping('pcg')), []);
    assert.deepEqual(mappingProblems(defaultMapping('associations')), []);
    assert.equal(effectiveMapping('association', {}).sales.byKind.service, '7088');
    assert.equal(effectiveMapping('scop', {}).sales.byKind.service, '706');
    assert.equal(effectiveMapping('scop', { chart: 'associations' }).sales.byKind.service, '7088');
    const m = effectiveMapping('scop', { expenses: { byNature: { salary: '6215' } }, bank: '5121' });
    assert.equal(m.expenses.byNature.salary, '6215');
    assert.equal(m.expenses.byNature.social_charges, '6214');
    assert.deepEqual(
      mappingProblems(effectiveMapping('scop', { sales: { fallback: '628' }, customers: '401', vatCollected: '44566' })).map((p) => p.path),
      ['sales.fallback', 'customers', 'vatCollected'],
    );
  });
});
