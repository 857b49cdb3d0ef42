import { euros, frDate, frDateTimeOf, frMonth, hours } from './format';
import { PdfWriter } from './layout';
import { transfersTable } from './transfers';

/** Which stored version of a closed month's document this is, and when it was made. */
export interface DocumentVersionStamp {
  number: number;
  date: number;
}

/** The line a versioned document prints under its title. */
export const versionLine = (v: DocumentVersionStamp | undefined, zone: string) => (v ? ` Version ${v.number} du ${frDateTimeOf(v.date, zone)}.` : '');

/** A member's monthly cost-split statement (relevé de répartition), ready to print. */
export interface StatementData {
  poleName: string;
  zone: string;
  month: string;
  /** Closed month: the frozen allocation; otherwise provisional. */
  final: boolean;
  closedAt: number | null;
  generatedAt: number;
  member: { id: number; name: string; siren: string; siret: string; address: string };
  /** One line per resource the member has a share of (or used). */
  shares: {
    resourceId: number;
    resourceName: string;
    bearerName: string;
    bearer: boolean;
    ruleLabel: string;
    usageMinutes: number;
    resourceUsageMinutes: number;
    costCents: number;
    shareCents: number;
    basisText: string;
  }[];
  /** Resources the member bears: their cost, what the others take, what stays with it. */
  borne: { resourceName: string; costCents: number; othersCents: number; ownCents: number; gapCents: number; note: string | null }[];
  issued: StatementInvoice[];
  received: StatementInvoice[];
  /** Closed: from the issued documents incl. VAT; open: estimated from the allocation excl. VAT. */
  position: { receivableCents: number; payableCents: number; netCents: number; basis: 'invoices' | 'allocation' };
  transfers: { fromName: string; toName: string; amountCents: number }[];
  /** A stored version of a closed month's statement (none: rendered on the fly). */
  version?: DocumentVersionStamp;
}

export interface StatementInvoice {
  number: string;
  kind: 'invoice' | 'credit_note';
  counterparty: string;
  issueDate: string;
  totalExclVatCents: number;
  totalInclVatCents: number;
}

const signed = (i: StatementInvoice, cents: number) => (i.kind === 'credit_note' ? -cents : cents);

function invoiceTable(pdf: PdfWriter, docs: StatementInvoice[], counterpartyHeader: string) {
  pdf.table(
    [
      { header: 'Numéro', width: 1.6 },
      { header: 'Type', width: 0.8 },
      { header: counterpartyHeader, width: 2.3 },
      { header: 'Date', width: 1.25 },
      { header: 'HT', width: 1.2, align: 'right' },
      { header: 'TTC', width: 1.2, align: 'right' },
    ],
    [
      ...docs.map((d) => [
        d.number,
        d.kind === 'credit_note' ? 'Avoir' : 'Facture',
        d.counterparty,
        frDate(d.issueDate),
        euros(signed(d, d.totalExclVatCents)),
        euros(signed(d, d.totalInclVatCents)),
      ]),
      {
        cells: [
          'Total',
          '',
          '',
          '',
          euros(docs.reduce((a, d) => a + signed(d, d.totalExclVatCents), 0)),
          euros(docs.reduce((a, d) => a + signed(d, d.totalInclVatCents), 0)),
        ],
        bold: true,
      },
    ],
  );
}

