import { activeLoadsEndingAfter, immediate } from '../bookings/repository';
import { parseApiInstant } from '../bookings/input';
import { peakLoad } from '../bookings/rules';
import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import { assertCoordinator, isCoordinator, type Actor } from '../shared/actor';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { formatInstant, monthOf } from '../shared/time';
import { normaliseOpeningHours, openingHoursProblems, type OpeningHours } from './opening-hours';
import * as repo from './repository';
import type { AllocationRule, ResourceRow, StoredBlackout } from './repository';
import { allowanceProblems, type Allowance } from './allowance';
import { allocationProblems, durationProblems } from './rules';
import type { AllocationInput, AllowanceInput, ResourceCreate, ResourcePatch } from './schemas';

export interface ResourceView extends Omit<ResourceRow, 'longestBookingMs' | 'createdAt' | 'vatRateBp'> {
  /** Output VAT rate, percent. */
  vatRate: number;
  allocation: Omit<AllocationRule, 'fromMonth'>;
  allocationFrom: string | null;
}

function toView(ctx: AppContext, row: ResourceRow, month: string): ResourceView {
  const { fromMonth, ...allocation } = repo.allocationRuleFor(ctx.db, row.id, month);
  const { longestBookingMs: _l, createdAt: _c, vatRateBp, ...rest } = row;
  return { ...rest, vatRate: vatRateBp / 100, allocation, allocationFrom: fromMonth };
}

const currentMonth = (ctx: AppContext) => monthOf(ctx.clock.now(), poleZone(ctx));

/** Everyone signed in sees active resources; coordinators see inactive ones too. */
export function listResourcesFor(ctx: AppContext, actor: Actor): ResourceView[] {
  const month = currentMonth(ctx);
  return repo.listResources(ctx.db, { includeInactive: isCoordinator(actor) }).map((r) => toView(ctx, r, month));
}

function visibleResource(ctx: AppContext, actor: Actor, id: number): ResourceRow {
  const row = repo.findResource(ctx.db, id);
  if (!row || (!row.active && !isCoordinator(actor))) throw notFound('resource', id);
  return row;
}

export function getResourceFor(ctx: AppContext, actor: Actor, id: number): ResourceView {
  return toView(ctx, visibleResource(ctx, actor, id), currentMonth(ctx));
}

function checkOpeningHours(hours: OpeningHours | null): OpeningHours | null {
  if (hours === null) return null;
  const problems = openingHoursProblems(hours);
  if (problems.length) throw unprocessable('resource.invalid_opening_hours', problems.join('; '), { problems });
  return normaliseOpeningHours(hours);
}

/** Blackouts stored as instants in the pole's zone, sorted by start. */
function normaliseBlackouts(blackouts: { start: string; end: string; reason?: string }[], zone: string): StoredBlackout[] {
  return blackouts
    .map((b, i) => {
      const start = parseApiInstant(b.start, `blackouts[${i}].start`);
      const end = parseApiInstant(b.end, `blackouts[${i}].end`);
      if (end <= start) throw unprocessable('resource.invalid_blackout', `blackouts[${i}] ends before it starts`);
      return { start, end, reason: b.reason?.trim() };
    })
    .sort((a, b) => a.start - b.start || a.end - b.end)
    .map((b) => ({ start: formatInstant(b.start, zone), end: formatInstant(b.end, zone), ...(b.reason ? { reason: b.reason } : {}) }));
}

function checkDurations(granularity: number, min: number | null, max: number | null) {
  const problems = durationProblems(granularity, min, max);
  if (problems.length) throw unprocessable('resource.invalid_durations', problems.join('; '), { problems });
}

function checkAllocation(ctx: AppContext, allocation: AllocationInput): Omit<AllocationRule, 'fromMonth'> {
  const problems = allocationProblems(allocation, (id) => repo.memberExists(ctx.db, id));
  if (problems.length) throw unprocessable('resource.invalid_allocation', problems.join('; '), { problems });
  return {
    rule: allocation.rule,
    weights: allocation.weights ?? null,
    fixedPercent: allocation.fixedPercent ?? null,
    rateCents: allocation.rateCents ?? null,
  };
}

function checkAllowance(ctx: AppContext, input: AllowanceInput | null): Allowance | null {
  if (input === null) return null;
  const allowance: Allowance = { minutesPerMonth: input.minutesPerMonth, limit: input.limit, members: [...(input.members ?? [])].sort((a, b) => a.memberId - b.memberId) };
  const problems = allowanceProblems(allowance, (id) => repo.memberExists(ctx.db, id));
  if (problems.length) throw unprocessable('resource.invalid_allowance', problems.join('; '), { problems });
  return allowance;
}

function checkBearer(ctx: AppContext, memberId: number) {
  if (!repo.memberExists(ctx.db, memberId)) throw notFound('member', memberId);
}

