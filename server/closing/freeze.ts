import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import { conflict } from '../shared/errors';
import { referenceCache } from '../shared/reference-cache';
import { monthOf, monthRange } from '../shared/time';

const statements = new WeakMap<Sqlite, Statement<[], string>>();

/**
 * The closed months (YYYY-MM, ascending), from the reference cache: the guard runs inside every booking and
 * cost write, and a pole closes one month a month. Read inside the writing transaction, the cache checks the
 * data version there too, so a close committed just before is seen.
 */
export function closedMonths(sqlite: Sqlite): readonly string[] {
  return referenceCache(sqlite).get('closings', 'all', () => {
    let all = statements.get(sqlite);
    if (!all) statements.set(sqlite, (all = sqlite.prepare('SELECT month FROM closings ORDER BY month').pluck() as Statement<[], string>));
    return all.all();
  });
}

/** The closed months from `first` to `last` (YYYY-MM, inclusive), ascending. */
export function closedMonthsBetween(sqlite: Sqlite, first: string, last: string): string[] {
  return closedMonths(sqlite).filter((m) => m >= first && m <= last);
}

/** Months already closed. Bookings and costs inside them are frozen. */
export function isMonthClosed(sqlite: Sqlite, month: string): boolean {
  return closedMonths(sqlite).includes(month);
}

/**
 * Refuses a change touching any instant of [startMs, endMs) that falls in a closed month (months in `zone`).
 * Call it inside the transaction that writes, so that a concurrent close cannot slip in between.
 */
export function assertOpenPeriod(sqlite: Sqlite, zone: string, startMs: number, endMs: number): void {
  const first = monthOf(startMs, zone);
  const last = monthOf(Math.max(startMs, endMs - 1), zone);
  const closed = closedMonthsBetween(sqlite, first, last)[0];
  if (closed) throw conflict('month.closed', `${closed} is closed: its bookings and costs can no longer change`, { month: closed });
}

/** The closed months among those that [startMs, endMs) touches, as instant ranges in `zone`. */
export function closedRanges(sqlite: Sqlite, zone: string, startMs: number, endMs: number): { start: number; end: number }[] {
  const first = monthOf(startMs, zone);
  const last = monthOf(Math.max(startMs, endMs - 1), zone);
  return closedMonthsBetween(sqlite, first, last).map((month) => {
    const range = monthRange(month, zone);
    return { start: range.startMs, end: range.endMs };
  });
}
