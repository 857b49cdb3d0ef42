import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import { assertOpenPeriod } from '../closing/freeze';
import { assertMonth } from '../shared/time';
import { vatOf } from '../invoices/vat-lines';
import { assertCoordinator, type Actor } from '../shared/actor';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { assertCents, fromBp, toBp } from '../shared/money';
import { monthRange, shiftMonth } from '../shared/time';
import { costRepository, type CostRecord } from './repository';
import type { CostCreate, CostPatch, CostView } from './schemas';
import type { CostNature } from '../../db/schema/enums';

/**
 * Real costs of a month, entered by coordinators for a resource and borne by its bearer. A closed month's
 * costs never change: every write checks the month inside its IMMEDIATE transaction (and a trigger backs it).
 */

export function toCostView(c: CostRecord): CostView {
  return {
    id: c.id,
    resourceId: c.resourceId,
    month: c.month,
    amountCents: c.amountCents,
    vatRate: fromBp(c.vatRateBp),
    inputVatCents: c.inputVatCents,
    paidHours: c.paidHoursHundredths === null ? null : c.paidHoursHundredths / 100,
    label: c.label,
    nature: c.nature,
    recurring: c.recurring,
    carriedFromId: c.carriedFromId,
  };
}

/** A VAT rate in percent with at most two decimals (20, 10, 5.5, 2.1, 0) → basis points. */
export function vatRateBp(vatRate: number): number {
  const bp = toBp(vatRate);
  if (!(vatRate >= 0 && vatRate <= 100) || Math.abs(vatRate * 100 - bp) > 1e-6) {
    throw unprocessable('cost.invalid_vat_rate', `VAT rate ${vatRate} must be a percent between 0 and 100 with at most 2 decimals`);
  }
  return bp;
}

/** Paid hours with at most two decimals → hundredths of an hour. */
export function paidHoursHundredths(paidHours: number | null | undefined): number | null | undefined {
  if (paidHours === undefined || paidHours === null) return paidHours;
  const hundredths = Math.round(paidHours * 100);
  if (!(paidHours > 0) || Math.abs(paidHours * 100 - hundredths) > 1e-6) {
    throw unprocessable('cost.invalid_paid_hours', `Paid hours ${paidHours} must be positive with at most 2 decimals`);
  }
  return hundredths;
}

const STAFF_NATURES: ReadonlySet<CostNature> = new Set(['salary', 'social_charges', 'reimbursed_expenses']);

/**
 * Staff lent at cost (C. trav. L8241-1) rebills only salary, social charges and reimbursed expenses, plus
 * management fees when the lending agreement states them; paid hours belong to staff resources only.
 */
export function assertCostFits(ctx: AppContext, resourceId: number, nature: CostNature, paidHours: number | null): void {
  const terms = costRepository(ctx.sqlite).resourceTerms(resourceId);
  if (!terms) throw notFound('resource', resourceId);
  if (terms.kind === 'staff') {
    if (nature === 'management_fees' && !terms.managementFeesAgreed) {
      throw unprocessable('cost.management_fees_not_agreed', 'Management fees are rebilled only when the lending agreement states them (managementFeesAgreed)');
    }
    if (nature !== 'management_fees' && !STAFF_NATURES.has(nature)) {
      throw unprocessable('cost.nature_not_allowed', `Staff lent at cost rebills only salary, social charges and reimbursed expenses (and agreed management fees), not ${nature}`);
    }
  } else {
    if (nature === 'management_fees') throw unprocessable('cost.nature_not_allowed', 'Management fees apply to staff lent at cost only');
    if (paidHours !== null) throw unprocessable('cost.paid_hours_not_staff', 'Paid hours are entered for staff resources only');
  }
}

/**
 * The costs of an employee's staff resource are its payroll figures (PUT /api/employees/:id/payroll/:month),
 * entered as one entry per nature with the paid hours: entered, changed or removed by hand they would no longer
 * say what the payslip says, so /api/costs refuses them (409 `cost.from_payroll`).
 */
