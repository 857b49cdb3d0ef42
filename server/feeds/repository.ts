import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { FeedScope } from '../../db/schema/enums';
import type { FeedBooking } from './rules';

export interface FeedRow {
  id: number;
  userId: number;
  scope: FeedScope;
  memberId: number | null;
  resourceId: number | null;
  createdAt: number;
  revokedAt: number | null;
}

/** The feed's owner as it is now: its current role and structure decide what the feed shows. */
export interface FeedOwner {
  id: number;
  name: string;
  role: 'coordinator' | 'member_admin' | 'member';
  memberId: number | null;
  active: boolean;
}

const FEED_COLUMNS = `id, user_id AS userId, scope, member_id AS memberId, resource_id AS resourceId,
  created_at AS createdAt, revoked_at AS revokedAt`;

const BOOKING_COLUMNS = `b.id, b.start_ms AS startMs, b.end_ms AS endMs, b.status, b.series_id AS seriesId,
  b.original_start_ms AS originalStartMs, b.sequence, b.quantity, b.note, b.created_at AS createdAt,
  b.updated_at AS updatedAt, r.name AS resourceName, m.name AS memberName, u.name AS userName`;
const BOOKING_JOINS = `FROM bookings b JOIN resources r ON r.id = b.resource_id JOIN members m ON m.id = b.member_id
  JOIN users u ON u.id = b.user_id`;

/** What a feed selects: the scope decides which filters are set. */
export interface FeedFilter {
  memberId: number | null;
  resourceId: number | null;
  userId: number | null;
}

/** The SQL condition for a filter, and a key naming it (one prepared statement per shape, so each uses its index). */
function filterSql(filter: FeedFilter): { key: string; sql: string } {
  const parts: string[] = [];
  if (filter.memberId !== null) parts.push('b.member_id = :memberId');
  if (filter.resourceId !== null) parts.push('b.resource_id = :resourceId');
  if (filter.userId !== null) parts.push('b.user_id = :userId');
  return { key: parts.join(' AND ') || 'all', sql: parts.join(' AND ') || '1 = 1' };
}

/** Bookings longer than this that started before the window are found only when resources record their longest booking. */
const MIN_LOOKBACK_MS = 7 * 86_400_000;

/** Prepared once per connection: feeds are polled by calendar clients, so serving one is a hot path. */
export function createFeedRepository(sqlite: Sqlite) {
  const insert = sqlite.prepare(
    `INSERT INTO feeds (user_id, scope, member_id, resource_id, token_hash, created_at)
     VALUES (:userId, :scope, :memberId, :resourceId, :tokenHash, :createdAt) RETURNING ${FEED_COLUMNS}`,
  );
  const byId = sqlite.prepare(`SELECT ${FEED_COLUMNS} FROM feeds WHERE id = ?`);
  const byHash = sqlite.prepare(`SELECT ${FEED_COLUMNS} FROM feeds WHERE token_hash = ? AND revoked_at IS NULL`);
  const listAll = sqlite.prepare(`SELECT ${FEED_COLUMNS} FROM feeds WHERE revoked_at IS NULL ORDER BY id`);
  const listOfUser = sqlite.prepare(`SELECT ${FEED_COLUMNS} FROM feeds WHERE revoked_at IS NULL AND user_id = ? ORDER BY id`);
  const revoke = sqlite.prepare('UPDATE feeds SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const owner = sqlite.prepare('SELECT id, name, role, member_id AS memberId, active FROM users WHERE id = ?');
  const longest = sqlite.prepare('SELECT coalesce(max(longest_booking_ms), 0) FROM resources').pluck();
  const statements = new Map<string, { inWindow: Statement; seriesRows: Statement }>();
  const statementsFor = (filter: FeedFilter) => {
    const { key, sql } = filterSql(filter);
    let found = statements.get(key);
    if (!found) {
      // A lower bound on start_ms lets the (member|resource)_start indexes answer with a range scan.
      found = {
        inWindow: sqlite.prepare(
          `SELECT ${BOOKING_COLUMNS} ${BOOKING_JOINS}
            WHERE ${sql} AND b.start_ms < :to AND b.start_ms > :lower AND b.end_ms > :from`,
        ),
        seriesRows: sqlite.prepare(
          `SELECT ${BOOKING_COLUMNS} ${BOOKING_JOINS}
            WHERE b.series_id IN (SELECT value FROM json_each(:ids)) AND ${sql}`,
        ),
      };
      statements.set(key, found);
    }
    return found;
  };
  const seriesRules = sqlite.prepare('SELECT id, rule FROM booking_series WHERE id IN (SELECT value FROM json_each(?))');
  const memberName = sqlite.prepare('SELECT name FROM members WHERE id = ?').pluck();
  const resource = sqlite.prepare('SELECT id, name, active FROM resources WHERE id = ?');

  return {
    insert(row: { userId: number; scope: FeedScope; memberId: number | null; resourceId: number | null; tokenHash: Uint8Array; createdAt: number }): FeedRow {
      return insert.get({ ...row, tokenHash: Buffer.from(row.tokenHash) }) as FeedRow;
    },
    find: (id: number) => byId.get(id) as FeedRow | undefined,
    findActiveByHash: (hash: Uint8Array) => byHash.get(Buffer.from(hash)) as FeedRow | undefined,
    listActive: (userId?: number) => (userId === undefined ? listAll.all() : listOfUser.all(userId)) as FeedRow[],
    revoke: (id: number, at: number) => revoke.run(at, id).changes > 0,
    owner(id: number): FeedOwner | undefined {
      const row = owner.get(id) as (Omit<FeedOwner, 'active'> & { active: number }) | undefined;
      return row && { ...row, active: row.active === 1 };
    },
    memberName: (id: number) => memberName.get(id) as string | undefined,
    resource: (id: number) => resource.get(id) as { id: number; name: string; active: number } | undefined,
    /**
     * Bookings of the filter touching [from, to), plus every row of the series they belong to (so that a
     * series is written whole: RRULE, EXDATE and overrides stay consistent), with the series' rules.
     */
    bookings(filter: FeedFilter, from: number, to: number): { rows: FeedBooking[]; rules: Map<number, unknown> } {
      const stmts = statementsFor(filter);
      const lower = from - Math.max(longest.get() as number, MIN_LOOKBACK_MS);
      const params = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== null));
      const rows = stmts.inWindow.all({ ...params, from, to, lower }) as FeedBooking[];
      const ids = [...new Set(rows.filter((r) => r.seriesId !== null).map((r) => r.seriesId as number))];
      if (ids.length === 0) return { rows, rules: new Map() };
      const seen = new Set(rows.map((r) => r.id));
      for (const r of stmts.seriesRows.all({ ...params, ids: JSON.stringify(ids) }) as FeedBooking[]) {
        if (!seen.has(r.id)) rows.push(r);
      }
      const rules = new Map((seriesRules.all(JSON.stringify(ids)) as { id: number; rule: string }[]).map((r) => [r.id, r.rule]));
      return { rows, rules };
    },
  };
}

export type FeedRepository = ReturnType<typeof createFeedRepository>;
