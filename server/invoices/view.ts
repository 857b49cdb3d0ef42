import type { SealedDocument } from './chain';
import type { InvoiceStatus } from '../payments/rules';

/**
 * An invoice or credit note as the API (and the PDF documents) see it: the sealed document without its
 * internal series key (year, seq), plus its row id and where its payment stands.
 */
export interface InvoiceView extends Omit<SealedDocument, 'year' | 'seq'> {
  /** null in a preview: not issued yet. */
  id: number | null;
  /** The day the invoice became fully paid (its last payment), null while anything is open. */
  paidOn: string | null;
  /** Payments recorded (not deleted), credit notes issued against it (incl. VAT), and what is left to pay. */
  paidCents: number;
  creditedCents: number;
  openCents: number;
  status: InvoiceStatus;
  /** Stored invoices: their credit notes and what remains creditable (excl. VAT). */
  creditNotes?: { id: number; number: string; totalExclVatCents: number }[];
  creditableCents?: number;
  /** Issued documents: the SHA-256 of the PDF stored at issue (null until frozen); absent in a preview. */
  documentSha256?: string | null;
  /** Stored credit notes: the number of the invoice they correct. */
  creditedInvoiceNumber?: string | null;
}

export interface PaymentState {
  paidOn: string | null;
  paidCents: number;
  creditedCents: number;
  openCents: number;
  status: InvoiceStatus;
}

/** A document nothing was paid or credited on yet (a preview, a document just issued). */
export const unpaid = (doc: { kind: SealedDocument['kind']; totalInclVatCents: number }): PaymentState =>
  doc.kind === 'credit_note'
    ? { paidOn: null, paidCents: 0, creditedCents: doc.totalInclVatCents, openCents: 0, status: 'credited' }
    : { paidOn: null, paidCents: 0, creditedCents: 0, openCents: doc.totalInclVatCents, status: 'open' };

export function toInvoiceView(doc: SealedDocument & { id: number | null }, state: PaymentState = unpaid(doc)): InvoiceView {
  const { year: _year, seq: _seq, ...rest } = doc as SealedDocument & { id: number | null; paidOn?: unknown; issuedAt?: unknown; issuedByUserId?: unknown };
  const { paidOn: _paidOn, issuedAt: _issuedAt, issuedByUserId: _by, ...view } = rest;
  return { ...view, ...state };
}
