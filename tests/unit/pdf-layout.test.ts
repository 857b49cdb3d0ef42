import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { euros, frDate, frDateOf, frMonth, hours, percent } from '../../server/documents/format';
import { renderInvoicePdf, type InvoiceDocument } from '../../server/documents/invoice';
import { PdfWriter } from '../../server/documents/layout';
import { pdfPages, pdfText } from '../helpers/pdf';
import '../helpers/seed';

describe('French formatting', () => {
  it('writes amounts as 1 234,56 € with no-break spaces, from integer cents', () => {
    const plain = (s: string) => s.replace(/\u00a0/g, ' ');
    assert.equal(plain(euros(123456)), '1 234,56 €');
    assert.equal(plain(euros(0)), '0,00 €');
    assert.equal(plain(euros(5)), '0,05 €');
    assert.equal(plain(euros(-4000)), '-40,00 €');
    assert.equal(plain(euros(123456789012)), '1 234 567 890,12 €');
    assert.ok(!euros(123456).includes('\u202f'), 'no narrow no-break space');
    assert.throws(() => euros(1.5));
  });

  it('agrees with Intl fr-FR once its narrow spaces are normalised', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (cents) => {
        const intl = new Intl.NumberFormat('fr-FR', { style: 'currency', currency: 'EUR' }).format(cents / 100);
        assert.equal(euros(cents).replace(/\u00a0/g, ' '), intl.replace(/[\u00a0\u202f]/g, ' ').replace('−', '-'));
      }),
    );
  });

  it('writes dates, months, rates and durations the French way', () => {
    assert.equal(frDate('2026-10-31'), '31/10/2026');
    assert.equal(frDateOf(Date.parse('2026-10-31T23:30:00Z'), 'Europe/Paris'), '01/11/2026', 'in the pole’s zone');
    assert.equal(frMonth('2026-08'), 'août 2026');
    assert.equal(percent(20).replace('\u00a0', ' '), '20 %');
    assert.equal(percent(5.5).replace('\u00a0', ' '), '5,5 %');
    assert.equal(hours(750).replace(/\u00a0/g, ' '), '12 h 30');
    assert.equal(hours(60).replace(/\u00a0/g, ' '), '1 h');
  });
});

describe('PDF layout', () => {
  it('embeds a font that keeps accents, numbers pages and repeats a long table’s header on every page', async () => {
    const pdf = new PdfWriter({ title: 'Relevé de répartition — octobre 2026', poleName: 'Pôle Culture Rives de Loire' });
    pdf.title('Relevé de répartition', 'Compagnie du Théâtre Éphémère — œuvre, cœur, ça, « là », l’été, 1 234,56 €');
    pdf.paragraph('Exonération de TVA, art. 261 B du CGI. Pénalités de retard : 12,00 % l’an.');
    const rows = Array.from({ length: 140 }, (_, i) => [`Ligne n° ${i + 1} — équipement`, hours(30 * i), euros(123456 * (i + 1))]);
    pdf.table(
      [
        { header: 'Désignation', width: 3 },
        { header: 'Durée', width: 1, align: 'right' },
        { header: 'Montant HT', width: 1.4, align: 'right' },
      ],
      rows,
    );
    const buffer = await pdf.finish();
    assert.equal(buffer.subarray(0, 5).toString(), '%PDF-');
    const pages = pdfPages(buffer);
    assert.ok(pages >= 3, `the table spans pages (${pages})`);
    const text = pdfText(buffer);
    const perPage = text.split('\f').filter((p) => p.trim());
    assert.equal(perPage.length, pages);
    perPage.forEach((page, i) => {
      assert.match(page, new RegExp(`Page ${i + 1} / ${pages}`));
      assert.match(page, /Pôle Culture Rives de Loire/);
      if (i > 0) assert.match(page, /Désignation\s+Durée\s+Montant HT/, `header repeated on page ${i + 1}`);
    });
    for (const word of ['Théâtre Éphémère', 'œuvre', 'cœur', 'ça', '« là »', 'l’été', 'Pénalités', 'Ligne n° 140 — équipement']) {
      assert.ok(text.includes(word), `finds ${word}`);
    }
    assert.match(text, /1 234,56 €/);
    assert.match(text, /172 838,40 €/, 'row 140 in French format');
    assert.match(text, /69 h 30/);
    // Every row is there exactly once, none lost at a page break.
    assert.equal(text.match(/Ligne n° \d+ — équipement/g)?.length, 140);
  });

  it('marks a provisional document on every page', async () => {
    const pdf = new PdfWriter({ title: 'Relevé', poleName: 'Pôle', provisional: true });
    pdf.paragraph('x');
    pdf.doc.addPage();
    pdf.paragraph('y');
    const text = pdfText(await pdf.finish());
    assert.equal(text.match(/PROVISOIRE/g)?.length, 2);
  });
});

describe('invoice rendering', () => {
  const party = (name: string, siret: string) => ({
    name,
    legalForm: 'association' as const,
    siren: siret.slice(0, 9),
    siret,
    address: '12 quai de la Fosse, 44000 Nantes',
    vatRegime: 'exonere_261B' as const,
    vatNumber: null,
    billingEmail: 'compta@example.test',
  });
  const invoice: InvoiceDocument = {
    number: 'POLE-2026-0007',
    kind: 'invoice',
    issueDate: '2026-11-02',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    dueDate: '2026-12-02',
    currency: 'EUR',
    seller: party('Association Pôle Culture', '81234567600017'),
    buyer: party('Compagnie du Théâtre Éphémère', '51234567900017'),
    lines: [{ description: 'Comptabilité mutualisée — octobre 2026', quantity: 1, unit: 'forfait', unitPriceExclVatCents: 123456, vatRate: 0, totalExclVatCents: 123456 }],
    vatBreakdown: [{ vatRate: 0, baseCents: 123456, vatCents: 0 }],
    totalExclVatCents: 123456,
    totalVatCents: 0,
    totalInclVatCents: 123456,
    mentions: { vat: 'Exonération de TVA, art. 261 B du CGI', operation: 'Prestations de services', latePenalty: null, recoveryIndemnity: null, discount: null, costSharing: null, staffLending: null, creditNote: null },
    paymentTermsDays: 30,
    hash: 'ab'.repeat(32),
  };

  it('gives the same bytes for the same document, whatever was rendered in between (shared caches stay clean)', async () => {
    const first = await renderInvoicePdf(invoice, 'Pôle');
    const other = await renderInvoicePdf({ ...invoice, number: 'AUTRE-2026-0001', seller: party('Œuvres coopératives d’à côté', '55208131766522') }, 'Un autre pôle');
    const again = await renderInvoicePdf(invoice, 'Pôle');
    assert.ok(first.equals(again));
    assert.ok(!first.equals(other));
    const text = pdfText(again);
    assert.ok(text.includes('1 234,56 €') && text.includes('POLE-2026-0007') && text.includes('Théâtre Éphémère'));
  });
});
