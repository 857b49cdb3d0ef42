import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { StoredDocument, SealedDocument } from './chain';
import type { InvoiceLine, Mentions, PartySnapshot, VatLine } from './document';

/** A stored invoice or credit note, with its row id (payments: the payments ledger). */
export interface InvoiceRecord extends StoredDocument {
  issuedAt: number;
  issuedByUserId: number | null;
}

interface RawInvoice {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  seller_member_id: number;
  buyer_member_id: number;
  year: number;
  seq: number;
  month: string;
  issue_date: string;
  period_start: string;
  period_end: string;
  due_date: string;
  currency: string;
  seller: string;
  buyer: string;
  lines: string;
  vat_breakdown: string;
  total_excl_vat_cents: number;
  total_vat_cents: number;
  total_incl_vat_cents: number;
  mentions: string;
  payment_terms_days: number;
  late_penalty_rate_bp: number;
  recovery_indemnity_cents: number | null;
  credited_invoice_id: number | null;
  prev_hash: string;
  hash: string;
  paid_on: string | null;
  issued_at: number;
  issued_by_user_id: number | null;
}

function toRecord(r: RawInvoice): InvoiceRecord {
  return {
    id: r.id,
    number: r.number,
    kind: r.kind,
    sellerMemberId: r.seller_member_id,
    buyerMemberId: r.buyer_member_id,
    year: r.year,
    seq: r.seq,
    month: r.month,
    issueDate: r.issue_date,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    dueDate: r.due_date,
    currency: r.currency,
    seller: JSON.parse(r.seller) as PartySnapshot,
    buyer: JSON.parse(r.buyer) as PartySnapshot,
    lines: JSON.parse(r.lines) as InvoiceLine[],
    vatBreakdown: JSON.parse(r.vat_breakdown) as VatLine[],
    totalExclVatCents: r.total_excl_vat_cents,
    totalVatCents: r.total_vat_cents,
    totalInclVatCents: r.total_incl_vat_cents,
    mentions: JSON.parse(r.mentions) as Mentions,
    paymentTermsDays: r.payment_terms_days,
    latePenaltyRateBp: r.late_penalty_rate_bp,
    recoveryIndemnityCents: r.recovery_indemnity_cents,
    creditedInvoiceId: r.credited_invoice_id,
    prevHash: r.prev_hash,
    hash: r.hash,
    issuedAt: r.issued_at,
    issuedByUserId: r.issued_by_user_id,
  };
}

export interface InvoiceFilter {
  month?: string;
  /** Documents where this member is the seller or the buyer. */
  memberId?: number;
  kind?: 'invoice' | 'credit_note';
}

function prepare(sqlite: Sqlite) {
  return {
    insert: sqlite.prepare(
      `INSERT INTO invoices (number, kind, seller_member_id, buyer_member_id, year, seq, month, issue_date, period_start, period_end,
         due_date, currency, seller, buyer, lines, vat_breakdown, total_excl_vat_cents, total_vat_cents, total_incl_vat_cents, mentions,
         payment_terms_days, late_penalty_rate_bp, recovery_indemnity_cents, credited_invoice_id, prev_hash, hash, paid_on, issued_at,
         issued_by_user_id)
       VALUES (@number, @kind, @sellerMemberId, @buyerMemberId, @year, @seq, @month, @issueDate, @periodStart, @periodEnd,
         @dueDate, @currency, @seller, @buyer, @lines, @vatBreakdown, @totalExclVatCents, @totalVatCents, @totalInclVatCents, @mentions,
         @paymentTermsDays, @latePenaltyRateBp, @recoveryIndemnityCents, @creditedInvoiceId, @prevHash, @hash, NULL, @issuedAt,
         @issuedByUserId)
       RETURNING id`,
    ) as Statement<[Record<string, unknown>], { id: number }>,
    byId: sqlite.prepare('SELECT * FROM invoices WHERE id = ?') as Statement<[number], RawInvoice>,
    creditNotesOf: sqlite.prepare(
      "SELECT * FROM invoices WHERE credited_invoice_id = ? AND kind = 'credit_note' ORDER BY year, seq",
    ) as Statement<[number], RawInvoice>,
    list: sqlite.prepare(
      `SELECT * FROM invoices
        WHERE (@month IS NULL OR month = @month)
          AND (@memberId IS NULL OR seller_member_id = @memberId OR buyer_member_id = @memberId)
          AND (@kind IS NULL OR kind = @kind)
        ORDER BY seller_member_id, year, seq`,
    ) as Statement<[{ month: string | null; memberId: number | null; kind: string | null }], RawInvoice>,
    all: sqlite.prepare('SELECT * FROM invoices ORDER BY seller_member_id, year, seq, id') as Statement<[], RawInvoice>,
  };
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
function statements(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

export function invoiceRepository(sqlite: Sqlite) {
  const s = statements(sqlite);
  return {
    insert(doc: SealedDocument, issuedAt: number, issuedByUserId: number | null): number {
      return s.insert.get({
        ...doc,
        seller: JSON.stringify(doc.seller),
        buyer: JSON.stringify(doc.buyer),
        lines: JSON.stringify(doc.lines),
        vatBreakdown: JSON.stringify(doc.vatBreakdown),
        mentions: JSON.stringify(doc.mentions),
        issuedAt,
        issuedByUserId,
      })!.id;
    },
    find(id: number): InvoiceRecord | undefined {
      const raw = s.byId.get(id);
      return raw ? toRecord(raw) : undefined;
    },
    creditNotesOf: (invoiceId: number) => s.creditNotesOf.all(invoiceId).map(toRecord),
    list: (filter: InvoiceFilter) =>
      s.list.all({ month: filter.month ?? null, memberId: filter.memberId ?? null, kind: filter.kind ?? null }).map(toRecord),
    all: () => s.all.all().map(toRecord),
  };
}
export type InvoiceRepository = ReturnType<typeof invoiceRepository>;
