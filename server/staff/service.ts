import { createHash } from 'node:crypto';
import { immediate } from '../bookings/repository';
import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import { assertCoordinator, isCoordinator, type Actor } from '../shared/actor';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { formatInstant, localDate } from '../shared/time';
import * as repo from './repository';
import type { AgreementRow, EmployeeRow } from './repository';
import { agreementProblems, hundredthsOf, inForceOn } from './rules';
import type { AgreementCreate, AgreementPatch, AgreementView, EmployeeCreate, EmployeePatch, EmployeeView } from './schemas';

/** Employees lent at cost and their lending agreements: coordinators manage them; parties read theirs. */

export const toEmployeeView = (e: EmployeeRow): EmployeeView => ({
  id: e.id,
  name: e.name,
  qualification: e.qualification,
  employerMemberId: e.employerMemberId,
  weeklyHours: e.weeklyHoursHundredths / 100,
  resourceId: e.resourceId,
  userId: e.userId,
  active: e.active,
});

/** Coordinators see every employee; a member's users those it employs or has an agreement for. */
function seesEmployee(ctx: AppContext, actor: Actor, e: EmployeeRow): boolean {
  if (isCoordinator(actor)) return true;
  if (actor.role === 'staff') return e.userId === actor.userId;
  return e.employerMemberId === actor.memberId || repo.listAgreements(ctx.db, { employeeId: e.id, memberId: actor.memberId! }).length > 0;
}

export function listEmployeesFor(ctx: AppContext, actor: Actor): EmployeeView[] {
  return repo.listEmployees(ctx.db).filter((e) => seesEmployee(ctx, actor, e)).map(toEmployeeView);
}

export function visibleEmployee(ctx: AppContext, actor: Actor, id: number): EmployeeRow {
  const e = repo.findEmployee(ctx.db, id);
  if (!e || !seesEmployee(ctx, actor, e)) throw notFound('employee', id);
  return e;
}

function checkLinks(ctx: AppContext, employerMemberId: number, resourceId: number | null | undefined, userId: number | null | undefined, selfId?: number) {
  if (!repo.findMember(ctx.db, employerMemberId)) throw notFound('member', employerMemberId);
  if (resourceId) {
    const r = repo.findResource(ctx.db, resourceId);
    if (!r) throw notFound('resource', resourceId);
    if (r.kind !== 'staff') throw unprocessable('employee.resource_not_staff', `Resource ${resourceId} is not a staff resource`);
    if (r.bearerMemberId !== employerMemberId) throw unprocessable('employee.resource_bearer', 'The staff resource must be borne by the employer: it bears the salary');
    const other = repo.employeeOfResource(ctx.db, resourceId);
    if (other && other.id !== selfId) throw conflict('employee.resource_taken', `Resource ${resourceId} is already the time of employee ${other.id}`);
  }
  if (userId) {
    const u = repo.findUser(ctx.db, userId);
    if (!u) throw notFound('user', userId);
    if (u.role !== 'staff' || u.memberId !== employerMemberId) throw unprocessable('employee.user_not_staff', 'The account must have the role staff in the employer’s structure');
    const other = repo.employeeOfUser(ctx.db, userId);
    if (other && other.id !== selfId) throw conflict('employee.user_taken', `User ${userId} is already employee ${other.id}`);
  }
}

function hundredths(value: number, field = 'weeklyHours'): number {
  const h = hundredthsOf(value);
  if (h === null) throw unprocessable('staff.invalid_decimal', `${field} ${value} has more than two decimals`);
  return h;
}

export function createEmployee(ctx: AppContext, actor: Actor, input: EmployeeCreate): EmployeeView {
  assertCoordinator(actor);
  return immediate(ctx.sqlite, () => {
    checkLinks(ctx, input.employerMemberId, input.resourceId, input.userId);
    const id = repo.insertEmployee(ctx.db, {
      name: input.name.trim(),
      qualification: input.qualification.trim(),
      employerMemberId: input.employerMemberId,
      weeklyHoursHundredths: hundredths(input.weeklyHours),
      resourceId: input.resourceId ?? null,
      userId: input.userId ?? null,
      createdAt: ctx.clock.now(),
    });
    return toEmployeeView(repo.findEmployee(ctx.db, id)!);
  });
}

