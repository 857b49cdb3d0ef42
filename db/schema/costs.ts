import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { createdAt, instant } from './columns';
import { COST_NATURES } from './enums';
import { resources } from './resources';

/**
 * A real cost of one month (YYYY-MM in the pole's zone) borne by a resource's bearer: integer cents excluding
 * VAT, the supplier's VAT rate in basis points (2000 = 20 %) and the input VAT paid. Frozen once its month is closed.
 */
export const costs = sqliteTable(
  'costs',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    month: text('month').notNull(),
    label: text('label').notNull(),
    amountCents: integer('amount_cents').notNull(),
    vatRateBp: integer('vat_rate_bp').notNull().default(0),
    /** The VAT paid on this cost; shared with it when the bearer cannot recover it (franchise, not liable). */
    inputVatCents: integer('input_vat_cents').notNull().default(0),
    /** Staff resources: the employee's paid hours this entry covers, in hundredths of an hour (151.67 h = 15167). */
    paidHoursHundredths: integer('paid_hours_hundredths'),
    nature: text('nature', { enum: COST_NATURES }).notNull(),
    /** Carried forward to the next month on request. */
    recurring: integer('recurring', { mode: 'boolean' }).notNull().default(false),
    /** The entry of the previous month this one was carried forward from. */
    carriedFromId: integer('carried_from_id'),
    createdByUserId: integer('created_by_user_id').references(() => users.id),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    check('costs_amount_nonneg', sql`${t.amountCents} >= 0`),
    check('costs_vat_rate_range', sql`${t.vatRateBp} BETWEEN 0 AND 10000`),
    check('costs_input_vat_nonneg', sql`${t.inputVatCents} >= 0`),
    check('costs_paid_hours_positive', sql`${t.paidHoursHundredths} IS NULL OR ${t.paidHoursHundredths} > 0`),
    index('costs_month_resource_idx').on(t.month, t.resourceId),
    index('costs_carried_from_idx').on(t.carriedFromId),
  ],
);
