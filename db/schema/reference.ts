import { check, integer, sqliteTable } from 'drizzle-orm/sqlite-core';
import { sql } from 'drizzle-orm';

/**
 * One row (id = 1) whose `stamp` changes, through triggers, in the same transaction as any write to the
 * tables that the server caches in memory (pole, members, users, resources, closings): reading it is how
 * every connection, in any process, learns that its cached copy of those tables is stale. The stamp is a
 * random 64-bit value, not a counter, so that a rolled-back write cannot make an old stamp current again.
 */
export const referenceVersion = sqliteTable(
  'reference_version',
  {
    id: integer('id').primaryKey(),
    stamp: integer('stamp').notNull(),
  },
  (t) => [check('reference_version_one_row', sql`${t.id} = 1`)],
);
