import { euros } from './format';
import type { PdfWriter } from './layout';

export interface TransferLine {
  fromName: string;
  toName: string;
  amountCents: number;
}

/** The settlement plan as one table, the same in a member's statement and in the pole summary. */
export function transfersTable(pdf: PdfWriter, transfers: readonly TransferLine[]): void {
  pdf.table(
    [
      { header: 'Payeur', width: 2 },
      { header: 'Bénéficiaire', width: 2 },
      { header: 'Montant', width: 1, align: 'right' },
    ],
    transfers.map((t) => [t.fromName, t.toName, euros(t.amountCents)]),
  );
}
