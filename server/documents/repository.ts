import type { Sqlite } from '../../db/index';

/** SQL the documents need beyond what other capabilities expose: bookings of a month, per resource. */

export interface BookingStats {
  resourceId: number;
  /** Confirmed bookings clipped to the month, minutes × quantity. */
  confirmedMinutes: number;
  confirmed: number;
  pending: number;
  cancelled: number;
  rejected: number;
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();

function prepare(sqlite: Sqlite) {
  return {
    longest: sqlite.prepare('SELECT coalesce(max(longest_booking_ms), 0) FROM resources').pluck(),
    stats: sqlite.prepare(
      `SELECT resource_id AS resourceId,
              coalesce(sum(CASE WHEN status = 'confirmed'
                THEN ((min(end_ms, @end) - max(start_ms, @start)) / 60000) * quantity ELSE 0 END), 0) AS confirmedMinutes,
              sum(status = 'confirmed') AS confirmed, sum(status = 'pending') AS pending,
              sum(status = 'cancelled') AS cancelled, sum(status = 'rejected') AS rejected
         FROM bookings
        WHERE start_ms < @end AND start_ms >= @lower AND end_ms > @start
        GROUP BY resource_id ORDER BY resource_id`,
    ),
  };
}

export function documentsRepository(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  const st = s;
  return {
    /** Bookings touching [startMs, endMs), counted per resource and status. */
    bookingStats(startMs: number, endMs: number): BookingStats[] {
      const lower = startMs - (st.longest.get() as number) - 1;
      return st.stats.all({ start: startMs, end: endMs, lower }) as BookingStats[];
    },
  };
}
