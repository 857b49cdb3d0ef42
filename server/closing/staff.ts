import type { CostNature } from '../../db/schema/enums';
import { allocate, assertCents, type Cents } from '../shared/money';
import type { AllocationNote, Basis, NatureAmount, ResourceAllocation, RuleSpec } from './allocation';

/**
 * Staff lent at cost (C. trav. L8241-1), pure: a member pays the hours the employee was made available to it
 * × the month's hourly cost (salary + charges + reimbursed expenses [+ agreed management fees] ÷ the paid
 * hours of the month). There is no weights or equal fallback: a member that used none of the employee's
 * time pays nothing, and what nobody used stays with the employer (`gapCents`, « non mis à disposition »).
 */

/** The natures a lender bills at cost (C. trav. L8241-1), in the order they are printed. */
export const BILLED_NATURES = ['salary', 'social_charges', 'reimbursed_expenses'] as const;
export type BilledNature = (typeof BILLED_NATURES)[number];

/**
 * The approved minutes of one user member under one lending agreement, with what that agreement bills: the
 * natures chosen, and management fees only when agreed (a monthly amount, or a rate in basis points of the cost
 * billed).
 */
export interface StaffTerms {
  memberId: number;
  agreementId: number;
  minutes: number;
  bills: Record<BilledNature, boolean>;
  feesCents: number | null;
  feesRateBp: number | null;
}

export interface StaffInput {
  resourceId: number;
  bearerMemberId: number;
  /** The month's cost of the employee as shared (salary, charges, expenses, agreed fees). */
  costCents: Cents;
  /** The employee's paid hours that month, in hundredths of an hour (151.67 h = 15167); 0 when none were entered. */
  paidHoursHundredths: number;
  /** memberId → minutes the employee was booked for that member (confirmed bookings × quantity). */
  usage: ReadonlyMap<number, number>;
  rule: RuleSpec;
  /**
   * An employee's resource: the approved minutes by agreement. Each nature of the month's cost is then billed
   * apart, only to the members whose agreement bills it, plus agreed management fees; the costs of natures not
   * billed stay with the employer. Absent: a staff resource without employee, billed from its bookings on the
   * whole cost.
   */
  terms?: readonly StaffTerms[];
  /** With `terms`: the month's cost by nature (they sum to `costCents`). */
  costByNature?: readonly { nature: CostNature; amountCents: Cents }[];
}

/** Half-up cost × minutes / paid hours, exactly: minutes / (hundredths × 0.6) = 5 × minutes / (3 × hundredths). */
function prorata(costCents: Cents, minutes: number, paidHoursHundredths: number): Cents {
  const den = 3n * BigInt(paidHoursHundredths);
  return Number((BigInt(costCents) * 5n * BigInt(minutes) * 2n + den) / (2n * den));
}

/** The month's hourly cost in cents (as printed), half-up. */
export const hourlyCostCents = (costCents: Cents, paidHoursHundredths: number): Cents => (paidHoursHundredths > 0 ? prorata(costCents, 60, paidHoursHundredths) : 0);

/** Half-up a × b / c, exactly. */
const mulDiv = (a: number, b: number, c: number): number => Number((BigInt(a) * BigInt(b) * 2n + BigInt(c)) / (2n * BigInt(c)));

/** Why staff lent at cost was not shared as booked: more booked than paid, or paid time left with the employer. */
function staffNote(overbooked: boolean, usageMinutes: number, paidCentiHours: number, gapCents: number): AllocationNote | null {
  if (overbooked) return { code: 'staff_overbooked', bookedMinutes: usageMinutes, paidHours: paidCentiHours / 100 };
  return gapCents > 0 ? { code: 'staff_remainder', remainderCents: gapCents } : null;
}

export function allocateStaff(input: StaffInput): ResourceAllocation {
  if (input.terms) return allocateByNature(input, input.terms);
  assertCents(input.costCents, 'cost');
  if (input.costCents < 0) throw new RangeError('a cost cannot be negative');
  const paid = input.paidHoursHundredths;
  if (!Number.isSafeInteger(paid) || paid < 0) throw new RangeError(`paid hours must be whole hundredths, got ${paid}`);
  const used = [...input.usage].filter(([, m]) => m > 0).sort(([a], [b]) => a - b);
  for (const [, minutes] of used) if (!Number.isSafeInteger(minutes)) throw new RangeError(`usage must be whole minutes, got ${minutes}`);
  const usageMinutes = used.reduce((a, [, m]) => a + m, 0);
  const base = { resourceId: input.resourceId, bearerMemberId: input.bearerMemberId, rule: input.rule, costCents: input.costCents, usageMinutes };

  if (paid === 0) {
    // No paid hours entered: no hourly cost, so nothing is made available at a price; the employer keeps the cost.
    const note = input.costCents > 0 || used.length > 0 ? ({ code: 'no_paid_hours' } as const) : null;
    return { ...base, allocatedCents: 0, gapCents: input.costCents, note, shares: [] };
  }
  // Hours booked beyond the paid hours cannot bill more than the cost: the whole cost is then split by hours.
  const overbooked = usageMinutes * 5 > paid * 3;
  const madeAvailable = usageMinutes === 0 ? 0 : overbooked ? input.costCents : prorata(input.costCents, usageMinutes, paid);
  const parts = used.length ? allocate(madeAvailable, used.map(([, m]) => m)) : [];
  const hourly = hourlyCostCents(input.costCents, paid);
  const shares = used.map(([memberId, minutes], i) => {
    const basis: Basis = {
      rule: input.rule.rule,
      method: 'staff',
      minutes,
      totalMinutes: usageMinutes,
      paidHours: paid / 100,
      hourlyCostCents: hourly,
      percent: Math.round((minutes * 5 * 10_000) / (3 * paid)) / 100,
    };
    return { memberId, usageMinutes: minutes, shareCents: parts[i]!, basis };
  });
  const allocatedCents = parts.reduce((a, p) => a + p, 0);
  const gapCents = input.costCents - allocatedCents;
  return {
    ...base,
    allocatedCents,
    gapCents,
    note: staffNote(overbooked, usageMinutes, paid, gapCents),
    shares,
  };
}

