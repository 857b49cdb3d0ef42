import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';

/**
 * In-memory copies of what rarely changes and every request reads: the pole's settings and time zone, the
 * closed months, members, users (the member of a signed-in user) and resources' booking rules. One cache per
 * SQLite connection, keyed by slot (what kind of row) and key (which one).
 *
 * Invalidation is by the database, not by remembering to call something after each write: triggers on the
 * cached tables (migration 0007) change `reference_version.stamp` in the same transaction as any write to
 * them, whoever writes: a route, a CLI script, a test's raw SQL, another connection or another process.
 * `referenceCache(sqlite)` reads that stamp (one primary-key read, ~1 µs) and drops every cached entry when it
 * moved. Called inside a transaction it sees the transaction's own writes and, under the IMMEDIATE lock,
 * nobody else's can come in between: what it returns is what the transaction would read from the tables.
 * The stamp is random, so a rolled-back write (whose entries may have been cached) never comes back as current.
 *
 * Cached values are shared across requests: they are frozen, and loaders return plain data.
 */
type Stamp = number | bigint | null;

interface ConnectionCache {
  readStamp: Statement<[], number | bigint>;
  stamp: Stamp;
  slots: Map<string, Map<unknown, unknown>>;
  api: ReferenceCache;
}

export interface ReferenceCache {
  /** The value of `key` in `slot`, loaded by `load` on a miss; `undefined` (no such row) is cached too. */
  get<V>(slot: string, key: unknown, load: () => V): V;
}

/** A slot never holds more entries than this (ids asked for that do not exist are cached as misses). */
const MAX_ENTRIES_PER_SLOT = 10_000;

const caches = new WeakMap<Sqlite, ConnectionCache>();
let enabled = true;

/** Turns caching off (every `get` loads) or back on: tests compare cached output with uncached output. */
export function setReferenceCacheEnabled(on: boolean): void {
  enabled = on;
}

/** Whether caches that share values across requests may serve them (see setReferenceCacheEnabled). */
export function cachingEnabled(): boolean {
  return enabled;
}

const uncached: ReferenceCache = { get: (_slot, _key, load) => load() };

function connectionCache(sqlite: Sqlite): ConnectionCache {
  let c = caches.get(sqlite);
  if (!c) {
    const readStamp = sqlite.prepare('SELECT stamp FROM reference_version WHERE id = 1').pluck() as Statement<[], number | bigint>;
    const slots = new Map<string, Map<unknown, unknown>>();
    const api: ReferenceCache = {
      get<V>(slot: string, key: unknown, load: () => V): V {
        let entries = slots.get(slot);
        if (!entries) slots.set(slot, (entries = new Map()));
        if (entries.has(key)) return entries.get(key) as V;
        const value = deepFreeze(load());
        if (entries.size >= MAX_ENTRIES_PER_SLOT) entries.clear();
        entries.set(key, value);
        return value;
      },
    };
    c = { readStamp, stamp: null, slots, api };
    caches.set(sqlite, c);
  }
  return c;
}

/** Freezes a cached value all the way down: a caller that changed it would change every later answer. */
export function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** The cache of this connection, emptied first if the cached tables changed since it was filled. */
export function referenceCache(sqlite: Sqlite): ReferenceCache {
  if (!enabled) return uncached;
  const c = connectionCache(sqlite);
  const stamp = c.readStamp.get() ?? null;
  // No version row (a database the migration has not reached): nothing can tell us when to drop entries.
  if (stamp === null) return uncached;
  if (stamp !== c.stamp) {
    c.slots.clear();
    c.stamp = stamp;
  }
  return c.api;
}
