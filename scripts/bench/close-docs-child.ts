/**
 * Child process of the close-with-documents bench: on fresh copies of one bench pole, times what
 * `POST /api/closings` does — the close's transaction (allocation + invoicing), then the rendering and storing
 * of every issued document (Factur-X or plain PDF, frozen with its digest chain), then the month's statements
 * and summary (version 1) — and, on the same invoices, the bare work: the usage GROUP BY and a bare pdfkit page
 * per invoice. Each run closes twice (fresh copies): with the server's render workers, and on one thread.
 * Usage: close-docs-child.ts '<json {base, work, month, now, runs}>'. Prints one JSON line.
 */
import { openStore } from '../../db/index';
import { closeMonth } from '../../server/closing/service';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { freezeIssued } from '../../server/documents/frozen';
import { defaultRenderWorkers, setRenderWorkers, stopRenderWorkers } from '../../server/documents/render-pool';
import { recordMonthVersions } from '../../server/documents/versions';
import { facturxSource } from '../../server/einvoice/facturx';
import { invoiceRepository } from '../../server/invoices/repository';
import { manualClock } from '../../server/shared/clock';
import { monthRange } from '../../server/shared/time';
import { barePdf } from './bare-pdf';
import { BENCH_ZONE, copyDb } from './fixtures';
import { usageGroupBy } from './usage-sql';

const { base, work, month, now, runs } = JSON.parse(process.argv[2] ?? '{}') as { base: string; work: string; month: string; now: string; runs: number };
/** The server's render threads (one per core); the documents are also timed rendered on the close's own thread. */
const WORKERS = defaultRenderWorkers();

export interface CloseDocsRun {
  /** The whole close with documents rendered on the close's own thread (no render workers). */
  inThreadMs: number;
  closeMs: number;
  documentsMs: number;
  versionsMs: number;
  totalMs: number;
  groupByMs: number;
  bareDocumentsMs: number;
}

const range = monthRange(month, BENCH_ZONE);
const out: CloseDocsRun[] = [];
let invoices = 0;
let stored = 0;
let facturx = 0;
async function closeWithDocuments(workers: number) {
  setRenderWorkers(workers);
  const store = openStore(copyDb(base, work));
  const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock: manualClock(now), config: { ...defaultConfig, dbPath: work, demo: false } };
  const longest = store.sqlite.prepare('SELECT coalesce(max(longest_booking_ms), 0) FROM resources').pluck().get() as number;
  const stmt = store.sqlite.prepare(usageGroupBy());
  let t = performance.now();
  stmt.all({ start: range.startMs, end: range.endMs, lower: range.startMs - longest - 1 });
  const groupByMs = performance.now() - t;

  t = performance.now();
  const closed = closeMonth(ctx, { month, actor: null });
  const closeMs = performance.now() - t;
  t = performance.now();
  await freezeIssued(ctx, closed.invoices.map((i) => i.id));
  const documentsMs = performance.now() - t;
  t = performance.now();
  await recordMonthVersions(ctx, month, { reason: 'close' });
  const versionsMs = performance.now() - t;
  setRenderWorkers(0);

  const repo = invoiceRepository(store.sqlite);
  const docs = repo.list({ month }).map((r) => facturxSource(r, (id) => repo.find(id)));
  t = performance.now();
  for (const d of docs) await barePdf(d);
  const bareDocumentsMs = performance.now() - t;

  invoices = closed.invoices.length;
  stored = store.sqlite.prepare('SELECT count(*) FROM issued_documents').pluck().get() as number;
  facturx = store.sqlite.prepare("SELECT count(*) FROM issued_documents WHERE format = 'facturx'").pluck().get() as number;
  store.close();
  return { closeMs, documentsMs, versionsMs, totalMs: closeMs + documentsMs + versionsMs, groupByMs, bareDocumentsMs };
}

// Run 0 warms the JIT, the font parsing and the glyph caches (and starts the workers); it is not counted.
for (let run = 0; run <= runs; run++) {
  const inThread = await closeWithDocuments(0);
  const r = await closeWithDocuments(WORKERS);
  if (run === 0) continue;
  out.push({ ...r, inThreadMs: inThread.totalMs });
  process.stderr.write(
    `    run ${run}/${runs}: close ${r.closeMs.toFixed(0)} ms + documents ${r.documentsMs.toFixed(0)} ms + statements ${r.versionsMs.toFixed(0)} ms = ${r.totalMs.toFixed(0)} ms with ${WORKERS} render worker(s) (${inThread.totalMs.toFixed(0)} ms without); bare: GROUP BY ${r.groupByMs.toFixed(1)} ms, pages ${r.bareDocumentsMs.toFixed(0)} ms\n`,
  );
}
await stopRenderWorkers();
if (invoices === 0) throw new Error('the close issued no invoice');
process.stdout.write(`${JSON.stringify({ runs: out, invoices, stored, facturx, workers: WORKERS })}\n`);
