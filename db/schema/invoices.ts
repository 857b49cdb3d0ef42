import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { instant } from './columns';
import { INVOICE_KINDS } from './enums';
import { members } from './members';
import { resources } from './resources';

/**
 * Issued invoices and credit notes. Immutable once written (triggers refuse any UPDATE but `paid_on` and
 * any DELETE); parties are snapshots taken at issue, so later member edits never change a document. Each
 * issuer's documents form one hash chain: `hash` = SHA-256 of the canonical content, which includes `prev_hash`.
 */
export const invoices = sqliteTable(
  'invoices',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    number: text('number').notNull().unique(),
    kind: text('kind', { enum: INVOICE_KINDS }).notNull(),
    sellerMemberId: integer('seller_member_id')
      .notNull()
      .references(() => members.id),
    buyerMemberId: integer('buyer_member_id')
      .notNull()
      .references(() => members.id),
    /** Series key: the issue date's year and the rank in the issuer's series that year. */
    year: integer('year').notNull(),
    seq: integer('seq').notNull(),
    /** The service month (YYYY-MM) the document bills or corrects. */
    month: text('month').notNull(),
    issueDate: text('issue_date').notNull(),
    periodStart: text('period_start').notNull(),
    periodEnd: text('period_end').notNull(),
    dueDate: text('due_date').notNull(),
    currency: text('currency').notNull(),
    /** JSON snapshots of both parties (name, legal form, SIREN, SIRET, address, VAT regime and number). */
    seller: text('seller', { mode: 'json' }).notNull(),
    buyer: text('buyer', { mode: 'json' }).notNull(),
    /** JSON: the lines (description, quantity, unit, unit price, VAT rate, total, basis). */
    lines: text('lines', { mode: 'json' }).notNull(),
    /** JSON: [{ vatRate, baseCents, vatCents }] */
    vatBreakdown: text('vat_breakdown', { mode: 'json' }).notNull(),
    totalExclVatCents: integer('total_excl_vat_cents').notNull(),
    totalVatCents: integer('total_vat_cents').notNull(),
    totalInclVatCents: integer('total_incl_vat_cents').notNull(),
    /** JSON: { vatMention, penalty, indemnity, operation, discount, … } legal mentions as printed. */
    mentions: text('mentions', { mode: 'json' }).notNull(),
    paymentTermsDays: integer('payment_terms_days').notNull(),
    latePenaltyRateBp: integer('late_penalty_rate_bp').notNull(),
    recoveryIndemnityCents: integer('recovery_indemnity_cents'),
    creditedInvoiceId: integer('credited_invoice_id').references((): AnySQLiteColumn => invoices.id),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    paidOn: text('paid_on'),
    issuedAt: instant('issued_at').notNull(),
    issuedByUserId: integer('issued_by_user_id').references(() => users.id),
  },
  (t) => [
    uniqueIndex('invoices_series_idx').on(t.sellerMemberId, t.year, t.seq),
    index('invoices_month_idx').on(t.month),
    index('invoices_buyer_idx').on(t.buyerMemberId),
    index('invoices_credited_idx').on(t.creditedInvoiceId),
    check('invoices_seq_positive', sql`${t.seq} >= 1`),
    check('invoices_not_self', sql`${t.sellerMemberId} <> ${t.buyerMemberId}`),
  ],
);

/** The last number given in each issuer's yearly series, advanced in the transaction that issues. */
export const invoiceCounters = sqliteTable(
  'invoice_counters',
  {
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    year: integer('year').notNull(),
    lastSeq: integer('last_seq').notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.year] })],
);

/** The allocation matrix of a closed month, as it was when the month was closed (final). */
export const allocationRows = sqliteTable(
  'allocation_rows',
  {
    month: text('month').notNull(),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    usageMinutes: integer('usage_minutes').notNull(),
    shareCents: integer('share_cents').notNull(),
    /** JSON: why this member pays this share (rule, minutes, weight, percent, fallback). */
    basis: text('basis', { mode: 'json' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.month, t.resourceId, t.memberId] })],
);

/** Per resource totals of a closed month: cost, what was allocated, and the gap a `rate` rule leaves. */
export const allocationResources = sqliteTable(
  'allocation_resources',
  {
    month: text('month').notNull(),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    bearerMemberId: integer('bearer_member_id')
      .notNull()
      .references(() => members.id),
    /** JSON: the rule applied ({ rule, weights, fixedPercent, rateCents, fromMonth }). */
    rule: text('rule', { mode: 'json' }).notNull(),
    costCents: integer('cost_cents').notNull(),
    allocatedCents: integer('allocated_cents').notNull(),
    gapCents: integer('gap_cents').notNull(),
    usageMinutes: integer('usage_minutes').notNull(),
    note: text('note'),
  },
  (t) => [primaryKey({ columns: [t.month, t.resourceId] })],
);
