import { eq } from 'drizzle-orm';
import type { Statement } from 'better-sqlite3';
import type { Db, Sqlite } from '../../db/index';
import { pole } from '../../db/schema/index';
import { referenceCache } from '../shared/reference-cache';

export type PoleSettings = typeof pole.$inferSelect;

const POLE_ID = 1;

/** The pole row always exists; a fresh database gets a neutral default that setup or the demo renames. */
export function ensurePole(ctx: { db: Db }): void {
  ctx.db.insert(pole).values({ id: POLE_ID, name: 'Pôle territorial' }).onConflictDoNothing().run();
}

const clientOf = (db: Db): Sqlite => (db as Db & { $client: Sqlite }).$client;

/** The pole's settings, from the reference cache (frozen: spread it to change a copy). */
export function getPole(db: Db): PoleSettings {
  const row = referenceCache(clientOf(db)).get('pole', POLE_ID, () => db.select().from(pole).where(eq(pole.id, POLE_ID)).get());
  if (!row) throw new Error('pole settings row is missing');
  return row;
}

export function updatePole(db: Db, patch: Partial<Omit<PoleSettings, 'id'>>): PoleSettings {
  db.update(pole).set(patch).where(eq(pole.id, POLE_ID)).run();
  return getPole(db);
}

const zoneStatements = new WeakMap<Sqlite, Statement<[], string>>();

/**
 * The pole's time zone, from the reference cache: every booking, availability and month computation asks for
 * it. Europe/Paris is the default of a pole row that does not exist yet.
 */
export function poleZone(sqlite: Sqlite): string {
  return referenceCache(sqlite).get('pole.zone', POLE_ID, () => {
    let statement = zoneStatements.get(sqlite);
    if (!statement) {
      statement = sqlite.prepare('SELECT time_zone FROM pole WHERE id = 1').pluck() as Statement<[], string>;
      zoneStatements.set(sqlite, statement);
    }
    return statement.get() ?? 'Europe/Paris';
  });
}
