import { createHash } from 'node:crypto';
import type { InvoiceDraft } from '../invoices/document';

/**
 * Numbering and hash chaining of issued documents, per issuer (no I/O). Each issuer has one unbroken series
 * per year (`{prefix}-{YYYY}-{seq}`) and one hash chain over all its documents: a document's hash is the
 * SHA-256 of its canonical content, which includes the previous document's hash (as Odoo's French
 * localisation does for posted entries).
 */

export const GENESIS_HASH = '0'.repeat(64);

export function formatInvoiceNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(4, '0')}`;
}

/** JSON with object keys sorted at every level and no whitespace: the same content always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value ?? null);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The hashed content of a document: everything printed or legally relevant, never the row id or payment. */
export interface SealedContent extends InvoiceDraft {
  number: string;
  year: number;
  seq: number;
  prevHash: string;
}

export interface SealedDocument extends SealedContent {
  hash: string;
}

const CONTENT_KEYS: readonly (keyof SealedContent)[] = [
  'number',
  'kind',
  'year',
  'seq',
  'sellerMemberId',
  'buyerMemberId',
  'month',
  'issueDate',
  'periodStart',
  'periodEnd',
  'dueDate',
  'currency',
  'seller',
  'buyer',
  'lines',
  'vatBreakdown',
  'totalExclVatCents',
  'totalVatCents',
  'totalInclVatCents',
  'mentions',
  'paymentTermsDays',
  'latePenaltyRateBp',
  'recoveryIndemnityCents',
  'creditedInvoiceId',
  'prevHash',
];

/** Hash of a document's content; extra fields (id, paidOn, issuedAt, hash) are ignored. */
export function documentHash(doc: SealedContent): string {
  const content = Object.fromEntries(CONTENT_KEYS.map((k) => [k, doc[k]]));
  return sha256Hex(canonicalJson(content));
}

export interface SeriesState {
  prefix(memberId: number): string;
  /** The last seq given in the issuer's series of `year` (0 when none). */
  lastSeq(memberId: number, year: number): number;
  /** The hash of the issuer's last document (GENESIS_HASH when none). */
  lastHash(memberId: number): string;
}

/**
 * Gives each draft its number and seals it into its issuer's chain, in the order given. Pure: the same
 * drafts and series state always give the same numbers and hashes (what makes preview equal close).
 */
export function sealDocuments(drafts: readonly InvoiceDraft[], series: SeriesState): SealedDocument[] {
  const seqs = new Map<string, number>();
  const heads = new Map<number, string>();
  return drafts.map((draft) => {
    const year = Number(draft.issueDate.slice(0, 4));
    const key = `${draft.sellerMemberId}:${year}`;
    const seq = (seqs.get(key) ?? series.lastSeq(draft.sellerMemberId, year)) + 1;
    seqs.set(key, seq);
    const prevHash = heads.get(draft.sellerMemberId) ?? series.lastHash(draft.sellerMemberId);
    const content: SealedContent = { ...draft, number: formatInvoiceNumber(series.prefix(draft.sellerMemberId), year, seq), year, seq, prevHash };
    const hash = documentHash(content);
    heads.set(draft.sellerMemberId, hash);
    return { ...content, hash };
  });
}

export interface ChainProblem {
  invoiceId: number | null;
  number: string;
  /** Stable: integrity.gap, integrity.counter_gap, integrity.duplicate, integrity.number, integrity.content, integrity.chain. */
  code: string;
  /** The same in English words. */
  reason: string;
}

/** A stored document as the integrity check reads it. */
export interface StoredDocument extends SealedDocument {
  id: number;
}

/**
 * Recomputes every issuer's chain and series: each document's hash against its content, each link against
 * the previous document's hash, each year's numbers from 1 without gaps, and the counters against the last
 * number present (a missing last document). Problems are listed per issuer in series order.
 */
export function verifyChains(
  docs: readonly StoredDocument[],
  counters: readonly { memberId: number; year: number; lastSeq: number; prefix: string }[],
): ChainProblem[] {
  const problems: ChainProblem[] = [];
  const byIssuer = new Map<number, StoredDocument[]>();
  for (const d of docs) byIssuer.set(d.sellerMemberId, [...(byIssuer.get(d.sellerMemberId) ?? []), d]);
  const issuers = new Set([...byIssuer.keys(), ...counters.map((c) => c.memberId)]);
  for (const issuer of [...issuers].sort((a, b) => a - b)) {
    const list = (byIssuer.get(issuer) ?? []).sort((a, b) => a.year - b.year || a.seq - b.seq || a.id - b.id);
    let prev = GENESIS_HASH;
    let expectedYear = -1;
    let expectedSeq = 1;
    for (const doc of list) {
      if (doc.year !== expectedYear) {
        expectedYear = doc.year;
        expectedSeq = 1;
      }
      const parsed = /^(.+)-(\d{4})-(\d{4,})$/.exec(doc.number);
      const prefix = parsed?.[1] ?? '?';
      if (doc.seq > expectedSeq) {
        for (let s = expectedSeq; s < doc.seq; s++) {
          problems.push({ invoiceId: null, number: formatInvoiceNumber(prefix, doc.year, s), code: 'integrity.gap', reason: 'missing: the series has a gap here' });
        }
      } else if (doc.seq < expectedSeq) {
        problems.push({ invoiceId: doc.id, number: doc.number, code: 'integrity.duplicate', reason: 'duplicate: this number was already given' });
      }
      expectedSeq = doc.seq + 1;
      if (!parsed || Number(parsed[2]) !== doc.year || Number(parsed[3]) !== doc.seq || Number(doc.issueDate.slice(0, 4)) !== doc.year) {
        problems.push({ invoiceId: doc.id, number: doc.number, code: 'integrity.number', reason: 'number: does not match its series, year and rank' });
      }
      if (documentHash(doc) !== doc.hash) {
        problems.push({ invoiceId: doc.id, number: doc.number, code: 'integrity.content', reason: 'content: its stored content no longer matches its hash' });
      }
      if (doc.prevHash !== prev) {
        problems.push({ invoiceId: doc.id, number: doc.number, code: 'integrity.chain', reason: 'chain: its link to the previous document is broken' });
      }
      prev = doc.hash;
    }
    for (const c of counters.filter((x) => x.memberId === issuer)) {
      const last = list.filter((d) => d.year === c.year).reduce((a, d) => Math.max(a, d.seq), 0);
      for (let s = last + 1; s <= c.lastSeq; s++) {
        problems.push({ invoiceId: null, number: formatInvoiceNumber(c.prefix, c.year, s), code: 'integrity.counter_gap', reason: 'missing: numbered by the series counter but not found' });
      }
    }
  }
  return problems;
}