function assertNotPayroll(ctx: AppContext, resourceId: number): void {
  const employee = costRepository(ctx.sqlite).employeeOfResource(resourceId);
  if (employee) {
    throw conflict('cost.from_payroll', `The costs of this staff resource are the payroll figures of ${employee.name}: enter them with PUT /api/employees/${employee.id}/payroll/:month`, {
      resourceId,
      employeeId: employee.id,
    });
  }
}

function assertMonthOpen(ctx: AppContext, month: string): void {
  assertMonth(month);
  const { startMs, endMs } = monthRange(month, poleZone(ctx));
  assertOpenPeriod(ctx.sqlite, poleZone(ctx), startMs, endMs);
}

function assertResource(ctx: AppContext, resourceId: number): void {
  if (costRepository(ctx.sqlite).resourceBearer(resourceId) === undefined) throw notFound('resource', resourceId);
}

/** Coordinators see every cost; a member's users the costs of the resources their structure bears. */
export function listCosts(ctx: AppContext, actor: Actor, filter: { month?: string; resourceId?: number }): CostView[] {
  if (filter.month !== undefined) assertMonth(filter.month);
  const repo = costRepository(ctx.sqlite);
  const rows = repo.list(filter);
  if (actor.role === 'coordinator') return rows.map(toCostView);
  const borne = new Set(actor.memberId === null ? [] : repo.resourcesBornBy(actor.memberId));
  return rows.filter((c) => borne.has(c.resourceId)).map(toCostView);
}

export function getCost(ctx: AppContext, actor: Actor, id: number): CostView {
  const repo = costRepository(ctx.sqlite);
  const cost = repo.find(id);
  if (!cost) throw notFound('cost', id);
  if (actor.role !== 'coordinator' && repo.resourceBearer(cost.resourceId) !== actor.memberId) throw notFound('cost', id);
  return toCostView(cost);
}

export function createCost(ctx: AppContext, actor: Actor, input: CostCreate): CostView {
  assertCoordinator(actor);
  assertCents(input.amountCents);
  const bp = vatRateBp(input.vatRate ?? 0);
  const paid = paidHoursHundredths(input.paidHours) ?? null;
  const repo = costRepository(ctx.sqlite);
  const id = ctx.sqlite
    .transaction(() => {
      assertResource(ctx, input.resourceId);
      assertNotPayroll(ctx, input.resourceId);
      assertCostFits(ctx, input.resourceId, input.nature, paid);
      assertMonthOpen(ctx, input.month);
      return repo.insert(
        {
          resourceId: input.resourceId,
          month: input.month,
          label: input.label.trim(),
          amountCents: input.amountCents,
          vatRateBp: bp,
          inputVatCents: input.inputVatCents ?? vatOf(input.amountCents, bp),
          paidHoursHundredths: paid,
          nature: input.nature,
          recurring: input.recurring ?? false,
          carriedFromId: null,
        },
        actor.userId,
        ctx.clock.now(),
      );
    })
    .immediate();
  return toCostView(repo.find(id)!);
}

