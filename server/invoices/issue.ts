import type { Sqlite } from '../../db/index';
import { GENESIS_HASH, sealDocuments, type SealedDocument } from './chain';
import type { InvoiceDraft } from './document';
import { invoiceRepository } from './repository';
import { seriesRepository } from './series-repository';

/**
 * The one way documents get their numbers and are issued, for a close, an adjustment and a credit note alike:
 * drafts are sealed into their issuers' series as the database holds them now (a preview stops there, so it
 * shows the very numbers and hashes), then inserted with their series counters inside the caller's IMMEDIATE
 * transaction.
 */

export type IssuedDocument = SealedDocument & { id: number };

/** Numbers and chains the drafts, in the order given, after the last document of each issuer's series. */
export function sealInSeries(sqlite: Sqlite, drafts: readonly InvoiceDraft[]): SealedDocument[] {
  const series = seriesRepository(sqlite);
  return sealDocuments(drafts, {
    prefix: (memberId) => series.prefix(memberId)!,
    lastSeq: (memberId, year) => series.lastSeq(memberId, year),
    lastHash: (memberId) => series.lastHash(memberId) ?? GENESIS_HASH,
  });
}

/** Inserts sealed documents in their order, then moves each (issuer, year) counter to the last number used. */
export function issueDocuments(sqlite: Sqlite, documents: readonly SealedDocument[], issuedAt: number, userId: number | null): IssuedDocument[] {
  const invoices = invoiceRepository(sqlite);
  const issued = documents.map((doc) => ({ ...doc, id: invoices.insert(doc, issuedAt, userId) }));
  const lastOfSeries = new Map<string, SealedDocument>();
  for (const doc of issued) lastOfSeries.set(`${doc.sellerMemberId}:${doc.year}`, doc);
  const series = seriesRepository(sqlite);
  for (const doc of lastOfSeries.values()) series.advanceCounter(doc.sellerMemberId, doc.year, doc.seq);
  return issued;
}
