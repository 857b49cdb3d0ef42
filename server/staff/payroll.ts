import { immediate } from '../bookings/repository';
import { assertOpenPeriod } from '../closing/freeze';
import type { AppContext } from '../context';
import { costRepository } from '../costs/repository';
import { frMonth } from '../documents/format';
import { poleZone } from '../pole/service';
import { assertCoordinator, isCoordinator, type Actor } from '../shared/actor';
import { notFound, unprocessable } from '../shared/errors';
import { monthRange } from '../shared/time';
import * as repo from './repository';
import { hundredthsOf } from './rules';
import * as sheets from './timesheet-repository';

/**
 * An employee's payroll figures of a month (from the payslip: gross salary, employer charges, reimbursed expenses,
 * paid hours) become the month's costs of its staff resource, one entry per nature with the paid hours on the
 * salary: the close then bills hours made available × (costs ÷ paid hours). Entering them again replaces them.
 */
export interface PayrollInput {
  grossSalaryCents: number;
  employerChargesCents: number;
  reimbursedExpensesCents: number;
  paidHours: number;
}

export interface PayrollView extends PayrollInput {
  employeeId: number;
  month: string;
  costIds: number[];
}

const toView = (p: sheets.PayrollRow): PayrollView => ({
  employeeId: p.employeeId,
  month: p.month,
  grossSalaryCents: p.grossSalaryCents,
  employerChargesCents: p.employerChargesCents,
  reimbursedExpensesCents: p.reimbursedExpensesCents,
  paidHours: p.paidHoursHundredths / 100,
  costIds: p.costIds,
});

export function putPayroll(ctx: AppContext, actor: Actor, employeeId: number, month: string, input: PayrollInput): PayrollView {
  assertCoordinator(actor);
  const zone = poleZone(ctx);
  immediate(ctx.sqlite, () => {
    const e = repo.findEmployee(ctx.db, employeeId);
    if (!e) throw notFound('employee', employeeId);
    if (e.resourceId === null) throw unprocessable('payroll.no_resource', 'Link the employee to its staff resource first: the payroll figures become its costs');
    const { startMs, endMs } = monthRange(month, zone);
    assertOpenPeriod(ctx.sqlite, zone, startMs, endMs);
    const costs = costRepository(ctx.sqlite);
    const previous = sheets.findPayroll(ctx.db, employeeId, month);
    for (const id of previous?.costIds ?? []) if (costs.find(id)) costs.remove(id);
    const now = ctx.clock.now();
    const paid = hundredthsOf(input.paidHours);
    if (paid === null) throw unprocessable('payroll.invalid_hours', `paidHours ${input.paidHours} has more than two decimals`);
    const base = { resourceId: e.resourceId, month, vatRateBp: 0, inputVatCents: 0, recurring: false, carriedFromId: null };
    const label = (what: string) => `${what} de ${e.name}, ${frMonth(month)}`;
    const costIds = [
      costs.insert({ ...base, label: label('Salaire brut'), amountCents: input.grossSalaryCents, nature: 'salary', paidHoursHundredths: paid }, actor.userId, now),
      costs.insert({ ...base, label: label('Charges patronales'), amountCents: input.employerChargesCents, nature: 'social_charges', paidHoursHundredths: null }, actor.userId, now),
      ...(input.reimbursedExpensesCents > 0
        ? [costs.insert({ ...base, label: label('Frais professionnels remboursés'), amountCents: input.reimbursedExpensesCents, nature: 'reimbursed_expenses', paidHoursHundredths: null }, actor.userId, now)]
        : []),
    ];
    sheets.upsertPayroll(ctx.db, { employeeId, month, grossSalaryCents: input.grossSalaryCents, employerChargesCents: input.employerChargesCents, reimbursedExpensesCents: input.reimbursedExpensesCents, paidHoursHundredths: paid, costIds, createdAt: now });
  });
  return toView(sheets.findPayroll(ctx.db, employeeId, month)!);
}

/** Coordinators and the employer's admins read an employee's payroll figures. */
export function listPayroll(ctx: AppContext, actor: Actor, employeeId: number): PayrollView[] {
  const e = repo.findEmployee(ctx.db, employeeId);
  if (!e || !(isCoordinator(actor) || (actor.role === 'member_admin' && actor.memberId === e.employerMemberId))) throw notFound('employee', employeeId);
  return sheets.listPayrolls(ctx.db, employeeId).map(toView);
}
