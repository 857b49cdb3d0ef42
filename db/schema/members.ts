import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { LEGAL_FORMS, VAT_STATUSES } from './enums';

export const members = sqliteTable(
  'members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    legalForm: text('legal_form', { enum: LEGAL_FORMS }).notNull(),
    siren: text('siren').notNull().unique(),
    siret: text('siret').notNull(),
    /** The street line(s); postal code, city and country are their own fields. */
    address: text('address').notNull(),
    postalCode: text('postal_code'),
    city: text('city'),
    countryCode: text('country_code').notNull().default('FR'),
    /** Where the services are delivered, printed when it differs from the address (e-invoicing reform). */
    deliveryAddress: text('delivery_address'),
    billingEmail: text('billing_email').notNull(),
    vatStatus: text('vat_status', { enum: VAT_STATUSES }).notNull(),
    /** Its activity is VAT-exempt or outside VAT (≥ 80 % of receipts): the grouping's shares to it fall under CGI 261 B. */
    eligible261B: integer('eligible_261b', { mode: 'boolean' }).notNull().default(false),
    /** Date of the member's attestation of eligibility. */
    eligible261BSince: text('eligible_261b_since'),
    /** Option pour le paiement de la taxe d'après les débits. */
    vatOnDebits: integer('vat_on_debits', { mode: 'boolean' }).notNull().default(false),
    /** FR + key + SIREN, the key derived from the SIREN. */
    vatNumber: text('vat_number'),
    /** A commune, a département, a public research body: buys through Chorus Pro, bills with titres de recettes. */
    publicBody: integer('public_body', { mode: 'boolean' }).notNull().default(false),
    chorusServiceCode: text('chorus_service_code'),
    chorusEngagement: text('chorus_engagement'),
    /** Companies, SCOP, SCIC: printed with the legal form (capital, RCS city). */
    shareCapitalCents: integer('share_capital_cents'),
    rcsCity: text('rcs_city'),
    iban: text('iban'),
    bic: text('bic'),
    /** Electronic invoicing address (PA routing); the SIREN when null. */
    einvoiceAddress: text('einvoice_address'),
    /** Date the member mandated the pole to issue invoices in its name; none are issued before. */
    billingMandateSince: text('billing_mandate_since'),
    /** Written agreement to multilateral netting of balances (C. civ. 1347 needs it across members). */
    nettingAgreement: integer('netting_agreement', { mode: 'boolean' }).notNull().default(false),
    nettingAgreementSince: text('netting_agreement_since'),
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
    check('members_capital_nonneg', sql`${t.shareCapitalCents} IS NULL OR ${t.shareCapitalCents} >= 0`),
  ],
);

/** The pole itself: one row (id = 1). */
export const pole = sqliteTable('pole', {
  id: integer('id').primaryKey(),
  name: text('name').notNull(),
  carrierMemberId: integer('carrier_member_id').references(() => members.id),
  /** The pole's groupement de moyens: its exact-share services to eligible members are exempt (CGI 261 B). */
  groupingMemberId: integer('grouping_member_id').references(() => members.id),
  timeZone: text('time_zone').notNull().default('Europe/Paris'),
  currency: text('currency').notNull().default('EUR'),
  /** Days between issue and due date of cost-sharing invoices. */
  paymentTermsDays: integer('payment_terms_days').notNull().default(30),
  /** Late-payment penalty rate printed on invoices, in basis points per year (1000 = 10 %). */
  latePenaltyRateBp: integer('late_penalty_rate_bp').notNull().default(1200),
});
