/**
 * `npm run bench`: every bench in sequence (HTTP, booking check, month close, PDFs), each one's table on stdout,
 * and as the very last line one JSON object with the headline ratios:
 * {"bookingVsBare","bookingVsHello","bookingP99Ms","availabilityVsBare","closeVsGroupBy","closeRssMb","pdfVsBare","facturxVsPdf"}.
 * Progress goes to stderr. Not part of `npm test`. BENCH_ONLY=http,close narrows the run.
 */
import { runCheck, printCheck } from './check';
import { runClose, printClose } from './close';
import { isMain, machine, note } from './harness';
import { runHttp, printHttp } from './http';
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
  facturxVsPdf: number | null;
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
  };
}

if (isMain(import.meta.url)) {
  const summary = await runAll();
  console.log(JSON.stringify(summary));
}
