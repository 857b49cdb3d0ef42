import { withQuery } from './api';
import { instantOf, isoWeekday, wallOf, zonedIso } from './time';

/** Below this width the calendar shows one day at a time (the same media query as its first view). */
export const NARROW_CALENDAR = '(max-width: 700px)';

/**
 * The dates a calendar opens on, as FullCalendar will ask for them: today in the pole's zone on a phone, else the
 * week from Monday (both locales start weeks on Monday). Known before the calendar's code has even arrived, so that
 * its bookings can be asked for at boot.
 */
export function initialRange(zone: string, narrow: boolean, now = Date.now()): { from: string; to: string } {
  const today = wallOf(now, zone);
  const back = narrow ? 0 : isoWeekday(today.year, today.month, today.day) - 1;
  const first = new Date(Date.UTC(today.year, today.month - 1, today.day - back));
  const last = new Date(Date.UTC(today.year, today.month - 1, today.day - back + (narrow ? 1 : 7)));
  const midnight = (d: Date) => instantOf({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: 0, minute: 0, second: 0 }, zone);
  return { from: zonedIso(midnight(first), zone), to: zonedIso(midnight(last), zone) };
}

/** The two requests the calendar's event source makes for a range: one function, so that a prefetch matches them. */
export function calendarRequests(resourceId: number, range: { from: string; to: string }): { bookings: string; availability: string } {
  return {
    bookings: withQuery('/api/bookings', { resourceId, from: range.from, to: range.to }),
    availability: withQuery(`/api/resources/${resourceId}/availability`, range),
  };
}
