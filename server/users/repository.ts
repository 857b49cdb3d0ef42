import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/index';
import { feeds, users } from '../../db/schema/index';

export type UserRow = typeof users.$inferSelect;
export type NewUserRow = typeof users.$inferInsert;

export function findUserByEmail(db: Db, email: string): UserRow | undefined {
  return db.select().from(users).where(eq(users.email, email)).get();
}

export function findUser(db: Db, id: number): UserRow | undefined {
  return db.select().from(users).where(eq(users.id, id)).get();
}

export function listUsers(db: Db, memberId?: number): UserRow[] {
  const query = db.select().from(users);
  return (memberId === undefined ? query : query.where(eq(users.memberId, memberId))).orderBy(asc(users.id)).all();
}

export function insertUser(db: Db, row: NewUserRow): UserRow {
  return db.insert(users).values(row).returning().get();
}

export function updateUser(db: Db, id: number, patch: Partial<NewUserRow>): UserRow {
  return db.update(users).set(patch).where(eq(users.id, id)).returning().get();
}

/** Revokes every active calendar feed of a user: a disabled user's feed URLs must not work again on re-enabling. */
export function revokeFeedsOf(db: Db, userId: number, at: number): void {
  db.update(feeds).set({ revokedAt: at }).where(and(eq(feeds.userId, userId), isNull(feeds.revokedAt))).run();
}
