import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { buildCii, type CiiSource } from '../../server/einvoice/cii';
import { lineVat, resolveParty, splitAddress } from '../../server/einvoice/contract';
import { ciiXml, renderFacturX } from '../../server/einvoice/facturx';
import { facturxXmp } from '../../server/einvoice/xmp';
import { EINVOICE_KIT, embeddedXml, pdfFonts, poppler, validateEinvoices, type Validation } from '../helpers/einvoice';
import * as f from '../helpers/einvoice-fixtures';

/** Sealed documents covering the issue's matrix, in the contract's shape. */
const invoice20 = f.sealed(f.smac, f.scop, [
  f.line('Salle de répétition — loyer — janvier 2026', 123456, f.S20),
  f.line('Régie son — 12 h 30 × 35,00 € HT de l’heure', 43750, f.S20, { quantity: 12.5, unit: 'h', unitPriceExclVatCents: 3500 }),
]);
const creditOf = (of: CiiSource, lines: ReturnType<typeof f.line>[], number: string): CiiSource =>
  f.sealed(of.seller, of.buyer, lines, {
    kind: 'credit_note',
    number,
    issueDate: '2026-02-10',
    dueDate: '2026-02-10',
    paymentTermsDays: 0,
    preceding: { number: of.number, issueDate: of.issueDate },
    mentions: f.mentions({ latePenalty: null, recoveryIndemnity: null, discount: null, creditNote: `Avoir sur la facture n° ${of.number} du 02/02/2026, à déduire de son montant.` }),
  });

const MATRIX: Record<string, CiiSource> = {
  'vat-20-between-assujettis': invoice20,
  'exempt-261B': f.sealed(f.pole, f.theatre, [f.line('Comptabilité mutualisée — salaires — janvier 2026', 80000, f.E261B), f.line('Comptabilité mutualisée — charges sociales', 32012, f.E261B)], {
    number: 'POLE-2026-0001',
    mentions: f.mentions({ vat: 'Exonération de TVA, art. 261 B du CGI' }),
  }),
  'franchise-293B-seller': f.sealed(f.theatre, f.smac, [f.line('Atelier décors — janvier 2026', 15000, f.E293B)], { number: 'THEA-2026-0001', mentions: f.mentions({ vat: 'TVA non applicable, art. 293 B du CGI' }) }),
  'non-assujetti-seller': f.sealed(f.radio, f.scop, [f.line('Studio radio — janvier 2026', 9999, f.O)], { number: 'RADIO-2026-0001', mentions: f.mentions({ vat: 'Opération non soumise à la TVA' }) }),
  'mixed-categories': f.sealed(f.pole, f.smac, [f.line('Comptabilité — 261 B', 50000, f.E261B), f.line('Abonnement logiciel', 12345, f.S20), f.line('Ouvrages', 1000, f.S55)], { number: 'POLE-2026-0002' }),
  'partial-credit-note': creditOf(invoice20, [f.line('Avoir — Salle de répétition — loyer', 10000, f.S20)], 'SMAC-2026-0002'),
  'full-credit-note': creditOf(invoice20, invoice20.lines.map((l) => ({ ...l, description: `Avoir — ${l.description}`, quantity: 1, unit: 'forfait', unitPriceExclVatCents: l.totalExclVatCents })), 'SMAC-2026-0003'),
  'public-body-buyer': f.sealed(f.smac, f.city, [f.line('Salle — janvier 2026', 50000, f.S20)], { number: 'SMAC-2026-0004' }),
  'many-pages': f.sealed(
    f.scop,
    f.smac,
    Array.from({ length: 90 }, (_, i) => f.line(`Prestation graphique n° ${i + 1} — maquette, corrections et exports pour la saison — janvier 2026`, 1000 + i * 37, i % 3 ? f.S20 : f.S55)),
    { number: 'AGC-2026-0001' },
  ),
};

/** A document sealed before the contract's fields: one-line address, no categories, VAT per rate only. */
const legacy: CiiSource = {
  ...f.sealed(f.pole, f.school(), [f.line('Accueil — janvier 2026', 20000, { vatRate: 0 })], { number: 'POLE-2025-0009', mentions: f.mentions({ vat: 'Exonération de TVA, art. 261 B du CGI' }) }),
  vatBreakdown: [{ vatRate: 0, baseCents: 20000, vatCents: 0 }],
};

const xmlOf = (doc: CiiSource) => buildCii(doc);
const tag = (xml: string, name: string) => [...xml.matchAll(new RegExp(`<ram:${name}(?: [^>]*)?>([^<]*)</ram:${name}>`, 'g'))].map((m) => m[1]);
const cents = (s: string | undefined) => Math.round(Number(s) * 100);

