import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import { cachingEnabled, deepFreeze } from '../shared/reference-cache';

/**
 * A month's allocation, computed once and served again while the database has not changed. Statements, the
 * allocation views and revenue titles each asked for the whole pole's allocation at every call (six concurrent
 * statements delayed `GET /api/me` by 0.69 s on the demo pole).
 *
 * "Not changed" is read from SQLite itself, not from remembering to invalidate after each write: the stamp is
 * this connection's `total_changes()` (every row it ever inserted, updated or deleted, rolled back or not) with
 * `PRAGMA data_version` (moves when another connection or process commits). Any write to any table, including
 * tables added later, moves it; so the cache can only be too cautious, never stale. Inside a transaction an
 * entry whose stamp still matches is served (the transaction has written nothing since, and its snapshot is what
 * the entry was computed from), but nothing is stored: what it computes may be rolled back while the change
 * counter stays moved, or come from a snapshot older than the stamp read beside it.
 */
interface ConnectionEntries {
  totalChanges: Statement<[], number | bigint>;
  dataVersion: Statement<[], number | bigint>;
  months: Map<string, { stamp: string; value: unknown }>;
}

const connections = new WeakMap<Sqlite, ConnectionEntries>();

let enabled = true;

/** Turns this cache alone off or on (the allocation bench compares both; tests use setReferenceCacheEnabled). */
export function setAllocationCacheEnabled(on: boolean): void {
  enabled = on;
}

/** Months kept per connection: a year of views and a few more. */
const MAX_MONTHS = 24;

function entriesOf(sqlite: Sqlite): ConnectionEntries {
  let c = connections.get(sqlite);
  if (!c) {
    c = {
      totalChanges: sqlite.prepare('SELECT total_changes()').pluck() as Statement<[], number | bigint>,
      dataVersion: sqlite.prepare('PRAGMA data_version').pluck() as Statement<[], number | bigint>,
      months: new Map(),
    };
    connections.set(sqlite, c);
  }
  return c;
}

/** The allocation of `month` from the cache when nothing was written since it was computed, else from `compute`. */
export function cachedAllocation<V>(sqlite: Sqlite, month: string, compute: () => V): V {
  if (!enabled || !cachingEnabled()) return compute();
  const c = entriesOf(sqlite);
  const stamp = `${c.totalChanges.get()}:${c.dataVersion.get()}`;
  const hit = c.months.get(month);
  if (hit && hit.stamp === stamp) return hit.value as V;
  if (sqlite.inTransaction) return compute();
  const value = deepFreeze(compute());
  if (c.months.size >= MAX_MONTHS && !c.months.has(month)) c.months.delete(c.months.keys().next().value!);
  c.months.set(month, { stamp, value });
  return value;
}
