import { sql } from 'drizzle-orm';
import { blob, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, instant } from './columns';
import { FEED_SCOPES } from './enums';
import { users } from './auth';
import { members } from './members';
import { resources } from './resources';

/**
 * A calendar feed handed out as `/ical/<token>.ics`. The token is the credential: only its SHA-256 is stored,
 * so a leaked database does not leak working feed URLs. Revoking keeps the row (revoked_at) for the record.
 */
export const feeds = sqliteTable(
  'feeds',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The user who created the feed: its current rights decide what the feed shows. */
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    scope: text('scope', { enum: FEED_SCOPES }).notNull(),
    memberId: integer('member_id').references(() => members.id),
    resourceId: integer('resource_id').references(() => resources.id),
    tokenHash: blob('token_hash', { mode: 'buffer' }).notNull().unique(),
    createdAt: createdAt(),
    revokedAt: instant('revoked_at'),
  },
  (t) => [
    check(
      'feeds_scope_target',
      sql`(${t.scope} = 'member' AND ${t.memberId} IS NOT NULL AND ${t.resourceId} IS NULL)
       OR (${t.scope} = 'resource' AND ${t.resourceId} IS NOT NULL AND ${t.memberId} IS NULL)
       OR (${t.scope} = 'user' AND ${t.memberId} IS NULL AND ${t.resourceId} IS NULL)`,
    ),
    index('feeds_user_idx').on(t.userId),
  ],
);
