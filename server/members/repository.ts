import { asc, eq, like } from 'drizzle-orm';
import type { Db } from '../../db/index';
import { invoices, members } from '../../db/schema/index';

export type MemberRow = typeof members.$inferSelect;
export type NewMemberRow = typeof members.$inferInsert;

export function listMembers(db: Db): MemberRow[] {
  return db.select().from(members).orderBy(asc(members.id)).all();
}

export function findMember(db: Db, id: number): MemberRow | undefined {
  return db.select().from(members).where(eq(members.id, id)).get();
}

export function findMemberBySiren(db: Db, siren: string): MemberRow | undefined {
  return db.select().from(members).where(eq(members.siren, siren)).get();
}

export function findMemberByPrefix(db: Db, prefix: string): MemberRow | undefined {
  return db.select().from(members).where(eq(members.invoicePrefix, prefix)).get();
}

export function insertMember(db: Db, row: NewMemberRow): MemberRow {
  return db.insert(members).values(row).returning().get();
}

export function updateMember(db: Db, id: number, patch: Partial<NewMemberRow>): MemberRow {
  return db.update(members).set(patch).where(eq(members.id, id)).returning().get();
}

/** True when some issued document already carries this prefix: it stays reserved for that series. */
export function prefixInIssuedNumbers(db: Db, prefix: string): boolean {
  return db.select({ id: invoices.id }).from(invoices).where(like(invoices.number, `${prefix}-%`)).limit(1).get() !== undefined;
}

export function hasIssuedDocuments(db: Db, memberId: number): boolean {
  return db.select({ id: invoices.id }).from(invoices).where(eq(invoices.sellerMemberId, memberId)).limit(1).get() !== undefined;
}
