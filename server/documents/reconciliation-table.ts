import type { ReconciliationLine } from '../closing/reconciliation';
import { euros } from './format';
import type { PdfWriter } from './layout';

/** The pole summary's closing block: where each resource's shared cost went, to the cent, and the total. */
export function reconciliationBlock(pdf: PdfWriter, r: { resources: (ReconciliationLine & { name: string })[]; total: ReconciliationLine }): void {
  pdf.heading('Rapprochement des coûts partagés (HT)');
  pdf.paragraph(
    'Coûts partagés = factures émises nettes des avoirs + avoirs + parts des porteurs + restes laissés aux porteurs (personnel non mis à disposition par l’employeur, écart d’un tarif) + parts titrées par une collectivité − ajustements.',
    { size: 7.5, color: '#555555' },
  );
  const cells = (l: ReconciliationLine) => [
    euros(l.costCents),
    euros(l.invoicedNetCents),
    euros(l.creditNotesCents),
    euros(l.ownShareCents),
    euros(l.keptByBearerCents),
    euros(l.revenueTitlesCents),
    euros(l.adjustmentsCents),
    euros(l.differenceCents),
  ];
  // Credit notes and adjustments are signed amounts: their columns hold « -12 345,67 € » in bold on one line.
  pdf.table(
    [
      { header: 'Ressource', width: 1.5 },
      { header: 'Coûts partagés', width: 1.5, align: 'right' },
      { header: 'Factures nettes', width: 1.3, align: 'right' },
      { header: 'Avoirs', width: 1.2, align: 'right' },
      { header: 'Parts porteurs', width: 1.15, align: 'right' },
      { header: 'Restes porteurs', width: 1.3, align: 'right' },
      { header: 'Titres', width: 1.05, align: 'right' },
      { header: 'Ajust.', width: 1.3, align: 'right' },
      { header: 'Écart', width: 0.95, align: 'right' },
    ],
    [...r.resources.map((l) => [l.name, ...cells(l)]), { cells: ['Total', ...cells(r.total)], bold: true }],
    { size: 7.5 },
  );
  pdf.paragraph(
    r.total.differenceCents === 0
      ? 'Le mois se rapproche au centime : chaque euro de coût partagé est facturé, crédité, laissé à son porteur ou titré.'
      : `Écart non expliqué de ${euros(r.total.differenceCents)} : les documents émis et la répartition figée ne concordent pas.`,
    { size: 7.5, color: '#555555' },
  );
}
