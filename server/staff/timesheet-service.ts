import { immediate, listBookingsInRange } from '../bookings/repository';
import { assertOpenPeriod } from '../closing/freeze';
import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import { isCoordinator, type Actor } from '../shared/actor';
import { conflict, forbidden, notFound, unprocessable } from '../shared/errors';
import { monthRange } from '../shared/time';
import { dateOfZoned, formatZoned, instantOfLocal } from '../shared/zone';
import * as repo from './repository';
import type { EmployeeRow } from './repository';
import { firstUncoveredDate } from './rules';
import * as sheets from './timesheet-repository';
import { lineProblems, memberStatus, prefill, sortLines, totals, type BookedDay, type StoredLine, type TimesheetLine, type Totals } from './timesheet-rules';

/**
 * Timesheets: the employee (its `staff` account) or a coordinator enters the actual minutes of each day; each
 * user member's admin approves its month or disputes lines with a comment. Until something is entered, the
 * month shows the confirmed bookings of the employee's resource as a proposal (`prefilled`).
 */

export interface TimesheetView {
  employeeId: number;
  month: string;
  employerMemberId: number;
  prefilled: boolean;
  lines: StoredLine[];
  totals: Totals;
  /** From the month's payroll figures; null until entered. */
  paidHours: number | null;
  /** made available + own + absences = paid hours (null without payroll figures). */
  balanced: boolean | null;
  members: { memberId: number; status: 'approved' | 'disputed' | 'pending' }[];
}

/** Who reads a timesheet: the employee itself, coordinators, the employer's users, and a user member's users (their own lines). */
function readScope(actor: Actor, e: EmployeeRow): 'all' | number | null {
  if (isCoordinator(actor)) return 'all';
  if (actor.role === 'staff') return e.userId === actor.userId ? 'all' : null;
  if (actor.memberId === e.employerMemberId) return 'all';
  return actor.memberId;
}

function employeeFor(ctx: AppContext, actor: Actor, id: number): { employee: EmployeeRow; scope: 'all' | number } {
  const employee = repo.findEmployee(ctx.db, id);
  const scope = employee ? readScope(actor, employee) : null;
  if (!employee || scope === null) throw notFound('employee', id);
  if (scope !== 'all' && !repo.listAgreements(ctx.db, { employeeId: id, memberId: scope }).length) throw notFound('employee', id);
  return { employee, scope };
}

const dayMinutes = (zone: string) => (date: string) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Math.round((instantOfLocal(zone, y, m, d + 1) - instantOfLocal(zone, y, m, d)) / 60_000);
};

/** Confirmed bookings of the employee's resource in the month, cut at each local midnight. */
function bookedDays(ctx: AppContext, e: EmployeeRow, month: string, zone: string): BookedDay[] {
  if (e.resourceId === null) return [];
  const { startMs, endMs } = monthRange(month, zone);
  const out: BookedDay[] = [];
  for (const b of listBookingsInRange(ctx.sqlite, { from: startMs, to: endMs, resourceId: e.resourceId, status: 'confirmed' })) {
    let cursor = Math.max(b.startMs, startMs);
    const stop = Math.min(b.endMs, endMs);
    while (cursor < stop) {
      const date = dateOfZoned(cursor, zone);
      const [y, m, d] = date.split('-').map(Number) as [number, number, number];
      const next = Math.min(stop, instantOfLocal(zone, y, m, d + 1));
      out.push({ date, memberId: b.memberId, minutes: Math.round((next - cursor) / 60_000) * b.quantity });
      cursor = next;
    }
  }
  return out;
}

