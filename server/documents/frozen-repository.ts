import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { StoredFrozen } from './frozen-chain';

/** SQL of frozen documents: the stored bytes of issued invoices and credit notes, and their chain records. */

export interface FrozenRow extends StoredFrozen {
  frozenHow: 'issue' | 'first_use';
  frozenAt: number;
}

const COLUMNS = `d.invoice_id AS invoiceId, i.number AS number, d.seller_member_id AS sellerMemberId, d.rank, d.format, d.pdf,
  d.pdf_sha256 AS pdfSha256, d.xml, d.xml_sha256 AS xmlSha256, d.invoice_hash AS invoiceHash, d.frozen_how AS frozenHow,
  d.frozen_at AS frozenAt, d.prev_hash AS prevHash, d.hash`;

function prepare(sqlite: Sqlite) {
  return {
    byInvoice: sqlite.prepare(`SELECT ${COLUMNS} FROM issued_documents d JOIN invoices i ON i.id = d.invoice_id WHERE d.invoice_id = ?`) as Statement<[number], FrozenRow>,
    all: sqlite.prepare(`SELECT ${COLUMNS} FROM issued_documents d JOIN invoices i ON i.id = d.invoice_id ORDER BY d.seller_member_id, d.rank`) as Statement<[], FrozenRow>,
    digest: sqlite.prepare('SELECT pdf_sha256 FROM issued_documents WHERE invoice_id = ?').pluck() as Statement<[number], string>,
    head: sqlite.prepare('SELECT rank, hash FROM issued_documents WHERE seller_member_id = ? ORDER BY rank DESC LIMIT 1') as Statement<[number], { rank: number; hash: string }>,
    insert: sqlite.prepare(
      `INSERT INTO issued_documents (invoice_id, seller_member_id, rank, format, pdf, pdf_sha256, xml, xml_sha256, invoice_hash, frozen_how, frozen_at, prev_hash, hash)
       VALUES (@invoiceId, @sellerMemberId, @rank, @format, @pdf, @pdfSha256, @xml, @xmlSha256, @invoiceHash, @frozenHow, @frozenAt, @prevHash, @hash)`,
    ),
  };
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();

export function frozenRepository(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  const st = s;
  return {
    find: (invoiceId: number) => st.byInvoice.get(invoiceId),
    all: () => st.all.all(),
    /** The SHA-256 of an invoice's frozen PDF (undefined until frozen). */
    digest: (invoiceId: number) => st.digest.get(invoiceId),
    head: (sellerMemberId: number) => st.head.get(sellerMemberId),
    insert(row: Omit<FrozenRow, 'number'>) {
      st.insert.run(row);
    },
  };
}
