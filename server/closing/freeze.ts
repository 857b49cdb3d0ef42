import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import { conflict } from '../shared/errors';
import { monthOf, monthRange } from '../shared/time';

/** Prepared once per connection: the guard runs inside every booking and cost write. */
const statements = new WeakMap<
  Sqlite,
  { closed: Statement<[string], unknown>; firstClosedBetween: Statement<[string, string], { month: string }>; closedBetween: Statement<[string, string], string> }
>();
function prepared(sqlite: Sqlite) {
  let s = statements.get(sqlite);
  if (!s) {
    s = {
      closed: sqlite.prepare('SELECT 1 FROM closings WHERE month = ?'),
      firstClosedBetween: sqlite.prepare('SELECT month FROM closings WHERE month BETWEEN ? AND ? ORDER BY month LIMIT 1'),
      closedBetween: sqlite.prepare('SELECT month FROM closings WHERE month BETWEEN ? AND ? ORDER BY month').pluck() as Statement<[string, string], string>,
    };
    statements.set(sqlite, s);
  }
  return s;
}

/** Months already closed. Bookings and costs inside them are frozen. */
export function isMonthClosed(sqlite: Sqlite, month: string): boolean {
  return prepared(sqlite).closed.get(month) !== undefined;
}

/**
 * Refuses a change touching any instant of [startMs, endMs) that falls in a closed month (months in `zone`).
 * Call it inside the transaction that writes, so that a concurrent close cannot slip in between.
 */
export function assertOpenPeriod(sqlite: Sqlite, zone: string, startMs: number, endMs: number): void {
  const first = monthOf(startMs, zone);
  const last = monthOf(Math.max(startMs, endMs - 1), zone);
  const closed = prepared(sqlite).firstClosedBetween.get(first, last);
  if (closed) throw conflict('month.closed', `${closed.month} is closed: its bookings and costs can no longer change`, { month: closed.month });
}

/** The closed months among those that [startMs, endMs) touches, as instant ranges in `zone`. */
export function closedRanges(sqlite: Sqlite, zone: string, startMs: number, endMs: number): { start: number; end: number }[] {
  const first = monthOf(startMs, zone);
  const last = monthOf(Math.max(startMs, endMs - 1), zone);
  return prepared(sqlite).closedBetween.all(first, last).map((month) => {
    const range = monthRange(month, zone);
    return { start: range.startMs, end: range.endMs };
  });
}
