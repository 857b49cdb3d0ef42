import type { Statement, Transaction } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { BookingStatus } from '../../db/schema/enums';
import type { Allowance } from '../resources/allowance';
import type { OpeningHours } from '../resources/opening-hours';
import type { StoredBlackout } from '../resources/repository';
import { referenceCache } from '../shared/reference-cache';
import type { BookableResource, Load } from './rules';

/**
 * The booking SQL, all prepared once per connection: the overlap check and availability are hot paths.
 * Overlap queries bound `start_ms` from below by the resource's longest booking so that they walk the
 * (resource_id, start_ms) index: start_ms < :to AND start_ms > :from - longest AND end_ms > :from.
 * The bound is read in the same statement, so bookings inserted earlier in the same transaction count.
 */

export interface BookingRow {
  id: number;
  resourceId: number;
  memberId: number;
  userId: number;
  startMs: number;
  endMs: number;
  quantity: number;
  note: string | null;
  status: BookingStatus;
  seriesId: number | null;
  originalStartMs: number | null;
  sequence: number;
  createdAt: number;
  updatedAt: number;
}

/** A row to insert: everything but the id and the iCal sequence, which starts at 0. */
export type NewBooking = Omit<BookingRow, 'id' | 'sequence'>;

/** A resource as the booking rules see it. */
export interface ResourceForBooking extends BookableResource {
  id: number;
  kind: string;
  /** Its name, for the mails a booking change sends (frozen with the change). */
  name: string;
  requiresApproval: boolean;
  allowance: Allowance | null;
}

interface RawResource {
  id: number;
  capacity: number;
  granularity_minutes: number;
  min_minutes: number | null;
  max_minutes: number | null;
  opening_hours: string | null;
  blackouts: string;
  horizon_days: number;
  requires_approval: number;
  active: number;
  kind: string;
  name: string;
  allowance: string | null;
}

const COLS = `id, resource_id AS resourceId, member_id AS memberId, user_id AS userId, start_ms AS startMs, end_ms AS endMs,
  quantity, note, status, series_id AS seriesId, original_start_ms AS originalStartMs, sequence,
  created_at AS createdAt, updated_at AS updatedAt`;
const ACTIVE = `status IN ('pending', 'confirmed')`;
const RANGE = `start_ms < @to AND end_ms > @from`;
const LIST_FILTERS = `(@memberId IS NULL OR member_id = @memberId) AND (@status IS NULL OR status = @status)`;

interface ListParams {
  from: number;
  to: number;
  memberId: number | null;
  status: BookingStatus | null;
}

function prepare(sqlite: Sqlite) {
  return {
    resource: sqlite.prepare(
      `SELECT id, capacity, granularity_minutes, min_minutes, max_minutes, opening_hours, blackouts, horizon_days,
              requires_approval, active, kind, name, allowance FROM resources WHERE id = ?`,
    ) as Statement<[number], RawResource>,
    member: sqlite.prepare('SELECT id, name, left_on AS leftOn FROM members WHERE id = ?') as Statement<[number], { id: number; name: string; leftOn: string | null }>,
    overlapping: sqlite.prepare(
      `SELECT id, start_ms AS start, end_ms AS end, quantity FROM bookings
        WHERE resource_id = @resourceId AND ${RANGE}
          AND start_ms > @from - (SELECT longest_booking_ms FROM resources WHERE id = @resourceId)
          AND ${ACTIVE}`,
    ) as Statement<[{ resourceId: number; from: number; to: number }], Load & { id: number }>,
    byId: sqlite.prepare(`SELECT ${COLS} FROM bookings WHERE id = ?`) as Statement<[number], BookingRow>,
    insert: sqlite.prepare(
      `INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, note, status, series_id,
         original_start_ms, sequence, created_at, updated_at)
       VALUES (@resourceId, @memberId, @userId, @startMs, @endMs, @quantity, @note, @status, @seriesId,
         @originalStartMs, 0, @createdAt, @updatedAt)`,
    ) as Statement<[NewBooking]>,
    update: sqlite.prepare(
      `UPDATE bookings SET start_ms = @startMs, end_ms = @endMs, quantity = @quantity, note = @note, status = @status,
         sequence = sequence + 1, updated_at = @updatedAt
       WHERE id = @id RETURNING ${COLS}`,
    ) as Statement<
      [{ id: number; startMs: number; endMs: number; quantity: number; note: string | null; status: BookingStatus; updatedAt: number }],
      BookingRow
    >,
    insertSeries: sqlite.prepare(
      'INSERT INTO booking_series (resource_id, member_id, rule, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    ).pluck() as Statement<[number, number, string, number], number>,
    seriesFrom: sqlite.prepare(
      `SELECT ${COLS} FROM bookings WHERE series_id = ? AND start_ms >= ? AND ${ACTIVE} ORDER BY start_ms, id`,
    ) as Statement<[number, number], BookingRow>,
    listByResource: sqlite.prepare(
      `SELECT ${COLS} FROM bookings
        WHERE resource_id = @resourceId AND ${RANGE}
          AND start_ms > @from - (SELECT longest_booking_ms FROM resources WHERE id = @resourceId)
          AND ${LIST_FILTERS}
        ORDER BY start_ms, id`,
    ) as Statement<[ListParams & { resourceId: number }], BookingRow>,
    listAll: sqlite.prepare(
      `SELECT ${COLS} FROM bookings
        WHERE ${RANGE} AND start_ms > @from - (SELECT coalesce(max(longest_booking_ms), 0) FROM resources)
          AND ${LIST_FILTERS}
        ORDER BY start_ms, id`,
    ) as Statement<[ListParams], BookingRow>,
    memberMinutes: sqlite.prepare(
      `SELECT coalesce(sum((min(end_ms, @to) - max(start_ms, @from)) / 60000 * quantity), 0) FROM bookings
        WHERE resource_id = @resourceId AND member_id = @memberId AND ${RANGE}
          AND start_ms > @from - (SELECT longest_booking_ms FROM resources WHERE id = @resourceId)
          AND ${ACTIVE} AND id != @excludeId`,
    ).pluck() as Statement<[{ resourceId: number; memberId: number; from: number; to: number; excludeId: number }], number>,
    activeEndingAfter: sqlite.prepare(
      `SELECT start_ms AS start, end_ms AS end, quantity FROM bookings WHERE resource_id = ? AND end_ms > ? AND ${ACTIVE}`,
    ) as Statement<[number, number], Load>,
  };
}

type Statements = ReturnType<typeof prepare>;
const cache = new WeakMap<Sqlite, Statements>();

export function statements(sqlite: Sqlite): Statements {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
}

const runners = new WeakMap<Sqlite, Transaction<(fn: () => unknown) => unknown>>();
/**
 * Runs `fn` in an IMMEDIATE transaction (the write lock is taken before the first read, so that check-then-write
 * cannot interleave with another connection). The wrapper is built once per connection: better-sqlite3's
 * `transaction()` costs a few µs each time it is called. `fn` must be synchronous.
 */
export function immediate<T>(sqlite: Sqlite, fn: () => T): T {
  let run = runners.get(sqlite);
  if (!run) runners.set(sqlite, (run = sqlite.transaction((f: () => unknown) => f())));
  return run.immediate(fn) as T;
}

export { poleZone } from '../pole/repository';

function toBookable(raw: RawResource): ResourceForBooking {
  const stored = JSON.parse(raw.blackouts) as StoredBlackout[];
  return {
    id: raw.id,
    capacity: raw.capacity,
    granularityMinutes: raw.granularity_minutes,
    minMinutes: raw.min_minutes,
    maxMinutes: raw.max_minutes,
    openingHours: raw.opening_hours === null ? null : (JSON.parse(raw.opening_hours) as OpeningHours | null),
    blackouts: stored.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end), ...(b.reason ? { reason: b.reason } : {}) })),
    horizonDays: raw.horizon_days,
    requiresApproval: raw.requires_approval === 1,
    active: raw.active === 1,
    kind: raw.kind,
    name: raw.name,
    allowance: raw.allowance === null ? null : (JSON.parse(raw.allowance) as Allowance | null),
  };
}

