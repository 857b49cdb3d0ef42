import type { PaymentRecord, SourceDocument } from './entries';

/**
 * Payments as the invoices record them today: one date (`paidOn`) meaning the invoice was paid in full, that
 * is its amount less the credit notes issued by then. The bank journal reads `PaymentRecord`s only, so a
 * payments ledger replaces this source without touching the entries.
 */
export function paymentsFromPaidOn(documents: readonly (SourceDocument & { paidOn: string | null })[]): PaymentRecord[] {
  const notes = documents.filter((d) => d.kind === 'credit_note');
  const out: PaymentRecord[] = [];
  for (const d of documents) {
    if (d.kind !== 'invoice' || d.paidOn === null) continue;
    const paidOn = d.paidOn;
    const credited = notes.filter((n) => n.creditedInvoiceId === d.id && n.issueDate <= paidOn).reduce((a, n) => a + n.totalInclVatCents, 0);
    const amountCents = d.totalInclVatCents - credited;
    if (amountCents > 0) out.push({ id: `invoice-${d.id}`, invoiceId: d.id, amountCents, date: paidOn, reference: null });
  }
  return out;
}
