/**
 * Close with documents (issue #18): a pole of 60 members, 25 resources (borne by 10 of them, one cost each) and
 * 5,000 bookings in one month (each member using 6 resources), closed the way `POST /api/closings` closes it — the transaction, then every
 * invoice's Factur-X (or plain PDF) rendered and stored, then the month's statements and summary — timed end to
 * end on a fresh copy per run (target < 3 s: `closeWithDocsMs`). Beside it, the bare work on the same data: the
 * usage GROUP BY and a bare pdfkit page per issued invoice, so the close's cost reads as
 * total / (3 × GROUP BY + 1.2 × bare pages) (≤ 1 meets the bound).
 * Run alone: npm run bench:close-docs (BENCH_CLOSE_DOCS_BOOKINGS / _MEMBERS / _RESOURCES to change the pole).
 */
import { join } from 'node:path';
import type { CloseDocsRun } from './close-docs-child';
import { benchTempDir, sharedBenchDb } from './fixtures';
import { isMain, note, RUNS, runNode } from './harness';
import { formatSummary, formatTable, ratio, summarize, type Summary } from './stats';

const MONTH = '2026-01';
const CLOSE_AT = '2026-02-15T10:00:00+01:00';
const MEMBERS = Number(process.env.BENCH_CLOSE_DOCS_MEMBERS ?? 60);
const RESOURCES = Number(process.env.BENCH_CLOSE_DOCS_RESOURCES ?? 25);
const BOOKINGS = Number(process.env.BENCH_CLOSE_DOCS_BOOKINGS ?? 5000);
/**
 * Each member books 6 of the 25 resources: a structure uses a handful of the pole's services, and invoices go
 * from each bearer to each member that used its resources, so this is what sets the number of documents (about
 * 290). BENCH_CLOSE_DOCS_SPREAD=0: every member books every resource (about 580 invoices, the worst case).
 */
const SPREAD = Number(process.env.BENCH_CLOSE_DOCS_SPREAD ?? 6);

export interface CloseDocsSummary {
  members: number;
  resources: number;
  bookings: number;
  invoices: number;
  stored: number;
  facturx: number;
  closeMs: Summary | null;
  documentsMs: Summary | null;
  versionsMs: Summary | null;
  totalMs: Summary | null;
  /** The same close with every document rendered on the close's thread (no render workers). */
  inThreadMs: Summary | null;
  workers: number;
  groupByMs: Summary | null;
  bareDocumentsMs: Summary | null;
  /** Median total, the headline `closeWithDocsMs`. */
  closeWithDocsMs: number | null;
  /** Median of the runs' total / (3 × GROUP BY + 1.2 × bare pages): ≤ 1 meets the bound. */
  vsBound: number | null;
  /** Median documents phase / bare pages of the same invoices. */
  documentsVsBare: number | null;
  error?: string;
}

export async function runCloseDocs(): Promise<CloseDocsSummary> {
  const empty = { members: MEMBERS, resources: RESOURCES, bookings: BOOKINGS, invoices: 0, stored: 0, facturx: 0, workers: 0 };
  const nulls = { closeMs: null, documentsMs: null, versionsMs: null, totalMs: null, inThreadMs: null, groupByMs: null, bareDocumentsMs: null, closeWithDocsMs: null, vsBound: null, documentsVsBare: null };
  note(`Close with documents: ${MEMBERS} members, ${RESOURCES} resources, ${BOOKINGS.toLocaleString('en')} bookings in ${MONTH}…`);
  try {
    const db = await sharedBenchDb({ members: MEMBERS, resources: RESOURCES, bookings: BOOKINGS, month: MONTH, costs: true, bearers: 10, resourcesPerMember: SPREAD || undefined, label: 'close-with-documents pole' });
    const out = (await runNode('close-docs-child.ts', [JSON.stringify({ base: db.path, work: join(benchTempDir(), 'close-docs.sqlite'), month: MONTH, now: CLOSE_AT, runs: RUNS })], {
      // Not pinned to one core: the render workers are meant to use the others.
    })) as unknown as { runs: CloseDocsRun[]; invoices: number; stored: number; facturx: number; workers: number };
    const pick = (k: keyof CloseDocsRun) => summarize(out.runs.map((r) => r[k]));
    const totalMs = pick('totalMs');
    const median = (xs: number[]) => summarize(xs).median;
    return {
      ...empty,
      invoices: out.invoices,
      stored: out.stored,
      facturx: out.facturx,
      workers: out.workers,
      inThreadMs: pick('inThreadMs'),
      closeMs: pick('closeMs'),
      documentsMs: pick('documentsMs'),
      versionsMs: pick('versionsMs'),
      totalMs,
      groupByMs: pick('groupByMs'),
      bareDocumentsMs: pick('bareDocumentsMs'),
      closeWithDocsMs: Math.round(totalMs.median),
      vsBound: median(out.runs.map((r) => r.totalMs / (3 * r.groupByMs + 1.2 * r.bareDocumentsMs))),
      documentsVsBare: ratio(pick('documentsMs').median, pick('bareDocumentsMs').median),
    };
  } catch (error) {
    return { ...empty, ...nulls, error: String((error as Error).message).split('\n').slice(0, 6).join(' ') };
  }
}

export function printCloseDocs(s: CloseDocsSummary): void {
  const spread = SPREAD ? `each member booking ${SPREAD} of them` : 'every member booking every resource';
  console.log(`\nClose with documents: ${s.members} members, ${s.resources} resources (10 bearers), ${s.bookings.toLocaleString('en')} bookings, ${spread}; ${RUNS} runs, ms, median (min–max)`);
  if (s.error) console.log(`close-with-documents bench failed: ${s.error}`);
  if (!s.totalMs) return;
  const row = (label: string, v: Summary | null) => [label, v ? formatSummary(v, 0) : 'n/a'];
  console.log(
    formatTable(
      ['phase', 'ms'],
      [
        row('close transaction (allocation + invoicing)', s.closeMs),
        row(`documents: ${s.stored} issued (${s.facturx} Factur-X), rendered + stored`, s.documentsMs),
        row('statements + summary (version 1)', s.versionsMs),
        row(`total with ${s.workers} render worker(s) (closeWithDocsMs)`, s.totalMs),
        row('total, every document on the close’s thread', s.inThreadMs),
        row('bare: usage GROUP BY', s.groupByMs),
        row(`bare: ${s.invoices} plain pdfkit pages`, s.bareDocumentsMs),
      ],
    ),
  );
  console.log(
    `close with documents: ${s.closeWithDocsMs} ms (target < 3000); documents / bare pages ${s.documentsVsBare?.toFixed(2) ?? 'n/a'}; total / (3 × GROUP BY + 1.2 × bare pages) ${s.vsBound?.toFixed(2) ?? 'n/a'} (≤ 1 meets it)`,
  );
}

if (isMain(import.meta.url)) {
  const s = await runCloseDocs();
  printCloseDocs(s);
  console.log(JSON.stringify({ closeWithDocsMs: s.closeWithDocsMs }));
}
