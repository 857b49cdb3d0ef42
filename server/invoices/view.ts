import type { SealedDocument } from '../closing/chain';
import type { InvoiceLine, Mentions, PartySnapshot, VatLine } from '../closing/invoicing';

/** An invoice or credit note as the API (and the PDF documents) see it. */
export interface InvoiceView {
  /** null in a preview: not issued yet. */
  id: number | null;
  number: string;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  month: string;
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  currency: string;
  seller: PartySnapshot;
  buyer: PartySnapshot;
  lines: InvoiceLine[];
  vatBreakdown: VatLine[];
  totalExclVatCents: number;
  totalVatCents: number;
  totalInclVatCents: number;
  mentions: Mentions;
  paymentTermsDays: number;
  latePenaltyRateBp: number;
  recoveryIndemnityCents: number | null;
  creditedInvoiceId: number | null;
  paidOn: string | null;
  hash: string;
  prevHash: string;
  /** Stored invoices: their credit notes and what remains creditable (excl. VAT). */
  creditNotes?: { id: number; number: string; totalExclVatCents: number }[];
  creditableCents?: number;
  /** Stored credit notes: the number of the invoice they correct. */
  creditedInvoiceNumber?: string | null;
}

export function toInvoiceView(doc: SealedDocument & { id: number | null; paidOn: string | null }): InvoiceView {
  return {
    id: doc.id,
    number: doc.number,
    kind: doc.kind,
    sellerMemberId: doc.sellerMemberId,
    buyerMemberId: doc.buyerMemberId,
    month: doc.month,
    issueDate: doc.issueDate,
    periodStart: doc.periodStart,
    periodEnd: doc.periodEnd,
    dueDate: doc.dueDate,
    currency: doc.currency,
    seller: doc.seller,
    buyer: doc.buyer,
    lines: doc.lines,
    vatBreakdown: doc.vatBreakdown,
    totalExclVatCents: doc.totalExclVatCents,
    totalVatCents: doc.totalVatCents,
    totalInclVatCents: doc.totalInclVatCents,
    mentions: doc.mentions,
    paymentTermsDays: doc.paymentTermsDays,
    latePenaltyRateBp: doc.latePenaltyRateBp,
    recoveryIndemnityCents: doc.recoveryIndemnityCents,
    creditedInvoiceId: doc.creditedInvoiceId,
    paidOn: doc.paidOn,
    hash: doc.hash,
    prevHash: doc.prevHash,
  };
}
