import { euros, frDateTimeOf, frMonth, hours, percent } from './format';
import { PdfWriter } from './layout';
import { versionLine, type DocumentVersionStamp } from './statement';
import { transfersTable } from './transfers';
import type { ReconciliationLine } from '../closing/reconciliation';
import { reconciliationBlock } from './reconciliation-table';

/** The pole's monthly summary for coordinators. */
export interface SummaryData {
  poleName: string;
  zone: string;
  month: string;
  final: boolean;
  closedAt: number | null;
  generatedAt: number;
  members: { id: number; name: string }[];
  resources: {
    id: number;
    name: string;
    bearerName: string;
    ruleLabel: string;
    costCents: number;
    allocatedCents: number;
    gapCents: number;
    usageMinutes: number;
    note: string | null;
  }[];
  matrix: { resourceId: number; memberId: number; shareCents: number; usageMinutes: number }[];
  utilisation: {
    name: string;
    kindLabel: string;
    capacity: number;
    /** Open time of the month (opening hours less blackouts) × capacity, in minutes. */
    availableMinutes: number;
    confirmedMinutes: number;
    counts: { confirmed: number; pending: number; cancelled: number; rejected: number };
  }[];
  invoices: { count: number; creditNotes: number; totalExclVatCents: number; totalInclVatCents: number };
  /** Closed months: where each resource's cost went (see closing/reconciliation.ts). */
  reconciliation?: { resources: (ReconciliationLine & { name: string })[]; total: ReconciliationLine } | null;
  /** A stored version of a closed month's summary (none: rendered on the fly). */
  version?: DocumentVersionStamp;
  settlement: null | {
    basis: 'invoices' | 'preview';
    positions: { name: string; receivableCents: number; payableCents: number; netCents: number }[];
    transfers: { fromName: string; toName: string; amountCents: number }[];
  };
}

/** Resource columns per matrix table: beyond this the amounts no longer fit across an A4 page. */
const MATRIX_COLUMNS = 5;

