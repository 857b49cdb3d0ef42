import type { SealedDocument } from '../closing/chain';

/**
 * An invoice or credit note as the API (and the PDF documents) see it: the sealed document without its
 * internal series key (year, seq), plus its row id and payment.
 */
export interface InvoiceView extends Omit<SealedDocument, 'year' | 'seq'> {
  /** null in a preview: not issued yet. */
  id: number | null;
  paidOn: string | null;
  /** Stored invoices: their credit notes and what remains creditable (excl. VAT). */
  creditNotes?: { id: number; number: string; totalExclVatCents: number }[];
  creditableCents?: number;
  /** Stored credit notes: the number of the invoice they correct. */
  creditedInvoiceNumber?: string | null;
}

export function toInvoiceView(doc: SealedDocument & { id: number | null; paidOn: string | null }): InvoiceView {
  const { year: _year, seq: _seq, ...view } = doc;
  return view;
}
