import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { BookingStatus } from '../../db/schema/enums';
import type { BookingRow } from '../bookings/repository';
import type { Actor } from '../shared/actor';
import type { Clock } from '../shared/clock';
import { bookingNotices, type BookingEvent, type BookingNotice } from './booking-notices';
import { enqueue, mailHostOf } from './enqueue';
import { outboxRepository } from './repository';

/**
 * A notice as stored: a positional array (half the JSON of the object, and half the time to write it, inside
 * every booking's transaction), led by its format's version.
 */
type StoredNotice = [
  version: 1,
  event: BookingEvent,
  zone: string,
  actorId: number,
  actorName: string,
  resourceName: string,
  memberName: string,
  before: [status: BookingStatus, startMs: number, endMs: number, quantity: number] | null,
  bookings: [id: number, userId: number, memberId: number, status: BookingStatus, startMs: number, endMs: number, sequence: number, quantity: number, note: string | null][],
];

export function decodeNotice(payload: string): BookingNotice {
  const [version, event, zone, actorId, actorName, resourceName, memberName, before, bookings] = JSON.parse(payload) as StoredNotice;
  if (version !== 1) throw new Error(`booking notice: unknown format ${String(version)}`);
  return {
    event,
    zone,
    actor: { userId: actorId, name: actorName },
    resourceName,
    memberName,
    ...(before ? { before: { status: before[0], startMs: before[1], endMs: before[2], quantity: before[3] } } : {}),
    bookings: bookings.map(([id, userId, memberId, status, startMs, endMs, sequence, quantity, note]) => ({ id, userId, memberId, status, startMs, endMs, sequence, quantity, note })),
  };
}

/** Prepared once per connection: the insert runs inside every booking's transaction, the rest in each sender pass. */
const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
function prepare(sqlite: Sqlite) {
  return {
    insert: sqlite.prepare("INSERT INTO notices (kind, payload, created_at) VALUES ('booking', ?, ?)") as Statement<[string, number]>,
    any: sqlite.prepare('SELECT 1 FROM notices LIMIT 1').pluck() as Statement<[], number>,
    oldest: sqlite.prepare("SELECT id, payload, created_at AS createdAt FROM notices WHERE kind = 'booking' ORDER BY id LIMIT ?") as Statement<
      [number],
      { id: number; payload: string; createdAt: number }
    >,
    remove: sqlite.prepare('DELETE FROM notices WHERE id = ?') as Statement<[number]>,
  };
}
const stmts = (sqlite: Sqlite) => {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
};

/** Whether the change sends any mail at all, decided from what is in hand (no read): a note edit or one's own cancellation sends none. */
function sendsMail(actor: Actor, event: BookingEvent, rows: readonly BookingRow[], before?: BookingRow): boolean {
  if (event === 'created') return true;
  if (event === 'cancelled') return rows.some((r) => r.userId !== actor.userId);
  const after = rows[0]!;
  return before !== undefined && (before.status !== after.status || before.startMs !== after.startMs || before.endMs !== after.endMs || before.quantity !== after.quantity);
}

/**
 * Called inside the booking's transaction: one compact row in `notices`, committed or rolled back with the
 * booking (a crash loses none, a rollback sends none). Nothing is looked up, rendered or addressed here: the
 * booking path pays one insert into a table with no secondary index (scripts/bench/outbox-costs.ts measured
 * the outbox row's indexes, AUTOINCREMENT and foreign keys as most of what a notification cost the booking).
 */
export function recordBookingNotice(
  ctx: { sqlite: Sqlite; clock: Clock; config: { notifications: boolean } },
  actor: Actor,
  event: BookingEvent,
  rows: readonly BookingRow[],
  /** The names the mails tell, as they are now (asked only when the change sends mail). */
  names: () => { zone: string; resourceName: string; memberName: string },
  before?: BookingRow,
): void {
  if (!ctx.config.notifications || !rows.length || !sendsMail(actor, event, rows, before)) return;
  const n = names();
  const stored: StoredNotice = [
    1,
    event,
    n.zone,
    actor.userId,
    actor.name,
    n.resourceName,
    n.memberName,
    before ? [before.status, before.startMs, before.endMs, before.quantity] : null,
    rows.map((b) => [b.id, b.userId, b.memberId, b.status, b.startMs, b.endMs, b.sequence, b.quantity, b.note]),
  ];
  stmts(ctx.sqlite).insert.run(JSON.stringify(stored), ctx.clock.now());
}

/**
 * Turns waiting notices into outbox rows (recipients, languages, preferences, Message-IDs), oldest first, in
 * one IMMEDIATE transaction that also deletes them: a crash leaves either the notices or their rows, never
 * both or neither, and should two senders expand the same notice, the Message-IDs (the outbox's unique
 * idempotency key) make the second write nothing. Each mail is dated by its change, not by its expansion (a
 * digest row waits for the digest hour after the change). Returns how many notices it expanded.
 */
export function expandNotices(ctx: { sqlite: Sqlite; config: { publicUrl: string } }, limit = 200): number {
  const { sqlite } = ctx;
  const s = stmts(sqlite);
  // Most passes find nothing: a plain read, without taking the write lock.
  if (s.any.get() === undefined) return 0;
  const mailHost = mailHostOf(ctx.config.publicUrl);
  let coordinators: readonly number[] | undefined;
  const coordinatorIds = () => (coordinators ??= outboxRepository(sqlite).coordinatorIds());
  return sqlite
    .transaction(() => {
      const rows = s.oldest.all(limit);
      for (const row of rows) {
        enqueue({ sqlite, clock: { now: () => row.createdAt }, mailHost }, bookingNotices(decodeNotice(row.payload), coordinatorIds));
        s.remove.run(row.id);
      }
      return rows.length;
    })
    .immediate();
}