function view(ctx: AppContext, e: EmployeeRow, month: string, scope: 'all' | number): TimesheetView {
  const zone = poleZone(ctx);
  const stored = sheets.monthLines(ctx.db, e.id, month);
  const prefilled = stored.length === 0;
  const all: StoredLine[] = prefilled ? prefill(bookedDays(ctx, e, month, zone), e.employerMemberId).map((l) => ({ ...l, status: 'draft', comment: null })) : stored;
  const lines = scope === 'all' ? all : all.filter((l) => l.memberId === scope);
  const payroll = sheets.findPayroll(ctx.db, e.id, month);
  const t = totals(lines);
  const memberIds = [...new Set(all.filter((l) => l.kind === 'made_available').map((l) => l.memberId!))].filter((id) => scope === 'all' || id === scope).sort((a, b) => a - b);
  return {
    employeeId: e.id,
    month,
    employerMemberId: e.employerMemberId,
    prefilled,
    lines,
    totals: t,
    paidHours: payroll ? payroll.paidHoursHundredths / 100 : null,
    balanced: payroll && scope === 'all' ? t.totalMinutes * 100 === payroll.paidHoursHundredths * 60 : null,
    members: memberIds.map((memberId) => ({ memberId, status: prefilled ? 'pending' : memberStatus(all, memberId) })),
  };
}

export function getTimesheet(ctx: AppContext, actor: Actor, employeeId: number, month: string): TimesheetView {
  const { employee, scope } = employeeFor(ctx, actor, employeeId);
  return view(ctx, employee, month, scope);
}

const sameLines = (a: readonly TimesheetLine[], b: readonly TimesheetLine[]) =>
  JSON.stringify(sortLines(a.map(({ date, kind, memberId, minutes }) => ({ date, kind, memberId, minutes })))) ===
  JSON.stringify(sortLines(b.map(({ date, kind, memberId, minutes }) => ({ date, kind, memberId, minutes }))));

/**
 * Replaces the month's lines (the employee or a coordinator). A user member's approved lines cannot change;
 * corrected lines go back to draft. Lines made available need an agreement in force that day.
 */
export function putTimesheet(ctx: AppContext, actor: Actor, employeeId: number, month: string, input: TimesheetLine[]): TimesheetView {
  const employee = repo.findEmployee(ctx.db, employeeId);
  const own = employee && actor.role === 'staff' && employee.userId === actor.userId;
  if (!employee || (!own && !isCoordinator(actor))) {
    if (employee && actor.role === 'member_admin' && actor.memberId === employee.employerMemberId) throw forbidden('The employee or a coordinator enters the hours');
    throw notFound('employee', employeeId);
  }
  const zone = poleZone(ctx);
  const lines = input.filter((l) => l.minutes > 0).map((l) => ({ date: l.date, kind: l.kind, memberId: l.memberId ?? null, minutes: l.minutes }));
  const problems = lineProblems(lines, month, employee.employerMemberId, dayMinutes(zone));
  if (problems.length) throw unprocessable('timesheet.invalid', problems.join('; '), { problems });
  immediate(ctx.sqlite, () => {
    const { startMs, endMs } = monthRange(month, zone);
    assertOpenPeriod(ctx.sqlite, zone, startMs, endMs);
    const agreements = repo.agreementTermsOf(ctx.db, employee.id);
    for (const l of lines) {
      if (l.kind !== 'made_available') continue;
      if (firstUncoveredDate(agreements, l.memberId!, [l.date])) {
        throw conflict('staff.no_agreement', `No lending agreement in force on ${l.date} for member ${l.memberId}: no time can be made available (nor billed) outside one`, { date: l.date, memberId: l.memberId });
      }
    }
    const before = sheets.monthLines(ctx.db, employee.id, month);
    const statusOf = new Map<number, StoredLine['status']>();
    for (const memberId of new Set(before.filter((l) => l.kind === 'made_available').map((l) => l.memberId!))) {
      if (memberStatus(before, memberId) !== 'approved') continue;
      const was = before.filter((l) => l.memberId === memberId);
      if (!sameLines(was, lines.filter((l) => l.memberId === memberId))) {
        throw conflict('timesheet.approved', `Member ${memberId} has approved this month: its lines can no longer change`, { memberId });
      }
      statusOf.set(memberId, 'approved');
    }
    const kept = new Map(before.map((l) => [`${l.date}|${l.kind}|${l.memberId}|${l.minutes}`, l]));
    const stored = lines.map((l) => {
      const same = kept.get(`${l.date}|${l.kind}|${l.memberId}|${l.minutes}`);
      const status: StoredLine['status'] = l.memberId !== null && statusOf.get(l.memberId) === 'approved' ? 'approved' : same?.status === 'disputed' ? 'disputed' : 'draft';
      return { ...l, status, comment: status === 'disputed' ? (same?.comment ?? null) : null };
    });
    sheets.replaceMonth(ctx.db, employee.id, month, stored, actor.userId, ctx.clock.now());
  });
  return view(ctx, employee, month, 'all');
}

