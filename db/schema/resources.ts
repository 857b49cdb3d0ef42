import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { createdAt } from './columns';
import { ALLOCATION_RULES, RESOURCE_KINDS } from './enums';
import { members } from './members';

export const resources = sqliteTable(
  'resources',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    kind: text('kind', { enum: RESOURCE_KINDS }).notNull(),
    category: text('category'),
    capacity: integer('capacity').notNull(),
    bearerMemberId: integer('bearer_member_id')
      .notNull()
      .references(() => members.id),
    granularityMinutes: integer('granularity_minutes').notNull().default(15),
    minMinutes: integer('min_minutes'),
    maxMinutes: integer('max_minutes'),
    /** JSON: { "1": [["09:00","18:00"]], … } keyed by ISO weekday (1 = Monday); null = always open. */
    openingHours: text('opening_hours', { mode: 'json' }),
    /** JSON: [{ "start": ISO, "end": ISO, "reason": string }] */
    blackouts: text('blackouts', { mode: 'json' }).notNull().default(sql`'[]'`),
    horizonDays: integer('horizon_days').notNull().default(365),
    requiresApproval: integer('requires_approval', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** Longest active booking ever stored, in ms: the lower bound that lets overlap queries use their index. */
    longestBookingMs: integer('longest_booking_ms').notNull().default(0),
    /** Output VAT rate of the service sold, in basis points (2000 = 20 %; 1000, 550, 210 allowed). */
    vatRateBp: integer('vat_rate_bp').notNull().default(2000),
    /** Staff lent at cost: the lending agreement states management fees, so they may be rebilled. */
    managementFeesAgreed: integer('management_fees_agreed', { mode: 'boolean' }).notNull().default(false),
    /** JSON: { minutesPerMonth, limit: 'hard' | 'soft', members: [{ memberId, minutesPerMonth }] } or null (no allowance). */
    allowance: text('allowance', { mode: 'json' }),
    createdAt: createdAt(),
  },
  (t) => [
    check('resources_capacity_positive', sql`${t.capacity} >= 1`),
    check('resources_vat_rate', sql`${t.vatRateBp} IN (2000, 1000, 550, 210)`),
  ],
);

/** Allocation rule of a resource, effective from a month on; the history is kept. */
export const allocationRules = sqliteTable(
  'allocation_rules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    fromMonth: text('from_month').notNull(),
    rule: text('rule', { enum: ALLOCATION_RULES }).notNull(),
    /** JSON: { "<memberId>": weight } or null for members' own allocation weights. */
    weights: text('weights', { mode: 'json' }),
    fixedPercent: integer('fixed_percent'),
    rateCents: integer('rate_cents'),
    createdAt: createdAt(),
  },
  (t) => [index('allocation_rules_resource_idx').on(t.resourceId, t.fromMonth)],
);

/**
 * A resource's allowance from a month on (null: none from then), so that what each past month included stays
 * known after the allowance changes. `resources.allowance` is the one in force now.
 */
export const resourceAllowances = sqliteTable(
  'resource_allowances',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    fromMonth: text('from_month').notNull(),
    /** JSON, as `resources.allowance`; null: no allowance from this month on. */
    allowance: text('allowance', { mode: 'json' }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('resource_allowances_month').on(t.resourceId, t.fromMonth)],
);
