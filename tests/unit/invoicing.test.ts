import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { allocateResource, DEFAULT_RULE } from '../../server/closing/allocation';
import { canonicalJson, documentHash, formatInvoiceNumber, GENESIS_HASH, sealDocuments, verifyChains, type StoredDocument } from '../../server/invoices/chain';
import { buildCloseDrafts } from '../../server/invoices/close-drafts';
import { buildCreditNoteDraft, CreditError, type CreditableInvoice } from '../../server/invoices/credit-notes';
import { describeBasis, describeNote } from '../../server/invoices/wording';
import { lineVat, vatBreakdown, vatOf } from '../../server/invoices/vat-lines';
import { mentionsFor } from '../../server/invoices/mentions';
import type { DocumentTerms, InvoiceLine, PartySnapshot } from '../../server/invoices/document';
import { parseStoredNote } from '../../server/closing/repository';
import { closeWarnings } from '../../server/closing/warnings';
import '../helpers/seed';

const party = (
  id: number,
  vatStatus: NonNullable<PartySnapshot['vatStatus']>,
  legalForm: PartySnapshot['legalForm'] = 'association',
  extra: Partial<PartySnapshot> = {},
): PartySnapshot => ({
  id,
  name: `Membre ${id}`,
  legalForm,
  siren: '732829320',
  siret: '73282932000074',
  address: `${id} rue de la Paix`,
  postalCode: '44000',
  city: 'Nantes',
  vatStatus,
  eligible261B: false,
  vatNumber: vatStatus === 'assujetti' ? 'FR44732829320' : null,
  billingEmail: `compta${id}@test.fr`,
  ...extra,
});
const eligible = { eligible261B: true };

const terms: DocumentTerms = {
  month: '2026-10',
  monthLabel: 'octobre 2026',
  issueDate: '2026-11-16',
  periodStart: '2026-10-01',
  periodEnd: '2026-10-31',
  dueDate: '2026-12-16',
  currency: 'EUR',
  paymentTermsDays: 30,
  latePenaltyRateBp: 1200,
};

const line = (totalExclVatCents: number, vatRate: number): InvoiceLine => ({
  description: 'x',
  resourceId: 1,
  nature: 'other',
  quantity: 1,
  unit: 'forfait',
  unitPriceExclVatCents: totalExclVatCents,
  ...(vatRate > 0
    ? { vatCategory: 'S' as const, vatRate, exemptionCode: null, exemptionText: null }
    : { vatCategory: 'E' as const, vatRate: 0, exemptionCode: 'VATEX-EU-132-1F', exemptionText: 'Exonération de TVA, art. 261 B du CGI' }),
  totalExclVatCents,
  basis: null,
});

describe('VAT', () => {
  it('rounds half-up in cents, symmetric for negative amounts', () => {
    assert.equal(vatOf(1005, 2000), 201);
    assert.equal(vatOf(10, 550), 1, '0.55 cent → 1');
    assert.equal(vatOf(9, 550), 0, '0.495 cent → 0');
    assert.equal(vatOf(-10, 550), -1);
    assert.equal(vatOf(123_456_789, 2000), 24_691_358);
  });

  it('is computed per rate on the sum of the line totals, not line by line', () => {
    // Two lines of 0.10 € at 5.5 %: per line 0.55 c → 1 + 1 = 2 c; on the sum 1.1 c → 1 c.
    const S = { vatCategory: 'S' as const, exemptionCode: null, exemptionText: null };
    assert.deepEqual(vatBreakdown([line(10, 5.5), line(10, 5.5), line(1000, 20), line(77, 0)]), [
      { ...S, vatRate: 5.5, baseCents: 20, vatCents: 1 },
      { ...S, vatRate: 20, baseCents: 1000, vatCents: 200 },
      { vatCategory: 'E', vatRate: 0, exemptionCode: 'VATEX-EU-132-1F', exemptionText: 'Exonération de TVA, art. 261 B du CGI', baseCents: 77, vatCents: 0 },
    ]);
  });

  it('states the exemption texts of the lines, never a bare rate, and the €40 indemnity', () => {
    const buyer = party(2, 'assujetti', 'scop');
    assert.equal(mentionsFor(party(1, 'assujetti'), buyer, terms, {}, [line(100, 0)]).vat, 'Exonération de TVA, art. 261 B du CGI');
    assert.equal(mentionsFor(party(1, 'assujetti'), buyer, terms, {}, [line(100, 20)]).vat, null);
    assert.match(mentionsFor(party(1, 'assujetti'), buyer, terms).recoveryIndemnity!, /40,00/);
  });

  it('reads a line stored before lines carried a category from its rate and the document’s mention', () => {
    const old = { vatRate: 0 };
    assert.deepEqual(lineVat(old, { vat: 'Exonération de TVA, art. 261 B du CGI' }), {
      vatCategory: 'E',
      vatRate: 0,
      exemptionCode: 'VATEX-EU-132-1F',
      exemptionText: 'Exonération de TVA, art. 261 B du CGI',
    });
    assert.equal(lineVat(old, { vat: 'TVA non applicable, art. 293 B du CGI' }).exemptionCode, 'VATEX-FR-FRANCHISE');
    assert.equal(lineVat(old, { vat: 'TVA non applicable : vendeur non assujetti à la TVA' }).vatCategory, 'O');
    assert.equal(lineVat(old, null).vatCategory, 'O');
    assert.deepEqual(lineVat({ vatRate: 5.5 }, { vat: null }), { vatCategory: 'S', vatRate: 5.5, exemptionCode: null, exemptionText: null });
  });
});