export async function renderStatementPdf(data: StatementData): Promise<Buffer> {
  const monthLabel = frMonth(data.month);
  const title = `Relevé de répartition ${data.final ? '' : 'provisoire '}— ${monthLabel}`;
  const pdf = new PdfWriter({ title, poleName: data.poleName, provisional: !data.final, subject: `${title} — ${data.member.name}`, date: new Date(data.generatedAt) });

  pdf.title(
    data.final ? `Relevé de répartition — ${monthLabel}` : `RELEVÉ PROVISOIRE — ${monthLabel}`,
    data.final
      ? `Mois clôturé le ${frDateTimeOf(data.closedAt!, data.zone)} : montants définitifs.${versionLine(data.version, data.zone)}`
      : `Mois non clôturé : montants calculés le ${frDateTimeOf(data.generatedAt, data.zone)}, susceptibles de changer jusqu’à la clôture.`,
  );
  pdf.blocks([
    { title: 'Structure membre', lines: [data.member.name, data.member.address, `SIREN : ${data.member.siren} — SIRET : ${data.member.siret}`] },
    { title: 'Pôle', lines: [data.poleName, `Période : ${monthLabel}`] },
  ]);

  pdf.heading('Usage et part des coûts par ressource');
  if (data.shares.length === 0) pdf.paragraph('Aucun usage ni aucune part de coût ce mois-ci.');
  else {
    const total = data.shares.reduce((a, s) => a + s.shareCents, 0);
    pdf.table(
      [
        { header: 'Ressource', width: 2.2 },
        { header: 'Clé', width: 1.3 },
        { header: 'Usage', width: 1, align: 'right' },
        { header: 'Coût du mois HT', width: 1.4, align: 'right' },
        { header: 'Base de calcul', width: 3 },
        { header: 'Part HT', width: 1.3, align: 'right' },
      ],
      [
        ...data.shares.map((s) => [
          `${s.resourceName}${s.bearer ? ' (porteur)' : ''}\nporteur : ${s.bearerName}`,
          s.ruleLabel,
          `${hours(s.usageMinutes)}\nsur ${hours(s.resourceUsageMinutes)}`,
          euros(s.costCents),
          s.basisText,
          euros(s.shareCents),
        ]),
        { cells: ['Total', '', '', '', 'part totale du membre', euros(total)], bold: true },
      ],
    );
    pdf.paragraph(
      'Usage : durée des réservations confirmées × quantité, dans le fuseau du pôle. Les parts sont calculées au centime près (plus forts restes) et leur somme égale exactement le coût de chaque ressource.',
      { size: 7.5, color: '#555555' },
    );
  }

  if (data.borne.length) {
    pdf.heading('Charges portées par la structure');
    pdf.table(
      [
        { header: 'Ressource', width: 2.6 },
        { header: 'Coût HT', width: 1.2, align: 'right' },
        { header: 'Refacturé aux autres', width: 1.5, align: 'right' },
        { header: 'Reste à sa charge', width: 1.4, align: 'right' },
        { header: 'Écart (tarif)', width: 1.2, align: 'right' },
      ],
      data.borne.map((b) => [b.note ? `${b.resourceName}\n${b.note}` : b.resourceName, euros(b.costCents), euros(b.othersCents), euros(b.ownCents), euros(b.gapCents)]),
    );
  }

  pdf.heading('Factures émises');
  if (data.issued.length) invoiceTable(pdf, data.issued, 'Client');
  else pdf.paragraph(data.final ? 'Aucune facture émise pour ce mois.' : 'Aucune facture : elles seront émises à la clôture du mois.');
  pdf.heading('Factures reçues');
  if (data.received.length) invoiceTable(pdf, data.received, 'Fournisseur');
  else pdf.paragraph(data.final ? 'Aucune facture reçue pour ce mois.' : 'Aucune facture : elles seront émises à la clôture du mois.');

  pdf.heading('Position nette');
  const p = data.position;
  const unit = p.basis === 'invoices' ? 'TTC' : 'HT';
  pdf.pairs(
    [
      [`À recevoir (${unit})`, euros(p.receivableCents)],
      [`À payer (${unit})`, euros(p.payableCents)],
      [`Position nette (${unit})`, `${euros(p.netCents)} — ${p.netCents > 0 ? 'créditrice : la structure doit recevoir' : p.netCents < 0 ? 'débitrice : la structure doit payer' : 'équilibrée'}`],
    ],
    { labelShare: 0.3 },
  );
  if (p.basis === 'allocation') {
    pdf.paragraph('Estimation provisoire hors taxes d’après la répartition en cours : les montants TTC dépendront des factures émises à la clôture.', { size: 8, color: '#555555' });
  }
  if (data.transfers.length) {
    pdf.space(4).paragraph('Règlements proposés (plan de compensation du pôle) :', { bold: true });
    transfersTable(pdf, data.transfers);
  }
  return pdf.finish();
}
