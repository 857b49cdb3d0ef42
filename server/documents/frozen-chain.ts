import { createHash } from 'node:crypto';
import { canonicalJson, GENESIS_HASH, sha256Hex, type ChainProblem } from '../invoices/chain';

/**
 * The chain record of a frozen document (no I/O): the bytes' SHA-256 tied to the invoice's own chain hash,
 * linked per issuer in the order documents were frozen. Verifying recomputes the digests from the bytes.
 */

export const sha256Bytes = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

export interface FrozenContent {
  invoiceId: number;
  number: string;
  sellerMemberId: number;
  rank: number;
  format: 'facturx' | 'pdf';
  pdfSha256: string;
  xmlSha256: string | null;
  invoiceHash: string;
  prevHash: string;
}

export const frozenRecordHash = (c: FrozenContent) =>
  sha256Hex(
    canonicalJson({
      invoiceId: c.invoiceId,
      number: c.number,
      sellerMemberId: c.sellerMemberId,
      rank: c.rank,
      format: c.format,
      pdfSha256: c.pdfSha256,
      xmlSha256: c.xmlSha256,
      invoiceHash: c.invoiceHash,
      prevHash: c.prevHash,
    }),
  );

export interface StoredFrozen extends FrozenContent {
  pdf: Buffer;
  xml: Buffer | null;
  hash: string;
}

/**
 * Problems of the frozen documents, per issuer in rank order: bytes against their digest
 * (integrity.document), the record against its hash (integrity.document_record), the link to the previous
 * record and the ranks from 1 without gaps (integrity.document_chain), and the invoice chain hash the
 * record was made from (integrity.document_invoice). `invoiceHashes` maps invoice id to its current hash.
 */
export function verifyFrozen(records: readonly StoredFrozen[], invoiceHashes: ReadonlyMap<number, string>): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const byIssuer = new Map<number, StoredFrozen[]>();
  for (const r of records) byIssuer.set(r.sellerMemberId, [...(byIssuer.get(r.sellerMemberId) ?? []), r]);
  for (const issuer of [...byIssuer.keys()].sort((a, b) => a - b)) {
    let prev = GENESIS_HASH;
    let expectedRank = 1;
    for (const r of byIssuer.get(issuer)!.sort((a, b) => a.rank - b.rank)) {
      const problem = (code: string, reason: string) => problems.push({ invoiceId: r.invoiceId, number: r.number, code, reason });
      if (sha256Bytes(r.pdf) !== r.pdfSha256 || (r.xml === null ? r.xmlSha256 !== null : sha256Bytes(r.xml) !== r.xmlSha256)) {
        problem('integrity.document', 'document: the stored PDF or XML no longer matches its SHA-256');
      }
      if (frozenRecordHash(r) !== r.hash) problem('integrity.document_record', 'document record: its content no longer matches its hash');
      if (r.prevHash !== prev || r.rank !== expectedRank) problem('integrity.document_chain', 'document chain: its link to the previous frozen document is broken');
      if (invoiceHashes.get(r.invoiceId) !== r.invoiceHash) problem('integrity.document_invoice', 'document: frozen from content that is not the invoice’s sealed content');
      prev = r.hash;
      expectedRank = r.rank + 1;
    }
  }
  return problems;
}
