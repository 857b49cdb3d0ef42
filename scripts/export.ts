/**
 * Exports every document of a closed month, as `GET /api/closings/:month/export.zip` does:
 *   npm run export -- --month 2026-10 --out DIR [--pdfs]
 * Writes DIR/mutualise-2026-10.zip (the pole summary, each member's statement, each invoice and credit note
 * as a Factur-X PDF with its XML beside it, and a manifest with the SHA-256 of every file); --pdfs also writes the files themselves under DIR. The
 * database is MUTUALISE_DB (default ./data/mutualise.sqlite); it may run while the server runs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { openStore } from '../db/index';
import { configFromEnv } from '../server/config';
import type { AppContext } from '../server/context';
import { exportMonth, type ExportProgress } from '../server/documents/export';
import { ensurePole } from '../server/pole/repository';
import { systemClock } from '../server/shared/clock';
import { isAppError } from '../server/shared/errors';
import { MONTH_PATTERN } from '../server/shared/time';
import { fail, parseArgs } from './args';

const USAGE = 'Usage: npm run export -- --month YYYY-MM --out DIR [--pdfs]';
const args = parseArgs(process.argv.slice(2));
const month = typeof args.month === 'string' ? args.month : fail(USAGE);
const out = typeof args.out === 'string' ? resolve(args.out) : fail(USAGE);
if (!MONTH_PATTERN.test(month)) fail(`Not a month (YYYY-MM): ${month}`);

/** A progress bar on a terminal; one line per file otherwise (logs, CI). */
function progressReporter(stream: NodeJS.WriteStream) {
  const width = 30;
  let last = '';
  return {
    update({ done, total, file }: ExportProgress) {
      const name = file.split('/').slice(1).join('/');
      if (!stream.isTTY) {
        stream.write(`[${String(done).padStart(String(total).length)}/${total}] ${name}\n`);
        return;
      }
      const filled = Math.round((done / total) * width);
      const line = `[${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${String(Math.round((done / total) * 100)).padStart(3)} % ${done}/${total} ${name}`;
      const cols = stream.columns || 100;
      const shown = line.length > cols - 1 ? `${line.slice(0, cols - 2)}…` : line;
      stream.write(`\r${shown.padEnd(Math.max(last.length, shown.length))}`);
      last = shown;
    },
    end() {
      if (stream.isTTY && last) stream.write('\n');
    },
  };
}

const config = configFromEnv();
const store = openStore(config.dbPath);
const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock: systemClock, config };
let code = 0;
try {
  ensurePole(ctx);
  process.stderr.write(`Exporting ${month} from ${config.dbPath}…\n`);
  const progress = progressReporter(process.stderr);
  const started = performance.now();
  const zip = await exportMonth(ctx, month, (p) => progress.update(p));
  progress.end();
  mkdirSync(out, { recursive: true });
  const zipPath = join(out, zip.filename);
  writeFileSync(zipPath, zip.body);
  if (args.pdfs) {
    for (const [path, body] of Object.entries(unzipSync(zip.body))) {
      const target = join(out, path);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, body);
    }
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`${zipPath}: ${zip.files} PDF(s) and ${zip.einvoiceXmls} Factur-X XML, ${(zip.body.length / 1024).toFixed(0)} KiB, in ${seconds} s${args.pdfs ? ` (files also in ${join(out, `mutualise-${month}`)})` : ''}.`);
} catch (err) {
  if (!isAppError(err)) throw err;
  console.error(`Refused (${err.code}): ${err.message}`);
  code = err.status === 409 ? 3 : 2;
} finally {
  store.close();
}
process.exit(code);
