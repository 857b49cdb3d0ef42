import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { instant } from './columns';
import { members } from './members';

/** A member's overrides of the default chart of accounts (JSON); no row means the defaults. */
export const accountingMappings = sqliteTable('accounting_mappings', {
  memberId: integer('member_id')
    .primaryKey()
    .references(() => members.id),
  overrides: text('overrides', { mode: 'json' }).notNull(),
  updatedAt: instant('updated_at').notNull(),
  updatedByUserId: integer('updated_by_user_id').references(() => users.id),
});

/**
 * Each FEC file handed out: the period, the effective mapping used, the file's SHA-256 and its bytes, so an
 * export can be downloaded again exactly and its mapping shown. A new row only when the content changed.
 */
export const accountingExports = sqliteTable(
  'accounting_exports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    memberId: integer('member_id')
      .notNull()
      .references(() => members.id),
    fromDate: text('from_date').notNull(),
    toDate: text('to_date').notNull(),
    mapping: text('mapping', { mode: 'json' }).notNull(),
    filename: text('filename').notNull(),
    sha256: text('sha256').notNull(),
    body: text('body').notNull(),
    entryCount: integer('entry_count').notNull(),
    createdAt: instant('created_at').notNull(),
    createdByUserId: integer('created_by_user_id').references(() => users.id),
  },
  (t) => [index('accounting_exports_member_idx').on(t.memberId, t.toDate)],
);