/** A resource's booking rules, parsed, from the reference cache (frozen). */
export function resourceForBooking(sqlite: Sqlite, id: number): ResourceForBooking | undefined {
  return referenceCache(sqlite).get('resource.booking', id, () => {
    const raw = statements(sqlite).resource.get(id);
    return raw && toBookable(raw);
  });
}

/** A member's id, name and leaving date, from the reference cache. */
export const findMemberForBooking = (sqlite: Sqlite, id: number): { id: number; name: string; leftOn: string | null } | undefined =>
  referenceCache(sqlite).get('member.booking', id, () => statements(sqlite).member.get(id));

/** Pending and confirmed bookings of the resource that overlap [from, to). */
export const overlappingLoads = (sqlite: Sqlite, resourceId: number, from: number, to: number) =>
  statements(sqlite).overlapping.all({ resourceId, from, to });

export const findBooking = (sqlite: Sqlite, id: number) => statements(sqlite).byId.get(id);

/** Inserts a booking and returns its row, built from what was written (no RETURNING: no column is computed). */
export function insertBooking(sqlite: Sqlite, row: NewBooking): BookingRow {
  const id = Number(statements(sqlite).insert.run(row).lastInsertRowid);
  return { id, ...row, sequence: 0 };
}

export const updateBooking = (
  sqlite: Sqlite,
  row: { id: number; startMs: number; endMs: number; quantity: number; note: string | null; status: BookingStatus; updatedAt: number },
) => statements(sqlite).update.get(row)!;

export const insertSeries = (sqlite: Sqlite, resourceId: number, memberId: number, rule: unknown, createdAt: number) =>
  statements(sqlite).insertSeries.get(resourceId, memberId, JSON.stringify(rule), createdAt)!;

/** Pending or confirmed occurrences of a series starting at or after `fromMs`. */
export const seriesOccurrencesFrom = (sqlite: Sqlite, seriesId: number, fromMs: number) => statements(sqlite).seriesFrom.all(seriesId, fromMs);

export function listBookingsInRange(
  sqlite: Sqlite,
  q: { from: number; to: number; resourceId?: number; memberId?: number; status?: BookingStatus },
): BookingRow[] {
  const params: ListParams = { from: q.from, to: q.to, memberId: q.memberId ?? null, status: q.status ?? null };
  const s = statements(sqlite);
  return q.resourceId === undefined ? s.listAll.all(params) : s.listByResource.all({ ...params, resourceId: q.resourceId });
}

/** Pending and confirmed bookings of the resource still running or to come at `now`. */
export const activeLoadsEndingAfter = (sqlite: Sqlite, resourceId: number, now: number) => statements(sqlite).activeEndingAfter.all(resourceId, now);

/** A member's pending and confirmed minutes × quantity on the resource within [from, to), clipped to it (`excludeId`: a booking being moved). */
export const memberMinutesInRange = (sqlite: Sqlite, q: { resourceId: number; memberId: number; from: number; to: number; excludeId?: number }) =>
  statements(sqlite).memberMinutes.get({ ...q, excludeId: q.excludeId ?? 0 })!;
