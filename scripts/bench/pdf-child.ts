/**
 * Child process of the PDF bench (pinned to a core): closes a month on a copy of a small bench pole to get real
 * issued invoices, then renders them alternately with the real renderer (documents/invoice renderInvoicePdf) and
 * with a bare pdfkit page: the same DejaVu faces parsed once, the same strings (title, both parties, a table of
 * the same rows and columns, totals, mentions) placed with plain doc.text calls, no layout layer.
 * A third variant renders the same invoices as Factur-X e-invoices (CII XML + the same page as a PDF/A-3b
 * carrying it), against the plain invoice PDF of the same run.
 * Usage: pdf-child.ts '<json {base, work, month, now, runs, perRun}>'. Prints one JSON line.
 */
import { openStore } from '../../db/index';
import { closeMonth } from '../../server/closing/service';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { renderInvoicePdf, type InvoiceDocument } from '../../server/documents/invoice';
import { facturxSource, renderFacturX, type FacturXSource } from '../../server/einvoice/facturx';
import { invoiceRepository } from '../../server/invoices/repository';
import { manualClock } from '../../server/shared/clock';
import { barePdf } from './bare-pdf';
import { copyDb } from './fixtures';

const { base, work, month, now, runs, perRun } = JSON.parse(process.argv[2] ?? '{}') as {
  base: string;
  work: string;
  month: string;
  now: string;
  runs: number;
  perRun: number;
};

const store = openStore(copyDb(base, work));
const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock: manualClock(now), config: { ...defaultConfig, dbPath: work, demo: false } };
closeMonth(ctx, { month, actor: null });
const repo = invoiceRepository(store.sqlite);
const docs: FacturXSource[] = repo.list({ month }).map((r) => facturxSource(r, (id) => repo.find(id)));
store.close();
if (docs.length === 0) throw new Error('the close issued no invoice');
const POLE = 'Pôle de mesure';

const real = (d: InvoiceDocument) => renderInvoicePdf(d, POLE);
const facturx = async (d: FacturXSource) => (await renderFacturX(d, POLE)).pdf;
const variants = { bare: barePdf, real, facturx } as const;
const times: Record<keyof typeof variants, number[]> = { bare: [], real: [], facturx: [] };
const bytes: Record<keyof typeof variants, number> = { bare: 0, real: 0, facturx: 0 };
let next = 0;
// Run 0 warms the JIT, the glyph layout caches and the font subsetter; it is not counted.
for (let run = 0; run <= runs; run++) {
  for (const name of ['bare', 'real', 'facturx'] as const) {
    const start = next;
    const t0 = performance.now();
    for (let i = 0; i < perRun; i++) {
      const pdf = await variants[name](docs[(start + i) % docs.length]!);
      if (run === 1 && i === 0) bytes[name] = pdf.length;
    }
    const ms = (performance.now() - t0) / perRun;
    if (run > 0) times[name].push(ms);
  }
  next += perRun;
  if (run > 0) process.stderr.write(`    run ${run}/${runs}: bare ${times.bare.at(-1)!.toFixed(2)} ms, real ${times.real.at(-1)!.toFixed(2)} ms, Factur-X ${times.facturx.at(-1)!.toFixed(2)} ms per PDF\n`);
}
const lines = docs.reduce((a, d) => a + d.lines.length, 0) / docs.length;
process.stdout.write(`${JSON.stringify({ times, bytes, invoices: docs.length, linesPerInvoice: lines })}\n`);
