/**
 * Online backup of the database with SQLite's backup API, safe while the server runs and writes:
 *   npm run backup -- --to FILE [--db PATH] [--force]
 * The source is --db, else MUTUALISE_DB, else ./data/mutualise.sqlite. The copy is written next to FILE,
 * checked (integrity_check, foreign keys) and only then renamed to FILE, so FILE is never a half-written
 * database. Exit codes: 0 done, 1 the copy failed its check, 2 bad usage.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { backupDatabase } from '../db/backup';

export { backupDatabase, checkDatabase, type BackupProgress, type BackupResult } from '../db/backup';

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
