import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { instant } from './columns';
import { PAYMENT_METHODS, SETTLEMENT_MODES } from './enums';
import { invoices } from './invoices';

/**
 * Recorded settlements of open balances (`POST /api/settlements/transfers`): the plan's transfers that were
 * recorded together, each payment they made pointing here.
 */
export const settlementRecords = sqliteTable('settlement_records', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  mode: text('mode', { enum: SETTLEMENT_MODES }).notNull(),
  asOf: text('as_of').notNull(),
  paidOn: text('paid_on').notNull(),
  reference: text('reference'),
  /** JSON: the transfers recorded ({ fromMemberId, toMemberId, amountCents, basis, offsetCents, invoiceIds }). */
  transfers: text('transfers', { mode: 'json' }).notNull(),
  recordedAt: instant('recorded_at').notNull(),
  recordedByUserId: integer('recorded_by_user_id').references(() => users.id),
});

/**
 * Payments of invoices, partial or whole. A payment is never erased: deleting it stamps `deleted_at` (the
 * audit trail keeps it, balances ignore it). A negative amount is a refund (a credit note after payment),
 * only ever recorded by a settlement.
 */
export const payments = sqliteTable(
  'payments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    invoiceId: integer('invoice_id')
      .notNull()
      .references(() => invoices.id),
    amountCents: integer('amount_cents').notNull(),
    paidOn: text('paid_on').notNull(),
    method: text('method', { enum: PAYMENT_METHODS }).notNull(),
    reference: text('reference'),
    settlementId: integer('settlement_id').references(() => settlementRecords.id),
    recordedAt: instant('recorded_at').notNull(),
    recordedByUserId: integer('recorded_by_user_id').references(() => users.id),
    deletedAt: instant('deleted_at'),
    deletedByUserId: integer('deleted_by_user_id').references(() => users.id),
  },
  (t) => [index('payments_invoice_idx').on(t.invoiceId), check('payments_amount_nonzero', sql`${t.amountCents} <> 0`)],
);
