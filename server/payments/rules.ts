import type { Cents } from '../shared/money';
import type { SettlementMode } from '../../db/schema/enums';
import { transfersOf } from '../settlements/rules';

/**
 * The payments ledger's pure rules (no I/O): what is still open on each invoice, what each member owes each
 * other member, and plans of transfers that settle those open balances.
 *
 * An invoice's open balance is its total incl. VAT less its credit notes and its payments (a credit note
 * issued after full payment leaves a negative balance: the seller owes a refund). Balances are per ordered
 * pair of members; a plan settles them:
 * - bilateral (the default): each pair's mutual open balances are set off (Code civil 1347: mutual debts
 *   between the same two parties) and the net debtor pays the difference;
 * - multilateral: among members that signed the pole's netting agreement, the net positions are settled with
 *   few transfers (the pole's min-transfer algorithm); every other pair stays bilateral;
 * - a public body is never netted: each of its balances is paid gross, in its own transfer.
 */

export { PAYMENT_METHODS, type PaymentMethod, type SettlementMode } from '../../db/schema/enums';
export const INVOICE_STATUSES = ['open', 'partially_paid', 'paid', 'credited'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface LedgerDocument {
  id: number;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  issueDate: string;
  totalInclVatCents: Cents;
  creditedInvoiceId: number | null;
}

export interface LedgerPayment {
  invoiceId: number;
  amountCents: Cents;
  paidOn: string;
}

export interface InvoiceBalance {
  invoiceId: number;
  paidCents: Cents;
  creditedCents: Cents;
  openCents: Cents;
  status: InvoiceStatus;
}

export function statusOf(kind: LedgerDocument['kind'], total: Cents, credited: Cents, paid: Cents): InvoiceStatus {
  if (kind === 'credit_note') return 'credited';
  if (credited > 0 && credited >= total) return 'credited';
  if (total - credited - paid <= 0) return 'paid';
  return paid > 0 ? 'partially_paid' : 'open';
}

/**
 * Each document's balance as of a day (YYYY-MM-DD, inclusive; none: everything recorded). Documents issued
 * later are left out; a credit note counts from its issue date, a payment from its date. A credit note's own
 * balance is nil (it counts on the invoice it corrects).
 */
export function invoiceBalances(docs: readonly LedgerDocument[], payments: readonly LedgerPayment[], asOf?: string): Map<number, InvoiceBalance> {
  const within = (day: string) => asOf === undefined || day <= asOf;
  const credited = new Map<number, Cents>();
  const paid = new Map<number, Cents>();
  for (const d of docs) {
    if (d.kind === 'credit_note' && d.creditedInvoiceId !== null && within(d.issueDate)) {
      credited.set(d.creditedInvoiceId, (credited.get(d.creditedInvoiceId) ?? 0) + d.totalInclVatCents);
    }
  }
  for (const p of payments) if (within(p.paidOn)) paid.set(p.invoiceId, (paid.get(p.invoiceId) ?? 0) + p.amountCents);
  const result = new Map<number, InvoiceBalance>();
  for (const d of docs) {
    if (!within(d.issueDate)) continue;
    if (d.kind === 'credit_note') {
      result.set(d.id, { invoiceId: d.id, paidCents: 0, creditedCents: d.totalInclVatCents, openCents: 0, status: 'credited' });
      continue;
    }
    const c = credited.get(d.id) ?? 0;
    const p = paid.get(d.id) ?? 0;
    result.set(d.id, { invoiceId: d.id, paidCents: p, creditedCents: c, openCents: d.totalInclVatCents - c - p, status: statusOf(d.kind, d.totalInclVatCents, c, p) });
  }
  return result;
}

/** What `fromMemberId` still owes `toMemberId`, and on which invoices (ids ascending). */
export interface Balance {
  fromMemberId: number;
  toMemberId: number;
  openCents: Cents;
  invoiceIds: number[];
}

/**
 * Open balances per ordered pair: an invoice's open balance is owed by its buyer to its seller, or, when
 * negative (credited after payment), refunded by its seller to its buyer. Pairs with nothing open are left out.
 */
export function balancesOf(docs: readonly LedgerDocument[], balances: ReadonlyMap<number, InvoiceBalance>): Balance[] {
  const items = new Map<string, Balance>();
  for (const d of docs) {
    const b = balances.get(d.id);
    if (d.kind !== 'invoice' || !b || b.openCents === 0) continue;
    const [from, to, cents] = b.openCents > 0 ? [d.buyerMemberId, d.sellerMemberId, b.openCents] : [d.sellerMemberId, d.buyerMemberId, -b.openCents];
    const key = `${from}>${to}`;
    const item = items.get(key) ?? { fromMemberId: from, toMemberId: to, openCents: 0, invoiceIds: [] };
    item.openCents += cents;
    item.invoiceIds.push(d.id);
    items.set(key, item);
  }
  return [...items.values()]
    .map((i) => ({ ...i, invoiceIds: [...i.invoiceIds].sort((a, b) => a - b) }))
    .sort((a, b) => a.fromMemberId - b.fromMemberId || a.toMemberId - b.toMemberId);
}

/** Each member's net position over open balances: positive = owed money. Sums to zero. */
export function netPositions(balances: readonly Balance[]): Map<number, Cents> {
  const net = new Map<number, Cents>();
  for (const b of balances) {
    net.set(b.fromMemberId, (net.get(b.fromMemberId) ?? 0) - b.openCents);
    net.set(b.toMemberId, (net.get(b.toMemberId) ?? 0) + b.openCents);
  }
  return net;
}

export interface PlannedTransfer {
  fromMemberId: number;
  toMemberId: number;
  /** Money moved; 0 when mutual balances cancel out exactly (a pure set-off). */
  amountCents: Cents;
  /** bilateral: a pair's net; gross: one balance of a public body, never netted; multilateral: a leg of the agreement's clearing. */
  basis: 'bilateral' | 'gross' | 'multilateral';
  /** What the transfer settles by set-off instead of money (bilateral: the smaller of the two balances). */
  offsetCents: Cents;
  /** The invoices fully settled once the transfer is recorded (multilateral: once the whole clearing is). */
  invoiceIds: number[];
}

export interface PlanParties {
  /** Members with a netting agreement in force (multilateral mode only). */
  netting: ReadonlySet<number>;
  /** Public bodies: never netted. */
  publicBodies: ReadonlySet<number>;
}

const pairKey = (a: number, b: number) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/** A plan that leaves every open balance at zero once recorded, in a deterministic order. */
export function planTransfers(balances: readonly Balance[], mode: SettlementMode, parties: PlanParties): PlannedTransfer[] {
  const inClearing = (b: Balance) =>
    mode === 'multilateral' && parties.netting.has(b.fromMemberId) && parties.netting.has(b.toMemberId) && !parties.publicBodies.has(b.fromMemberId) && !parties.publicBodies.has(b.toMemberId);
  const gross = (b: Balance) => parties.publicBodies.has(b.fromMemberId) || parties.publicBodies.has(b.toMemberId);

  const transfers: PlannedTransfer[] = [];
  const pairs = new Map<string, Balance[]>();
  const clearing: Balance[] = [];
  for (const b of balances) {
    if (inClearing(b)) clearing.push(b);
    else if (gross(b)) transfers.push({ fromMemberId: b.fromMemberId, toMemberId: b.toMemberId, amountCents: b.openCents, basis: 'gross', offsetCents: 0, invoiceIds: b.invoiceIds });
    else pairs.set(pairKey(b.fromMemberId, b.toMemberId), [...(pairs.get(pairKey(b.fromMemberId, b.toMemberId)) ?? []), b]);
  }
  for (const items of pairs.values()) {
    const [x, y] = items;
    const invoiceIds = items.flatMap((i) => i.invoiceIds).sort((a, b) => a - b);
    if (!y) {
      transfers.push({ fromMemberId: x!.fromMemberId, toMemberId: x!.toMemberId, amountCents: x!.openCents, basis: 'bilateral', offsetCents: 0, invoiceIds });
      continue;
    }
    // Ties (a pure set-off) go from the lower member id.
    const [big, small] = x!.openCents > y.openCents || (x!.openCents === y.openCents && x!.fromMemberId < y.fromMemberId) ? [x!, y] : [y, x!];
    transfers.push({ fromMemberId: big.fromMemberId, toMemberId: big.toMemberId, amountCents: big.openCents - small.openCents, basis: 'bilateral', offsetCents: small.openCents, invoiceIds });
  }
  transfers.push(...clearingTransfers(clearing));
  return transfers.sort((a, b) => a.fromMemberId - b.fromMemberId || a.toMemberId - b.toMemberId || a.basis.localeCompare(b.basis));
}

/**
 * The clearing among members of the netting agreement: few transfers moving exactly the net positions. Each
 * of the clearing's invoices is listed on one leg (a leg paid by its buyer, else one paid to its seller, else
 * the first): the invoices are settled when the whole clearing is recorded, which the service requires.
 */
function clearingTransfers(balances: readonly Balance[]): PlannedTransfer[] {
  if (balances.length === 0) return [];
  const net = netPositions(balances);
  const positions = [...net.entries()].map(([memberId, netCents]) => ({ memberId, netCents, receivableCents: 0, payableCents: 0 })).sort((a, b) => a.memberId - b.memberId);
  const legs: PlannedTransfer[] = transfersOf(positions).map((t) => ({ ...t, basis: 'multilateral', offsetCents: 0, invoiceIds: [] }));
  if (legs.length === 0) {
    // Everything cancels out: one set-off of nothing, so that the clearing can still be recorded.
    const first = balances[0]!;
    legs.push({ fromMemberId: first.fromMemberId, toMemberId: first.toMemberId, amountCents: 0, basis: 'multilateral', offsetCents: 0, invoiceIds: [] });
  }
  for (const b of balances) {
    const leg = legs.find((l) => l.fromMemberId === b.fromMemberId) ?? legs.find((l) => l.toMemberId === b.toMemberId) ?? legs[0]!;
    leg.invoiceIds.push(...b.invoiceIds);
  }
  for (const l of legs) l.invoiceIds.sort((a, b) => a - b);
  return legs;
}
