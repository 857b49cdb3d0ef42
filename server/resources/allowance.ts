import { monthOf, monthRange } from '../shared/time';

/**
 * Allowances, pure: an included quantity of a resource per member and per month (in the pole's zone), past
 * which a booking is refused (`hard`) or goes to approval (`soft`). `members` overrides the default quantity
 * for some members (0 = none included).
 */

export type AllowanceLimit = 'hard' | 'soft';

export interface Allowance {
  minutesPerMonth: number;
  limit: AllowanceLimit;
  members: { memberId: number; minutesPerMonth: number }[];
}

/** Minutes × units a member has included per month under the allowance. */
export function includedMinutes(allowance: Allowance, memberId: number): number {
  return allowance.members.find((m) => m.memberId === memberId)?.minutesPerMonth ?? allowance.minutesPerMonth;
}

export function allowanceProblems(allowance: Allowance, memberExists: (id: number) => boolean): string[] {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const m of allowance.members) {
    if (seen.has(m.memberId)) problems.push(`members: ${m.memberId} is listed twice`);
    seen.add(m.memberId);
    if (!memberExists(m.memberId)) problems.push(`members: ${m.memberId} is not a member id`);
  }
  return problems;
}

/**
 * The minutes × quantity of [start, end) falling in each month of `zone`, in month order. A booking across
 * midnight of the 1st counts in both months (on the 29 March / 25 October DST days, real minutes: 23 h or 25 h).
 */
export function minutesByMonth(start: number, end: number, quantity: number, zone: string): Map<string, number> {
  const out = new Map<string, number>();
  let cursor = start;
  while (cursor < end) {
    const range = monthRange(monthOf(cursor, zone), zone);
    const stop = Math.min(end, range.endMs);
    out.set(range.month, (out.get(range.month) ?? 0) + Math.round((stop - cursor) / 60_000) * quantity);
    cursor = stop;
  }
  return out;
}

export interface AllowanceStanding {
  month: string;
  limit: AllowanceLimit;
  allowanceMinutes: number;
  usedMinutes: number;
  /** Never below 0 (a soft allowance can be overrun). */
  remainingMinutes: number;
}

export const standing = (month: string, allowance: Allowance, memberId: number, usedMinutes: number): AllowanceStanding => {
  const allowanceMinutes = includedMinutes(allowance, memberId);
  return { month, limit: allowance.limit, allowanceMinutes, usedMinutes, remainingMinutes: Math.max(0, allowanceMinutes - usedMinutes) };
};

/** 570 → "9 h 30", 30 → "30 min". */
export function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}