describe('invoices from an allocation', () => {
  // 1 is the pole's grouping; 2 a SCOP charging VAT; 3 an eligible association under the franchise.
  const parties = new Map([
    [1, party(1, 'assujetti')],
    [2, party(2, 'assujetti', 'scop')],
    [3, party(3, 'franchise_293B', 'association', eligible)],
  ]);
  const resources = new Map([
    [10, { id: 10, name: 'Technicien son', kind: 'staff' as const, vatRate: 20 }],
    [11, { id: 11, name: 'Camion', kind: 'equipment' as const, vatRate: 10 }],
  ]);
  const members = [1, 2, 3].map((id) => ({ id, weight: 1 }));

  it('decides VAT per line from seller, buyer and resource — not the cost’s rate — and splits a share by cost nature exactly', () => {
    const allocations = [
      allocateResource({ resourceId: 10, bearerMemberId: 2, costCents: 30_001, rule: { ...DEFAULT_RULE, rule: 'equal' }, usage: new Map(), activeMembers: members }),
      allocateResource({ resourceId: 11, bearerMemberId: 1, costCents: 900, rule: { ...DEFAULT_RULE, rule: 'equal' }, usage: new Map(), activeMembers: members }),
    ];
    const costGroups = new Map([
      [
        10,
        [
          { nature: 'salary' as const, amountCents: 20_000 },
          { nature: 'social_charges' as const, amountCents: 10_001 },
        ],
      ],
      [11, [{ nature: 'rent_or_lease' as const, amountCents: 900 }]],
    ]);
    const drafts = buildCloseDrafts({ terms, allocations, costGroups, resources, parties, groupingMemberId: 1 });
    assert.deepEqual(
      drafts.map((d) => [d.sellerMemberId, d.buyerMemberId, d.totalExclVatCents, d.totalVatCents]),
      [
        [1, 2, 300, 30], // the grouping bills the SCOP (not eligible) at the van's output rate, 10 %
        [1, 3, 300, 0], // …and its eligible member under 261 B
        [2, 1, 10_001, 2_000], // 30 001 / 3 → 10 001 / 10 000 / 10 000; VAT 20 % of 100.01 = 20.002 → 20.00
        [2, 3, 10_000, 2_000], // a SCOP is not the grouping: an eligible buyer still pays VAT
      ],
    );
    assert.deepEqual(
      drafts.map((d) => d.lines.map((l) => [l.vatCategory, l.vatRate, l.exemptionCode])[0]),
      [
        ['S', 10, null],
        ['E', 0, 'VATEX-EU-132-1F'],
        ['S', 20, null],
        ['S', 20, null],
      ],
    );
    assert.equal(drafts[1]!.mentions.vat, 'Exonération de TVA, art. 261 B du CGI');
    assert.equal(drafts[0]!.mentions.vat, null);
    const bTo1 = drafts[2]!;
    assert.deepEqual(
      bTo1.lines.map((l) => [l.nature, l.totalExclVatCents, l.vatRate]),
      [
        ['salary', 6_667],
        ['social_charges', 3_334],
      ].map(([n, c]) => [n, c, 20]),
    );
    assert.equal(bTo1.lines.reduce((a, l) => a + l.totalExclVatCents, 0), bTo1.totalExclVatCents);
    assert.match(bTo1.mentions.staffLending!, /L8241-1/);
    assert.equal(drafts[0]!.mentions.staffLending, null);
    assert.equal(drafts[1]!.lines[0]!.vatRate, 0);
  });

  it('describes each basis in words', () => {
    assert.equal(describeBasis({ rule: 'usage', method: 'usage', minutes: 750, totalMinutes: 3000, percent: 25 }), 'usage : 12 h 30 sur 50 h (25,00 %)');
    assert.match(describeBasis({ rule: 'usage', method: 'weights', fallback: 'weights', weight: 2, totalWeight: 6, percent: 33.33 }), /aucun usage ce mois.*poids 2 sur 6/);
    assert.match(describeBasis({ rule: 'rate', method: 'rate', minutes: 90, rateCents: 4500 }), /1 h 30 × 45,00/);
  });

  it('words every allocation note in French; an old snapshot’s plain sentence reads as text', () => {
    assert.equal(describeNote({ code: 'fallback', part: 'all', rule: 'usage', fallback: 'weights' }), 'Aucun usage ce mois : réparti selon les pondérations');
    assert.equal(describeNote({ code: 'fallback', part: 'all', rule: 'usage', fallback: 'equal' }), 'Aucun usage ni pondération positive ce mois : réparti à parts égales');
    assert.equal(describeNote({ code: 'fallback', part: 'all', rule: 'weights', fallback: 'equal' }), 'Aucune pondération positive : réparti à parts égales');
    assert.match(describeNote({ code: 'fallback', part: 'all', rule: 'equal', fallback: 'bearer' }), /le porteur le garde/);
    assert.equal(describeNote({ code: 'fallback', part: 'usage', rule: 'mixed', fallback: 'weights' }), 'Aucun usage ce mois : la part à l’usage est répartie selon les pondérations');
    assert.equal(describeNote({ code: 'fallback', part: 'usage', rule: 'mixed', fallback: 'equal' }), 'Aucun usage ce mois : la part à l’usage est répartie à parts égales');
    assert.match(describeNote({ code: 'no_rate' }), /Aucun tarif horaire/);

    const legacy = 'No usage at all this month: split by weights instead.';
    assert.deepEqual(parseStoredNote(legacy), { code: 'text', text: legacy });
    assert.equal(describeNote(parseStoredNote(legacy)!), legacy);
    assert.deepEqual(parseStoredNote('42'), { code: 'text', text: '42' }, 'JSON that is not a note object is text too');
    assert.deepEqual(parseStoredNote(JSON.stringify({ code: 'no_rate' })), { code: 'no_rate' });
    assert.equal(parseStoredNote(null), null);
  });

  it('turns notes, rate gaps and pending bookings into coded warnings with an English message', () => {
    const usage = allocateResource({ resourceId: 4, bearerMemberId: 1, costCents: 6_000, rule: DEFAULT_RULE, usage: new Map(), activeMembers: [{ id: 1, weight: 1 }, { id: 2, weight: 2 }] });
    const rate = allocateResource({
      resourceId: 7,
      bearerMemberId: 1,
      costCents: 10_000,
      rule: { ...DEFAULT_RULE, rule: 'rate', rateCents: 3_000 },
      usage: new Map([[2, 120]]),
      activeMembers: [{ id: 1, weight: 1 }, { id: 2, weight: 1 }],
    });
    const names = new Map([[4, 'Salle'], [7, 'Camion']]);
    assert.deepEqual(closeWarnings([usage, rate], (id) => names.get(id)!, 2), [
      {
        code: 'allocation.fallback',
        message: 'Salle: no usage at all this month: split by the weights instead',
        resourceId: 4,
        params: { resource: 'Salle', rule: 'usage', part: 'all', fallback: 'weights' },
      },
      {
        code: 'allocation.rate_not_exact_share',
        message: 'Camion: an hourly rate bills a price, not an exact share of the real cost: its lines can never be exempt under CGI 261 B',
        resourceId: 7,
        params: { resource: 'Camion' },
      },
      { code: 'allocation.rate_gap', message: 'Camion: the hourly rate leaves €40.00 of the cost to the bearer', resourceId: 7, params: { resource: 'Camion', gapCents: 4_000 } },
      { code: 'bookings.pending', message: '2 booking(s) of the month are still pending: they count for nothing and will stay frozen.', params: { count: 2 } },
    ]);
    assert.deepEqual(closeWarnings([], () => '', 0), []);
  });
});

