import type { BookingPayload, NotificationKind } from './kinds';
import type { Notice } from './enqueue';
import type { BookingStatus } from '../../db/schema/enums';

/** What happened to bookings, as the booking service tells it inside its transaction. */
export type BookingEvent = 'created' | 'updated' | 'cancelled';

/**
 * A booking change as its mails will tell it, frozen in the change's own transaction: everything the change
 * decides or that a later change could alter (which event, who did it and under which name, each booking's
 * times, quantity, note, status and iCal sequence, the booking before an update, the resource's and
 * structure's names as they were). What only addresses the mails (recipients' e-mails, languages, preferences,
 * who coordinates) is read when the notice is expanded into outbox rows, moments later, outside the booking.
 */
export interface BookingNotice {
  event: BookingEvent;
  zone: string;
  actor: { userId: number; name: string };
  resourceName: string;
  memberName: string;
  before?: { status: BookingStatus; startMs: number; endMs: number; quantity: number };
  bookings: { id: number; userId: number; memberId: number; status: BookingStatus; startMs: number; endMs: number; sequence: number; quantity: number; note: string | null }[];
}

type Booking = BookingNotice['bookings'][number];

function payloadOf(n: BookingNotice, bookings: readonly Booking[]): BookingPayload {
  return {
    zone: n.zone,
    resourceName: n.resourceName,
    memberName: n.memberName,
    actorName: n.actor.name,
    bookings: bookings.map((b) => ({ id: b.id, startMs: b.startMs, endMs: b.endMs, sequence: b.sequence, quantity: b.quantity, note: b.note })),
  };
}

/**
 * The mails a booking change sends, from its frozen notice (pure but for who coordinates, asked when needed):
 * - a new or moved booking: confirmed, or pending (and approval requested of the coordinators);
 * - a pending booking decided: approved or rejected, to its booker;
 * - a booking cancelled by someone else than its booker: to the booker.
 * `n.before` is the booking before an update (absent for a creation or a cancellation).
 */
export function bookingNotices(n: BookingNotice, coordinatorIds: () => readonly number[]): Notice[] {
  const rows = n.bookings;
  if (!rows.length) return [];
  const first = rows[0]!;
  const actorId = n.actor.userId;
  const key = (kind: NotificationKind, suffix = '') => `${kind}.${first.id}.s${first.sequence}${suffix}`;
  const out: Notice[] = [];
  const to = (userId: number, kind: NotificationKind, bookings: readonly Booking[] = rows) =>
    out.push({ kind, key: key(kind, bookings === rows ? '' : `.${bookings[0]!.id}`), userId, memberId: first.memberId, payload: payloadOf(n, bookings) });
  const approvalRequested = (bookings: readonly Booking[] = rows) => {
    for (const id of coordinatorIds()) if (id !== actorId) to(id, 'approval.requested', bookings);
  };

  if (n.event === 'created') {
    // A series past a soft allowance may hold confirmed and pending occurrences: one mail for each.
    const pending = rows.filter((r) => r.status === 'pending');
    const confirmed = rows.filter((r) => r.status !== 'pending');
    if (confirmed.length) to(first.userId, 'booking.confirmed', confirmed.length === rows.length ? rows : confirmed);
    if (pending.length) {
      const all = pending.length === rows.length ? rows : pending;
      to(first.userId, 'booking.pending', all);
      approvalRequested(all);
    }
  } else if (n.event === 'updated' && n.before) {
    const before = n.before;
    if (before.status === 'pending' && first.status === 'confirmed') to(first.userId, 'booking.approved');
    else if (before.status === 'pending' && first.status === 'rejected') to(first.userId, 'booking.rejected');
    else if (first.startMs !== before.startMs || first.endMs !== before.endMs || first.quantity !== before.quantity) {
      to(first.userId, first.status === 'pending' ? 'booking.pending' : 'booking.confirmed');
      if (first.status === 'pending') approvalRequested();
    }
  } else if (n.event === 'cancelled') {
    // Per booker (a series may hold occurrences booked by several people); one's own cancellation needs no mail.
    const byBooker = new Map<number, Booking[]>();
    for (const r of rows) if (r.userId !== actorId) byBooker.set(r.userId, [...(byBooker.get(r.userId) ?? []), r]);
    for (const [userId, own] of byBooker) to(userId, 'booking.cancelled', own);
  }
  return out;
}
