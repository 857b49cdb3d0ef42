import type { Sqlite } from '../../db/index';
import { conflict } from '../shared/errors';
import { monthOf } from '../shared/time';

/** Months already closed. Bookings and costs inside them are frozen. */
export function isMonthClosed(sqlite: Sqlite, month: string): boolean {
  return sqlite.prepare('SELECT 1 FROM closings WHERE month = ?').get(month) !== undefined;
}

/**
 * Refuses a change touching any instant of [startMs, endMs) that falls in a closed month (months in `zone`).
 * Call it inside the transaction that writes, so that a concurrent close cannot slip in between.
 */
export function assertOpenPeriod(sqlite: Sqlite, zone: string, startMs: number, endMs: number): void {
  const first = monthOf(startMs, zone);
  const last = monthOf(Math.max(startMs, endMs - 1), zone);
  const closed = sqlite
    .prepare('SELECT month FROM closings WHERE month BETWEEN ? AND ? ORDER BY month LIMIT 1')
    .get(first, last) as { month: string } | undefined;
  if (closed) throw conflict('month.closed', `${closed.month} is closed: its bookings and costs can no longer change`, { month: closed.month });
}
