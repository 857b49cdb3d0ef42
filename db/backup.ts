/**
 * SQLite's online backup, and the check a copy must pass before it counts: used by `npm run backup` and
 * `npm run restore`.
 */
import Database from 'better-sqlite3';
import { renameSync, rmSync, statSync } from 'node:fs';

export interface BackupProgress {
  totalPages: number;
  remainingPages: number;
}

export interface BackupResult {
  target: string;
  totalPages: number;
  bytes: number;
  /** Times SQLite restarted the copy because another connection wrote to the source meanwhile. */
  restarts: number;
  ms: number;
}

/**
 * Copies `source` into `target` page by page. Each step copies `pagesPerStep` pages and yields to the event
 * loop, so other work goes on; when another connection writes meanwhile SQLite restarts the copy, and the
 * step doubles each time so that a busy database still gets a consistent copy (a step covering every page is
 * one read transaction: a snapshot, which WAL lets writers go on beside).
 */
export async function backupDatabase(
  source: string,
  target: string,
  options: { pagesPerStep?: number; onProgress?: (p: BackupProgress) => void } = {},
): Promise<BackupResult> {
  const started = performance.now();
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  const db = new Database(source, { fileMustExist: true });
  let step = Math.max(1, options.pagesPerStep ?? 256);
  let restarts = 0;
  let lastRemaining = Infinity;
  let totalPages = 0;
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(partial, {
      progress: ({ totalPages: total, remainingPages }) => {
        totalPages = total;
        if (remainingPages > lastRemaining) {
          restarts++;
          step *= 2;
        }
        lastRemaining = remainingPages;
        options.onProgress?.({ totalPages: total, remainingPages });
        return step;
      },
    });
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
  const problems = checkDatabase(partial);
  if (problems.length) {
    rmSync(partial, { force: true });
    throw new Error(`the copy failed its check: ${problems.join('; ')}`);
  }
  renameSync(partial, target);
  return { target, totalPages, bytes: statSync(target).size, restarts, ms: performance.now() - started };
}

/** integrity_check and foreign_key_check of a database file: the problems found, none when sound. */
export function checkDatabase(path: string): string[] {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = integrity.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    const orphans = db.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
    for (const o of orphans.slice(0, 10)) problems.push(`${o.table} row ${o.rowid} points to a missing ${o.parent}`);
    return problems;
  } finally {
    db.close();
  }
}
