import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import ical, { ICalCalendarMethod, ICalEventRepeatingFreq, ICalEventStatus, ICalEventTransparency } from 'ical-generator';
import { DateTime } from 'luxon';
import type { PlannedEvent } from './rules';

const FREQ = {
  daily: ICalEventRepeatingFreq.DAILY,
  weekly: ICalEventRepeatingFreq.WEEKLY,
  monthly: ICalEventRepeatingFreq.MONTHLY,
} as const;

const STATUS = {
  CONFIRMED: ICalEventStatus.CONFIRMED,
  TENTATIVE: ICalEventStatus.TENTATIVE,
  CANCELLED: ICalEventStatus.CANCELLED,
} as const;

/**
 * Text that cannot break out of its property line: ical-generator 10.2 escapes SUMMARY and DESCRIPTION but
 * writes the calendar's NAME and X-WR-CALNAME as given, so a line break in a structure's or user's name would
 * start new properties or events (see README § Security, "Upstream"). Every control character, line breaks
 * included, becomes a space in every text property written here.
 */
export function icalText(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
}

/**
 * True when the instant's wall-clock time happens twice in the zone (the repeated hour of a 25-hour day). RFC 5545
 * reads such a TZID time as its first occurrence, but clients differ (ical.js takes the second), and the second
 * occurrence cannot be written with a TZID at all: such an event is written in UTC instead.
 */
export function wallTimeRepeats(ms: number, zone: string): boolean {
  const wall = (t: number) => DateTime.fromMillis(t, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
  const own = wall(ms);
  return wall(ms - 3_600_000) === own || wall(ms + 3_600_000) === own;
}

/**
 * Writes planned events as an iCalendar document. Date-times are luxon values in the pole's zone with the
 * event's TZID, so the output does not depend on the process's own zone; the calendar itself carries no
 * default zone, which makes ical-generator write DTSTAMP, LAST-MODIFIED and UNTIL in UTC as RFC 5545 asks,
 * while its generator still adds the VTIMEZONE of every zone the events use.
 */
export function renderCalendar(options: { name: string; zone: string; events: PlannedEvent[] }): string {
  const { zone } = options;
  const at = (ms: number) => DateTime.fromMillis(ms, { zone });
  const utc = (ms: number) => DateTime.fromMillis(ms, { zone: 'utc' });
  const cal = ical({
    name: icalText(options.name),
    prodId: { company: 'Mutualise', product: 'Réservations', language: 'FR' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: getVtimezoneComponent },
    ttl: 60 * 30,
  });
  cal.x('X-WR-TIMEZONE', zone);
  for (const e of options.events) {
    const inUtc = !e.repeat && [e.startMs, e.endMs, e.recurrenceIdMs].some((ms) => ms !== undefined && wallTimeRepeats(ms, zone));
    const time = inUtc ? utc : at;
    cal.createEvent({
      id: e.uid,
      start: time(e.startMs),
      end: time(e.endMs),
      timezone: inUtc ? null : zone,
      sequence: e.sequence,
      status: STATUS[e.status],
      transparency: e.status === 'CANCELLED' ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      summary: icalText(e.summary),
      // Its own lines are meant (ical-generator escapes them as \n); a line break inside a name or note is not.
      description: e.description.split('\n').map(icalText).join('\n'),
      stamp: utc(e.lastModifiedMs),
      created: utc(e.createdMs),
      lastModified: utc(e.lastModifiedMs),
      ...(e.recurrenceIdMs === undefined ? {} : { recurrenceId: time(e.recurrenceIdMs) }),
      ...(e.repeat
        ? {
            repeating: {
              freq: FREQ[e.repeat.freq],
              interval: e.repeat.interval,
              until: utc(e.repeat.untilMs),
              ...(e.repeat.excludeMs.length ? { exclude: e.repeat.excludeMs.map(at), excludeTimezone: zone } : {}),
            },
          }
        : {}),
    });
  }
  return cal.toString();
}