/** A user member's admin approves the member's month, or disputes some days' lines with a comment. */
export function decideTimesheet(
  ctx: AppContext,
  actor: Actor,
  employeeId: number,
  month: string,
  input: { memberId: number; decision: 'approve' | 'dispute'; disputes?: { date: string; comment: string }[] },
): TimesheetView {
  const employee = repo.findEmployee(ctx.db, employeeId);
  const mayDecide = isCoordinator(actor) || (actor.role === 'member_admin' && actor.memberId === input.memberId);
  if (!employee || !(isCoordinator(actor) || actor.memberId === input.memberId || actor.memberId === employee.employerMemberId)) throw notFound('employee', employeeId);
  if (!mayDecide) throw forbidden('Only the user member’s admin approves its month');
  const zone = poleZone(ctx);
  immediate(ctx.sqlite, () => {
    const { startMs, endMs } = monthRange(month, zone);
    assertOpenPeriod(ctx.sqlite, zone, startMs, endMs);
    const lines = sheets.monthLines(ctx.db, employee.id, month).filter((l) => l.memberId === input.memberId);
    if (lines.length === 0) throw unprocessable('timesheet.nothing_to_approve', `No hours of ${month} are recorded for member ${input.memberId}: the employee enters them first`);
    if (input.decision === 'approve') {
      sheets.setMemberLines(ctx.db, employee.id, month, input.memberId, 'approved', actor.userId, ctx.clock.now());
      return;
    }
    const disputes = input.disputes ?? [];
    if (disputes.length === 0) throw unprocessable('timesheet.dispute_without_line', 'A dispute names the days it contests, each with a comment');
    for (const d of disputes) if (!lines.some((l) => l.date === d.date)) throw unprocessable('timesheet.dispute_unknown_day', `No line of ${d.date} for member ${input.memberId}`);
    sheets.setMemberLines(ctx.db, employee.id, month, input.memberId, 'disputed', actor.userId, ctx.clock.now(), new Map(disputes.map((d) => [d.date, d.comment.trim()])));
  });
  return view(ctx, employee, month, isCoordinator(actor) || actor.memberId === employee.employerMemberId ? 'all' : input.memberId);
}

/** The employee's schedule: bookings of its resource over [from, to), for itself, coordinators and its employer. */
export function scheduleFor(ctx: AppContext, actor: Actor, employeeId: number, from: number, to: number) {
  const employee = repo.findEmployee(ctx.db, employeeId);
  const scope = employee ? readScope(actor, employee) : null;
  if (!employee || scope !== 'all') throw notFound('employee', employeeId);
  if (employee.resourceId === null) return [];
  const zone = poleZone(ctx);
  const names = new Map<number, string>();
  const nameOf = (id: number) => names.get(id) ?? names.set(id, repo.findMember(ctx.db, id)?.name ?? `#${id}`).get(id)!;
  return listBookingsInRange(ctx.sqlite, { from, to, resourceId: employee.resourceId })
    .filter((b) => b.status === 'confirmed' || b.status === 'pending')
    .map((b) => ({ id: b.id, start: formatZoned(b.startMs, zone), end: formatZoned(b.endMs, zone), memberId: b.memberId, memberName: nameOf(b.memberId), status: b.status, note: b.note }));
}
