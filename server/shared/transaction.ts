import type { Sqlite } from '../../db/index';

/**
 * Runs `fn` in one IMMEDIATE transaction with synchronous=FULL, so that what it issues (documents, their
 * numbers) survives a power loss once committed; the connection's own setting comes back afterwards. `fn`
 * must be synchronous (better-sqlite3): no await inside.
 */
export function durableTransaction<T>(sqlite: Sqlite, fn: () => T): T {
  const previousSync = sqlite.pragma('synchronous', { simple: true }) as number;
  sqlite.pragma('synchronous = FULL');
  try {
    return sqlite.transaction(fn).immediate();
  } finally {
    sqlite.pragma(`synchronous = ${previousSync}`);
  }
}