describe('numbering and hash chain', () => {
  const draft = (seller: number, buyer: number, cents: number) => ({
    ...buildCloseDrafts({
      terms,
      allocations: [allocateResource({ resourceId: 11, bearerMemberId: seller, costCents: cents * 2, rule: { ...DEFAULT_RULE, rule: 'equal' }, usage: new Map(), activeMembers: [{ id: seller, weight: 1 }, { id: buyer, weight: 1 }] })],
      costGroups: new Map([[11, [{ nature: 'other' as const, amountCents: cents * 2 }]]]),
      resources: new Map([[11, { id: 11, name: 'Camion', kind: 'equipment' as const }]]),
      parties: new Map([
        [seller, party(seller, 'non_assujetti', 'association', eligible)],
        [buyer, party(buyer, 'non_assujetti', 'association', eligible)],
      ]),
    })[0]!,
  });

  it('serialises canonically: key order never changes the text', () => {
    assert.equal(canonicalJson({ b: 1, a: [{ d: null, c: 'x' }] }), '{"a":[{"c":"x","d":null}],"b":1}');
    assert.equal(canonicalJson({ a: 1, b: 2 }), canonicalJson({ b: 2, a: 1 }));
  });

  it('continues each issuer’s series from its counter and chains each document to the previous one', () => {
    const series = { prefix: (id: number) => `M${id}`, lastSeq: (id: number) => (id === 1 ? 41 : 0), lastHash: () => GENESIS_HASH };
    const docs = sealDocuments([draft(1, 2, 100), draft(1, 3, 200), draft(2, 1, 300)], series);
    assert.deepEqual(
      docs.map((d) => d.number),
      ['M1-2026-0042', 'M1-2026-0043', 'M2-2026-0001'],
    );
    assert.equal(docs[1]!.prevHash, docs[0]!.hash);
    assert.equal(docs[2]!.prevHash, GENESIS_HASH);
    assert.match(docs[0]!.hash, /^[0-9a-f]{64}$/);
    assert.deepEqual(sealDocuments([draft(1, 2, 100), draft(1, 3, 200), draft(2, 1, 300)], series), docs, 'deterministic');
    assert.equal(formatInvoiceNumber('SMAC', 2027, 12345), 'SMAC-2027-12345');
  });

  it('verifies chains: names a tampered document, a broken link, a gap and a missing last document', () => {
    const series = { prefix: (id: number) => `M${id}`, lastSeq: () => 0, lastHash: () => GENESIS_HASH };
    const docs: StoredDocument[] = sealDocuments([draft(1, 2, 100), draft(1, 3, 200), draft(1, 4, 300)], series).map((d, i) => ({ ...d, id: i + 1 }));
    const counters = [{ memberId: 1, year: 2026, lastSeq: 3, prefix: 'M1' }];
    assert.deepEqual(verifyChains(docs, counters), []);

    const tampered = docs.map((d) => (d.id === 2 ? { ...d, totalExclVatCents: d.totalExclVatCents + 1 } : d));
    assert.deepEqual(verifyChains(tampered, counters), [{ invoiceId: 2, number: 'M1-2026-0002', code: 'integrity.content', reason: 'content: its stored content no longer matches its hash' }]);

    // Rewriting the hash too only moves the problem to the next link.
    const rehashed = tampered.map((d) => (d.id === 2 ? { ...d, hash: documentHash(d) } : d));
    assert.deepEqual(verifyChains(rehashed, counters).map((p) => [p.invoiceId, p.reason.split(':')[0]]), [[3, 'chain']]);

    const gap = docs.filter((d) => d.id !== 2);
    const gapProblems = verifyChains(gap, counters);
    assert.deepEqual(gapProblems[0], { invoiceId: null, number: 'M1-2026-0002', code: 'integrity.gap', reason: 'missing: the series has a gap here' });

    const lastMissing = docs.filter((d) => d.id !== 3);
    assert.deepEqual(verifyChains(lastMissing, counters), [{ invoiceId: null, number: 'M1-2026-0003', code: 'integrity.counter_gap', reason: 'missing: numbered by the series counter but not found' }]);
  });
});

