import { allocate, assertCents, type Cents } from '../shared/money';
import type { Basis, ResourceAllocation, RuleSpec } from './allocation';

/**
 * Staff lent at cost (C. trav. L8241-1), pure: a member pays the hours the employee was made available to it
 * × the month's hourly cost (salary + charges + reimbursed expenses [+ agreed management fees] ÷ the paid
 * hours of the month). There is no weights or equal fallback: a member that used none of the employee's
 * time pays nothing, and what nobody used stays with the employer (`gapCents`, « non mis à disposition »).
 */

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
}

/** Half-up cost × minutes / paid hours, exactly: minutes / (hundredths × 0.6) = 5 × minutes / (3 × hundredths). */
function prorata(costCents: Cents, minutes: number, paidHoursHundredths: number): Cents {
  const den = 3n * BigInt(paidHoursHundredths);
  return Number((BigInt(costCents) * 5n * BigInt(minutes) * 2n + den) / (2n * den));
}

/** The month's hourly cost in cents (as printed), half-up. */
export const hourlyCostCents = (costCents: Cents, paidHoursHundredths: number): Cents => (paidHoursHundredths > 0 ? prorata(costCents, 60, paidHoursHundredths) : 0);

export function allocateStaff(input: StaffInput): ResourceAllocation {
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
    note: overbooked
      ? { code: 'staff_overbooked', bookedMinutes: usageMinutes, paidHours: paid / 100 }
      : gapCents > 0
        ? { code: 'staff_remainder', remainderCents: gapCents }
        : null,
    shares,
  };
}
