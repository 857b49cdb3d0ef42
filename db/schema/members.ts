import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { LEGAL_FORMS, VAT_REGIMES } from './enums';

export const members = sqliteTable(
  'members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    legalForm: text('legal_form', { enum: LEGAL_FORMS }).notNull(),
    siren: text('siren').notNull().unique(),
    siret: text('siret').notNull(),
    address: text('address').notNull(),
    billingEmail: text('billing_email').notNull(),
    vatRegime: text('vat_regime', { enum: VAT_REGIMES }).notNull(),
    vatNumber: text('vat_number'),
    weight: integer('weight').notNull().default(1),
    /** Prefix of this member's invoice series, e.g. "SMAC" gives SMAC-2026-0001. */
    invoicePrefix: text('invoice_prefix').notNull().unique(),
    joinedOn: text('joined_on').notNull(),
    leftOn: text('left_on'),
    createdAt: createdAt(),
  },
  (t) => [
    check('members_weight_nonneg', sql`${t.weight} >= 0`),
    check('members_siret_of_siren', sql`substr(${t.siret}, 1, 9) = ${t.siren}`),
  ],
);

/** The pole itself: one row (id = 1). */
export const pole = sqliteTable('pole', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  carrierMemberId: integer('carrier_member_id').references(() => members.id),
  timeZone: text('time_zone').notNull().default('Europe/Paris'),
  currency: text('currency').notNull().default('EUR'),
  /** Days between issue and due date of cost-sharing invoices. */
  paymentTermsDays: integer('payment_terms_days').notNull().default(30),
  /** Late-payment penalty rate printed on invoices, in basis points per year (1000 = 10 %). */
  latePenaltyRateBp: integer('late_penalty_rate_bp').notNull().default(1200),
});
