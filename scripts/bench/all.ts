/**
 * `npm run bench`: every bench in sequence (HTTP, booking check, month close, PDFs, close with documents, what one server holds), each
 * one's table on stdout, and as the very last line one JSON object with the headline figures:
 * {"bookingVsBare","bookingVsHello","bookingP99Ms","availabilityVsBare","closeVsGroupBy","closeRssMb","pdfVsBare",
 *  "facturxVsPdf","closeWithDocsMs","polesPerServer"}. A figure whose bench is not run (or not built yet) is null.
 * Progress goes to stderr. Not part of `npm test`. BENCH_ONLY=http,close,close-docs,load narrows the run.
 */
import { runCheck, printCheck } from './check';
import { runClose, printClose } from './close';
import { printCloseDocs, runCloseDocs } from './close-docs';
import { isMain, machine, note } from './harness';
import { runHttp, printHttp } from './http';
import { runLoad, printLoad } from './load';
import { runPdf, printPdf } from './pdf';
import { round } from './stats';

export interface BenchSummary {
  bookingVsBare: number | null;
  bookingVsHello: number | null;
  bookingP99Ms: number | null;
  availabilityVsBare: number | null;
  closeVsGroupBy: number | null;
  closeRssMb: number | null;
  pdfVsBare: number | null;
  /** Factur-X PDF/A-3 with its XML against the plain invoice PDF (the PDF bench's). */
  facturxVsPdf: number | null;
  /** A close that renders and stores every document, for a pole of 60 members, 25 resources, 5,000 bookings. */
  closeWithDocsMs: number | null;
  /** Poles of the demo's size one server carries before the p99 of their requests exceeds 100 ms. */
  polesPerServer: number | null;
}

const only = process.env.BENCH_ONLY?.split(',');
const wanted = (name: string) => !only || only.includes(name);

export async function runAll(): Promise<BenchSummary> {
  const m = machine();
  const started = performance.now();
  note(`Mutualise benches on ${m.nproc} × ${m.cpu}, Node ${m.node}${m.pinned ? '' : ' (no core pinning)'}`);
  const summary: BenchSummary = {
    bookingVsBare: null,
    bookingVsHello: null,
    bookingP99Ms: null,
    availabilityVsBare: null,
    closeVsGroupBy: null,
    closeRssMb: null,
    pdfVsBare: null,
    facturxVsPdf: null,
    closeWithDocsMs: null,
    polesPerServer: null,
  };
  // Each section prints its table as soon as it is done, so a long run shows results as it goes.
  if (wanted('http')) {
    const h = await runHttp();
    printHttp(h);
    Object.assign(summary, { bookingVsBare: h.bookingVsBare, bookingVsHello: h.bookingVsHello, bookingP99Ms: h.bookingP99Ms, availabilityVsBare: h.availabilityVsBare });
  }
  if (wanted('check')) printCheck(await runCheck());
  if (wanted('close')) {
    const c = await runClose();
    printClose(c);
    Object.assign(summary, { closeVsGroupBy: c.closeVsGroupBy, closeRssMb: c.closeRssMb });
  }
  if (wanted('pdf')) {
    const p = await runPdf();
    printPdf(p);
    summary.pdfVsBare = p.pdfVsBare;
    summary.facturxVsPdf = p.facturxVsPdf;
  }
  if (wanted('close-docs')) {
    const d = await runCloseDocs();
    printCloseDocs(d);
    summary.closeWithDocsMs = d.closeWithDocsMs;
  }
  if (wanted('load')) {
    const l = await runLoad();
    printLoad(l);
    summary.polesPerServer = l.polesPerServer;
  }
  console.log(`\nMachine: ${m.nproc} cores, ${m.cpu}, Node ${m.node}, ${m.pinned ? 'server and load pinned to separate cores' : 'no core pinning'}; total ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return {
    bookingVsBare: round(summary.bookingVsBare),
    bookingVsHello: round(summary.bookingVsHello),
    bookingP99Ms: round(summary.bookingP99Ms, 1),
    availabilityVsBare: round(summary.availabilityVsBare),
    closeVsGroupBy: round(summary.closeVsGroupBy),
    closeRssMb: round(summary.closeRssMb, 0),
    pdfVsBare: round(summary.pdfVsBare),
    facturxVsPdf: round(summary.facturxVsPdf),
    closeWithDocsMs: round(summary.closeWithDocsMs, 0),
    polesPerServer: summary.polesPerServer,
  };
}

if (isMain(import.meta.url)) {
  const summary = await runAll();
  console.log(JSON.stringify(summary));
}
