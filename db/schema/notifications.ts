import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, instant } from './columns';
import { users } from './auth';
import { members } from './members';

export const OUTBOX_STATUSES = ['pending', 'sent', 'dead'] as const;
export const LANGS = ['fr', 'en'] as const;
export const DELIVERY_MODES = ['immediate', 'digest'] as const;

/**
 * E-mails to send, one row per recipient, written in the same transaction as the change that causes them
 * (a crash loses none, a rollback sends none); a booking change's, from the notice its transaction wrote
 * (`notices`, below), by the sender. The row holds what the message says (`payload`); the sender
 * renders and delivers it later (server/notifications/sender.ts), at least once: `message_id` is the
 * idempotency key, sent as the Message-ID so a receiver dedupes a repeat.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    messageId: text('message_id').notNull().unique(),
    kind: text('kind').notNull(),
    recipientUserId: integer('recipient_user_id').references(() => users.id),
    /** The structure the mail is about (billing mails), for the outbox view. */
    memberId: integer('member_id').references(() => members.id),
    toAddress: text('to_address').notNull(),
    ccAddress: text('cc_address'),
    lang: text('lang', { enum: LANGS }).notNull(),
    /** JSON: what the message says, snapshotted at the change. */
    payload: text('payload').notNull(),
    /** Held for the recipient's daily digest (sent with the others due at `next_attempt_at`). */
    digest: integer('digest', { mode: 'boolean' }).notNull().default(false),
    status: text('status', { enum: OUTBOX_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: instant('next_attempt_at').notNull(),
    /** A sender working on the row until then; another process leaves it alone. */
    claimedUntil: instant('claimed_until'),
    lastError: text('last_error'),
    createdAt: createdAt(),
    sentAt: instant('sent_at'),
  },
  (t) => [index('outbox_due_idx').on(t.status, t.nextAttemptAt)],
);

/**
 * A change's mails before they are addressed: one compact row per booking change, written in the change's own
 * transaction with what its mails must tell as it was then (server/notifications/notices.ts), turned into
 * `outbox` rows (recipients, languages, preferences) by the sender just after, and deleted in that transaction.
 * The booking path pays one small insert; the lookups and rendering happen outside it.
 */
export const notices = sqliteTable('notices', {
  id: integer('id').primaryKey(),
  kind: text('kind').notNull(),
  payload: text('payload').notNull(),
  createdAt: createdAt(),
});

/** A user's mail settings: language, immediate or daily digest, kinds turned off. No row: French, immediate, all. */
export const notificationPreferences = sqliteTable('notification_preferences', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id),
  lang: text('lang', { enum: LANGS }).notNull().default('fr'),
  mode: text('mode', { enum: DELIVERY_MODES }).notNull().default('immediate'),
  /** JSON array of notification kinds the user does not want. */
  disabled: text('disabled').notNull().default('[]'),
  updatedAt: instant('updated_at').notNull(),
});

/** A structure's mail settings beyond its billing e-mail: its accountant, copied on billing mails. */
export const memberMailSettings = sqliteTable(
  'member_mail_settings',
  {
    memberId: integer('member_id')
      .primaryKey()
      .references(() => members.id),
    accountantEmail: text('accountant_email'),
    updatedAt: instant('updated_at').notNull(),
  },
  (t) => [check('member_mail_settings_email', sql`${t.accountantEmail} IS NULL OR ${t.accountantEmail} LIKE '%_@_%'`)],
);
