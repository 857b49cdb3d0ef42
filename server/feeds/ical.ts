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
    name: options.name,
    prodId: { company: 'Mutualise', product: 'Réservations', language: 'FR' },
    method: ICalCalendarMethod.PUBLISH,
    timezone: { name: null, generator: getVtimezoneComponent },
    ttl: 60 * 30,
  });
  cal.x('X-WR-TIMEZONE', zone);
  for (const e of options.events) {
    cal.createEvent({
      id: e.uid,
      start: at(e.startMs),
      end: at(e.endMs),
      timezone: zone,
      sequence: e.sequence,
      status: STATUS[e.status],
      transparency: e.status === 'CANCELLED' ? ICalEventTransparency.TRANSPARENT : ICalEventTransparency.OPAQUE,
      summary: e.summary,
      description: e.description,
      stamp: utc(e.lastModifiedMs),
      created: utc(e.createdMs),
      lastModified: utc(e.lastModifiedMs),
      ...(e.recurrenceIdMs === undefined ? {} : { recurrenceId: at(e.recurrenceIdMs) }),
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
