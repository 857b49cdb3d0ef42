import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { closings } from './closings';
import { instant } from './columns';
import { invoices } from './invoices';
import { resources } from './resources';

/**
 * Adjustments to a closed month (issue #11): a late or corrected cost of a resource, or a corrected share on
 * an issued invoice. The month's allocation snapshot stays as the close made it; each adjustment keeps what
 * it changed (the resource's cost entries and allocation after it, each member's change of invoiced share)
 * and the documents it issued. Rows are never updated or deleted (triggers).
 */
export const adjustments = sqliteTable(
  'adjustments',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    month: text('month')
      .notNull()
      .references(() => closings.month),
    kind: text('kind', { enum: ['resource', 'invoice'] }).notNull(),
    resourceId: integer('resource_id').references(() => resources.id),
    invoiceId: integer('invoice_id').references(() => invoices.id),
    /** JSON: the request as given (cost entries, or corrected lines). */
    input: text('input').notNull(),
    /** JSON (resource adjustments): the resource's cost entries of the month as shared after this adjustment. */
    costsAfter: text('costs_after'),
    /** JSON (resource adjustments): the resource's allocation after this adjustment ({ resource, rows }). */
    allocation: text('allocation'),
    /** JSON: [{ resourceId, sellerMemberId, buyerMemberId, deltaCents }] the change of each invoiced share, excl. VAT. */
    deltas: text('deltas').notNull(),
    /** Cost shared after − before (excl. VAT, as shared); 0 for an invoice adjustment. */
    costDeltaCents: integer('cost_delta_cents').notNull(),
    reason: text('reason'),
    createdAt: instant('created_at').notNull(),
    createdByUserId: integer('created_by_user_id').references(() => users.id),
  },
  (t) => [
    index('adjustments_month_idx').on(t.month),
    check('adjustments_target', sql`(${t.kind} = 'resource' AND ${t.resourceId} IS NOT NULL) OR (${t.kind} = 'invoice' AND ${t.invoiceId} IS NOT NULL)`),
  ],
);

/** The supplementary invoices and credit notes an adjustment issued. */
export const adjustmentDocuments = sqliteTable('adjustment_documents', {
  invoiceId: integer('invoice_id')
    .primaryKey()
    .references(() => invoices.id),
  adjustmentId: integer('adjustment_id')
    .notNull()
    .references(() => adjustments.id),
});
