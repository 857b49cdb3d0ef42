import { documentHash, GENESIS_HASH } from '../invoices/chain';
import type { AppContext } from '../context';
import { facturxSource } from '../einvoice/facturx';
import { invoiceRepository } from '../invoices/repository';
import { getPole } from '../pole/repository';
import { conflict, notFound } from '../shared/errors';
import { frozenRecordHash, sha256Bytes, type FrozenContent } from './frozen-chain';
import { frozenRepository, type FrozenRow } from './frozen-repository';
import type { IssuedFiles, SealedDocument } from './issued';
import { render, renderWorkers } from './render-pool';

/**
 * Frozen documents: an invoice or credit note is rendered once, right after the transaction that issues it,
 * and its bytes are stored and served byte-identical forever (payments, exports, restarts and upgrades of
 * pdfkit change nothing). A document issued before frozen documents existed (or whose freeze was cut short
 * by a crash after the commit) is frozen on first use — a download, an export, an outbox — because SQL
 * migrations cannot render a PDF and rendering every old document at start-up would delay every start.
 */

const snapshot = <T>(ctx: AppContext, read: () => T): T => ctx.sqlite.transaction(read)();

type FreezeSource = { source: SealedDocument & { hash: string; number: string }; poleName: string };

/** What a document is rendered from, read in one snapshot and checked against its chain hash. */
function freezeSource(ctx: AppContext, invoiceId: number): FreezeSource {
  return snapshot(ctx, () => {
    const invoices = invoiceRepository(ctx.sqlite);
    const record = invoices.find(invoiceId);
    if (!record) throw notFound('invoice', invoiceId);
    if (documentHash(record) !== record.hash) {
      throw conflict('document.content_tampered', `${record.number}: its stored content no longer matches its hash; it cannot be rendered as issued`, { number: record.number });
    }
    return { source: facturxSource(record, (i) => invoices.find(i)), poleName: getPole(ctx.db).name };
  });
}

/** Stores rendered bytes as the frozen document, chained after its issuer's last one (unless frozen meanwhile). */
function storeFrozen(ctx: AppContext, invoiceId: number, { source }: FreezeSource, files: IssuedFiles, how: FrozenRow['frozenHow']): FrozenRow {
  const repo = frozenRepository(ctx.sqlite);
  ctx.sqlite
    .transaction(() => {
      if (repo.find(invoiceId)) return; // frozen meanwhile by another request: the first bytes stay
      const head = repo.head(source.sellerMemberId);
      const content: FrozenContent = {
        invoiceId,
        number: source.number,
        sellerMemberId: source.sellerMemberId,
        rank: (head?.rank ?? 0) + 1,
        format: files.format,
        pdfSha256: sha256Bytes(files.pdf),
        xmlSha256: files.xml ? sha256Bytes(files.xml) : null,
        invoiceHash: source.hash,
        prevHash: head?.hash ?? GENESIS_HASH,
      };
      repo.insert({ ...content, pdf: files.pdf, xml: files.xml ?? null, hash: frozenRecordHash(content), frozenHow: how, frozenAt: ctx.clock.now() });
    })
    .immediate();
  return repo.find(invoiceId)!;
}

const renderFrozen = (f: FreezeSource) => render({ kind: 'issued', sealed: f.source, poleName: f.poleName });

/**
 * The stored document, frozen now if it is not yet. The content is checked against its chain hash before a
 * first freeze, so a tampered row is never frozen as if it were genuine.
 */
export async function frozenDocument(ctx: AppContext, invoiceId: number, how: FrozenRow['frozenHow'] = 'first_use'): Promise<FrozenRow> {
  const stored = frozenRepository(ctx.sqlite).find(invoiceId);
  if (stored) return stored;
  const f = freezeSource(ctx, invoiceId);
  return storeFrozen(ctx, invoiceId, f, await renderFrozen(f), how);
}

/** Issued documents whose bytes are not stored yet, in issue order: the close or credit note committed, then the process died before freezing them. */
export function unfrozenInvoiceIds(ctx: AppContext): number[] {
  return ctx.sqlite.prepare('SELECT i.id FROM invoices i LEFT JOIN issued_documents d ON d.invoice_id = i.id WHERE d.invoice_id IS NULL ORDER BY i.id').pluck().all() as number[];
}

/**
 * Recovery after a crash between an issue's commit and its rendering: freezes every document still without
 * stored bytes, in issue order. Rendering depends only on the sealed document and the pole's name, so the
 * bytes are those the interrupted process would have stored (tests/proof/crash-freeze.test.ts). The server
 * runs it at start; `shouldStop` lets a shutdown end it between two documents.
 */
export async function freezePending(ctx: AppContext, options: { shouldStop?: () => boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<number> {
  const ids = unfrozenInvoiceIds(ctx);
  let done = 0;
  for (const id of ids) {
    if (options.shouldStop?.()) break;
    await frozenDocument(ctx, id, 'first_use');
    options.onProgress?.(++done, ids.length);
  }
  return done;
}

/**
 * Freezes documents just issued, stored one after the other in issue order (so each issuer's records follow
 * its series) while the render workers, if any, work ahead on the next ones (a bounded window, so a close of
 * thousands of documents does not hold them all in memory).
 */
export async function freezeIssued(ctx: AppContext, invoiceIds: readonly (number | null)[], onProgress?: (done: number, total: number) => void): Promise<void> {
  const ids = invoiceIds.filter((id): id is number => id !== null);
  const window = Math.max(1, 2 * renderWorkers());
  const started: (Promise<IssuedFiles> | null)[] = [];
  const sources: (FreezeSource | null)[] = [];
  const start = (i: number) => {
    const stored = frozenRepository(ctx.sqlite).find(ids[i]!);
    sources[i] = stored ? null : freezeSource(ctx, ids[i]!);
    started[i] = sources[i] ? renderFrozen(sources[i]!) : null;
    // A failed render is awaited (and thrown) in order below; do not let it surface as unhandled meanwhile.
    started[i]?.catch(() => {});
  };
  for (let i = 0; i < ids.length; i++) {
    for (let j = started.length; j < Math.min(ids.length, i + window); j++) start(j);
    const files = await started[i];
    if (files) storeFrozen(ctx, ids[i]!, sources[i]!, files, 'issue');
    started[i] = null;
    sources[i] = null;
    onProgress?.(i + 1, ids.length);
  }
}
