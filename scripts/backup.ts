/**
 * Online backup of the database with SQLite's backup API, safe while the server runs and writes:
 *   npm run backup -- --to FILE [--db PATH] [--force]
 * The source is --db, else MUTUALISE_DB, else ./data/mutualise.sqlite. The copy is written next to FILE,
 * checked (integrity_check, foreign keys) and only then renamed to FILE, so FILE is never a half-written
 * database. Exit codes: 0 done, 1 the copy failed its check, 2 bad usage.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

function parseArgs(argv: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 0) out[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) out[arg.slice(2)] = argv[++i]!;
    else out[arg.slice(2)] = true;
  }
  return out;
}

async function cli() {
  const args = parseArgs(process.argv.slice(2));
  const usage = 'Usage: npm run backup -- --to FILE [--db PATH] [--force]';
  if (typeof args.to !== 'string') {
    console.error(usage);
    process.exit(2);
  }
  const source = resolve(typeof args.db === 'string' ? args.db : (process.env.MUTUALISE_DB ?? './data/mutualise.sqlite'));
  const target = resolve(args.to);
  if (!existsSync(source)) {
    console.error(`No database at ${source}`);
    process.exit(2);
  }
  if (source === target) {
    console.error('The backup must go to another file than the database itself');
    process.exit(2);
  }
  if (existsSync(target) && !args.force) {
    console.error(`${target} exists: pass --force to replace it`);
    process.exit(2);
  }
  console.log(`Backing up ${source} to ${target}…`);
  let shown = -1;
  let nextMark = 0;
  const interactive = process.stdout.isTTY;
  try {
    const result = await backupDatabase(source, target, {
      onProgress: ({ totalPages, remainingPages }) => {
        const percent = totalPages ? Math.floor(((totalPages - remainingPages) / totalPages) * 100) : 100;
        if (percent === shown) return;
        shown = percent;
        const bar = '#'.repeat(Math.round(percent / 5)).padEnd(20, '.');
        if (interactive) process.stdout.write(`\r  [${bar}] ${String(percent).padStart(3)} %  ${totalPages - remainingPages}/${totalPages} pages`);
        else if (percent >= nextMark) {
          console.log(`  ${String(percent).padStart(3)} %  ${totalPages - remainingPages}/${totalPages} pages`);
          nextMark = Math.floor(percent / 25) * 25 + 25;
        }
      },
    });
    if (interactive) process.stdout.write('\n');
    if (!interactive) console.log(`  100 %  ${result.totalPages}/${result.totalPages} pages`);
    console.log(
      `Backup done: ${result.totalPages} pages, ${(result.bytes / 1024).toFixed(0)} KiB in ${result.ms.toFixed(0)} ms` +
        `${result.restarts ? ` (restarted ${result.restarts}× by concurrent writes)` : ''}; integrity check ok.`,
    );
  } catch (err) {
    if (interactive) process.stdout.write('\n');
    console.error(`Backup failed: ${(err as Error).message}`);
    process.exit(1);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await cli();
