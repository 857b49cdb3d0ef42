import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MIGRATIONS_FOLDER } from '../server/shared/paths';
import { installAudit, type AuditHooks } from '../server/audit/triggers';
import * as schema from './schema/index';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;
export type Sqlite = Database.Database;

export interface Store {
  sqlite: Sqlite;
  db: Db;
  /** The audit triggers' settings on this connection (buildApp hands them the app's clock). */
  audit: AuditHooks;
  close(): void;
}

export { MIGRATIONS_FOLDER };

/**
 * Opens (or creates) the database, sets the pragmas every connection needs and applies the committed
 * migrations, then installs the audit trail's triggers (server/audit/triggers.ts). `:memory:` gives a private in-memory database (tests).
 */
export function openStore(path: string): Store {
  const sqlite = path === ':memory:' ? migratedInMemory() : openMigrated(path);
  const db = drizzle(sqlite, { schema });
  const audit = installAudit(sqlite);
  return {
    sqlite,
    db,
    audit,
    close() {
      if (!sqlite.open) return;
      if (path !== ':memory:') sqlite.pragma('wal_checkpoint(TRUNCATE)');
      sqlite.close();
    },
  };
}

function openMigrated(path: string): Sqlite {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  applyPragmas(sqlite);
  migrate(drizzle(sqlite, { schema }), { migrationsFolder: MIGRATIONS_FOLDER });
  return sqlite;
}

/**
 * A private in-memory database at this build's schema. Migrating one costs ~0.2 s of CPU and every test builds
 * several, so the first is migrated and serialized, and the next ones are opened from that image: the same
 * pages, hence the same schema, triggers and migration records (tests/unit/memory-store.test.ts compares them).
 */
let migratedImage: Buffer | undefined;
export function migratedInMemory(): Sqlite {
  migratedImage ??= (() => {
    const first = openMigrated(':memory:');
    const image = first.serialize();
    first.close();
    return image;
  })();
  const sqlite = new Database(migratedImage);
  applyPragmas(sqlite);
  return sqlite;
}

/** A fresh in-memory database migrated from the SQL files (what `migratedInMemory` saves doing again). */
export const freshlyMigratedInMemory = (): Sqlite => openMigrated(':memory:');

export function applyPragmas(sqlite: Sqlite): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

export interface MigrationStatus {
  /** Migrations recorded in the database. */
  applied: number;
  /** Migrations this build carries (db/migrations/meta/_journal.json). */
  known: number;
  /** The database's latest migration is this build's latest. */
  current: boolean;
}

/** Whether the database is at this build's schema: for /healthz and for restoring a backup. */
let journal: { entries: { when: number }[] } | undefined;
export function migrationStatus(sqlite: Sqlite): MigrationStatus {
  journal ??= JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, 'meta', '_journal.json'), 'utf8')) as { entries: { when: number }[] };
  const last = journal.entries.at(-1)?.when ?? 0;
  const hasTable = sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get();
  const rows = hasTable ? (sqlite.prepare('SELECT created_at AS at FROM __drizzle_migrations ORDER BY created_at').all() as { at: number }[]) : [];
  return { applied: rows.length, known: journal.entries.length, current: rows.length === journal.entries.length && Number(rows.at(-1)?.at ?? 0) === last };
}
