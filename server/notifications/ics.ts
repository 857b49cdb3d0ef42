import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { icalText } from '../feeds/ical';
import type { BookingPayload } from './kinds';

/**
 * The calendar invitation attached to a booking mail (iTIP, RFC 5546): METHOD:REQUEST adds or updates the
 * events in the recipient's calendar, METHOD:CANCEL removes them. The UID is the booking's, as in the iCal
 * feeds, and SEQUENCE its sequence, so a later update or cancellation replaces the earlier one. Times are
 * written in UTC: an invitation needs no VTIMEZONE and cannot be misread on a 25-hour day.
 */
export function bookingInvitation(p: BookingPayload, o: { method: 'REQUEST' | 'CANCEL'; uidHost: string; organizer: string; attendee: string; summary: string; url: string }): string {
  const cal = ical({
    prodId: { company: 'Mutualise', product: 'Réservations', language: 'FR' },
    method: o.method === 'REQUEST' ? ICalCalendarMethod.REQUEST : ICalCalendarMethod.CANCEL,
  });
  const email = /<([^>]+)>/.exec(o.organizer)?.[1] ?? o.organizer;
  for (const b of p.bookings) {
    cal.createEvent({
      id: `booking-${b.id}@${o.uidHost}`,
      sequence: b.sequence,
      start: new Date(b.startMs),
      end: new Date(b.endMs),
      summary: icalText(o.summary),
      location: icalText(p.resourceName),
      url: o.url,
      status: o.method === 'REQUEST' ? ICalEventStatus.CONFIRMED : ICalEventStatus.CANCELLED,
      organizer: { name: 'Mutualise', email },
      attendees: [{ email: o.attendee }],
    });
  }
  return cal.toString();
}
