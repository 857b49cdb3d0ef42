import { DateTime } from 'luxon';
import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import type { Actor } from '../shared/actor';
import { fromBp } from '../shared/money';
import { assertMonth, monthRange } from '../shared/time';
import { allocationRuleFor, allowanceFor } from '../resources/repository';
import { groupCosts, type CostGroup, type ResourceInfo } from '../invoices/close-drafts';
import { describeBasis } from '../invoices/wording';
import { recoversInputVat } from '../vat/decision';
import { timesheetUsage } from '../staff/billing';
import { allocateResource, isActiveInMonth, type Basis, type ResourceAllocation, type RuleSpec } from './allocation';
import { cachedAllocation } from './allocation-cache';
import { closingRepository, type CostSum, type MemberRecord, type SnapshotResource, type SnapshotRow } from './repository';
import { allocateStaff } from './staff';

/**
 * A month's allocation: from its costs and confirmed bookings while open (provisional), the close's stored
 * snapshot once closed (final); and the allocation matrix the API shows.
 */

export interface MonthAllocation {
  month: string;
  /** True for a closed month (the stored snapshot); false while open (computed now, provisional). */
  final: boolean;
  closedAt: number | null;
  resources: SnapshotResource[];
  rows: SnapshotRow[];
}

export interface AllocationWork {
  allocations: ResourceAllocation[];
  costGroups: Map<number, CostGroup[]>;
  resources: Map<number, ResourceInfo>;
  members: MemberRecord[];
  /** resourceId → memberId → confirmed booked minutes × quantity. */
  usage: Map<number, Map<number, number>>;
}

function withText<T extends { basis: Basis }>(row: T): T & { basis: Basis & { text: string } } {
  return { ...row, basis: { ...row.basis, text: describeBasis(row.basis) } };
}

interface MonthCosts {
  /** Per resource, its cost by nature as shared: excl. VAT, or incl. the input VAT its bearer cannot recover. */
  costGroups: Map<number, CostGroup[]>;
  inputVat: Map<number, number>;
  /** Staff resources: the employee's paid hours of the month (hundredths). */
  paidHours: Map<number, number>;
}

function monthCosts(
  repo: ReturnType<typeof closingRepository>,
  month: string,
  members: readonly MemberRecord[],
  resources: ReadonlyMap<number, { bearerMemberId: number }>,
  costSums: readonly CostSum[] = repo.costSums(month),
): MonthCosts {
  const recovers = new Map(members.map((m) => [m.id, recoversInputVat(m.vatStatus)]));
  const costGroups = new Map<number, CostGroup[]>();
  const inputVat = new Map<number, number>();
  const paidHours = new Map<number, number>();
  for (const c of costSums) {
    const bearer = resources.get(c.resourceId)?.bearerMemberId;
    const vatShared = bearer !== undefined && recovers.get(bearer) === false ? c.inputVatCents : 0;
    costGroups.set(c.resourceId, [...(costGroups.get(c.resourceId) ?? []), { nature: c.nature, amountCents: c.amountCents + vatShared }]);
    inputVat.set(c.resourceId, (inputVat.get(c.resourceId) ?? 0) + vatShared);
    paidHours.set(c.resourceId, (paidHours.get(c.resourceId) ?? 0) + c.paidHoursHundredths);
  }
  for (const [id, groups] of costGroups) costGroups.set(id, groupCosts(groups));
  return { costGroups, inputVat, paidHours };
}

/** The month's costs by resource and nature, as shared (for documents that rebuild lines from the allocation). */
export function monthCostGroups(ctx: AppContext, month: string): Map<number, CostGroup[]> {
  const repo = closingRepository(ctx.sqlite);
  const resources = new Map(repo.resources().map((r) => [r.id, r]));
  return monthCosts(repo, month, repo.members(), resources).costGroups;
}

/**
 * Reads the month's inputs and allocates every resource that has a cost or some usage. `costSums` stands for
 * the month's stored costs when given (an adjustment to a closed month allocates its corrected costs).
 */