describe('credit notes', () => {
  const invoice = (lines: InvoiceLine[]): CreditableInvoice => {
    const breakdown = vatBreakdown(lines);
    return {
      id: 7,
      number: 'M2-2026-0001',
      kind: 'invoice',
      month: '2026-10',
      issueDate: '2026-11-16',
      periodStart: '2026-10-01',
      periodEnd: '2026-10-31',
      currency: 'EUR',
      sellerMemberId: 2,
      buyerMemberId: 1,
      seller: party(2, 'assujetti', 'scop'),
      buyer: party(1, 'non_assujetti', 'association', eligible),
      lines,
      vatBreakdown: breakdown,
      mentions: mentionsFor(party(2, 'assujetti', 'scop'), party(1, 'non_assujetti', 'association', eligible), terms, {}, lines),
      paymentTermsDays: 30,
      latePenaltyRateBp: 1200,
    };
  };

  it('credits the whole invoice, citing it, with the same VAT', () => {
    const inv = invoice([line(10_001, 20), line(333, 5.5)]);
    const note = buildCreditNoteDraft(inv, [], { mode: 'whole' }, { issueDate: '2026-11-20' });
    assert.equal(note.kind, 'credit_note');
    assert.equal(note.creditedInvoiceId, 7);
    assert.match(note.mentions.creditNote!, /M2-2026-0001 du 16\/11\/2026/);
    assert.deepEqual(note.vatBreakdown, inv.vatBreakdown);
    assert.equal(note.totalExclVatCents, 10_334);
  });

  it('never exceeds what remains creditable, by amount or by line', () => {
    const inv = invoice([line(1_000, 20), line(500, 20)]);
    const first = buildCreditNoteDraft(inv, [], { mode: 'lines', lines: [{ line: 0, amountCents: 400 }] }, { issueDate: '2026-11-20' });
    assert.equal(first.totalExclVatCents, 400);
    assert.throws(
      () => buildCreditNoteDraft(inv, [first], { mode: 'lines', lines: [{ line: 0, amountCents: 601 }] }, { issueDate: '2026-11-20' }),
      (e: CreditError) => e.code === 'credit_note.exceeds_remaining',
    );
    assert.throws(() => buildCreditNoteDraft(inv, [first], { mode: 'amount', amountCents: 1_101 }, { issueDate: '2026-11-20' }), CreditError);
    assert.throws(() => buildCreditNoteDraft(inv, [], { mode: 'lines', lines: [{ line: 2 }] }, { issueDate: '2026-11-20' }), CreditError);
    const rest = buildCreditNoteDraft(inv, [first], { mode: 'whole' }, { issueDate: '2026-11-21' });
    assert.equal(rest.totalExclVatCents, 1_100);
    assert.throws(
      () => buildCreditNoteDraft(inv, [first, rest], { mode: 'whole' }, { issueDate: '2026-11-22' }),
      (e: CreditError) => e.code === 'credit_note.nothing_left',
    );
  });

  it('any sequence of partial credits ending with the remainder cancels the invoice’s amounts and VAT exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.constantFrom(0, 2.1, 5.5, 10, 20)), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 50_000 }), { maxLength: 6 }),
        (spec, partials) => {
          const inv = invoice(spec.map(([c, r]) => line(c, r)));
          const notes: ReturnType<typeof buildCreditNoteDraft>[] = [];
          for (const amount of partials) {
            try {
              notes.push(buildCreditNoteDraft(inv, notes, { mode: 'amount', amountCents: amount }, { issueDate: '2026-11-20' }));
            } catch (e) {
              assert.ok(e instanceof CreditError);
            }
          }
          const left = inv.lines.reduce((a, l) => a + l.totalExclVatCents, 0) - notes.reduce((a, n) => a + n.totalExclVatCents, 0);
          if (left > 0) notes.push(buildCreditNoteDraft(inv, notes, { mode: 'whole' }, { issueDate: '2026-11-20' }));
          else assert.throws(() => buildCreditNoteDraft(inv, notes, { mode: 'whole' }, { issueDate: '2026-11-20' }), (e: CreditError) => e.code === 'credit_note.nothing_left');
          const invoiced = inv.vatBreakdown.reduce((a, v) => a + v.vatCents, 0);
          assert.equal(notes.reduce((a, n) => a + n.totalVatCents, 0), invoiced);
          assert.equal(notes.reduce((a, n) => a + n.totalExclVatCents, 0), inv.lines.reduce((a, l) => a + l.totalExclVatCents, 0));
          assert.ok(notes.every((n) => n.totalExclVatCents > 0 && n.totalVatCents >= 0));
        },
      ),
      { numRuns: 300, examples: [[[[1_000, 20]], [400, 600]]] },
    );
  });
});