export function patchCost(ctx: AppContext, actor: Actor, id: number, patch: CostPatch): CostView {
  assertCoordinator(actor);
  const repo = costRepository(ctx.sqlite);
  const bp = patch.vatRate === undefined ? undefined : vatRateBp(patch.vatRate);
  ctx.sqlite
    .transaction(() => {
      const current = repo.find(id);
      if (!current) throw notFound('cost', id);
      assertMonthOpen(ctx, current.month);
      if (patch.month !== undefined && patch.month !== current.month) assertMonthOpen(ctx, patch.month);
      if (patch.resourceId !== undefined) assertResource(ctx, patch.resourceId);
      assertNotPayroll(ctx, current.resourceId);
      if (patch.resourceId !== undefined) assertNotPayroll(ctx, patch.resourceId);
      const paid = patch.paidHours === undefined ? current.paidHoursHundredths : paidHoursHundredths(patch.paidHours)!;
      assertCostFits(ctx, patch.resourceId ?? current.resourceId, patch.nature ?? current.nature, paid);
      const amountCents = patch.amountCents === undefined ? current.amountCents : assertCents(patch.amountCents);
      const rateBp = bp ?? current.vatRateBp;
      // A new amount or rate without a new input VAT re-derives it from them.
      const inputVatCents = patch.inputVatCents ?? (patch.amountCents !== undefined || bp !== undefined ? vatOf(amountCents, rateBp) : current.inputVatCents);
      repo.update(
        {
          ...current,
          inputVatCents,
          paidHoursHundredths: paid,
          ...(patch.resourceId !== undefined ? { resourceId: patch.resourceId } : {}),
          ...(patch.month !== undefined ? { month: patch.month } : {}),
          ...(patch.amountCents !== undefined ? { amountCents: assertCents(patch.amountCents) } : {}),
          ...(bp !== undefined ? { vatRateBp: bp } : {}),
          ...(patch.label !== undefined ? { label: patch.label.trim() } : {}),
          ...(patch.nature !== undefined ? { nature: patch.nature } : {}),
          ...(patch.recurring !== undefined ? { recurring: patch.recurring } : {}),
        },
        ctx.clock.now(),
      );
    })
    .immediate();
  return toCostView(repo.find(id)!);
}

export function deleteCost(ctx: AppContext, actor: Actor, id: number): void {
  assertCoordinator(actor);
  const repo = costRepository(ctx.sqlite);
  ctx.sqlite
    .transaction(() => {
      const current = repo.find(id);
      if (!current) throw notFound('cost', id);
      assertMonthOpen(ctx, current.month);
      assertNotPayroll(ctx, current.resourceId);
      repo.remove(id);
    })
    .immediate();
}

export const nextMonth = (month: string): string => shiftMonth(month, 1);

/**
 * Copies the recurring costs of `fromMonth` into `toMonth` (by default the next month), once: an entry
 * already carried into that month is not copied again. Answers the entries created.
 */
export function carryForward(ctx: AppContext, actor: Actor, input: { fromMonth: string; toMonth?: string }): CostView[] {
  assertCoordinator(actor);
  assertMonth(input.fromMonth);
  const toMonth = input.toMonth ?? nextMonth(input.fromMonth);
  assertMonth(toMonth);
  if (toMonth <= input.fromMonth) throw unprocessable('cost.carry_backwards', `Costs are carried forward: ${toMonth} is not after ${input.fromMonth}`);
  const ids = ctx.sqlite.transaction(() => carryRecurring(ctx, input.fromMonth, toMonth, actor.userId)).immediate();
  const repo = costRepository(ctx.sqlite);
  return ids.map((id) => toCostView(repo.find(id)!));
}

/**
 * Inside a transaction: copies `fromMonth`'s recurring costs not yet carried into `toMonth` (open), by `userId`
 * (null: the server). `skipEnteredByHand` also leaves a cost whose resource already has an entry of the same
 * nature and label that month (entered without « Reporter »): the server's own run must not double it.
 */
export function carryRecurring(ctx: AppContext, fromMonth: string, toMonth: string, userId: number | null, skipEnteredByHand = false): number[] {
  const repo = costRepository(ctx.sqlite);
  assertMonthOpen(ctx, toMonth);
  const now = ctx.clock.now();
  const key = (c: CostRecord) => `${c.resourceId}\u0000${c.nature}\u0000${c.label}`;
  const present = skipEnteredByHand ? new Set(repo.list({ month: toMonth }).map(key)) : new Set<string>();
  return repo
    .list({ month: fromMonth })
    // An employee's resource takes its costs from each month's payroll figures, never from a carry.
    .filter((c) => c.recurring && !repo.isCarried(c.id, toMonth) && !present.has(key(c)) && !repo.employeeOfResource(c.resourceId))
    .map((c) => repo.insert({ ...c, month: toMonth, carriedFromId: c.id }, userId, now));
}
