import { sql } from 'drizzle-orm';
import { blob, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { createdAt, instant } from './columns';
import { ROLES } from './enums';
import { members } from './members';

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    email: text('email').notNull().unique(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    memberId: integer('member_id').references(() => members.id),
    passwordHash: text('password_hash').notNull(),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    check(
      'users_member_matches_role',
      sql`(${t.role} = 'coordinator' AND ${t.memberId} IS NULL) OR (${t.role} <> 'coordinator' AND ${t.memberId} IS NOT NULL)`,
    ),
    index('users_member_idx').on(t.memberId),
  ],
);

/** Lucia's session model: the token is `${id}.${secret}`, only SHA-256(secret) is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    lastVerifiedAt: instant('last_verified_at').notNull(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * Single-use links to set a password: an invitation (made by an admin for a new or existing user) or a reset
 * (asked with « mot de passe oublié »). As sessions, the link carries `${id}.${secret}` and only SHA-256(secret)
 * is stored; a link works once, until it expires, and only while it is the user's latest.
 */
export const accountTokens = sqliteTable(
  'account_tokens',
  {
    id: text('id').primaryKey(),
    secretHash: blob('secret_hash', { mode: 'buffer' }).notNull(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    purpose: text('purpose', { enum: ['invitation', 'reset'] }).notNull(),
    createdAt: createdAt(),
    expiresAt: instant('expires_at').notNull(),
    usedAt: instant('used_at'),
    createdBy: integer('created_by').references(() => users.id),
  },
  (t) => [index('account_tokens_user_idx').on(t.userId), check('account_tokens_purpose', sql`${t.purpose} IN ('invitation', 'reset')`)],
);
