/**
 * PDFs: 1,000 invoice PDFs through the real renderer against a bare pdfkit page with the same fonts (parsed
 * once) and the same strings in a table of the same size; ms per PDF and the ratio; and the same invoices as
 * Factur-X e-invoices (XML + PDF/A-3b) against the plain invoice PDF (facturxVsPdf, target ≤ 1.5). The invoices are real:
 * issued by closing a month of a small bench pole (40 members, 30 resources borne by 8 of them).
 * Run alone: npm run bench:pdf
 */
import { join } from 'node:path';
import { benchTempDir, sharedBenchDb } from './fixtures';
import { isMain, note, RUNS, runNode } from './harness';
import { formatSummary, formatTable, ratio, summarize, type Summary } from './stats';

const TOTAL = Number(process.env.BENCH_PDF_COUNT ?? 1000);
const MONTH = '2026-01';
const CLOSE_AT = '2026-02-15T10:00:00+01:00';

export interface PdfSummary {
  realMs: Summary | null;
  bareMs: Summary | null;
  pdfVsBare: number | null;
  /** A Factur-X e-invoice (XML + PDF/A-3b) against today's plain invoice PDF, same run. */
  facturxMs: Summary | null;
  facturxVsPdf: number | null;
  invoices: number;
  linesPerInvoice: number;
  bytes: { bare: number; real: number; facturx: number } | null;
  count: number;
  error?: string;
}

export async function runPdf(): Promise<PdfSummary> {
  const perRun = Math.max(1, Math.round(TOTAL / RUNS));
  note(`PDF: ${perRun * RUNS} invoice PDFs per variant (${RUNS} runs × ${perRun}), real renderer vs bare pdfkit page…`);
  const db = await sharedBenchDb({ members: 40, resources: 30, bookings: 20_000, month: MONTH, costs: true, bearers: 8, label: 'pdf pole' });
  try {
    const out = (await runNode('pdf-child.ts', [JSON.stringify({ base: db.path, work: join(benchTempDir(), 'pdf.sqlite'), month: MONTH, now: CLOSE_AT, runs: RUNS, perRun })], {
      core: 0,
    })) as { times: { bare: number[]; real: number[]; facturx: number[] }; bytes: { bare: number; real: number; facturx: number }; invoices: number; linesPerInvoice: number };
    const realMs = summarize(out.times.real);
    const bareMs = summarize(out.times.bare);
    const facturxMs = summarize(out.times.facturx);
    return { realMs, bareMs, pdfVsBare: ratio(realMs.median, bareMs.median), facturxMs, facturxVsPdf: ratio(facturxMs.median, realMs.median), invoices: out.invoices, linesPerInvoice: out.linesPerInvoice, bytes: out.bytes, count: perRun * RUNS };
  } catch (error) {
    const message = String((error as Error).message).split('\n').slice(0, 8).join(' ');
    return { realMs: null, bareMs: null, pdfVsBare: null, facturxMs: null, facturxVsPdf: null, invoices: 0, linesPerInvoice: 0, bytes: null, count: 0, error: message };
  }
}

export function printPdf(s: PdfSummary): void {
  console.log(`\nInvoice PDFs: ${s.count} per variant, ${RUNS} runs; ${s.invoices} distinct invoices, ${s.linesPerInvoice.toFixed(1)} lines each; ms per PDF, median (min–max)`);
  if (s.error) console.log(`pdf bench failed: ${s.error}`);
  if (!s.realMs || !s.bareMs) return;
  console.log(
    formatTable(
      ['variant', 'ms per PDF', 'bytes'],
      [
        ['bare pdfkit page', formatSummary(s.bareMs, 2), String(s.bytes?.bare ?? '')],
        ['real renderInvoicePdf', formatSummary(s.realMs, 2), String(s.bytes?.real ?? '')],
        ...(s.facturxMs ? [['Factur-X (XML + PDF/A-3b)', formatSummary(s.facturxMs, 2), String(s.bytes?.facturx ?? '')]] : []),
      ],
    ),
  );
  console.log(`real / bare: ${s.pdfVsBare?.toFixed(2) ?? 'n/a'} (target ≤ 1.0)`);
  console.log(`Factur-X / plain invoice PDF: ${s.facturxVsPdf?.toFixed(2) ?? 'n/a'} (target ≤ 1.5)`);
}

if (isMain(import.meta.url)) {
  const s = await runPdf();
  printPdf(s);
  console.log(JSON.stringify({ pdfVsBare: s.pdfVsBare, pdfMs: s.realMs?.median ?? null, facturxVsPdf: s.facturxVsPdf }));
}
