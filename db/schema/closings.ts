import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './columns';
import { users } from './auth';

/** A closed month (YYYY-MM in the pole's zone): its bookings and costs are frozen. */
export const closings = sqliteTable('closings', {
  month: text('month').primaryKey(),
  closedAt: instant('closed_at').notNull(),
  closedByUserId: integer('closed_by_user_id').references(() => users.id),
});