export function allocateMonth(ctx: AppContext, month: string, zone: string, costSums?: readonly CostSum[]): AllocationWork {
  const repo = closingRepository(ctx.sqlite);
  const range = monthRange(month, zone);
  const members = repo.members();
  const active = members.filter((m) => isActiveInMonth(m, month)).map((m) => ({ id: m.id, weight: m.weight }));
  const resources = new Map(repo.resources().map((r) => [r.id, { ...r, vatRate: fromBp(r.vatRateBp) }]));
  // The amount to share is the cost excl. VAT, plus the input VAT when the bearer cannot recover it.
  const { costGroups, inputVat, paidHours } = monthCosts(repo, month, members, resources, costSums);
  const usage = new Map<number, Map<number, number>>();
  for (const u of repo.usage(range.startMs, range.endMs)) {
    if (u.minutes <= 0) continue;
    const m = usage.get(u.resourceId) ?? new Map<number, number>();
    m.set(u.memberId, u.minutes);
    usage.set(u.resourceId, m);
  }
  const ids = [...new Set([...costGroups.keys(), ...usage.keys()])].sort((a, b) => a - b);
  const allocations = ids.flatMap((resourceId) => {
    const resource = resources.get(resourceId);
    if (!resource) return [];
    const rule: RuleSpec = allocationRuleFor(ctx.db, resourceId, month);
    const costCents = (costGroups.get(resourceId) ?? []).reduce((a, g) => a + g.amountCents, 0);
    // An employee's time is billed from its approved timesheet, by nature as its agreements say; a staff
    // resource without employee from its bookings (the preview warns).
    const sheet = resource.kind === 'staff' ? timesheetUsage(ctx.db, resourceId, month) : null;
    const allocation =
      resource.kind === 'staff'
        ? allocateStaff({
            resourceId,
            bearerMemberId: resource.bearerMemberId,
            costCents,
            paidHoursHundredths: paidHours.get(resourceId) ?? 0,
            usage: sheet?.usage ?? usage.get(resourceId) ?? new Map(),
            rule,
            ...(sheet ? { terms: sheet.terms, costByNature: costGroups.get(resourceId) ?? [] } : {}),
          })
        : allocateResource({ resourceId, bearerMemberId: resource.bearerMemberId, costCents, rule, usage: usage.get(resourceId) ?? new Map(), activeMembers: active, allowance: allowanceFor(ctx.db, resourceId, month, resource.allowance) });
    const vatShared = inputVat.get(resourceId) ?? 0;
    return [vatShared > 0 ? withInputVat(allocation, vatShared) : allocation];
  });
  return { allocations, costGroups, resources, members, usage };
}

/** Every share's basis says that the shared cost includes the VAT its bearer could not recover. */
function withInputVat(allocation: ResourceAllocation, inputVatCents: number): ResourceAllocation {
  return { ...allocation, shares: allocation.shares.map((s) => ({ ...s, basis: { ...s.basis, inputVatIncludedCents: inputVatCents } })) };
}

export function snapshotOf(allocations: readonly ResourceAllocation[]): { resources: SnapshotResource[]; rows: SnapshotRow[] } {
  return {
    resources: allocations.map(({ shares: _shares, ...r }) => r),
    rows: allocations.flatMap((a) => a.shares.map((s) => withText({ resourceId: a.resourceId, ...s }))),
  };
}

/**
 * The month's allocation: the stored snapshot once closed (final), otherwise computed from the current costs
 * and bookings (provisional). For the documents engineer: statements are built from this.
 */
export function computeAllocation(ctx: AppContext, month: string): MonthAllocation {
  assertMonth(month);
  return cachedAllocation(ctx.sqlite, month, () => allocationNow(ctx, month));
}

function allocationNow(ctx: AppContext, month: string): MonthAllocation {
  const repo = closingRepository(ctx.sqlite);
  const closing = repo.closing(month);
  if (closing) return { month, final: true, closedAt: closing.closedAt, ...repo.snapshot(month) };
  const zone = poleZone(ctx);
  return { month, final: false, closedAt: null, ...snapshotOf(allocateMonth(ctx, month, zone).allocations) };
}

export interface AllocationView {
  month: string;
  final: boolean;
  closedAt: string | null;
  rows: SnapshotRow[];
  totals: {
    costCents: number;
    allocatedCents: number;
    gapCents: number;
    usageMinutes: number;
    resources: SnapshotResource[];
    members: { memberId: number; usageMinutes: number; shareCents: number }[];
  };
}

/** `GET /api/allocations`: the whole matrix for coordinators; a member's user gets its own rows and the pole totals. */
export function getAllocations(ctx: AppContext, actor: Actor, month: string): AllocationView {
  const allocation = computeAllocation(ctx, month);
  const byMember = new Map<number, { memberId: number; usageMinutes: number; shareCents: number }>();
  for (const r of allocation.rows) {
    const m = byMember.get(r.memberId) ?? { memberId: r.memberId, usageMinutes: 0, shareCents: 0 };
    m.usageMinutes += r.usageMinutes;
    m.shareCents += r.shareCents;
    byMember.set(r.memberId, m);
  }
  const own = (memberId: number) => actor.role === 'coordinator' || memberId === actor.memberId;
  const zone = poleZone(ctx);
  return {
    month,
    final: allocation.final,
    closedAt: allocation.closedAt === null ? null : DateTime.fromMillis(allocation.closedAt, { zone }).toISO({ suppressMilliseconds: true }),
    rows: allocation.rows.filter((r) => own(r.memberId)),
    totals: {
      costCents: allocation.resources.reduce((a, r) => a + r.costCents, 0),
      allocatedCents: allocation.resources.reduce((a, r) => a + r.allocatedCents, 0),
      gapCents: allocation.resources.reduce((a, r) => a + r.gapCents, 0),
      usageMinutes: allocation.resources.reduce((a, r) => a + r.usageMinutes, 0),
      resources: allocation.resources,
      members: [...byMember.values()].sort((a, b) => a.memberId - b.memberId).filter((m) => own(m.memberId)),
    },
  };
}
