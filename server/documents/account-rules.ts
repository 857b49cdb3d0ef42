/**
 * A member's account (no I/O): its invoices and credit notes, issued and received, and the payments on
 * them, as dated movements seen from the member. A positive amount is owed to the member (an invoice it
 * issued, a credit note it received, a payment it made); a negative one is owed by it. The balance is the
 * sum, so a zero balance means nothing open either way.
 */

export interface AccountDocument {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  issueDate: string;
  totalInclVatCents: number;
  sellerName: string;
  buyerName: string;
  /** A credit note: the invoice it corrects (its balance is that invoice's). */
  creditedInvoiceId: number | null;
}

export interface AccountPayment {
  invoiceId: number;
  amountCents: number;
  paidOn: string;
}

export type MovementKind = 'invoice_issued' | 'invoice_received' | 'credit_issued' | 'credit_received' | 'payment_received' | 'payment_made';

export interface Movement {
  date: string;
  kind: MovementKind;
  number: string;
  counterparty: string;
  /** Owed to the member (+) or by it (−), incl. VAT. */
  amountCents: number;
  /** The invoice whose balance this movement changes. */
  invoiceId: number;
}

export interface Account {
  openingCents: number;
  movements: Movement[];
  closingCents: number;
  /** At `to`: what others still owe the member and what it still owes them, invoice by invoice (both ≥ 0). */
  receivableCents: number;
  payableCents: number;
}

export function memberMovements(memberId: number, docs: readonly AccountDocument[], payments: readonly AccountPayment[]): Movement[] {
  const byId = new Map(docs.map((d) => [d.id, d]));
  const out: Movement[] = [];
  for (const d of docs) {
    const issued = d.sellerMemberId === memberId;
    if (!issued && d.buyerMemberId !== memberId) continue;
    const sign = (issued ? 1 : -1) * (d.kind === 'credit_note' ? -1 : 1);
    const kind: MovementKind = d.kind === 'credit_note' ? (issued ? 'credit_issued' : 'credit_received') : issued ? 'invoice_issued' : 'invoice_received';
    out.push({ date: d.issueDate, kind, number: d.number, counterparty: issued ? d.buyerName : d.sellerName, amountCents: sign * d.totalInclVatCents, invoiceId: d.creditedInvoiceId ?? d.id });
  }
  for (const p of payments) {
    const d = byId.get(p.invoiceId);
    if (!d || (d.sellerMemberId !== memberId && d.buyerMemberId !== memberId)) continue;
    const received = d.sellerMemberId === memberId;
    out.push({ date: p.paidOn, kind: received ? 'payment_received' : 'payment_made', number: d.number, counterparty: received ? d.buyerName : d.sellerName, amountCents: received ? -p.amountCents : p.amountCents, invoiceId: d.id });
  }
  const order: Record<MovementKind, number> = { invoice_issued: 0, invoice_received: 0, credit_issued: 1, credit_received: 1, payment_received: 2, payment_made: 2 };
  return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : order[a.kind] - order[b.kind] || (a.number < b.number ? -1 : a.number > b.number ? 1 : 0)));
}

/** The account between `from` and `to` (inclusive; either open): opening balance, movements, closing balance and open positions. */
export function memberAccount(memberId: number, docs: readonly AccountDocument[], payments: readonly AccountPayment[], from: string | null, to: string | null): Account {
  const all = memberMovements(memberId, docs, payments).filter((m) => to === null || m.date <= to);
  const before = all.filter((m) => from !== null && m.date < from);
  const movements = all.filter((m) => from === null || m.date >= from);
  const sum = (ms: readonly Movement[]) => ms.reduce((a, m) => a + m.amountCents, 0);
  // Open positions invoice by invoice (its credit notes and payments with it): one invoice never offsets another.
  const perInvoice = new Map<number, number>();
  for (const m of all) perInvoice.set(m.invoiceId, (perInvoice.get(m.invoiceId) ?? 0) + m.amountCents);
  let receivableCents = 0;
  let payableCents = 0;
  for (const v of perInvoice.values()) {
    if (v > 0) receivableCents += v;
    else payableCents -= v;
  }
  const openingCents = sum(before);
  return { openingCents, movements, closingCents: openingCents + sum(movements), receivableCents, payableCents };
}