export function patchEmployee(ctx: AppContext, actor: Actor, id: number, patch: EmployeePatch): EmployeeView {
  assertCoordinator(actor);
  return immediate(ctx.sqlite, () => {
    const e = repo.findEmployee(ctx.db, id);
    if (!e) throw notFound('employee', id);
    const employer = patch.employerMemberId ?? e.employerMemberId;
    if (employer !== e.employerMemberId && repo.listAgreements(ctx.db, { employeeId: id }).length) {
      throw conflict('employee.has_agreements', 'The employer of an employee with lending agreements cannot change: end them and record a new employee');
    }
    checkLinks(ctx, employer, patch.resourceId === undefined ? e.resourceId : patch.resourceId, patch.userId === undefined ? e.userId : patch.userId, id);
    repo.updateEmployee(ctx.db, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.qualification !== undefined ? { qualification: patch.qualification.trim() } : {}),
      ...(patch.employerMemberId !== undefined ? { employerMemberId: patch.employerMemberId } : {}),
      ...(patch.weeklyHours !== undefined ? { weeklyHoursHundredths: hundredths(patch.weeklyHours) } : {}),
      ...(patch.resourceId !== undefined ? { resourceId: patch.resourceId } : {}),
      ...(patch.userId !== undefined ? { userId: patch.userId } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
    });
    return toEmployeeView(repo.findEmployee(ctx.db, id)!);
  });
}

export function toAgreementView(a: AgreementRow, today: string, zone: string): AgreementView {
  return {
    id: a.id,
    employeeId: a.employeeId,
    lenderMemberId: a.lenderMemberId,
    userMemberId: a.userMemberId,
    startDate: a.startDate,
    endDate: a.endDate,
    plannedMinutesPerMonth: a.plannedMinutesPerMonth,
    workingTimeShare: a.workingTimeShareBp === null ? null : a.workingTimeShareBp / 100,
    billed: { salary: a.billsSalary, socialCharges: a.billsSocialCharges, reimbursedExpenses: a.billsReimbursedExpenses },
    managementFeesCents: a.managementFeesCents,
    managementFeesRate: a.managementFeesRateBp === null ? null : a.managementFeesRateBp / 100,
    consentDate: a.consentDate,
    amendmentDate: a.amendmentDate,
    signedPdf: a.signedPdf && a.signedPdfSha256 && a.signedAt !== null ? { sha256: a.signedPdfSha256, bytes: a.signedPdf.length, uploadedAt: formatInstant(a.signedAt, zone) } : null,
    inForceToday: inForceOn(a, today),
  };
}

const partyOf = (actor: Actor, a: AgreementRow) => isCoordinator(actor) || (actor.role !== 'staff' && (actor.memberId === a.lenderMemberId || actor.memberId === a.userMemberId));

function today(ctx: AppContext): { today: string; zone: string } {
  const zone = poleZone(ctx);
  return { today: localDate(ctx.clock.now(), zone), zone };
}

export function listAgreementsFor(ctx: AppContext, actor: Actor, q: { employeeId?: number; memberId?: number }): AgreementView[] {
  const { today: d, zone } = today(ctx);
  return repo
    .listAgreements(ctx.db, { employeeId: q.employeeId })
    .filter((a) => partyOf(actor, a) && (q.memberId === undefined || a.userMemberId === q.memberId || a.lenderMemberId === q.memberId))
    .map((a) => toAgreementView(a, d, zone));
}

export function visibleAgreement(ctx: AppContext, actor: Actor, id: number): AgreementRow {
  const a = repo.findAgreement(ctx.db, id);
  if (!a || !partyOf(actor, a)) throw notFound('lending_agreement', id);
  return a;
}

export function getAgreementFor(ctx: AppContext, actor: Actor, id: number): AgreementView {
  const { today: d, zone } = today(ctx);
  return toAgreementView(visibleAgreement(ctx, actor, id), d, zone);
}

function checkAgreement(draft: Parameters<typeof agreementProblems>[0]) {
  const problems = agreementProblems(draft);
  if (problems.length) throw unprocessable('lending_agreement.invalid', problems.join('; '), { problems });
}

const bp = (percent: number | null | undefined, field: string) => (percent === null || percent === undefined ? null : hundredths(percent, field));

