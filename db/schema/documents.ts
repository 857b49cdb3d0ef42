import { sql } from 'drizzle-orm';
import { blob, check, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { instant } from './columns';
import { invoices } from './invoices';
import { members } from './members';

/**
 * The bytes of each issued invoice or credit note, rendered once and kept (10 years): what every download,
 * export and outbox serves. Each issuer's frozen documents form a hash chain of their own (`rank` 1, 2, …):
 * a record's `hash` is the SHA-256 of { invoice id, number, the invoice's chain hash, the files' SHA-256,
 * rank, prev_hash }, so the bytes are tied to the invoice chain and a changed byte, a changed digest or a
 * removed record is found by `npm run verify`. Rows are never updated or deleted (triggers).
 */
export const issuedDocuments = sqliteTable(
  'issued_documents',
  {
    invoiceId: integer('invoice_id')
      .primaryKey()
      .references(() => invoices.id),
    sellerMemberId: integer('seller_member_id')
      .notNull()
      .references(() => members.id),
    rank: integer('rank').notNull(),
    /** 'facturx': PDF/A-3b with factur-x.xml embedded (xml kept beside it); 'pdf': the plain PDF (parties incomplete for an e-invoice). */
    format: text('format', { enum: ['facturx', 'pdf'] }).notNull(),
    pdf: blob('pdf', { mode: 'buffer' }).notNull(),
    pdfSha256: text('pdf_sha256').notNull(),
    xml: blob('xml', { mode: 'buffer' }),
    xmlSha256: text('xml_sha256'),
    invoiceHash: text('invoice_hash').notNull(),
    /** 'issue': rendered right after the issuing transaction; 'first_use': a document issued before frozen documents existed. */
    frozenHow: text('frozen_how', { enum: ['issue', 'first_use'] }).notNull(),
    frozenAt: instant('frozen_at').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [
    uniqueIndex('issued_documents_rank_idx').on(t.sellerMemberId, t.rank),
    check('issued_documents_rank_positive', sql`${t.rank} >= 1`),
  ],
);

/**
 * Versions of a closed month's pole summary (scope 0) and members' statements (scope = member id): v1 at
 * the close, a new version after each credit note (or adjustment) of that month; every version is kept and
 * downloadable, the latest is what the month's routes serve. Rows are never updated or deleted (triggers).
 */
export const monthDocuments = sqliteTable(
  'month_documents',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    month: text('month').notNull(),
    kind: text('kind', { enum: ['summary', 'statement'] }).notNull(),
    /** 0 for the pole summary, the member's id for its statement. */
    scope: integer('scope').notNull(),
    version: integer('version').notNull(),
    /** Why this version: the close, a credit note, an adjustment, or first use (a month closed before versions existed). */
    reason: text('reason', { enum: ['close', 'credit_note', 'adjustment', 'first_use'] }).notNull(),
    /** The document that caused it (the credit note's number), if any. */
    reference: text('reference'),
    createdAt: instant('created_at').notNull(),
    pdf: blob('pdf', { mode: 'buffer' }).notNull(),
    sha256: text('sha256').notNull(),
  },
  (t) => [uniqueIndex('month_documents_version_idx').on(t.month, t.kind, t.scope, t.version), check('month_documents_version_positive', sql`${t.version} >= 1`)],
);