describe('Factur-X CII builder (EN 16931)', () => {
  it('states the stored amounts exactly: lines, VAT per category and rate, totals, due amount', () => {
    for (const [name, doc] of Object.entries(MATRIX)) {
      const xml = xmlOf(doc);
      assert.deepEqual(tag(xml, 'LineTotalAmount').slice(0, -1).map(cents), doc.lines.map((l) => l.totalExclVatCents), name);
      assert.deepEqual(tag(xml, 'BasisAmount').map(cents), doc.vatBreakdown.map((v) => v.baseCents), name);
      assert.deepEqual(tag(xml, 'CalculatedAmount').map(cents), doc.vatBreakdown.map((v) => v.vatCents), name);
      assert.equal(cents(tag(xml, 'TaxBasisTotalAmount')[0]), doc.totalExclVatCents, name);
      assert.equal(cents(tag(xml, 'TaxTotalAmount')[0]), doc.totalVatCents, name);
      assert.equal(cents(tag(xml, 'GrandTotalAmount')[0]), doc.totalInclVatCents, name);
      assert.equal(cents(tag(xml, 'DuePayableAmount')[0]), doc.totalInclVatCents, name);
    }
  });

  it('types invoices 380 and credit notes 381 with the corrected invoice (BG-3)', () => {
    assert.deepEqual(tag(xmlOf(invoice20), 'TypeCode').slice(0, 1), ['380']);
    const credit = xmlOf(MATRIX['partial-credit-note']!);
    assert.deepEqual(tag(credit, 'TypeCode').slice(0, 1), ['381']);
    assert.match(credit, /<ram:InvoiceReferencedDocument><ram:IssuerAssignedID>SMAC-2026-0001<\/ram:IssuerAssignedID><ram:FormattedIssueDateTime><qdt:DateTimeString format="102">20260202</);
    assert.doesNotMatch(xmlOf(invoice20), /InvoiceReferencedDocument/);
  });

  it('identifies both parties by SIREN (0002), SIRET (0009) and the SIREN-based electronic address (0225)', () => {
    const xml = xmlOf(invoice20);
    assert.match(xml, /<ram:SellerTradeParty><ram:GlobalID schemeID="0009">42345678900019<\/ram:GlobalID>/);
    assert.match(xml, /<ram:ID schemeID="0002">423456789<\/ram:ID>/);
    assert.match(xml, /<ram:URIID schemeID="0225">423456789<\/ram:URIID>/, 'einvoiceAddress null: the SIREN');
    assert.match(xml, /<ram:URIID schemeID="0225">800123457_FACTURES<\/ram:URIID>/, 'the member’s own address');
    assert.match(xml, /<ram:SpecifiedTradeSettlementPaymentMeans><ram:TypeCode>58<\/ram:TypeCode><ram:Information>Virement SEPA<\/ram:Information><ram:PayeePartyCreditorFinancialAccount><ram:IBANID>FR7630006000011234567890189<\/ram:IBANID>/);
    assert.doesNotMatch(xmlOf(f.sealed({ ...f.smac, iban: null }, f.scop, [f.line('x', 100, f.S20)])), /PaymentMeans/, 'no IBAN, no payment instructions (BR-CO-27)');
    assert.doesNotMatch(xmlOf(MATRIX['partial-credit-note']!), /PaymentMeans/, 'a credit note is deducted');
    assert.match(xml, /<ram:PostcodeCode>44200<\/ram:PostcodeCode><ram:LineOne>21 quai des Antilles<\/ram:LineOne><ram:CityName>Nantes<\/ram:CityName><ram:CountryID>FR</);
    assert.match(xmlOf(f.sealed(f.scop, f.smac, [f.line('x', 100, f.S20)])), /<ram:Content>Atelier Graphique Coopératif SCOP — SCOP, au capital de 15 000,00 €, RCS Nantes 800123457, SIREN 800123457<\/ram:Content><ram:SubjectCode>ABL</);
  });

  it('writes the French notes: BAR B2B, PMT, PMD, AAB once each, and the VAT legal basis', () => {
    for (const [name, doc] of Object.entries(MATRIX)) {
      const xml = xmlOf(doc);
      for (const code of ['BAR', 'PMT', 'PMD', 'AAB']) assert.equal(tag(xml, 'SubjectCode').filter((c) => c === code).length, 1, `${name} ${code}`);
    }
    assert.match(xmlOf(MATRIX['exempt-261B']!), /<ram:ExemptionReason>Exonération de TVA, art. 261 B du CGI<\/ram:ExemptionReason><ram:BasisAmount>1120.12<\/ram:BasisAmount><ram:CategoryCode>E<\/ram:CategoryCode><ram:ExemptionReasonCode>VATEX-EU-132-1F</);
    assert.match(xmlOf(MATRIX['franchise-293B-seller']!), /<ram:ExemptionReasonCode>VATEX-FR-FRANCHISE</);
  });

  it('names no VAT identifier on an invoice outside the scope of VAT (BR-O-02), and gives no rate', () => {
    const xml = xmlOf(MATRIX['non-assujetti-seller']!);
    assert.doesNotMatch(xml, /schemeID="VA"/);
    assert.doesNotMatch(xml, /RateApplicablePercent/);
    assert.match(xmlOf(invoice20), /<ram:ID schemeID="VA">FR12800123457<\/ram:ID>/, 'the buyer’s VAT number otherwise');
  });

  it('routes a public buyer: Chorus Pro service code (BT-10) and engagement (BT-13)', () => {
    const xml = xmlOf(MATRIX['public-body-buyer']!);
    assert.match(xml, /<ram:BuyerReference>CULTURE<\/ram:BuyerReference>/);
    assert.match(xml, /<ram:BuyerOrderReferencedDocument><ram:IssuerAssignedID>EJ-2026-00042</);
    assert.doesNotMatch(xmlOf(invoice20), /BuyerReference|BuyerOrderReferencedDocument/);
  });

  it('escapes every text and is deterministic', () => {
    const doc = f.sealed({ ...f.smac, name: 'Bar & Café <Le "Quai">' }, f.scop, [f.line('Son & lumière <régie>', 100, f.S20)]);
    const xml = xmlOf(doc);
    assert.match(xml, /Bar &amp; Café &lt;Le &quot;Quai&quot;&gt;/);
    assert.match(xml, /Son &amp; lumière &lt;régie&gt;/);
    assert.equal(xmlOf(doc), xml);
  });

  it('reads documents sealed before the contract: one-line address, no category, VAT per rate', () => {
    const xml = xmlOf(legacy);
    assert.match(xml, /<ram:PostcodeCode>44000<\/ram:PostcodeCode><ram:LineOne>45 boulevard Guist’hau<\/ram:LineOne><ram:CityName>Nantes</);
    assert.match(xml, /<ram:CategoryCode>E<\/ram:CategoryCode><ram:ExemptionReasonCode>VATEX-EU-132-1F</);
    assert.deepEqual(splitAddress('12 quai de la Fosse, 44000 Nantes'), { street: '12 quai de la Fosse', postalCode: '44000', city: 'Nantes' });
    assert.deepEqual(splitAddress('Bât. B\n3 rue Racine\n44000 Nantes'), { street: 'Bât. B, 3 rue Racine', postalCode: '44000', city: 'Nantes' });
    assert.deepEqual(splitAddress('somewhere'), { street: 'somewhere', postalCode: null, city: null });
    assert.equal(resolveParty({ ...f.smac, einvoiceAddress: ' ' }).electronicAddress, '423456789');
    assert.equal(lineVat({ vatRate: 5.5 }, { vat: null }, { vatRegime: 'assujetti' }).category, 'S');
    assert.equal(lineVat({ vatRate: 0 }, { vat: 'TVA non applicable, art. 293 B du CGI' }, { vatRegime: 'franchise_293B' }).exemptionCode, 'VATEX-FR-FRANCHISE');
    assert.equal(lineVat({ vatRate: 0 }, { vat: null }, { vatRegime: 'non_assujetti' }).category, 'O');
  });
});