export function createAgreement(ctx: AppContext, actor: Actor, input: AgreementCreate): AgreementView {
  assertCoordinator(actor);
  const id = immediate(ctx.sqlite, () => {
    const e = repo.findEmployee(ctx.db, input.employeeId);
    if (!e) throw notFound('employee', input.employeeId);
    if (!repo.findMember(ctx.db, input.userMemberId)) throw notFound('member', input.userMemberId);
    const row = {
      employeeId: e.id,
      lenderMemberId: e.employerMemberId,
      userMemberId: input.userMemberId,
      startDate: input.startDate,
      endDate: input.endDate,
      plannedMinutesPerMonth: input.plannedMinutesPerMonth ?? null,
      workingTimeShareBp: bp(input.workingTimeShare, 'workingTimeShare'),
      billsSalary: input.billed?.salary ?? true,
      billsSocialCharges: input.billed?.socialCharges ?? true,
      billsReimbursedExpenses: input.billed?.reimbursedExpenses ?? true,
      managementFeesCents: input.managementFeesCents ?? null,
      managementFeesRateBp: bp(input.managementFeesRate, 'managementFeesRate'),
      consentDate: input.consentDate ?? null,
      amendmentDate: input.amendmentDate ?? null,
      createdAt: ctx.clock.now(),
    };
    checkAgreement(row);
    return repo.insertAgreement(ctx.db, row);
  });
  return getAgreementFor(ctx, actor, id);
}

export function patchAgreement(ctx: AppContext, actor: Actor, id: number, patch: AgreementPatch): AgreementView {
  assertCoordinator(actor);
  immediate(ctx.sqlite, () => {
    const a = repo.findAgreement(ctx.db, id);
    if (!a) throw notFound('lending_agreement', id);
    const next = {
      ...a,
      ...(patch.startDate !== undefined ? { startDate: patch.startDate } : {}),
      ...(patch.endDate !== undefined ? { endDate: patch.endDate } : {}),
      ...(patch.plannedMinutesPerMonth !== undefined ? { plannedMinutesPerMonth: patch.plannedMinutesPerMonth } : {}),
      ...(patch.workingTimeShare !== undefined ? { workingTimeShareBp: bp(patch.workingTimeShare, 'workingTimeShare') } : {}),
      ...(patch.billed !== undefined
        ? { billsSalary: patch.billed.salary, billsSocialCharges: patch.billed.socialCharges, billsReimbursedExpenses: patch.billed.reimbursedExpenses }
        : {}),
      ...(patch.managementFeesCents !== undefined ? { managementFeesCents: patch.managementFeesCents } : {}),
      ...(patch.managementFeesRate !== undefined ? { managementFeesRateBp: bp(patch.managementFeesRate, 'managementFeesRate') } : {}),
      ...(patch.consentDate !== undefined ? { consentDate: patch.consentDate } : {}),
      ...(patch.amendmentDate !== undefined ? { amendmentDate: patch.amendmentDate } : {}),
    };
    checkAgreement(next);
    const { id: _id, signedPdf: _p, signedPdfSha256: _h, signedAt: _s, createdAt: _c, employeeId: _e, lenderMemberId: _l, userMemberId: _u, ...changes } = next;
    repo.updateAgreement(ctx.db, id, changes);
  });
  return getAgreementFor(ctx, actor, id);
}

/** Stores the signed convention (a PDF), replacing an earlier upload; its SHA-256 is kept to prove what was filed. */
export function uploadSignedPdf(ctx: AppContext, actor: Actor, id: number, base64: string): AgreementView {
  assertCoordinator(actor);
  const bytes = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw unprocessable('lending_agreement.not_pdf', 'The signed convention must be a PDF file');
  immediate(ctx.sqlite, () => {
    if (!repo.findAgreement(ctx.db, id)) throw notFound('lending_agreement', id);
    repo.updateAgreement(ctx.db, id, { signedPdf: bytes, signedPdfSha256: createHash('sha256').update(bytes).digest('hex'), signedAt: ctx.clock.now() });
  });
  return getAgreementFor(ctx, actor, id);
}

export function signedPdfFor(ctx: AppContext, actor: Actor, id: number): Buffer {
  const a = visibleAgreement(ctx, actor, id);
  if (!a.signedPdf) throw notFound('signed_pdf', id);
  return a.signedPdf;
}
