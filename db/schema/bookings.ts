import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, instant } from './columns';
import { BOOKING_STATUSES } from './enums';
import { members } from './members';
import { resources } from './resources';
import { users } from './auth';

export const bookingSeries = sqliteTable('booking_series', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  resourceId: integer('resource_id')
    .notNull()
    .references(() => resources.id),
  memberId: integer('member_id')
    .notNull()
    .references(() => members.id),
  /** JSON: { freq, interval, until?, count? } as requested. */
  rule: text('rule', { mode: 'json' }).notNull(),
  createdAt: createdAt(),
});

export const bookings = sqliteTable(
  'bookings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    resourceId: integer('resource_id')
      .notNull()
      .references(() => resources.id),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    startMs: instant('start_ms').notNull(),
    endMs: instant('end_ms').notNull(),
    quantity: integer('quantity').notNull().default(1),
    note: text('note'),
    status: text('status', { enum: BOOKING_STATUSES }).notNull(),
    seriesId: integer('series_id').references(() => bookingSeries.id),
    /** For an occurrence of a series: its original start (iCal RECURRENCE-ID), kept when it is moved. */
    originalStartMs: instant('original_start_ms'),
    /** Raised on every change (iCal SEQUENCE). */
    sequence: integer('sequence').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [
    check('bookings_positive_duration', sql`${t.endMs} > ${t.startMs}`),
    check('bookings_quantity_positive', sql`${t.quantity} >= 1`),
    index('bookings_resource_start_idx').on(t.resourceId, t.startMs),
    index('bookings_member_start_idx').on(t.memberId, t.startMs),
    index('bookings_start_idx').on(t.startMs),
    index('bookings_series_idx').on(t.seriesId),
  ],
);