describe('Factur-X documents against the official schema and rules', { skip: EINVOICE_KIT ? false : 'Factur-X kit not found' }, () => {
  const pdfs = new Map<string, Buffer>();
  let results: Map<string, Validation>;

  before(async () => {
    for (const [name, doc] of Object.entries({ ...MATRIX, legacy })) {
      const out = await renderFacturX({ ...doc, creditedInvoiceNumber: doc.preceding?.number ?? null, hash: 'ab'.repeat(32) }, 'Pôle Culture Rives de Loire');
      pdfs.set(name, out.pdf);
    }
    const tampered = xmlOf(invoice20).replace(/<ram:GrandTotalAmount>(\d+)\.(\d\d)</, (_m, u: string, c: string) => `<ram:GrandTotalAmount>${cents(`${u}.${c}`) / 100 + 0.01}<`);
    assert.notEqual(tampered, xmlOf(invoice20));
    const noPenalty = xmlOf(invoice20).replace(/<ram:IncludedNote><ram:Content>[^<]*<\/ram:Content><ram:SubjectCode>PMD<\/ram:SubjectCode><\/ram:IncludedNote>/, '');
    // The PDFs only: validate.mjs checks a PDF's XMP and then its embedded XML in full (one run, ~1 s a file).
    results = validateEinvoices([
      ...[...pdfs].map(([name, pdf]) => ({ name: `${name}.pdf`, body: pdf })),
      { name: 'tampered.xml', body: Buffer.from(tampered) },
      { name: 'no-penalty-note.xml', body: Buffer.from(noPenalty) },
    ]);
  });

  it('passes the XSD, every EN 16931 rule and every BR-FR rule (the PDF’s XMP and its embedded XML)', () => {
    for (const name of [...Object.keys(MATRIX), 'legacy']) {
      const r = results.get(`${name}.pdf`)!;
      assert.deepEqual(r.problems, [], name);
      assert.equal(r.ok, true);
      assert.ok(embeddedXml(pdfs.get(name)!)?.equals(ciiXml(name === 'legacy' ? legacy : MATRIX[name]!)), `${name}: the embedded XML is the builder's`);
    }
  });

  it('fails a total off by one cent, and a missing penalty note, so the check cannot pass vacuously', () => {
    const tampered = results.get('tampered.xml')!;
    assert.equal(tampered.ok, false);
    assert.ok(tampered.problems.some((p) => p.includes('BR-CO-15')), tampered.problems.join('\n'));
    const noPenalty = results.get('no-penalty-note.xml')!;
    assert.equal(noPenalty.ok, false);
    assert.ok(noPenalty.problems.some((p) => p.includes('BR-FR-05')), noPenalty.problems.join('\n'));
  });

  it('is a PDF/A-3b: PDF 1.7, fonts embedded, factur-x.xml attached as Data in /AF, sRGB output intent, Factur-X XMP', () => {
    for (const [name, pdf] of pdfs) {
      assert.match(poppler('pdfinfo', pdf), /^PDF version:\s+1\.7$/m, name);
      const fonts = pdfFonts(pdf);
      assert.ok(fonts.length > 0 && fonts.every((font) => font.embedded), `${name}: ${JSON.stringify(fonts)}`);
      assert.match(poppler('pdfdetach', pdf, ['-list']), /^1 embedded files?\n1: factur-x\.xml$/m, name);
      const meta = poppler('pdfinfo', pdf, ['-meta']);
      assert.match(meta, /<pdfaid:part>3<\/pdfaid:part>/);
      assert.match(meta, /<pdfaid:conformance>B<\/pdfaid:conformance>/);
      assert.match(meta, /<fx:DocumentType>INVOICE<\/fx:DocumentType>/);
      assert.match(meta, /<fx:DocumentFileName>factur-x\.xml<\/fx:DocumentFileName>/);
      assert.match(meta, /<fx:Version>1\.0<\/fx:Version>/);
      assert.match(meta, /<fx:ConformanceLevel>EN 16931<\/fx:ConformanceLevel>/);
      assert.match(meta, /<pdfaSchema:namespaceURI>urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#<\/pdfaSchema:namespaceURI>/);
      const raw = pdf.toString('latin1');
      assert.match(raw, /\/AFRelationship \/Data/);
      assert.match(raw, /\/Subtype \/text#2Fxml/);
      assert.match(raw, /\/AF \[\d+ 0 R\]/);
      assert.match(raw, /\/OutputIntents \[\d+ 0 R\]/);
      assert.match(raw, /\/OutputConditionIdentifier \(sRGB IEC61966-2\.1\)/);
    }
  });

  it('embeds exactly the XML served alone, and renders the same bytes twice', async () => {
    const doc = MATRIX['mixed-categories']!;
    const source = { ...doc, creditedInvoiceNumber: null, paidOn: null, hash: 'ab'.repeat(32) };
    const a = await renderFacturX(source, 'Pôle');
    const b = await renderFacturX(source, 'Pôle');
    assert.ok(a.pdf.equals(b.pdf));
    assert.ok(a.xml.equals(ciiXml(doc)));
    assert.ok(embeddedXml(a.pdf)?.equals(a.xml), 'the attached factur-x.xml is the XML served alone');
  });

  it('declares the Factur-X extension schema of the kit, property for property', () => {
    const kit = readFileSync(join(EINVOICE_KIT!, 'xmp', 'Factur-X_extension_schema.xmp'), 'utf8');
    const props = (xmp: string) => [...xmp.matchAll(/<pdfaProperty:name>(\w+)<\/pdfaProperty:name>\s*<pdfaProperty:valueType>(\w+)<\/pdfaProperty:valueType>\s*<pdfaProperty:category>(\w+)</g)].map((m) => m.slice(1).join(' '));
    assert.deepEqual(props(facturxXmp()), props(kit));
    for (const t of ['<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>', '<pdfaSchema:prefix>fx</pdfaSchema:prefix>']) {
      assert.ok(kit.includes(t) && facturxXmp().includes(t), t);
    }
  });
});
