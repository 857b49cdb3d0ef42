import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index';
import { payrolls, timesheetEntries } from '../../db/schema/index';
import type { StoredLine, TimesheetLine } from './timesheet-rules';

/** SQL of timesheets and payroll figures. */

export const monthLines = (db: Db, employeeId: number, month: string): StoredLine[] =>
  db
    .select({ date: timesheetEntries.date, kind: timesheetEntries.kind, memberId: timesheetEntries.memberId, minutes: timesheetEntries.minutes, status: timesheetEntries.status, comment: timesheetEntries.comment })
    .from(timesheetEntries)
    .where(and(eq(timesheetEntries.employeeId, employeeId), eq(timesheetEntries.month, month)))
    .orderBy(asc(timesheetEntries.date), asc(timesheetEntries.id))
    .all();

export function replaceMonth(db: Db, employeeId: number, month: string, lines: readonly (TimesheetLine & { status: StoredLine['status']; comment: string | null })[], userId: number, now: number): void {
  db.delete(timesheetEntries).where(and(eq(timesheetEntries.employeeId, employeeId), eq(timesheetEntries.month, month))).run();
  if (lines.length === 0) return;
  db.insert(timesheetEntries)
    .values(lines.map((l) => ({ employeeId, month, date: l.date, kind: l.kind, memberId: l.memberId, minutes: l.minutes, status: l.status, comment: l.comment, enteredByUserId: userId, updatedAt: now })))
    .run();
}

export function setMemberLines(db: Db, employeeId: number, month: string, memberId: number, status: StoredLine['status'], approvedBy: number, now: number, dates?: ReadonlyMap<string, string>): void {
  const where = and(eq(timesheetEntries.employeeId, employeeId), eq(timesheetEntries.month, month), eq(timesheetEntries.memberId, memberId));
  if (!dates) {
    db.update(timesheetEntries).set({ status, comment: null, approvedByUserId: approvedBy, updatedAt: now }).where(where).run();
    return;
  }
  for (const [date, comment] of dates) {
    db.update(timesheetEntries).set({ status, comment, approvedByUserId: approvedBy, updatedAt: now }).where(and(where, eq(timesheetEntries.date, date))).run();
  }
}

export type PayrollRow = typeof payrolls.$inferSelect;
export const findPayroll = (db: Db, employeeId: number, month: string): PayrollRow | undefined =>
  db.select().from(payrolls).where(and(eq(payrolls.employeeId, employeeId), eq(payrolls.month, month))).get();
export const listPayrolls = (db: Db, employeeId: number): PayrollRow[] => db.select().from(payrolls).where(eq(payrolls.employeeId, employeeId)).orderBy(asc(payrolls.month)).all();
export function upsertPayroll(db: Db, row: typeof payrolls.$inferInsert): void {
  db.delete(payrolls).where(and(eq(payrolls.employeeId, row.employeeId), eq(payrolls.month, row.month))).run();
  db.insert(payrolls).values(row).run();
}
