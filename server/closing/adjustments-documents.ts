import type { AppContext } from '../context';
import { buildCreditNoteDraft, CreditError } from '../invoices/credit-notes';
import type { DocumentTerms, InvoiceDraft, InvoiceLine, PartySnapshot } from '../invoices/document';
import { invoiceRepository, type InvoiceRecord } from '../invoices/repository';
import { unprocessable } from '../shared/errors';
import { adjustmentRepository } from './adjustments-repository';
import { adjustmentLabel, supplementDraft } from './adjustments-rules';
import { snapshotParty } from './close-terms';
import type { MemberRecord } from './repository';

/** The documents of an adjustment: what the month's documents billed, and the drafts that correct it. */

export interface MonthDocuments {
  documents: InvoiceRecord[];
  adjustmentIds: Set<number>;
}

export function monthDocuments(ctx: AppContext, month: string): MonthDocuments {
  return { documents: invoiceRepository(ctx.sqlite).list({ month }), adjustmentIds: adjustmentRepository(ctx.sqlite).documentIds(month) };
}

/** The close's invoices and the adjustments' documents: what the allocation billed (hand-made credit notes aside). */
export const allocationDocuments = (m: MonthDocuments) => m.documents.filter((d) => (d.kind === 'invoice' && !m.adjustmentIds.has(d.id)) || m.adjustmentIds.has(d.id));

/** Each member as the month's close printed it (its VAT standing then), else as it is now. */
export function partiesAtClose(m: MonthDocuments, members: readonly MemberRecord[]): Map<number, PartySnapshot> {
  const parties = new Map(members.map((mem) => [mem.id, snapshotParty(mem)]));
  const seen = new Set<number>();
  for (const d of m.documents.filter((x) => x.kind === 'invoice' && !m.adjustmentIds.has(x.id))) {
    for (const p of [d.seller, d.buyer]) {
      if (seen.has(p.id)) continue;
      seen.add(p.id);
      parties.set(p.id, p);
    }
  }
  return parties;
}

export function assertMandates(drafts: readonly InvoiceDraft[], issueDate: string): void {
  const missing = [...new Map(drafts.filter((d) => d.kind === 'invoice').map((d) => [d.sellerMemberId, d.seller])).values()].filter(
    (s) => !s.billingMandateSince || s.billingMandateSince > issueDate,
  );
  if (missing.length) {
    throw unprocessable('invoice.no_billing_mandate', `Invoices would be issued in the name of members that have not mandated the pole: ${missing.map((m) => m.name).join(', ')}`, {
      members: missing.map((m) => ({ memberId: m.id, name: m.name })),
    });
  }
}

/** Credit notes citing their invoices, one per invoice, their lines named. */
export function creditDrafts(ctx: AppContext, credits: Map<number, { line: number; amountCents: number }[]>, terms: DocumentTerms, reason: string | undefined): InvoiceDraft[] {
  const invoices = invoiceRepository(ctx.sqlite);
  const label = adjustmentLabel(terms.monthLabel);
  return [...credits].map(([invoiceId, lines]) => {
    const invoice = invoices.find(invoiceId)!;
    let draft: InvoiceDraft;
    try {
      draft = buildCreditNoteDraft(invoice, invoices.creditNotesOf(invoiceId), { mode: 'lines', lines }, { issueDate: terms.issueDate });
    } catch (err) {
      if (err instanceof CreditError) throw unprocessable(err.code, err.message, err.details);
      throw err;
    }
    draft.mentions = { ...draft.mentions, creditNote: `${draft.mentions.creditNote} ${label}.${reason ? ` Motif : ${reason.trim()}` : ''}` };
    return draft;
  });
}

/** Supplementary invoices, one per pair, from the lines each pair gains. */
export function supplementDrafts(
  pairs: Map<string, { seller: number; buyer: number; lines: InvoiceLine[] }>,
  parties: ReadonlyMap<number, PartySnapshot>,
  staffResources: ReadonlySet<number>,
  terms: DocumentTerms,
  reason: string | undefined,
): InvoiceDraft[] {
  return [...pairs.values()].map((p) =>
    supplementDraft({
      terms,
      seller: parties.get(p.seller)!,
      buyer: parties.get(p.buyer)!,
      lines: p.lines,
      staff: p.lines.some((l) => l.resourceId !== null && staffResources.has(l.resourceId)),
      fees: p.lines.some((l) => l.nature === 'management_fees'),
      reason,
    }),
  );
}

/** Sellers then buyers; a pair's supplementary invoice before its credit notes: numbering is deterministic. */
export const documentOrder = (a: InvoiceDraft, b: InvoiceDraft) =>
  a.sellerMemberId - b.sellerMemberId || a.buyerMemberId - b.buyerMemberId || (a.kind === b.kind ? (a.creditedInvoiceId ?? 0) - (b.creditedInvoiceId ?? 0) : a.kind === 'invoice' ? -1 : 1);