export async function renderSummaryPdf(data: SummaryData): Promise<Buffer> {
  const monthLabel = frMonth(data.month);
  const title = `Synthèse du pôle ${data.final ? '' : 'provisoire '}— ${monthLabel}`;
  const pdf = new PdfWriter({ title, poleName: data.poleName, provisional: !data.final, date: new Date(data.generatedAt) });
  pdf.title(
    data.final ? `Synthèse mensuelle — ${monthLabel}` : `SYNTHÈSE PROVISOIRE — ${monthLabel}`,
    data.final
      ? `Mois clôturé le ${frDateTimeOf(data.closedAt!, data.zone)}.${versionLine(data.version, data.zone)}`
      : `Mois non clôturé : état calculé le ${frDateTimeOf(data.generatedAt, data.zone)}.`,
  );

  const cost = data.resources.reduce((a, r) => a + r.costCents, 0);
  const allocated = data.resources.reduce((a, r) => a + r.allocatedCents, 0);
  pdf.pairs(
    [
      ['Coûts réels du mois (HT)', euros(cost)],
      ['Répartis entre les membres (HT)', euros(allocated)],
      ['Écart laissé aux porteurs (tarifs horaires)', euros(cost - allocated)],
      [
        'Documents émis',
        data.invoices.count + data.invoices.creditNotes === 0
          ? 'aucun'
          : `${data.invoices.count} facture(s), ${data.invoices.creditNotes} avoir(s) — ${euros(data.invoices.totalExclVatCents)} HT, ${euros(data.invoices.totalInclVatCents)} TTC`,
      ],
    ],
    { labelShare: 0.4 },
  );

  pdf.heading('Coût par ressource');
  pdf.table(
    [
      { header: 'Ressource', width: 2.4 },
      { header: 'Porteur', width: 2 },
      { header: 'Clé', width: 1.3 },
      { header: 'Usage', width: 0.9, align: 'right' },
      { header: 'Coût HT', width: 1.2, align: 'right' },
      { header: 'Réparti', width: 1.2, align: 'right' },
      { header: 'Écart', width: 1, align: 'right' },
    ],
    [
      ...data.resources.map((r) => [r.note ? `${r.name}\n${r.note}` : r.name, r.bearerName, r.ruleLabel, hours(r.usageMinutes), euros(r.costCents), euros(r.allocatedCents), euros(r.gapCents)]),
      { cells: ['Total', '', '', hours(data.resources.reduce((a, r) => a + r.usageMinutes, 0)), euros(cost), euros(allocated), euros(cost - allocated)], bold: true },
    ],
  );

  pdf.heading('Matrice de répartition (parts HT par membre et ressource)');
  const share = new Map(data.matrix.map((c) => [`${c.resourceId}:${c.memberId}`, c]));
  for (let i = 0; i < data.resources.length; i += MATRIX_COLUMNS) {
    const chunk = data.resources.slice(i, i + MATRIX_COLUMNS);
    pdf.table(
      [{ header: 'Membre', width: 2.2 }, ...chunk.map((r) => ({ header: r.name, width: 1.3, align: 'right' as const }))],
      [
        ...data.members.map((m) => [m.name, ...chunk.map((r) => euros(share.get(`${r.id}:${m.id}`)?.shareCents ?? 0))]),
        { cells: ['Total', ...chunk.map((r) => euros(r.allocatedCents))], bold: true },
      ],
      { size: 7.5 },
    );
  }
  pdf.table(
    [
      { header: 'Membre', width: 3 },
      { header: 'Usage total', width: 1.2, align: 'right' },
      { header: 'Total des parts HT', width: 1.5, align: 'right' },
    ],
    [
      ...data.members.map((m) => {
        const cells = data.matrix.filter((c) => c.memberId === m.id);
        return [m.name, hours(cells.reduce((a, c) => a + c.usageMinutes, 0)), euros(cells.reduce((a, c) => a + c.shareCents, 0))];
      }),
      { cells: ['Total', hours(data.matrix.reduce((a, c) => a + c.usageMinutes, 0)), euros(data.matrix.reduce((a, c) => a + c.shareCents, 0))], bold: true },
    ],
  );

  pdf.heading('Utilisation des ressources');
  pdf.table(
    [
      { header: 'Ressource', width: 2.4 },
      { header: 'Type', width: 1.2 },
      { header: 'Unités', width: 0.8, align: 'right' },
      { header: 'Disponible', width: 1.2, align: 'right' },
      { header: 'Réservé', width: 1.1, align: 'right' },
      { header: 'Taux', width: 0.8, align: 'right' },
      { header: 'Réservations (conf. / att. / annul. / ref.)', width: 2 },
    ],
    data.utilisation.map((u) => [
      u.name,
      u.kindLabel,
      String(u.capacity),
      hours(u.availableMinutes),
      hours(u.confirmedMinutes),
      u.availableMinutes > 0 ? percent((u.confirmedMinutes / u.availableMinutes) * 100, 1) : '—',
      `${u.counts.confirmed} / ${u.counts.pending} / ${u.counts.cancelled} / ${u.counts.rejected}`,
    ]),
  );
  pdf.paragraph('Disponible : heures d’ouverture du mois, fermetures déduites, × nombre d’unités. Réservé : réservations confirmées × quantité.', {
    size: 7.5,
    color: '#555555',
  });

  pdf.heading('Plan de règlement');
  const s = data.settlement;
  if (!s) pdf.paragraph('Aucune facture pour ce mois : le plan de règlement sera établi à la clôture.');
  else {
    if (s.basis === 'preview') pdf.paragraph('Simulation d’après les factures que la clôture émettrait maintenant (TTC).', { size: 8, color: '#555555' });
    pdf.table(
      [
        { header: 'Membre', width: 3 },
        { header: 'À recevoir TTC', width: 1.3, align: 'right' },
        { header: 'À payer TTC', width: 1.3, align: 'right' },
        { header: 'Position nette', width: 1.3, align: 'right' },
      ],
      s.positions.map((p) => [p.name, euros(p.receivableCents), euros(p.payableCents), euros(p.netCents)]),
    );
    if (s.transfers.length === 0) pdf.paragraph('Aucun virement nécessaire : toutes les positions sont équilibrées.');
    else {
      pdf.paragraph(`${s.transfers.length} virement(s) suffisent à solder le mois :`, { bold: true });
      transfersTable(pdf, s.transfers);
    }
  }
  if (data.reconciliation) reconciliationBlock(pdf, data.reconciliation);
  return pdf.finish();
}
