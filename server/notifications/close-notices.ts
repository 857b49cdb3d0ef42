import type { Sqlite } from '../../db/index';
import type { Notice } from './enqueue';
import type { ClosePayload } from './kinds';

interface IssuedDoc {
  id: number;
  number: string;
  sellerMemberId: number;
  buyerMemberId: number;
  totalInclVatCents: number;
}

/** A structure's billing address and its accountant's, copied on billing mails. */
export function billingAddresses(sqlite: Sqlite, memberId: number): { name: string; to: string | null; cc: string | null } | null {
  const row = sqlite
    .prepare('SELECT m.name, m.billing_email AS email, s.accountant_email AS cc FROM members m LEFT JOIN member_mail_settings s ON s.member_id = m.id WHERE m.id = ?')
    .get(memberId) as { name: string; email: string | null; cc: string | null } | undefined;
  return row ? { name: row.name, to: row.email, cc: row.cc } : null;
}

/** Close done: to each structure's billing e-mail (its accountant in copy), the invoices it issued and received. */
export function closeNotices(sqlite: Sqlite, month: string, issued: readonly IssuedDoc[]): Notice[] {
  const byMember = new Map<number, ClosePayload['invoices']>();
  const add = (memberId: number, doc: IssuedDoc, role: 'seller' | 'buyer') =>
    byMember.set(memberId, [...(byMember.get(memberId) ?? []), { id: doc.id, number: doc.number, totalInclVatCents: doc.totalInclVatCents, role }]);
  for (const doc of issued) {
    add(doc.sellerMemberId, doc, 'seller');
    add(doc.buyerMemberId, doc, 'buyer');
  }
  const out: Notice[] = [];
  for (const [memberId, invoices] of [...byMember].sort(([a], [b]) => a - b)) {
    const addr = billingAddresses(sqlite, memberId);
    if (!addr?.to) continue;
    out.push({ kind: 'close.done', key: `close.done.${month}.m${memberId}`, address: addr.to, cc: addr.cc, memberId, payload: { month, memberId, memberName: addr.name, invoices } });
  }
  return out;
}
