/**
 * Closes a month from the command line, as `POST /api/closings` does:
 *   npm run close -- --month 2026-10 [--preview]
 * The database is MUTUALISE_DB (default ./data/mutualise.sqlite). It may run while the server runs: the close
 * is one IMMEDIATE transaction, and SQLite's WAL lets the server keep reading.
 */
import { openStore } from '../db/index';
import { configFromEnv } from '../server/config';
import type { AppContext } from '../server/context';
import { closeMonth, previewClose } from '../server/closing/service';
import { freezeIssued } from '../server/documents/frozen';
import { defaultRenderWorkers, setRenderWorkers, stopRenderWorkers } from '../server/documents/render-pool';
import { recordMonthVersions } from '../server/documents/versions';
import { ensurePole } from '../server/pole/repository';
import { systemClock } from '../server/shared/clock';
import { isAppError } from '../server/shared/errors';
import { fail, parseArgs } from './args';

const args = parseArgs(process.argv.slice(2));
const month = typeof args.month === 'string' ? args.month : fail('Usage: npm run close -- --month YYYY-MM [--preview]');
const euros = (cents: number) => `${(cents / 100).toFixed(2)} €`;

const config = configFromEnv();
const store = openStore(config.dbPath);
setRenderWorkers(config.renderWorkers ?? defaultRenderWorkers());
const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock: systemClock, config };
let code = 0;
try {
  ensurePole(ctx);
  if (args.preview) {
    const preview = previewClose(ctx, month);
    console.log(`Preview of the close of ${month} (${config.dbPath}): ${preview.invoices.length} invoice(s) would be issued.`);
    for (const i of preview.invoices) console.log(`  ${i.number}  ${i.seller.name} → ${i.buyer.name}  ${euros(i.totalInclVatCents)} TTC`);
    for (const w of preview.warnings) console.log(`  ! ${w.message}`);
  } else {
    console.log(`Closing ${month} in ${config.dbPath}…`);
    const result = closeMonth(ctx, { month, actor: null, onProgress: (line) => console.log(line) });
    console.log(`Freezing the ${result.invoices.length} document(s) issued (PDF rendered once and stored)…`);
    const step = Math.max(1, Math.ceil(result.invoices.length / 10));
    await freezeIssued(ctx, result.invoices.map((i) => i.id), (done, total) => {
      if (done % step === 0 || done === total) console.log(`  ${done}/${total} documents stored`);
    });
    console.log('Storing version 1 of the pole summary and of each member’s statement…');
    await recordMonthVersions(ctx, month, { reason: 'close' });
    for (const w of result.warnings) console.log(`  ! ${w.message}`);
    const total = result.invoices.reduce((a, i) => a + i.totalInclVatCents, 0);
    console.log(`${month} is closed: ${result.invoices.length} invoice(s), ${euros(total)} TTC in all.`);
  }
} catch (err) {
  if (!isAppError(err)) throw err;
  console.error(`Refused (${err.code}): ${err.message}`);
  code = err.status === 409 ? 3 : 2;
} finally {
  await stopRenderWorkers();
  store.close();
}
process.exit(code);
