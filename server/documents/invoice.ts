import { fullAddress, legalFormWording } from '../invoices/wording';
import { lineVat, vatLineOf } from '../invoices/vat-lines';
import type { InvoiceLine, PartySnapshot, VatLine } from '../invoices/document';
import type { VatDecision } from '../vat/decision';
import type { InvoiceView } from '../invoices/view';
import { euros, frDate, frNumber, percent } from './format';
import { LEGAL_FORM_LABELS } from './labels';
import { PdfWriter, type PdfOptions } from './layout';

/** A party as the invoice PDF prints it: the snapshot taken at issue (its id is not printed). */
export type InvoiceParty = Omit<PartySnapshot, 'id'>;

/** What the invoice PDF prints: an issued document as stored (parties and mentions are snapshots taken at issue). */
export interface InvoiceDocument
  extends Pick<
    InvoiceView,
    | 'number'
    | 'kind'
    | 'issueDate'
    | 'periodStart'
    | 'periodEnd'
    | 'dueDate'
    | 'currency'
    | 'totalExclVatCents'
    | 'totalVatCents'
    | 'totalInclVatCents'
    | 'mentions'
    | 'paymentTermsDays'
    | 'creditedInvoiceNumber'
    | 'hash'
  > {
  seller: InvoiceParty;
  buyer: InvoiceParty;
  /** Documents issued before #10 have breakdown entries and lines without a VAT category: printed from their mention. */
  vatBreakdown: (Pick<VatLine, 'vatRate' | 'baseCents' | 'vatCents'> & Partial<VatLine>)[];
  /** The printed columns of each line (its basis and resource are not printed). */
  lines: (Pick<InvoiceLine, 'description' | 'quantity' | 'unit' | 'unitPriceExclVatCents' | 'vatRate' | 'totalExclVatCents'> &
    Partial<Pick<InvoiceLine, 'vatCategory' | 'exemptionCode' | 'exemptionText'>>)[];
}

function partyLines(p: InvoiceParty): string[] {
  const town = [p.postalCode, p.city].filter(Boolean).join(' ');
  return [
    p.name,
    legalFormWording(p) ?? LEGAL_FORM_LABELS[p.legalForm],
    ...p.address.split(/\s*\n\s*/),
    ...(town ? [town] : []),
    ...(p.countryCode && p.countryCode !== 'FR' ? [p.countryCode] : []),
    `SIREN : ${p.siren}`,
    `SIRET : ${p.siret}`,
    `N° TVA intracommunautaire : ${p.vatNumber ?? 'néant'}`,
    p.billingEmail,
  ];
}

/** The VAT column of a line: its rate when taxed, otherwise the short form of its legal basis (never « 0 % »). */
export function vatCell(vat: VatDecision): string {
  if (vat.vatCategory === 'S') return percent(vat.vatRate);
  if (vat.exemptionCode === 'VATEX-EU-132-1F') return 'Exonérée (261 B)';
  if (vat.exemptionCode === 'VATEX-FR-FRANCHISE') return 'Franchise (293 B)';
  return vat.vatCategory === 'E' ? 'Exonérée' : 'Hors champ';
}

/**
 * An invoice or a credit note (avoir) with every mention stored on it: both parties with SIREN, SIRET,
 * address and VAT number, number, issue date, service period, lines with quantity, unit price excl. VAT and
 * VAT rate, totals excl. VAT, VAT per rate and incl. VAT, due date, penalties, the recovery indemnity, the
 * VAT mention of the seller's regime, and the document's SHA-256 fingerprint in the issuer's chain.
 */
