import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { members } from '../../db/schema/index';
import { buildTestApp, dbFingerprint, login, seedPole, TEST_SIRETS, type SeededPole, type TestApp } from '../helpers/app';
import { insertBooking, insertCost, insertResource, setRule } from '../helpers/closing';
import { pdfText } from '../helpers/pdf';

/**
 * Issue #10 end to end: a close of October 2026 that mixes every case a PTCE has. A is the pole's grouping
 * (liable), B a SCOP charging VAT (debit option), C an eligible association outside VAT, F a micro-entrepreneur
 * under the franchise who cannot recover the VAT she pays, P a commune (Chorus Pro, titres de recettes), M an
 * association that has not mandated the pole yet.
 */
interface Line {
  resourceId: number;
  nature: string | null;
  vatCategory: string;
  vatRate: number;
  exemptionCode: string | null;
  exemptionText: string | null;
  totalExclVatCents: number;
}
interface Invoice {
  id: number;
  number: string;
  sellerMemberId: number;
  buyerMemberId: number;
  totalExclVatCents: number;
  totalVatCents: number;
  lines: Line[];
  mentions: Record<string, string | null>;
  buyer: Record<string, unknown>;
}

const flat = (text: string) => text.replace(/\s+/g, ' ');

describe('a close mixing every VAT case', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  const ids: Record<string, number> = {};
  let invoices: Invoice[] = [];
  const between = (seller: number, buyer: number) => invoices.find((i) => i.sellerMemberId === seller && i.buyerMemberId === buyer);

  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
    const { memberA: A, memberB: B, memberC: C } = pole;
    const add = (values: Partial<typeof members.$inferInsert> & { name: string; siret: string; invoicePrefix: string }) =>
      t.store.db
        .insert(members)
        .values({
          legalForm: 'association',
          siren: values.siret.slice(0, 9),
          address: '1 rue du Test',
          postalCode: '44000',
          city: 'Nantes',
          billingEmail: `${values.invoicePrefix.toLowerCase()}@test.fr`,
          vatStatus: 'non_assujetti',
          billingMandateSince: '2025-01-01',
          joinedOn: '2025-01-01',
          createdAt: 0,
          ...values,
        })
        .returning({ id: members.id })
        .get().id;
    ids.F = add({ name: 'Julie Photo (micro-entreprise)', legalForm: 'other', siret: TEST_SIRETS[3]!, invoicePrefix: 'PHOTO', vatStatus: 'franchise_293B' });
    ids.P = add({
      name: 'Commune de Test',
      legalForm: 'local_authority',
      siret: TEST_SIRETS[4]!,
      invoicePrefix: 'COMM',
      publicBody: true,
      chorusServiceCode: 'CULTURE',
      chorusEngagement: 'EJ-42',
    });
    ids.M = add({ name: 'Imprimerie associative', siret: TEST_SIRETS[5]!, invoicePrefix: 'IMPR', vatStatus: 'assujetti', vatNumber: null, billingMandateSince: null });
    t.store.sqlite.prepare('UPDATE members SET vat_on_debits = 1, iban = ?, bic = ? WHERE id = ?').run('FR7630006000011234567890189', 'AGRIFRPP', B);
    const { F, P, M } = ids as { F: number; P: number; M: number };
    const u = pole.userIds[pole.coordinator]!;
    const book = (resourceId: number, memberId: number, day: string, hours: number) =>
      insertBooking(t.store, { resourceId, memberId, userId: u, start: `2026-10-${day}T08:00:00+02:00`, end: `2026-10-${day}T${String(8 + hours).padStart(2, '0')}:00:00+02:00` });

    ids.accounting = insertResource(t.store, { name: 'Comptabilité', kind: 'service', bearerMemberId: A });
    book(ids.accounting, B, '05', 3);
    book(ids.accounting, C, '06', 5);
    book(ids.accounting, P, '07', 2);
    insertCost(t.store, { resourceId: ids.accounting, month: '2026-10', amountCents: 100_000, vatRateBp: 2000, inputVatCents: 20_000, nature: 'subscription' });

    ids.van = insertResource(t.store, { name: 'Camion', kind: 'equipment', bearerMemberId: A });
    setRule(t.store, ids.van, '2026-01', { rule: 'rate', rateCents: 1_500 });
    book(ids.van, C, '08', 4);
    insertCost(t.store, { resourceId: ids.van, month: '2026-10', amountCents: 60_000, nature: 'rent_or_lease' });

    ids.studio = insertResource(t.store, { name: 'Studio photo', kind: 'room', bearerMemberId: F });
    book(ids.studio, B, '12', 2);
    book(ids.studio, C, '13', 2);
    book(ids.studio, F, '14', 2);
    insertCost(t.store, { resourceId: ids.studio, month: '2026-10', amountCents: 50_000, vatRateBp: 2000, inputVatCents: 10_000, nature: 'rent_or_lease' });

    ids.staff = insertResource(t.store, { name: 'Chargée de communication', kind: 'staff', bearerMemberId: A });
    book(ids.staff, C, '15', 10);
    book(ids.staff, B, '16', 4);
    insertCost(t.store, { resourceId: ids.staff, month: '2026-10', amountCents: 200_000, nature: 'salary', paidHoursHundredths: 14_000 });
    insertCost(t.store, { resourceId: ids.staff, month: '2026-10', amountCents: 80_000, nature: 'social_charges' });

    ids.hall = insertResource(t.store, { name: 'Salle municipale', kind: 'room', bearerMemberId: P });
    book(ids.hall, A, '19', 3);
    book(ids.hall, C, '20', 3);
    insertCost(t.store, { resourceId: ids.hall, month: '2026-10', amountCents: 30_000, nature: 'rent_or_lease' });

    ids.rehearsal = insertResource(t.store, { name: 'Salle de répétition', kind: 'room', bearerMemberId: C });
    book(ids.rehearsal, B, '21', 4);
    insertCost(t.store, { resourceId: ids.rehearsal, month: '2026-10', amountCents: 40_000, nature: 'rent_or_lease' });

    ids.printer = insertResource(t.store, { name: 'Imprimante', kind: 'equipment', bearerMemberId: M });
    book(ids.printer, B, '22', 1);
    insertCost(t.store, { resourceId: ids.printer, month: '2026-10', amountCents: 1_000, nature: 'other' });
  });
  after(() => t.close());

  it('refuses the close while a member has no billing mandate (the preview says who), writing nothing, then closes', async () => {
    const preview = await t.app.inject({ method: 'POST', url: '/api/closings/preview', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(preview.statusCode, 200, preview.body);
    const codes = preview.json().warnings.map((w: { code: string }) => w.code);
    assert.ok(codes.includes('invoice.no_billing_mandate'));
    assert.ok(codes.includes('allocation.rate_not_exact_share'));
    assert.ok(codes.includes('allocation.staff_remainder'));
    const mandate = preview.json().warnings.find((w: { code: string }) => w.code === 'invoice.no_billing_mandate');
    assert.equal(mandate.params.memberId, ids.M);

    const before = dbFingerprint(t.store);
    const refused = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(refused.statusCode, 422);
    assert.equal(refused.json().error.code, 'invoice.no_billing_mandate');
    assert.match(refused.json().error.message, /Imprimerie associative/);
    assert.equal(dbFingerprint(t.store), before);

    const fixed = await t.app.inject({ method: 'PATCH', url: `/api/members/${ids.M}`, headers: { cookie: coord }, payload: { billingMandateSince: '2026-11-01' } });
    assert.equal(fixed.statusCode, 200, fixed.body);
    // This month's engagement number for the commune overrides its standing one; only a public body takes one.
    const unchanged = dbFingerprint(t.store);
    const notPublic = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10', engagements: [{ memberId: pole.memberB, engagement: 'EJ-1' }] } });
    assert.equal(notPublic.statusCode, 422);
    assert.equal(notPublic.json().error.code, 'closing.engagement_not_public_body');
    assert.equal(dbFingerprint(t.store), unchanged);
    const closed = await t.app.inject({
      method: 'POST',
      url: '/api/closings',
      headers: { cookie: coord },
      payload: { month: '2026-10', engagements: [{ memberId: ids.P, engagement: 'EJ-2026-OCT-7' }] },
    });
    assert.equal(closed.statusCode, 201, closed.body);
    invoices = closed.json().invoices;
  });

  it('the SCOP pays 20 % on its shares of the grouping’s costs; the eligible association gets 261 B', () => {
    const toScop = between(pole.memberA, pole.memberB)!;
    const accounting = toScop.lines.filter((l) => l.resourceId === ids.accounting);
    assert.deepEqual(accounting.map((l) => [l.vatCategory, l.vatRate, l.totalExclVatCents]), [['S', 20, 30_000]]);
    const toC = between(pole.memberA, pole.memberC)!;
    const exempt = toC.lines.filter((l) => l.resourceId === ids.accounting || l.resourceId === ids.staff);
    assert.ok(exempt.length >= 3 && exempt.every((l) => l.vatCategory === 'E' && l.exemptionCode === 'VATEX-EU-132-1F' && l.vatRate === 0));
    // The van is billed at a price (rate): never 261 B, even to an eligible member.
    const van = toC.lines.filter((l) => l.resourceId === ids.van);
    assert.deepEqual(van.map((l) => [l.vatCategory, l.vatRate, l.totalExclVatCents]), [['S', 20, 6_000]]);
    assert.equal(toC.totalVatCents, 1_200);
    assert.equal(toC.mentions.vat, 'Exonération de TVA, art. 261 B du CGI');
  });

  it('the franchise seller prints 293 B and shares her cost plus the VAT she cannot recover, exactly', () => {
    const toB = between(ids.F!, pole.memberB)!;
    const toC = between(ids.F!, pole.memberC)!;
    for (const inv of [toB, toC]) {
      assert.deepEqual(
        inv.lines.map((l) => [l.vatCategory, l.exemptionCode, l.exemptionText]),
        [['E', 'VATEX-FR-FRANCHISE', 'TVA non applicable, art. 293 B du CGI']],
      );
      assert.equal(inv.totalVatCents, 0);
      assert.equal(inv.totalExclVatCents, 20_000, '(500 € + 100 € of VAT) / 3');
    }
  });

  it('a seller outside VAT makes an operation outside its scope (category O)', () => {
    const fromC = between(pole.memberC, pole.memberB)!;
    assert.deepEqual(fromC.lines.map((l) => [l.vatCategory, l.exemptionCode, l.exemptionText]), [['O', 'VATEX-EU-O', 'Opération non soumise à la TVA']]);
  });

  it('the shared employee bills hours × hourly cost by nature, and the unused remainder stays with the employer', async () => {
    // 2 800 € ÷ 140 paid hours = 20 €/h: C 10 h → 200 €, B 4 h → 80 €; 2 520 € not made available.
    const staffOf = (inv: Invoice) => inv.lines.filter((l) => l.resourceId === ids.staff);
    assert.deepEqual(staffOf(between(pole.memberA, pole.memberC)!).map((l) => [l.nature, l.totalExclVatCents]), [['salary', 14_286], ['social_charges', 5_714]]);
    assert.equal(staffOf(between(pole.memberA, pole.memberB)!).reduce((a, l) => a + l.totalExclVatCents, 0), 8_000);
    const staffInvoice = between(pole.memberA, pole.memberC)!;
    assert.match(staffInvoice.mentions.staffLending!, /L8241-1/);
    const alloc = (await t.app.inject({ url: '/api/allocations?month=2026-10', headers: { cookie: coord } })).json();
    const res = alloc.totals.resources.find((r: { resourceId: number }) => r.resourceId === ids.staff);
    assert.deepEqual([res.costCents, res.allocatedCents, res.gapCents], [280_000, 28_000, 252_000]);
    assert.deepEqual(res.note, { code: 'staff_remainder', remainderCents: 252_000 });
  });

  it('the commune receives a Chorus Pro-ready invoice and issues none: its relevé lists what each member owes it', async () => {
    assert.ok(!invoices.some((i) => i.sellerMemberId === ids.P), 'no invoice in a public body’s name');
    const toP = between(pole.memberA, ids.P!)!;
    assert.equal(toP.buyer.chorusServiceCode, 'CULTURE');
    assert.match(toP.mentions.publicProcurement!, /Chorus Pro.*CULTURE.*EJ-2026-OCT-7/, 'the engagement given at the close, not the standing EJ-42');
    assert.equal(toP.buyer.chorusEngagement, 'EJ-2026-OCT-7');
    assert.match(toP.mentions.latePenalty!, /Code de la commande publique/);
    assert.match(toP.mentions.recoveryIndemnity!, /D2192-35/);

    const relevé = await t.app.inject({ url: `/api/closings/2026-10/revenue-titles/${ids.P}`, headers: { cookie: coord } });
    assert.equal(relevé.statusCode, 200, relevé.body);
    const r = relevé.json();
    assert.equal(r.final, true);
    assert.deepEqual(r.debtors.map((d: { memberId: number; totalCents: number }) => [d.memberId, d.totalCents]), [
      [pole.memberA, 15_000],
      [pole.memberC, 15_000],
    ]);
    assert.equal(r.totalCents, 30_000);
    const notPublic = await t.app.inject({ url: `/api/closings/2026-10/revenue-titles/${pole.memberA}`, headers: { cookie: coord } });
    assert.equal(notPublic.statusCode, 200);
    assert.deepEqual([notPublic.json().issuer.publicBody, notPublic.json().debtors], [false, []], 'a structure that invoices has no revenue titles');
    const other = await t.app.inject({ url: `/api/closings/2026-10/revenue-titles/${ids.P}`, headers: { cookie: await login(t.app, pole.userA) } });
    assert.equal(other.statusCode, 404, 'another structure’s relevé is not found');

    const settlement = (await t.app.inject({ url: '/api/settlements?month=2026-10', headers: { cookie: coord } })).json();
    const involvingP = settlement.transfers.filter((x: { fromMemberId: number; toMemberId: number }) => x.fromMemberId === ids.P || x.toMemberId === ids.P);
    assert.deepEqual(involvingP, [{ fromMemberId: ids.P, toMemberId: pole.memberA, amountCents: toP.totalExclVatCents + toP.totalVatCents }], 'paid gross, never netted');
  });

  it('keeps every sum exact: shares = cost (+ VAT not recovered); invoices + bearer’s share + remainder = cost', async () => {
    const alloc = (await t.app.inject({ url: '/api/allocations?month=2026-10', headers: { cookie: coord } })).json();
    for (const r of alloc.totals.resources as { resourceId: number; bearerMemberId: number; costCents: number; gapCents: number; rule: { rule: string } }[]) {
      const rows = alloc.rows.filter((x: { resourceId: number }) => x.resourceId === r.resourceId) as { memberId: number; shareCents: number }[];
      const own = rows.filter((x) => x.memberId === r.bearerMemberId).reduce((a, x) => a + x.shareCents, 0);
      const invoiced = invoices.flatMap((i) => i.lines).filter((l) => l.resourceId === r.resourceId).reduce((a, l) => a + l.totalExclVatCents, 0);
      const relevé = r.bearerMemberId === ids.P ? rows.filter((x) => x.memberId !== ids.P).reduce((a, x) => a + x.shareCents, 0) : 0;
      assert.equal(invoiced + relevé + own + r.gapCents, r.costCents, `resource ${r.resourceId}`);
      if (r.rule.rule !== 'rate') assert.equal(rows.reduce((a, x) => a + x.shareCents, 0) + r.gapCents, r.costCents);
    }
    const studio = alloc.totals.resources.find((r: { resourceId: number }) => r.resourceId === ids.studio);
    assert.equal(studio.costCents, 60_000, 'the franchise bearer shares the cost including the 100 € of VAT she cannot recover');
    const basis = alloc.rows.find((x: { resourceId: number }) => x.resourceId === ids.studio).basis;
    assert.equal(basis.inputVatIncludedCents, 10_000);
    assert.match(basis.text, /TVA non récupérable/);
  });

  it('prints each case with its mentions and never « TVA 0 % »', async () => {
    const pdf = async (url: string) => {
      const res = await t.app.inject({ url, headers: { cookie: coord } });
      assert.equal(res.statusCode, 200, res.body.slice(0, 200));
      return flat(pdfText(res.rawPayload));
    };
    const zero = /TVA 0(,0+)? ?%|\b0,00 %/;
    const exempt = await pdf(`/api/invoices/${between(pole.memberA, pole.memberC)!.id}/pdf`);
    assert.match(exempt, /Exonération de TVA, art\. 261 B du CGI/);
    assert.match(exempt, /L8241-1/);
    assert.match(exempt, /au nom et pour le compte de Association Alpha/);
    const franchise = await pdf(`/api/invoices/${between(ids.F!, pole.memberB)!.id}/pdf`);
    assert.match(franchise, /TVA non applicable, art\. 293 B du CGI/);
    const outside = await pdf(`/api/invoices/${between(pole.memberC, pole.memberB)!.id}/pdf`);
    assert.match(outside, /Opération non soumise à la TVA/);
    const scop = await pdf(`/api/invoices/${between(pole.memberA, pole.memberB)!.id}/pdf`);
    assert.match(scop, /SCOP à capital variable au capital de 10 000,00 €/);
    assert.match(scop, /RCS Nantes 552 081 317/);
    assert.match(scop, /SIREN : 552081317/, 'the buyer’s SIREN');
    assert.match(scop, /TVA 20 % sur/);
    assert.match(scop, /Pas d’escompte pour paiement anticipé/);
    assert.match(scop, /Pénalités de retard.*L441-10/);
    assert.match(scop, /40,00 €/);
    const publicInvoice = await pdf(`/api/invoices/${between(pole.memberA, ids.P!)!.id}/pdf`);
    assert.match(publicInvoice, /Chorus Pro — code service CULTURE/);
    assert.match(publicInvoice, /Code de la commande publique/);
    const relevé = await pdf(`/api/closings/2026-10/revenue-titles/${ids.P}/pdf`);
    assert.match(relevé, /RELEVÉ POUR ÉMISSION DE TITRES DE RECETTES/);
    assert.match(relevé, /Association Alpha — 150,00 €/);
    for (const text of [exempt, franchise, outside, scop, publicInvoice, relevé]) assert.doesNotMatch(text, zero);
  });
});
