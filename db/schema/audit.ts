import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { instant } from './columns';

/**
 * The audit trail: one append-only row per change to an audited table, written by temporary triggers in the
 * same transaction as the change (server/audit/triggers.ts), plus login and session events. Rows are hash
 * chained (`prev_hash` → `hash`, see server/audit/chain.ts) so `npm run verify` names a row edited or deleted.
 * No foreign keys: the trail outlives what it describes.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: instant('at').notNull(),
    /** Who did it; null for the system (scripts, the server's own jobs) and for unknown e-mails at login. */
    userId: integer('user_id'),
    /** `,3,7,`: the structures whose data this is (a member_admin sees rows naming its own), or null (pole-wide). */
    memberIds: text('member_ids'),
    /** `member.update`, `booking.create`, `login.failure`, `session.end`… */
    action: text('action').notNull(),
    objectType: text('object_type').notNull(),
    objectId: text('object_id'),
    /** JSON of the row before and after (secrets redacted, blobs as their SHA-256), or null. */
    before: text('before'),
    after: text('after'),
    ip: text('ip'),
    /** The API route that made the change, `PATCH /api/members/:id`; null outside a request. */
    route: text('route'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('audit_object_idx').on(t.objectType, t.objectId), index('audit_user_idx').on(t.userId), index('audit_at_idx').on(t.at)],
);
