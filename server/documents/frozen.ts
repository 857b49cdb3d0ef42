import { documentHash, GENESIS_HASH } from '../closing/chain';
import type { AppContext } from '../context';
import { einvoiceBuildable } from '../einvoice/completeness';
import { facturxSource, renderFacturX, type FacturXSource } from '../einvoice/facturx';
import { invoiceRepository } from '../invoices/repository';
import { getPole } from '../pole/repository';
import { conflict, notFound } from '../shared/errors';
import { renderInvoicePdf } from './invoice';
import { frozenRecordHash, sha256Bytes, type FrozenContent } from './frozen-chain';
import { frozenRepository, type FrozenRow } from './frozen-repository';

/**
 * Frozen documents: an invoice or credit note is rendered once, right after the transaction that issues it,
 * and its bytes are stored and served byte-identical forever (payments, exports, restarts and upgrades of
 * pdfkit change nothing). A document issued before frozen documents existed (or whose freeze was cut short
 * by a crash after the commit) is frozen on first use — a download, an export, an outbox — because SQL
 * migrations cannot render a PDF and rendering every old document at start-up would delay every start.
 */

export interface IssuedFiles {
  format: 'facturx' | 'pdf';
  pdf: Buffer;
  /** The CII XML embedded in a Factur-X PDF, kept beside it. */
  xml?: Buffer;
}

/**
 * The one rendering of an issued document: its Factur-X PDF/A-3b when both parties' data make a valid
 * e-invoice (the close preview's `einvoice.incomplete_party` check, a missing IBAN aside), the plain PDF
 * otherwise. Payment
 * status is never an input: only the sealed document and the pole's name are.
 */
export async function renderIssuedDocument(sealed: FacturXSource & { sellerMemberId: number; buyerMemberId: number }, poleName: string): Promise<IssuedFiles> {
  if (einvoiceBuildable(sealed)) {
    const { pdf, xml } = await renderFacturX(sealed, poleName);
    return { format: 'facturx', pdf, xml };
  }
  return { format: 'pdf', pdf: await renderInvoicePdf(sealed, poleName) };
}

const snapshot = <T>(ctx: AppContext, read: () => T): T => ctx.sqlite.transaction(read)();

/**
 * The stored document, frozen now if it is not yet. The content is checked against its chain hash before a
 * first freeze, so a tampered row is never frozen as if it were genuine.
 */
export async function frozenDocument(ctx: AppContext, invoiceId: number, how: FrozenRow['frozenHow'] = 'first_use'): Promise<FrozenRow> {
  const repo = frozenRepository(ctx.sqlite);
  const stored = repo.find(invoiceId);
  if (stored) return stored;
  const { source, poleName } = snapshot(ctx, () => {
    const invoices = invoiceRepository(ctx.sqlite);
    const record = invoices.find(invoiceId);
    if (!record) throw notFound('invoice', invoiceId);
    if (documentHash(record) !== record.hash) {
      throw conflict('document.content_tampered', `${record.number}: its stored content no longer matches its hash; it cannot be rendered as issued`, { number: record.number });
    }
    return { source: facturxSource(record, (i) => invoices.find(i)), poleName: getPole(ctx.db).name };
  });
  const files = await renderIssuedDocument(source, poleName);
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

/** Freezes documents just issued, one after the other (in issue order, so each issuer's records follow its series). */
export async function freezeIssued(ctx: AppContext, invoiceIds: readonly (number | null)[]): Promise<void> {
  for (const id of invoiceIds) if (id !== null) await frozenDocument(ctx, id, 'issue');
}