export async function renderInvoicePdf(doc: InvoiceDocument, poleName: string, output: Pick<PdfOptions, 'pdfa' | 'beforeEnd'> = {}): Promise<Buffer> {
  const credit = doc.kind === 'credit_note';
  const label = credit ? 'Avoir' : 'Facture';
  const pdf = new PdfWriter({
    title: `${label} ${doc.number}`,
    poleName,
    subject: `${label} ${doc.number} — ${doc.seller.name} → ${doc.buyer.name}`,
    date: new Date(`${doc.issueDate}T12:00:00Z`),
    ...output,
  });

  pdf.title(`${label.toUpperCase()} N° ${doc.number}`, `Émis${credit ? '' : 'e'} le ${frDate(doc.issueDate)} — mutualisation de moyens au sein de ${poleName}`);
  pdf.blocks([
    { title: credit ? 'Émetteur de l’avoir' : 'Vendeur (prestataire)', lines: partyLines(doc.seller) },
    { title: credit ? 'Destinataire de l’avoir' : 'Acheteur (client)', lines: partyLines(doc.buyer) },
  ]);

  const facts: [string, string][] = [
    ['Numéro', doc.number],
    ['Date d’émission', frDate(doc.issueDate)],
    ['Période de la prestation', `du ${frDate(doc.periodStart)} au ${frDate(doc.periodEnd)}`],
    ['Nature de l’opération', doc.mentions.operation],
  ];
  if (doc.buyer.deliveryAddress && doc.buyer.deliveryAddress !== fullAddress(doc.buyer)) facts.push(['Adresse de livraison', doc.buyer.deliveryAddress]);
  if (doc.buyer.publicBody) {
    facts.push(['Chorus Pro — code service', doc.buyer.chorusServiceCode ?? '—']);
    facts.push(['Chorus Pro — n° d’engagement', doc.buyer.chorusEngagement ?? '—']);
  }
  if (credit) facts.push(['Facture d’origine', doc.creditedInvoiceNumber ?? '—']);
  else facts.push(['Date d’échéance', `${frDate(doc.dueDate)} (paiement à ${doc.paymentTermsDays} jours)`]);
  pdf.pairs(facts, { labelShare: 0.3 });

  pdf.heading(credit ? 'Détail de l’avoir' : 'Détail de la facture');
  pdf.table(
    [
      { header: 'Désignation', width: 4.7 },
      { header: 'Qté', width: 0.7, align: 'right' },
      { header: 'Unité', width: 0.9 },
      { header: 'PU HT', width: 1.4, align: 'right' },
      { header: 'TVA', width: 1.4, align: 'right' },
      { header: 'Total HT', width: 1.5, align: 'right' },
    ],
    doc.lines.map((l) => [l.description, frNumber(l.quantity), l.unit, euros(l.unitPriceExclVatCents), vatCell(lineVat(l, doc.mentions)), euros(l.totalExclVatCents)]),
  );

  const totals: { cells: string[]; bold?: boolean; fill?: string }[] = [{ cells: ['Total HT', euros(doc.totalExclVatCents)] }];
  for (const v of doc.vatBreakdown.map((x) => vatLineOf(x, doc.mentions))) {
    const label = v.vatCategory === 'S' ? `TVA ${percent(v.vatRate)} sur ${euros(v.baseCents)}` : `${v.exemptionText ?? vatCell(v)} : base ${euros(v.baseCents)}`;
    totals.push({ cells: [label, euros(v.vatCents)] });
  }
  totals.push({ cells: ['Total TVA', euros(doc.totalVatCents)] });
  totals.push({ cells: [credit ? 'Montant de l’avoir TTC' : 'Total TTC — net à payer', euros(doc.totalInclVatCents)], bold: true, fill: '#eeeeee' });
  pdf.table(
    [
      { header: '', width: 3.2 },
      { header: 'Totaux', width: 2.6, align: 'right' },
      { header: 'Montant', width: 1.5, align: 'right' },
    ],
    totals.map((t) => ({ ...t, cells: ['', ...t.cells] })),
    { header: false, zebra: false, rules: false, size: 9.5 },
  );

  pdf.heading('Mentions légales');
  const m = doc.mentions;
  if (m.vat) pdf.paragraph(m.vat, { bold: true });
  for (const text of [m.vatOnDebits, m.creditNote, m.costSharing, m.staffLending, m.billingMandate, m.publicProcurement, m.payment, m.deliveryAddress, m.latePenalty, m.recoveryIndemnity, m.discount]) {
    if (text) pdf.paragraph(text).space(2);
  }
  pdf.space(6).paragraph(`Empreinte SHA-256 du document (chaînée aux documents précédents de l’émetteur) : ${doc.hash}`, { size: 7, color: '#666666' });
  return pdf.finish();
}
