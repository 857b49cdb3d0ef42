import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import type { Actor } from '../shared/actor';
import { badRequest, conflict, notFound, unprocessable } from '../shared/errors';
import { localDate } from '../shared/time';
import { buildCreditNoteDraft, CreditError, remainingByLine, type CreditRequest } from './credit-notes';
import { assertMonth } from '../shared/time';
import { frozenRepository } from '../documents/frozen-repository';
import { durableTransaction } from '../shared/transaction';
import { issueDocuments, sealInSeries } from './issue';
import { invoiceRepository, type InvoiceRecord } from './repository';
import { paymentStateOf, paymentStates, payWholeBalance } from '../payments/service';
import type { InvoiceStatus } from '../payments/rules';
import { toInvoiceView, type InvoiceView, type PaymentState } from './view';

/** Invoices and credit notes: reading them (object-level access), crediting them, recording their payment. */

const visibleTo = (actor: Actor, doc: { sellerMemberId: number; buyerMemberId: number }) =>
  actor.role === 'coordinator' || doc.sellerMemberId === actor.memberId || doc.buyerMemberId === actor.memberId;

function detailed(ctx: AppContext, record: InvoiceRecord, state: PaymentState = paymentStateOf(ctx, record)): InvoiceView {
  const repo = invoiceRepository(ctx.sqlite);
  const view = toInvoiceView(record, state);
  view.documentSha256 = frozenRepository(ctx.sqlite).digest(record.id) ?? null;
  if (record.kind === 'invoice') {
    const notes = repo.creditNotesOf(record.id);
    view.creditNotes = notes.map((n) => ({ id: n.id, number: n.number, totalExclVatCents: n.totalExclVatCents }));
    view.creditableCents = remainingByLine(record, notes).reduce((a, r) => a + r, 0);
  } else {
    view.creditedInvoiceNumber = record.creditedInvoiceId === null ? null : (repo.find(record.creditedInvoiceId)?.number ?? null);
  }
  return view;
}

/** Views of documents just issued, with the SHA-256 of the PDF frozen for each. */
export function withDocumentDigests(ctx: AppContext, views: InvoiceView[]): InvoiceView[] {
  const repo = frozenRepository(ctx.sqlite);
  return views.map((v) => (v.id === null ? v : { ...v, documentSha256: repo.digest(v.id) ?? null }));
}

/** A document the actor may see; another structure's document answers 404 so that ids reveal nothing. */
function findVisible(ctx: AppContext, actor: Actor, id: number): InvoiceRecord {
  const record = invoiceRepository(ctx.sqlite).find(id);
  if (!record || !visibleTo(actor, record)) throw notFound('invoice', id);
  return record;
}

export function getInvoice(ctx: AppContext, actor: Actor, id: number): InvoiceView {
  return detailed(ctx, findVisible(ctx, actor, id));
}

export interface InvoiceQuery {
  month?: string;
  memberId?: number;
  kind?: 'invoice' | 'credit_note';
  status?: InvoiceStatus;
}

/** Coordinators see every document; a member's users only those where their structure is seller or buyer. */
export function listInvoices(ctx: AppContext, actor: Actor, query: InvoiceQuery = {}): InvoiceView[] {
  if (query.month !== undefined) assertMonth(query.month);
  const memberId = query.memberId ?? (actor.role === 'coordinator' ? undefined : (actor.memberId ?? undefined));
  const states = paymentStates(ctx);
  return invoiceRepository(ctx.sqlite)
    .list({ month: query.month, memberId, kind: query.kind })
    .filter((doc) => visibleTo(actor, doc) && (query.status === undefined || states.get(doc.id)?.status === query.status))
    .map((doc) => detailed(ctx, doc, states.get(doc.id)));
}

export interface CreditNoteInput {
  amountCents?: number;
  lines?: { line: number; amountCents?: number }[];
  reason?: string;
}

function creditRequest(input: CreditNoteInput): CreditRequest {
  if (input.amountCents !== undefined && input.lines !== undefined) {
    throw badRequest('credit_note.ambiguous', 'Give either amountCents or lines, not both');
  }
  if (input.amountCents !== undefined) return { mode: 'amount', amountCents: input.amountCents };
  if (input.lines !== undefined) {
    if (input.lines.length === 0) throw badRequest('credit_note.no_lines', 'lines must list at least one line');
    return { mode: 'lines', lines: input.lines };
  }
  return { mode: 'whole' };
}

/**
 * `POST /api/invoices/:id/credit-note`: a credit note for the whole remainder, an amount or chosen lines,
 * numbered in the seller's series, chained, citing the invoice, in one IMMEDIATE transaction.
 */
export function issueCreditNote(ctx: AppContext, actor: Actor | null, invoiceId: number, input: CreditNoteInput): InvoiceView {
  const request = creditRequest(input);
  const invoices = invoiceRepository(ctx.sqlite);
  const now = ctx.clock.now();
  const zone = poleZone(ctx);
  const id = durableTransaction(ctx.sqlite, () => {
    const invoice = actor ? findVisible(ctx, actor, invoiceId) : invoices.find(invoiceId);
    if (!invoice) throw notFound('invoice', invoiceId);
    let draft;
    try {
      draft = buildCreditNoteDraft(invoice, invoices.creditNotesOf(invoice.id), request, { issueDate: localDate(now, zone) });
    } catch (err) {
      if (err instanceof CreditError) {
        if (err.code === 'credit_note.nothing_left') throw conflict(err.code, err.message, err.details);
        throw unprocessable(err.code, err.message, err.details);
      }
      throw err;
    }
    if (input.reason) draft.mentions = { ...draft.mentions, creditNote: `${draft.mentions.creditNote} Motif : ${input.reason.trim()}` };
    const [issued] = issueDocuments(ctx.sqlite, sealInSeries(ctx.sqlite, [draft]), now, actor?.userId ?? null);
    return issued!.id;
  });
  return detailed(ctx, invoices.find(id)!);
}

/** `POST /api/invoices/:id/payment {paidOn}`: pays the whole open balance on that day (null deletes its payments). */
export function recordPayment(ctx: AppContext, actor: Actor, invoiceId: number, paidOn: string | null): InvoiceView {
  payWholeBalance(ctx, actor, invoiceId, paidOn);
  return detailed(ctx, invoiceRepository(ctx.sqlite).find(invoiceId)!);
}
