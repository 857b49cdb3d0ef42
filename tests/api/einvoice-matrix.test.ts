import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { members } from '../../db/schema/members';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertBooking, insertCost, insertResource, setRule } from '../helpers/closing';
import { EINVOICE_KIT, embeddedXml, validateEinvoices, type Validation } from '../helpers/einvoice';
import { pdfPages } from '../helpers/pdf';

interface Invoice {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  totalInclVatCents: number;
  lines: unknown[];
}

/** Valid SIRETs (Luhn) beyond the test pole's first three. */
const SIRETS = ['54205118000066', '38347481400100', '32737946700035', '81234567600017', '42345678900019', '51234567900017', '39876543800013'];

/**
 * The matrix, each case issued by a real close through the API (and credit notes through their
 * route), then fetched from the document routes and validated as a platform would, PDF and XML, in one run.
 */
describe('Factur-X matrix through the API', { skip: EINVOICE_KIT ? false : 'Factur-X kit not found' }, () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  const ids: Record<string, number> = {};
  let invoices: Invoice[] = [];
  let results: Map<string, Validation>;
  const files = new Map<string, { pdf: Buffer; xml: Buffer }>();
  let warnings: { code: string }[] = [];

  const member = (key: string, i: number, fields: Partial<typeof members.$inferInsert>) => {
    const siret = SIRETS[i]!;
    ids[key] = t.store.db
      .insert(members)
      .values({
        name: `Membre ${key}`,
        legalForm: 'association',
        siren: siret.slice(0, 9),
        siret,
        address: `${i + 10} rue des Essais`,
        postalCode: '44000',
        city: 'Nantes',
        billingEmail: `${key}@matrix.test`,
        vatStatus: 'assujetti',
        iban: 'FR7630006000011234567890189',
        invoicePrefix: key.toUpperCase(),
        joinedOn: '2025-01-01',
        billingMandateSince: '2025-01-01',
        createdAt: Date.parse('2026-01-01T00:00:00Z'),
        ...fields,
      })
      .returning({ id: members.id })
      .get().id;
  };

  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
    member('grp', 0, { name: 'Groupement de moyens', vatNumber: 'FR83443061841' });
    member('elig', 1, { name: 'Compagnie éligible 261 B', vatStatus: 'non_assujetti', eligible261B: true, iban: null });
    member('fran', 2, { name: 'Atelier en franchise', vatStatus: 'franchise_293B' });
    member('radio', 3, { name: 'Radio non assujettie', vatStatus: 'non_assujetti' });
    member('scop', 4, { name: 'SCOP assujettie', legalForm: 'scop', vatNumber: 'FR12812345676', shareCapitalCents: 2_000_000, rcsCity: 'Nantes' });
    member('buyer', 5, { name: 'Société cliente', legalForm: 'company', vatNumber: 'FR45423456789', einvoiceAddress: '512345679_COMPTA' });
    member('city', 6, { name: 'Commune de Test', legalForm: 'local_authority', vatStatus: 'non_assujetti', publicBody: true, chorusServiceCode: 'CULTURE', chorusEngagement: 'EJ-2026-0042', iban: null });
    t.store.sqlite.prepare('UPDATE pole SET grouping_member_id = ? WHERE id = 1').run(ids.grp);

    const userId = Object.values(pole.userIds)[0]!;
    const book = (resourceId: number, memberId: number, day: string, hours = 2) =>
      insertBooking(t.store, { resourceId, memberId, userId, start: `2026-10-${day}T09:00:00+02:00`, end: `2026-10-${day}T${String(9 + hours).padStart(2, '0')}:00:00+02:00` });
    // 261 B: the grouping's exact share to an eligible member; a rate-priced studio on the same invoice is taxed (mixed).
    const accounting = insertResource(t.store, { name: 'Comptabilité mutualisée', bearerMemberId: ids.grp! });
    insertCost(t.store, { resourceId: accounting, month: '2026-10', amountCents: 120_000, nature: 'subscription' });
    book(accounting, ids.elig!, '05');
    const studio = insertResource(t.store, { name: 'Studio de répétition', kind: 'room', bearerMemberId: ids.grp! });
    setRule(t.store, studio, '2026-10', { rule: 'rate', rateCents: 3_500 });
    insertCost(t.store, { resourceId: studio, month: '2026-10', amountCents: 50_000, nature: 'rent_or_lease' });
    book(studio, ids.elig!, '06', 3);
    // 293 B seller, O seller.
    const sets = insertResource(t.store, { name: 'Atelier décors', bearerMemberId: ids.fran! });
    insertCost(t.store, { resourceId: sets, month: '2026-10', amountCents: 45_000, nature: 'other' });
    book(sets, ids.buyer!, '07');
    const antenna = insertResource(t.store, { name: 'Studio radio', bearerMemberId: ids.radio! });
    insertCost(t.store, { resourceId: antenna, month: '2026-10', amountCents: 30_000, nature: 'other' });
    book(antenna, ids.buyer!, '08');
    // 20 % between two assujettis, over several pages (many resources × natures), and to a public body.
    for (let r = 0; r < 14; r++) {
      const staff = insertResource(t.store, { name: `Technicien partagé n° ${r + 1} — régie, montage et démontage`, kind: 'staff', bearerMemberId: ids.scop! });
      for (const [nature, cents] of [['salary', 210_000 + r * 1_003], ['social_charges', 84_000 + r * 517], ['reimbursed_expenses', 12_345 + r * 11]] as const) {
        insertCost(t.store, { resourceId: staff, month: '2026-10', amountCents: cents, nature, ...(nature === 'salary' ? { paidHoursHundredths: 15_167 } : {}) });
      }
      book(staff, ids.buyer!, String(9 + (r % 10)).padStart(2, '0'), 3);
      if (r === 0) book(staff, ids.city!, '20', 1);
    }
    const preview = await t.app.inject({ method: 'POST', url: '/api/closings/preview', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(preview.statusCode, 200, preview.body);
    warnings = preview.json().warnings;
    const close = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(close.statusCode, 201, close.body);
    invoices = close.json().invoices;
    const pair = (seller: string, buyer: string) => invoices.find((i) => i.sellerMemberId === ids[seller] && i.buyerMemberId === ids[buyer])!;
    const credit = async (inv: Invoice, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/invoices/${inv.id}/credit-note`, headers: { cookie: coord }, payload });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as Invoice;
    };
    const cases: Record<string, Invoice> = {
      'vat-20-between-assujettis': pair('scop', 'buyer'),
      'exempt-261B-and-mixed': pair('grp', 'elig'),
      'franchise-293B-seller': pair('fran', 'buyer'),
      'non-assujetti-seller': pair('radio', 'buyer'),
      'public-body-buyer': pair('scop', 'city'),
    };
    for (const [k, v] of Object.entries(cases)) assert.ok(v, `${k} was issued`);
    cases['partial-credit-note'] = await credit(cases['vat-20-between-assujettis']!, { amountCents: 12_345 });
    cases['full-credit-note'] = await credit(cases['exempt-261B-and-mixed']!, {});
    for (const [name, inv] of Object.entries(cases)) {
      const pdf = await t.app.inject({ method: 'GET', url: `/api/invoices/${inv.id}/pdf`, headers: { cookie: coord } });
      const xml = await t.app.inject({ method: 'GET', url: `/api/invoices/${inv.id}/facturx.xml`, headers: { cookie: coord } });
      assert.equal(pdf.statusCode, 200);
      assert.equal(xml.statusCode, 200);
      files.set(name, { pdf: pdf.rawPayload, xml: xml.rawPayload });
    }
    results = validateEinvoices([...files].flatMap(([name, f]) => [{ name: `${name}.pdf`, body: f.pdf }, { name: `${name}.xml`, body: f.xml }]));
  });
  after(() => t.close());

  it('passes the XSD, EN 16931 and BR-FR for every case, PDF and XML', () => {
    for (const [name, r] of results) assert.deepEqual(r.problems, [], name);
    assert.equal(results.size, 14);
  });

  it('covers what each case is about', () => {
    const xml = (name: string) => files.get(name)!.xml.toString('utf8');
    assert.match(xml('vat-20-between-assujettis'), /<ram:CategoryCode>S<\/ram:CategoryCode><ram:DueDateTypeCode>72<\/ram:DueDateTypeCode><ram:RateApplicablePercent>20.00</);
    assert.ok(pdfPages(files.get('vat-20-between-assujettis')!.pdf) >= 2, 'several pages of lines');
    assert.match(xml('exempt-261B-and-mixed'), /<ram:ExemptionReasonCode>VATEX-EU-132-1F</);
    assert.match(xml('exempt-261B-and-mixed'), /<ram:CategoryCode>S</, 'the rate-priced studio is taxed on the same invoice');
    assert.match(xml('franchise-293B-seller'), /<ram:ExemptionReasonCode>VATEX-FR-FRANCHISE</);
    assert.match(xml('non-assujetti-seller'), /<ram:CategoryCode>O<\/ram:CategoryCode><ram:ExemptionReasonCode>VATEX-EU-O</);
    assert.match(xml('public-body-buyer'), /<ram:BuyerReference>CULTURE<\/ram:BuyerReference>/);
    assert.match(xml('public-body-buyer'), /<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>EJ-2026-0042</);
    for (const name of ['partial-credit-note', 'full-credit-note']) {
      assert.match(xml(name), /<ram:TypeCode>381<\/ram:TypeCode>/);
      assert.match(xml(name), /<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>/);
    }
    assert.match(xml('vat-20-between-assujettis'), /<ram:URIID schemeID="0225">512345679_COMPTA</, 'the buyer’s own e-invoicing address');
    for (const [name, f] of files) assert.ok(embeddedXml(f.pdf)?.equals(f.xml), `${name}: the XML route serves what the PDF carries`);
  });

  it('warns of no incomplete party when every member’s data is complete', () => {
    const involved = new Set(invoices.flatMap((i) => [i.sellerMemberId, i.buyerMemberId]));
    assert.ok(![...involved].some((id) => [pole.memberA, pole.memberB, pole.memberC].includes(id)));
    assert.deepEqual(warnings.filter((w) => w.code === 'einvoice.incomplete_party'), []);
  });
});
