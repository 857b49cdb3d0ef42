import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { BookingRow } from '../bookings/repository';
import type { Actor } from '../shared/actor';
import type { BookingPayload, NotificationKind } from './kinds';
import type { Notice } from './enqueue';
import { outboxRepository } from './repository';

/** What happened to bookings, as the booking service tells it inside its transaction. */
export type BookingEvent = 'created' | 'updated' | 'cancelled';

/** Prepared once per connection: this runs inside every booking's transaction. */
const namesStatements = new WeakMap<Sqlite, Statement>();
function namesOf(sqlite: Sqlite, resourceId: number, memberId: number) {
  let st = namesStatements.get(sqlite);
  if (!st) {
    st = sqlite.prepare('SELECT (SELECT name FROM resources WHERE id = ?) AS resourceName, (SELECT name FROM members WHERE id = ?) AS memberName');
    namesStatements.set(sqlite, st);
  }
  return st.get(resourceId, memberId) as { resourceName: string; memberName: string };
}

function payloadOf(sqlite: Sqlite, actor: Actor, rows: readonly BookingRow[], zone: string): BookingPayload {
  const first = rows[0]!;
  const names = namesOf(sqlite, first.resourceId, first.memberId);
  return {
    zone,
    ...names,
    actorName: actor.name,
    bookings: rows.map((b) => ({ id: b.id, startMs: b.startMs, endMs: b.endMs, sequence: b.sequence, quantity: b.quantity, note: b.note })),
  };
}

/**
 * The mails a booking change sends (pure but for the names and coordinators it reads):
 * - a new or moved booking: confirmed, or pending (and approval requested of the coordinators);
 * - a pending booking decided: approved or rejected, to its booker;
 * - a booking cancelled by someone else than its booker: to the booker.
 * `before` is the status before an update (absent for a creation or a cancellation).
 */
export function bookingNotices(sqlite: Sqlite, actor: Actor, event: BookingEvent, rows: readonly BookingRow[], zone: string, before?: BookingRow): Notice[] {
  if (!rows.length) return [];
  const first = rows[0]!;
  const key = (kind: NotificationKind, suffix = '') => `${kind}.${first.id}.s${first.sequence}${suffix}`;
  const out: Notice[] = [];
  const to = (userId: number, kind: NotificationKind, bookings = rows) =>
    out.push({ kind, key: key(kind, bookings === rows ? '' : `.${bookings[0]!.id}`), userId, memberId: first.memberId, payload: payloadOf(sqlite, actor, bookings, zone) });
  const approvalRequested = () => {
    for (const id of outboxRepository(sqlite).coordinatorIds()) if (id !== actor.userId) to(id, 'approval.requested');
  };

  if (event === 'created') {
    // A series past a soft allowance may hold confirmed and pending occurrences: one mail for each.
    const pending = rows.filter((r) => r.status === 'pending');
    const confirmed = rows.filter((r) => r.status !== 'pending');
    if (confirmed.length) to(first.userId, 'booking.confirmed', confirmed.length === rows.length ? rows : confirmed);
    if (pending.length) {
      to(first.userId, 'booking.pending', pending.length === rows.length ? rows : pending);
      for (const id of outboxRepository(sqlite).coordinatorIds()) if (id !== actor.userId) to(id, 'approval.requested', pending.length === rows.length ? rows : pending);
    }
  } else if (event === 'updated' && before) {
    if (before.status === 'pending' && first.status === 'confirmed') to(first.userId, 'booking.approved');
    else if (before.status === 'pending' && first.status === 'rejected') to(first.userId, 'booking.rejected');
    else if (first.startMs !== before.startMs || first.endMs !== before.endMs || first.quantity !== before.quantity) {
      to(first.userId, first.status === 'pending' ? 'booking.pending' : 'booking.confirmed');
      if (first.status === 'pending') approvalRequested();
    }
  } else if (event === 'cancelled') {
    // Per booker (a series may hold occurrences booked by several people); one's own cancellation needs no mail.
    const byBooker = new Map<number, BookingRow[]>();
    for (const r of rows) if (r.userId !== actor.userId) byBooker.set(r.userId, [...(byBooker.get(r.userId) ?? []), r]);
    for (const [userId, own] of byBooker) to(userId, 'booking.cancelled', own);
  }
  return out;
}