/**
 * An employee's month billed by nature: for each nature, the members whose agreement bills it pay their approved
 * minutes × (that nature's cost ÷ paid hours) — the group's total is rounded half-up once, then split by minutes
 * with the largest remainder, so no nature bills more than its cost. Agreed fees come on top: a rate of what the
 * agreement billed (half-up), or its monthly amount in a month with hours made available. The allocation's cost is
 * the payroll cost plus the fees billed; what is not billed (time not made available, natures not billed) stays
 * with the employer (`gapCents`).
 */
function allocateByNature(input: StaffInput, terms: readonly StaffTerms[]): ResourceAllocation {
  const paid = input.paidHoursHundredths;
  if (!Number.isSafeInteger(paid) || paid < 0) throw new RangeError(`paid hours must be whole hundredths, got ${paid}`);
  const costOf = (n: CostNature) => (input.costByNature ?? []).filter((g) => g.nature === n).reduce((a, g) => a + g.amountCents, 0);
  for (const g of input.costByNature ?? []) {
    assertCents(g.amountCents, 'cost');
    if (g.amountCents < 0) throw new RangeError('a cost cannot be negative');
  }
  const entries = terms.filter((t) => t.minutes > 0);
  for (const t of entries) if (!Number.isSafeInteger(t.minutes)) throw new RangeError(`usage must be whole minutes, got ${t.minutes}`);
  const usageMinutes = entries.reduce((a, t) => a + t.minutes, 0);
  const base = { resourceId: input.resourceId, bearerMemberId: input.bearerMemberId, rule: input.rule, usageMinutes };
  if (paid === 0) {
    const note = input.costCents > 0 || entries.length > 0 ? ({ code: 'no_paid_hours' } as const) : null;
    return { ...base, costCents: input.costCents, allocatedCents: 0, gapCents: input.costCents, note, shares: [] };
  }
  // Hours beyond the paid hours cannot bill more than the cost: each nature is then shared by hours.
  const overbooked = usageMinutes * 5 > paid * 3;
  const billedFor = (cost: Cents, minutes: number) => (overbooked ? mulDiv(cost, minutes, usageMinutes) : mulDiv(cost, 5 * minutes, 3 * paid));
  const perEntry = entries.map(() => new Map<CostNature, Cents>());
  for (const nature of BILLED_NATURES) {
    const cost = costOf(nature);
    const group = entries.map((t, i) => ({ t, i })).filter(({ t }) => t.bills[nature]);
    if (cost <= 0 || group.length === 0) continue;
    const parts = allocate(billedFor(cost, group.reduce((a, { t }) => a + t.minutes, 0)), group.map(({ t }) => t.minutes));
    group.forEach(({ i }, k) => perEntry[i]!.set(nature, parts[k]!));
  }
  let feesTotal = 0;
  const byMember = new Map<number, { minutes: number; natures: Map<CostNature, Cents>; rates: Set<number> }>();
  entries.forEach((t, i) => {
    const natures = perEntry[i]!;
    const billed = [...natures.values()].reduce((a, c) => a + c, 0);
    const fees = t.feesRateBp !== null ? mulDiv(billed, t.feesRateBp, 10_000) : (t.feesCents ?? 0);
    if (fees > 0) natures.set('management_fees', fees);
    feesTotal += fees;
    const m = byMember.get(t.memberId) ?? { minutes: 0, natures: new Map<CostNature, Cents>(), rates: new Set<number>() };
    m.minutes += t.minutes;
    for (const [n, c] of natures) m.natures.set(n, (m.natures.get(n) ?? 0) + c);
    if (t.feesRateBp !== null && fees > 0) m.rates.add(t.feesRateBp);
    byMember.set(t.memberId, m);
  });
  const shares = [...byMember]
    .sort(([a], [b]) => a - b)
    .map(([memberId, m]) => {
      const byNature: NatureAmount[] = [...BILLED_NATURES, 'management_fees' as const]
        .filter((n) => m.natures.has(n))
        .map((n) =>
          n === 'management_fees'
            ? { nature: n, cents: m.natures.get(n)!, ...(m.rates.size === 1 ? { feesRatePercent: [...m.rates][0]! / 100 } : {}) }
            : { nature: n, cents: m.natures.get(n)!, hourlyCostCents: hourlyCostCents(costOf(n), paid) },
        );
      const billedCost = BILLED_NATURES.filter((n) => m.natures.has(n)).reduce((a, n) => a + costOf(n), 0);
      const basis: Basis = {
        rule: input.rule.rule,
        method: 'staff',
        minutes: m.minutes,
        totalMinutes: usageMinutes,
        paidHours: paid / 100,
        hourlyCostCents: hourlyCostCents(billedCost, paid),
        percent: Math.round((m.minutes * 5 * 10_000) / (3 * paid)) / 100,
        byNature,
      };
      return { memberId, usageMinutes: m.minutes, shareCents: byNature.reduce((a, n) => a + n.cents, 0), basis };
    });
  const costCents = input.costCents + feesTotal;
  const allocatedCents = shares.reduce((a, s) => a + s.shareCents, 0);
  const gapCents = costCents - allocatedCents;
  return {
    ...base,
    costCents,
    allocatedCents,
    gapCents,
    note: staffNote(overbooked, usageMinutes, paid, gapCents),
    shares,
  };
}
