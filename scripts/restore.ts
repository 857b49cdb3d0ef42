/**
 * Restores the database from a backup, with the server stopped:
 *   npm run restore -- --from FILE [--db PATH] [--dry-run]
 * The backup is copied beside the database, checked there (integrity_check, foreign keys, migrated to this
 * version, every invoice series and hash chain verified) and only then put in place; the database it replaces
 * is kept as PATH.before-restore-<time>. A backup that fails any check replaces nothing.
 * With --dry-run it stops after the checks.
 * Exit codes: 0 restored (or checked), 1 the backup failed a check, 2 bad usage.
 */
import Database from 'better-sqlite3';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { backupDatabase, checkDatabase } from '../db/backup';
import { migrationStatus, openStore } from '../db/index';
import { checkIntegrity } from '../server/closing/integrity';
import { configFromEnv } from '../server/config';
import { systemClock } from '../server/shared/clock';
import { fail, parseArgs } from './args';

const args = parseArgs(process.argv.slice(2));
if (typeof args.from !== 'string') fail('Usage: npm run restore -- --from FILE [--db PATH] [--dry-run]');
const config = configFromEnv();
const from = resolve(args.from);
const target = resolve(typeof args.db === 'string' ? args.db : config.dbPath);
if (!existsSync(from)) fail(`No backup at ${from}`);
if (from === target) fail('The backup is the database itself');

const step = (n: number, text: string) => console.log(`[${n}/5] ${text}`);
const staged = `${target}.restore-partial`;
const refuse = (reason: string): never => {
  rmSync(staged, { force: true });
  for (const suffix of ['-wal', '-shm']) rmSync(staged + suffix, { force: true });
  console.error(`Restore refused, nothing replaced: ${reason}`);
  process.exit(1);
};

step(1, `copying ${from} beside the database…`);
try {
  // The backup API reads a consistent copy even of a database with a WAL beside it.
  await backupDatabase(from, staged);
} catch (err) {
  refuse(`the backup cannot be read as a sound SQLite database (${(err as Error).message})`);
}

step(2, 'integrity and foreign-key checks…');
const problems = checkDatabase(staged);
if (problems.length) refuse(problems.slice(0, 5).join('; '));

step(3, 'schema version…');
{
  const probe = new Database(staged, { readonly: true });
  const before = migrationStatus(probe);
  probe.close();
  if (before.applied > before.known) refuse(`the backup comes from a newer version (${before.applied} migrations, this one knows ${before.known})`);
  if (before.applied === 0) refuse('the file holds no Mutualise database (no migrations recorded)');
}

step(4, 'invoice series and hash chains…');
{
  const store = openStore(staged); // applies this version's newer migrations, as a start would
  try {
    const report = checkIntegrity({ store, db: store.db, sqlite: store.sqlite, clock: systemClock, config });
    if (!report.ok) refuse(`${report.problems.length} problem(s) in the documents, first: ${report.problems[0]!.number}: ${report.problems[0]!.reason}`);
    const users = store.sqlite.prepare('SELECT count(*) AS n FROM users').get() as { n: number };
    console.log(`      ${report.documents} document(s) verified, ${users.n} user(s)`);
    store.sqlite.pragma('journal_mode = DELETE'); // one self-contained file to move into place
  } finally {
    store.close();
  }
}

if (args['dry-run']) {
  rmSync(staged, { force: true });
  console.log(`[5/5] checks passed; --dry-run: ${target} left as it was.`);
  process.exit(0);
}
step(5, `replacing ${target}…`);
if (existsSync(target)) {
  const kept = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  await backupDatabase(target, kept);
  console.log(`      the replaced database is kept as ${kept}`);
}
for (const suffix of ['-wal', '-shm']) rmSync(target + suffix, { force: true });
renameSync(staged, target);
console.log(`Restored ${target} from ${from}. Start the server.`);
