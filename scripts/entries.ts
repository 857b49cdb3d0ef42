/**
 * Writes a member's accounting entries for a period as a FEC file, as `GET /api/members/:id/entries.fec` does:
 *   npm run entries -- --member ID|SIREN|all --from YYYY-MM-DD --to YYYY-MM-DD --out FILE|DIR
 * With `--member all`, one file per member in DIR ({SIREN}FEC{YYYYMMDD}.txt), with a line per member. Each
 * file is recorded with the account mapping used, like a download. The database is MUTUALISE_DB (default
 * ./data/mutualise.sqlite); it may run while the server runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { openStore } from '../db/index';
import { configFromEnv } from '../server/config';
import type { AppContext } from '../server/context';
import { memberFec } from '../server/accounting/service';
import { ensurePole } from '../server/pole/repository';
import { systemClock } from '../server/shared/clock';
import { isAppError } from '../server/shared/errors';
import { fail, parseArgs } from './args';

const USAGE = 'Usage: npm run entries -- --member ID|SIREN|all --from YYYY-MM-DD --to YYYY-MM-DD --out FILE (a folder with --member all)';
const args = parseArgs(process.argv.slice(2));
const member = typeof args.member === 'string' ? args.member : fail(USAGE);
const out = typeof args.out === 'string' ? resolve(args.out) : fail(USAGE);
const period = { from: typeof args.from === 'string' ? args.from : undefined, to: typeof args.to === 'string' ? args.to : undefined };

const config = configFromEnv();
const store = openStore(config.dbPath);
const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock: systemClock, config };
let code = 0;
try {
  ensurePole(ctx);
  const all = store.sqlite.prepare('SELECT id, siren, name FROM members ORDER BY id').all() as { id: number; siren: string; name: string }[];
  const chosen = member === 'all' ? all : all.filter((m) => String(m.id) === member || m.siren === member.replace(/\s/g, ''));
  if (chosen.length === 0) fail(`No member ${member}`);
  chosen.forEach((m, i) => {
    const file = memberFec(ctx, null, m.id, period);
    const target = member === 'all' ? join(out, file.filename) : out;
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, file.body);
    const prefix = chosen.length > 1 ? `[${String(i + 1).padStart(String(chosen.length).length)}/${chosen.length}] ` : '';
    console.log(`${prefix}${target}: ${m.name}, ${file.entryCount} entr${file.entryCount === 1 ? 'y' : 'ies'} (export #${file.exportId}, sha256 ${file.sha256.slice(0, 12)}…)`);
  });
} catch (err) {
  if (!isAppError(err)) throw err;
  console.error(`Refused (${err.code}): ${err.message}`);
  code = 2;
} finally {
  store.close();
}
process.exit(code);
