import type { Db } from '../../db/index';
import type { StaffTerms } from '../closing/staff';
import type { CloseWarning } from '../closing/warnings';
import { hours } from '../documents/format';
import * as repo from './repository';
import { inForceOn, type AgreementTerms } from './rules';
import * as sheets from './timesheet-repository';

/**
 * What the close bills of a staff resource linked to an employee: the minutes its user members approved in the
 * employee's timesheet, only on days an agreement of theirs was in force (no billing outside one), grouped by the
 * agreement that covers them, whose terms say which natures are billed and which management fees were agreed.
 * Lines not approved (draft or disputed) are not billed, nor lines outside an agreement: the preview warns,
 * listing them. A month with bookings but no timesheet entered is not approved either. null: the resource has
 * no employee (billed from its confirmed bookings, as before timesheets; the preview warns).
 */
export interface SheetUsage {
  employeeName: string;
  /** memberId → approved minutes billed under an agreement. */
  usage: Map<number, number>;
  /** The same minutes by covering agreement, with its billing terms. */
  terms: StaffTerms[];
  unapproved: { memberId: number; minutes: number; disputed: boolean }[];
  /** Minutes recorded as made available on days no agreement of the member covers (never billed). */
  outside: { memberId: number; minutes: number; dates: string[] }[];
}

type Agreement = AgreementTerms & repo.AgreementBilling;

/** The agreement covering a member's day: the latest started of those in force (then the latest recorded). */
function covering(agreements: readonly Agreement[], memberId: number, date: string): Agreement | undefined {
  return agreements
    .filter((a) => a.userMemberId === memberId && inForceOn(a, date))
    .sort((a, b) => b.startDate.localeCompare(a.startDate) || b.id - a.id)[0];
}

export function timesheetUsage(db: Db, resourceId: number, month: string, bookedMinutes?: ReadonlyMap<number, number>): SheetUsage | null {
  const employee = repo.employeeOfResource(db, resourceId);
  if (!employee) return null;
  const agreements: Agreement[] = repo.agreementTermsOf(db, employee.id);
  const usage = new Map<number, number>();
  const byAgreement = new Map<number, StaffTerms>();
  const pending = new Map<number, { minutes: number; disputed: boolean }>();
  const outside = new Map<number, { minutes: number; dates: string[] }>();
  const lines = sheets.monthLines(db, employee.id, month);
  for (const l of lines) {
    if (l.kind !== 'made_available' || l.memberId === null) continue;
    const agreement = covering(agreements, l.memberId, l.date);
    if (!agreement) {
      const o = outside.get(l.memberId) ?? { minutes: 0, dates: [] };
      o.minutes += l.minutes;
      o.dates.push(l.date);
      outside.set(l.memberId, o);
      continue;
    }
    if (l.status === 'approved') {
      usage.set(l.memberId, (usage.get(l.memberId) ?? 0) + l.minutes);
      const t = byAgreement.get(agreement.id) ?? {
        memberId: l.memberId,
        agreementId: agreement.id,
        minutes: 0,
        bills: { salary: agreement.billsSalary, social_charges: agreement.billsSocialCharges, reimbursed_expenses: agreement.billsReimbursedExpenses },
        feesCents: agreement.managementFeesCents,
        feesRateBp: agreement.managementFeesRateBp,
      };
      t.minutes += l.minutes;
      byAgreement.set(agreement.id, t);
    } else {
      const p = pending.get(l.memberId) ?? { minutes: 0, disputed: false };
      p.minutes += l.minutes;
      p.disputed ||= l.status === 'disputed';
      pending.set(l.memberId, p);
    }
  }
  // Nothing entered yet: the user members booked this month have nothing approved either.
  if (lines.length === 0) {
    for (const [memberId, minutes] of bookedMinutes ?? []) {
      if (memberId !== employee.employerMemberId && minutes > 0) pending.set(memberId, { minutes, disputed: false });
    }
  }
  const byMember = <T>(m: Map<number, T>) => [...m].sort(([a], [b]) => a - b).map(([memberId, v]) => ({ memberId, ...v }));
  return {
    employeeName: employee.name,
    usage,
    terms: [...byAgreement.values()].sort((a, b) => a.memberId - b.memberId || a.agreementId - b.agreementId),
    unapproved: byMember(pending),
    outside: byMember(outside),
  };
}

/**
 * Warnings on shared staff:
 * - `staff.timesheet_unapproved` {resource, employee, memberId, member, minutes, month, disputed, entered}: a user
 *   member's hours of the month are not approved (or no timesheet was entered for its bookings), so not billed;
 * - `staff.outside_agreement` {resource, employee, memberId, member, minutes, month, dates}: hours recorded as made
 *   available on days no agreement of the member covers (its dates were changed since): never billed;
 * - `staff.resource_unlinked` {resource}: a staff resource with cost or usage but no employee: billed from its
 *   bookings, without agreement, timesheet nor payroll figures.
 */
export function staffWarnings(
  db: Db,
  month: string,
  staffResources: readonly { id: number; name: string }[],
  memberName: (id: number) => string,
  bookedMinutes: (resourceId: number) => ReadonlyMap<number, number> | undefined,
  billedSomething: (resourceId: number) => boolean,
): CloseWarning[] {
  const out: CloseWarning[] = [];
  for (const r of staffResources) {
    const sheet = timesheetUsage(db, r.id, month, bookedMinutes(r.id));
    if (!sheet) {
      if (billedSomething(r.id)) {
        out.push({
          code: 'staff.resource_unlinked',
          message: `${r.name} is a staff resource linked to no employee: it is billed from its bookings, without lending agreement, approved timesheet nor payroll figures`,
          resourceId: r.id,
          params: { resource: r.name },
        });
      }
      continue;
    }
    const entered = sheets.monthLines(db, repo.employeeOfResource(db, r.id)!.id, month).length > 0;
    for (const u of sheet.unapproved) {
      const member = memberName(u.memberId);
      out.push({
        code: 'staff.timesheet_unapproved',
        message: entered
          ? `${r.name}: ${hours(u.minutes)} made available to ${member} in ${month} are ${u.disputed ? 'disputed' : 'not approved'}: they are not billed`
          : `${r.name}: ${hours(u.minutes)} booked by ${member} in ${month} have no timesheet entered, so none approved: nothing is billed`,
        resourceId: r.id,
        params: { resource: r.name, employee: sheet.employeeName, memberId: u.memberId, member, minutes: u.minutes, month, disputed: u.disputed ? 1 : 0, entered: entered ? 1 : 0 },
      });
    }
    for (const o of sheet.outside) {
      const member = memberName(o.memberId);
      out.push({
        code: 'staff.outside_agreement',
        message: `${r.name}: ${hours(o.minutes)} recorded for ${member} on ${o.dates.join(', ')} fall outside any lending agreement in force: they are not billed`,
        resourceId: r.id,
        params: { resource: r.name, employee: sheet.employeeName, memberId: o.memberId, member, minutes: o.minutes, month, dates: o.dates.join(', ') },
      });
    }
  }
  return out;
}
