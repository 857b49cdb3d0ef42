import type { Db } from '../../db/index';
import type { CloseWarning } from '../closing/warnings';
import { hours } from '../documents/format';
import * as repo from './repository';
import { inForceOn } from './rules';
import * as sheets from './timesheet-repository';

/**
 * What the close bills of a staff resource linked to an employee: the minutes its user members approved in the
 * employee's timesheet, only on days an agreement of theirs was in force (no billing outside one). Lines not
 * approved (draft or disputed) are not billed: the preview warns, listing them. null: the resource has no
 * employee (billed from its confirmed bookings, as before timesheets).
 */
export interface SheetUsage {
  employeeName: string;
  usage: Map<number, number>;
  unapproved: { memberId: number; minutes: number; disputed: boolean }[];
}

export function timesheetUsage(db: Db, resourceId: number, month: string): SheetUsage | null {
  const employee = repo.employeeOfResource(db, resourceId);
  if (!employee) return null;
  const agreements = repo.agreementTermsOf(db, employee.id);
  const usage = new Map<number, number>();
  const pending = new Map<number, { minutes: number; disputed: boolean }>();
  for (const l of sheets.monthLines(db, employee.id, month)) {
    if (l.kind !== 'made_available' || l.memberId === null) continue;
    if (!agreements.some((a) => a.userMemberId === l.memberId && inForceOn(a, l.date))) continue;
    if (l.status === 'approved') usage.set(l.memberId, (usage.get(l.memberId) ?? 0) + l.minutes);
    else {
      const p = pending.get(l.memberId) ?? { minutes: 0, disputed: false };
      p.minutes += l.minutes;
      p.disputed ||= l.status === 'disputed';
      pending.set(l.memberId, p);
    }
  }
  const unapproved = [...pending].sort(([a], [b]) => a - b).map(([memberId, p]) => ({ memberId, ...p }));
  return { employeeName: employee.name, usage, unapproved };
}

/** `staff.timesheet_unapproved`: a user member's hours of the month that are not approved, so not billed. */
export function timesheetWarnings(db: Db, month: string, staffResources: readonly { id: number; name: string }[], memberName: (id: number) => string): CloseWarning[] {
  const out: CloseWarning[] = [];
  for (const r of staffResources) {
    const sheet = timesheetUsage(db, r.id, month);
    for (const u of sheet?.unapproved ?? []) {
      const member = memberName(u.memberId);
      out.push({
        code: 'staff.timesheet_unapproved',
        message: `${r.name}: ${hours(u.minutes)} made available to ${member} in ${month} are ${u.disputed ? 'disputed' : 'not approved'}: they are not billed`,
        resourceId: r.id,
        params: { resource: r.name, employee: sheet!.employeeName, memberId: u.memberId, member, minutes: u.minutes, month, disputed: u.disputed ? 1 : 0 },
      });
    }
  }
  return out;
}
