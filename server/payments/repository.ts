import type { Statement } from 'better-sqlite3';
import type { Sqlite } from '../../db/index';
import type { PaymentMethod, SettlementMode } from '../../db/schema/enums';
import type { LedgerDocument, LedgerPayment } from './rules';

/** SQL of the payments ledger: payments (soft-deleted, never erased), recorded settlements, the ledger's view of documents and members. */

export interface PaymentRecord {
  id: number;
  invoiceId: number;
  amountCents: number;
  paidOn: string;
  method: PaymentMethod;
  reference: string | null;
  settlementId: number | null;
  recordedAt: number;
  recordedByUserId: number | null;
  deletedAt: number | null;
  deletedByUserId: number | null;
}

export interface NewPayment {
  invoiceId: number;
  amountCents: number;
  paidOn: string;
  method: PaymentMethod;
  reference: string | null;
  settlementId: number | null;
  recordedAt: number;
  recordedByUserId: number | null;
}

export interface LedgerMember {
  id: number;
  publicBody: boolean;
  nettingAgreement: boolean;
  nettingAgreementSince: string | null;
}

const COLUMNS = `id, invoice_id AS invoiceId, amount_cents AS amountCents, paid_on AS paidOn, method, reference,
  settlement_id AS settlementId, recorded_at AS recordedAt, recorded_by_user_id AS recordedByUserId,
  deleted_at AS deletedAt, deleted_by_user_id AS deletedByUserId`;

/**
 * The members' netting agreement and public-body flags come with the member fields of the VAT work (#10);
 * until that migration is there, no member has an agreement and a local authority is a public body.
 */
function memberQuery(sqlite: Sqlite): string {
  const columns = new Set((sqlite.prepare('PRAGMA table_info(members)').all() as { name: string }[]).map((c) => c.name));
  const publicBody = columns.has('public_body') ? `(public_body = 1 OR legal_form = 'local_authority')` : `(legal_form = 'local_authority')`;
  const netting = columns.has('netting_agreement') ? 'netting_agreement = 1' : '0';
  const since = columns.has('netting_agreement_since') ? 'netting_agreement_since' : 'NULL';
  return `SELECT id, ${publicBody} AS publicBody, ${netting} AS nettingAgreement, ${since} AS nettingAgreementSince FROM members ORDER BY id`;
}

function prepare(sqlite: Sqlite) {
  return {
    insert: sqlite.prepare(
      `INSERT INTO payments (invoice_id, amount_cents, paid_on, method, reference, settlement_id, recorded_at, recorded_by_user_id)
       VALUES (@invoiceId, @amountCents, @paidOn, @method, @reference, @settlementId, @recordedAt, @recordedByUserId) RETURNING id`,
    ).pluck() as Statement<[NewPayment], number>,
    byId: sqlite.prepare(`SELECT ${COLUMNS} FROM payments WHERE id = ?`) as Statement<[number], PaymentRecord>,
    ofInvoice: sqlite.prepare(`SELECT ${COLUMNS} FROM payments WHERE invoice_id = ? ORDER BY paid_on, id`) as Statement<[number], PaymentRecord>,
    remove: sqlite.prepare('UPDATE payments SET deleted_at = ?, deleted_by_user_id = ? WHERE id = ? AND deleted_at IS NULL'),
    active: sqlite.prepare('SELECT invoice_id AS invoiceId, amount_cents AS amountCents, paid_on AS paidOn FROM payments WHERE deleted_at IS NULL ORDER BY id') as Statement<
      [],
      LedgerPayment
    >,
    documents: sqlite.prepare(
      `SELECT id, kind, seller_member_id AS sellerMemberId, buyer_member_id AS buyerMemberId, issue_date AS issueDate,
              total_incl_vat_cents AS totalInclVatCents, credited_invoice_id AS creditedInvoiceId
         FROM invoices ORDER BY id`,
    ) as Statement<[], LedgerDocument>,
    members: sqlite.prepare(memberQuery(sqlite)) as Statement<[], { id: number; publicBody: number; nettingAgreement: number; nettingAgreementSince: string | null }>,
    insertSettlement: sqlite.prepare(
      `INSERT INTO settlement_records (mode, as_of, paid_on, reference, transfers, recorded_at, recorded_by_user_id)
       VALUES (@mode, @asOf, @paidOn, @reference, @transfers, @recordedAt, @recordedByUserId) RETURNING id`,
    ).pluck() as Statement<[Record<string, unknown>], number>,
  };
}

const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();

export function paymentRepository(sqlite: Sqlite) {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  const st = s;
  return {
    insert: (p: NewPayment): number => st.insert.get(p)!,
    find: (id: number): PaymentRecord | undefined => st.byId.get(id),
    ofInvoice: (invoiceId: number): PaymentRecord[] => st.ofInvoice.all(invoiceId),
    /** Stamps the payment deleted; false when it already was. */
    remove: (id: number, at: number, byUserId: number | null): boolean => st.remove.run(at, byUserId, id).changes === 1,
    activePayments: (): LedgerPayment[] => st.active.all(),
    documents: (): LedgerDocument[] => st.documents.all(),
    members: (): LedgerMember[] =>
      st.members.all().map((m) => ({ id: m.id, publicBody: m.publicBody === 1, nettingAgreement: m.nettingAgreement === 1, nettingAgreementSince: m.nettingAgreementSince })),
    insertSettlement(record: { mode: SettlementMode; asOf: string; paidOn: string; reference: string | null; transfers: unknown; recordedAt: number; recordedByUserId: number | null }): number {
      return st.insertSettlement.get({ ...record, transfers: JSON.stringify(record.transfers) })!;
    },
  };
}
