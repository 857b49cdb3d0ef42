/**
 * The bare invoice page the PDF benches compare with: the thinnest pdfkit code printing an invoice's strings
 * (title, both parties, a table of the same rows and columns, totals, mentions) on A4 with the same DejaVu faces
 * parsed once, plain doc.text calls, no layout layer.
 */
import PDFDocument from 'pdfkit';
import { loadFonts } from '../../server/documents/fonts';
import { euros, frNumber, percent } from '../../server/documents/format';
import type { InvoiceDocument } from '../../server/documents/invoice';

/** The thinnest pdfkit code printing the same strings on an A4 page. */
export function barePdf(d: InvoiceDocument): Promise<Buffer> {
  const fonts = loadFonts();
  const doc = new PDFDocument({ size: 'A4', margin: 50, font: fonts.regular as unknown as string });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  doc.on('data', (c: Buffer) => chunks.push(c));
  const regular = fonts.regular as unknown as PDFKit.Mixins.PDFFontSource;
  const bold = fonts.bold as unknown as PDFKit.Mixins.PDFFontSource;
  doc.font(bold).fontSize(16).text(`FACTURE N° ${d.number}`, 50, 50);
  doc.font(regular).fontSize(9.5);
  const party = (p: InvoiceDocument['seller']) => [p.name, p.address, `SIREN : ${p.siren}`, `SIRET : ${p.siret}`, `N° TVA : ${p.vatNumber ?? 'néant'}`, p.billingEmail];
  const top = 90;
  party(d.seller).forEach((line, i) => doc.text(line, 50, top + i * 12, { width: 240 }));
  party(d.buyer).forEach((line, i) => doc.text(line, 305, top + i * 12, { width: 240 }));
  doc.text(`Période du ${d.periodStart} au ${d.periodEnd} — échéance ${d.dueDate}`, 50, top + 80, { width: 495 });
  const widths = [245, 40, 45, 60, 40, 65];
  const xs = widths.map((_, i) => 50 + widths.slice(0, i).reduce((a, w) => a + w, 0));
  let y = top + 105;
  const row = (cells: string[]) => {
    let h = 12;
    cells.forEach((cell, i) => {
      doc.text(cell, xs[i]!, y, { width: widths[i]! - 4 });
      h = Math.max(h, doc.y - y);
    });
    y += h + 4;
    if (y > 760) {
      doc.addPage();
      y = 50;
    }
  };
  doc.font(bold).fontSize(8.5);
  row(['Désignation', 'Qté', 'Unité', 'PU HT', 'TVA', 'Total HT']);
  doc.font(regular);
  for (const l of d.lines) row([l.description, frNumber(l.quantity), l.unit, euros(l.unitPriceExclVatCents), percent(l.vatRate), euros(l.totalExclVatCents)]);
  doc.fontSize(9.5);
  row(['Total HT', '', '', '', '', euros(d.totalExclVatCents)]);
  for (const v of d.vatBreakdown) row([`TVA ${percent(v.vatRate)} sur ${euros(v.baseCents)}`, '', '', '', '', euros(v.vatCents)]);
  doc.font(bold);
  row(['Total TTC — net à payer', '', '', '', '', euros(d.totalInclVatCents)]);
  doc.font(regular);
  const m = d.mentions;
  for (const text of [m.vat, m.operation, m.costSharing, m.staffLending, m.latePenalty, m.recoveryIndemnity, m.discount, `Empreinte SHA-256 : ${d.hash}`]) {
    if (text) row([text]);
  }
  doc.end();
  return done;
}
