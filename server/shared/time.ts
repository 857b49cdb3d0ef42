import { badRequest } from './errors';
import { dateOfZoned, daysIn, formatZoned, instantOfLocal, monthOfZoned, parseIsoInstant } from './zone';

/*
 * Zoned helpers used on every request delegate to ./zone (plain arithmetic over one cached Intl formatter per
 * zone, property-tested against luxon as the oracle): no date library here.
 */

/** ISO 8601 date-time with an explicit offset (Z or ±hh:mm), as the API requires. */
export const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** YYYY-MM between 2000-01 and 2100-12: months outside cannot be a pole's, and each costs a full computation. */
export const MONTH_PATTERN = /^(20\d\d-(0[1-9]|1[0-2])|2100-(0[1-9]|1[0-2]))$/;

/** Refuses (400 month.invalid) anything but a YYYY-MM month in range. */
export function assertMonth(month: string): void {
  if (typeof month !== 'string' || !MONTH_PATTERN.test(month)) throw badRequest('month.invalid', `Not a month (YYYY-MM): ${String(month)}`);
}
export const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

/** Parses an ISO instant with an offset into epoch ms, or null when it is malformed or impossible. */
export function parseInstant(value: string): number | null {
  return parseIsoInstant(value);
}

/** Parses YYYY-MM-DD, or null for an impossible date such as 2026-02-30. */
export function parseLocalDate(value: string): { year: number; month: number; day: number } | null {
  if (!DATE_PATTERN.test(value)) return null;
  const [year, month, day] = value.split('-').map(Number) as [number, number, number];
  return month >= 1 && month <= 12 && day >= 1 && day <= daysIn(year, month) ? { year, month, day } : null;
}

/** An instant written in the pole's zone with its offset, e.g. 2026-03-29T09:00:00+02:00. */
export function formatInstant(ms: number, zone: string): string {
  return formatZoned(ms, zone);
}

export interface MonthRange {
  month: string;
  startMs: number;
  endMs: number;
}

/** The instants a calendar month spans in `zone`: [first day 00:00, next month's first day 00:00). */
export function monthRange(month: string, zone: string): MonthRange {
  if (!MONTH_PATTERN.test(month)) throw new RangeError(`Not a month: ${month}`);
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return { month, startMs: instantOfLocal(zone, year, m, 1), endMs: m === 12 ? instantOfLocal(zone, year + 1, 1, 1) : instantOfLocal(zone, year, m + 1, 1) };
}

/** The month (YYYY-MM) an instant falls in, in `zone`. */
export function monthOf(ms: number, zone: string): string {
  return monthOfZoned(ms, zone);
}

/** Today's date (YYYY-MM-DD) in `zone`. */
export function localDate(ms: number, zone: string): string {
  return dateOfZoned(ms, zone);
}

/** An IANA zone the runtime's Intl knows (what ./zone computes with). */
export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.trim() !== '';
  } catch {
    return false;
  }
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** `2026-12` → `2027-01` (`by` months later; negative for earlier). */
export function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + by;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}