export function createResource(ctx: AppContext, actor: Actor, input: ResourceCreate): ResourceView {
  assertCoordinator(actor);
  const zone = poleZone(ctx);
  checkBearer(ctx, input.bearerMemberId);
  const granularityMinutes = input.granularityMinutes ?? 15;
  const minMinutes = input.minMinutes ?? null;
  const maxMinutes = input.maxMinutes ?? null;
  checkDurations(granularityMinutes, minMinutes, maxMinutes);
  const openingHours = checkOpeningHours((input.openingHours ?? null) as OpeningHours | null);
  const blackouts = normaliseBlackouts(input.blackouts ?? [], zone);
  if (input.allocationFrom !== undefined && input.allocation === undefined) {
    throw unprocessable('resource.allocation_from_without_allocation', 'allocationFrom goes with allocation');
  }
  const allocation = input.allocation && checkAllocation(ctx, input.allocation);
  const allowance = input.allowance === undefined ? null : checkAllowance(ctx, input.allowance);
  const now = ctx.clock.now();
  const id = immediate(ctx.sqlite, () => {
    const newId = repo.insertResource(ctx.db, {
      name: input.name.trim(),
      kind: input.kind,
      category: input.category?.trim() || null,
      capacity: input.capacity,
      bearerMemberId: input.bearerMemberId,
      granularityMinutes,
      minMinutes,
      maxMinutes,
      openingHours,
      blackouts,
      horizonDays: input.horizonDays ?? 365,
      requiresApproval: input.requiresApproval ?? false,
      active: input.active ?? true,
      vatRateBp: Math.round((input.vatRate ?? 20) * 100),
      managementFeesAgreed: input.managementFeesAgreed ?? false,
      allowance,
      createdAt: now,
    });
    if (allocation) repo.insertAllocationRule(ctx.db, newId, input.allocationFrom ?? monthOf(now, zone), allocation, now);
    if (allowance) repo.recordAllowance(ctx.db, newId, monthOf(now, zone), allowance, now);
    return newId;
  });
  return getResourceFor(ctx, actor, id);
}

/**
 * Changes a resource. `allocation` adds a rule from `allocationFrom` (default: this month in the pole's zone) on,
 * keeping the history; it is refused if that would rewrite a closed month. Lowering the capacity below what
 * bookings still to come already hold is refused: they would be overbooked.
 */
export function patchResource(ctx: AppContext, actor: Actor, id: number, patch: ResourcePatch): ResourceView {
  assertCoordinator(actor);
  const zone = poleZone(ctx);
  const current = visibleResource(ctx, actor, id);
  if (patch.bearerMemberId !== undefined) checkBearer(ctx, patch.bearerMemberId);
  checkDurations(
    patch.granularityMinutes ?? current.granularityMinutes,
    patch.minMinutes === undefined ? current.minMinutes : patch.minMinutes,
    patch.maxMinutes === undefined ? current.maxMinutes : patch.maxMinutes,
  );
  const openingHours = patch.openingHours === undefined ? undefined : checkOpeningHours(patch.openingHours as OpeningHours | null);
  const blackouts = patch.blackouts === undefined ? undefined : normaliseBlackouts(patch.blackouts, zone);
  if (patch.allocationFrom !== undefined && patch.allocation === undefined) {
    throw unprocessable('resource.allocation_from_without_allocation', 'allocationFrom goes with allocation');
  }
  const allocation = patch.allocation && checkAllocation(ctx, patch.allocation);
  const allowance = patch.allowance === undefined ? undefined : checkAllowance(ctx, patch.allowance);
  const now = ctx.clock.now();
  const fromMonth = patch.allocationFrom ?? monthOf(now, zone);

  immediate(ctx.sqlite, () => {
    if (allocation) {
      const closed = repo.firstClosedMonthFrom(ctx.db, fromMonth);
      if (closed) throw conflict('month.closed', `${closed} is closed: an allocation rule can start only after it`, { month: closed });
    }
    if (patch.capacity !== undefined && patch.capacity < current.capacity) {
      const loads = activeLoadsEndingAfter(ctx.sqlite, id, now);
      const peak = peakLoad(loads, { start: now, end: Number.MAX_SAFE_INTEGER });
      if (peak > patch.capacity) {
        throw conflict('resource.capacity_in_use', `Bookings to come already hold ${peak} unit(s) at once: cancel some before lowering the capacity`, { peak });
      }
    }
    repo.updateResource(ctx.db, id, {
      ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
      ...(patch.kind !== undefined ? { kind: patch.kind } : {}),
      ...(patch.category !== undefined ? { category: patch.category?.trim() || null } : {}),
      ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
      ...(patch.bearerMemberId !== undefined ? { bearerMemberId: patch.bearerMemberId } : {}),
      ...(patch.granularityMinutes !== undefined ? { granularityMinutes: patch.granularityMinutes } : {}),
      ...(patch.minMinutes !== undefined ? { minMinutes: patch.minMinutes } : {}),
      ...(patch.maxMinutes !== undefined ? { maxMinutes: patch.maxMinutes } : {}),
      ...(openingHours !== undefined ? { openingHours } : {}),
      ...(blackouts !== undefined ? { blackouts } : {}),
      ...(patch.horizonDays !== undefined ? { horizonDays: patch.horizonDays } : {}),
      ...(patch.requiresApproval !== undefined ? { requiresApproval: patch.requiresApproval } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
      ...(patch.vatRate !== undefined ? { vatRateBp: Math.round(patch.vatRate * 100) } : {}),
      ...(patch.managementFeesAgreed !== undefined ? { managementFeesAgreed: patch.managementFeesAgreed } : {}),
      ...(allowance !== undefined ? { allowance } : {}),
    });
    if (allocation) repo.insertAllocationRule(ctx.db, id, fromMonth, allocation, now);
    // From this month on; earlier months keep the allowance they had (GET /api/members/:id/allowances?month=).
    if (allowance !== undefined) repo.recordAllowance(ctx.db, id, monthOf(now, zone), allowance, now);
  });
  return getResourceFor(ctx, actor, id);
}
