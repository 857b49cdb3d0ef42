import type { AppContext } from '../context';
import { invoiceRepository, type InvoiceRecord } from '../invoices/repository';
import type { PaymentState } from '../invoices/view';
import { poleZone } from '../pole/service';
import { assertAdminOf, type Actor } from '../shared/actor';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { localDate, parseLocalDate } from '../shared/time';
import { paymentRepository, type PaymentRecord } from './repository';
import { invoiceBalances, statusOf, type LedgerDocument, type PaymentMethod } from './rules';

/**
 * The payments ledger: partial payments of an invoice up to its open balance, deleting one (stamped, kept in
 * the audit trail), and each document's payment state. Payments are checked and written in one IMMEDIATE
 * transaction so that two concurrent payments can never exceed the balance together.
 */

const visibleTo = (actor: Actor, doc: { sellerMemberId: number; buyerMemberId: number }) =>
  actor.role === 'coordinator' || doc.sellerMemberId === actor.memberId || doc.buyerMemberId === actor.memberId;

export interface PaymentView {
  id: number;
  invoiceId: number;
  amountCents: number;
  paidOn: string;
  method: PaymentMethod;
  reference: string | null;
  settlementId: number | null;
  recordedAt: string;
  deletedAt: string | null;
}

export const toPaymentView = (p: PaymentRecord): PaymentView => ({
  id: p.id,
  invoiceId: p.invoiceId,
  amountCents: p.amountCents,
  paidOn: p.paidOn,
  method: p.method,
  reference: p.reference,
  settlementId: p.settlementId,
  recordedAt: new Date(p.recordedAt).toISOString(),
  deletedAt: p.deletedAt === null ? null : new Date(p.deletedAt).toISOString(),
});

/** The payment state of one stored document, from its credit notes and its payments not deleted. */
export function paymentStateOf(ctx: AppContext, record: InvoiceRecord): PaymentState {
  if (record.kind === 'credit_note') return { paidOn: null, paidCents: 0, creditedCents: record.totalInclVatCents, openCents: 0, status: 'credited' };
  const credited = invoiceRepository(ctx.sqlite)
    .creditNotesOf(record.id)
    .reduce((a, n) => a + n.totalInclVatCents, 0);
  const active = paymentRepository(ctx.sqlite)
    .ofInvoice(record.id)
    .filter((p) => p.deletedAt === null);
  const paid = active.reduce((a, p) => a + p.amountCents, 0);
  const status = statusOf(record.kind, record.totalInclVatCents, credited, paid);
  const lastPaid = active.reduce<string | null>((a, p) => (a === null || p.paidOn > a ? p.paidOn : a), null);
  return { paidOn: status === 'paid' && paid > 0 ? lastPaid : null, paidCents: paid, creditedCents: credited, openCents: record.totalInclVatCents - credited - paid, status };
}

/** Payment states of every stored document at once (lists). */
export function paymentStates(ctx: AppContext): Map<number, PaymentState> {
  const repo = paymentRepository(ctx.sqlite);
  const docs: LedgerDocument[] = repo.documents();
  const payments = repo.activePayments();
  const lastPaid = new Map<number, string>();
  for (const p of payments) if ((lastPaid.get(p.invoiceId) ?? '') < p.paidOn) lastPaid.set(p.invoiceId, p.paidOn);
  const states = new Map<number, PaymentState>();
  for (const [id, b] of invoiceBalances(docs, payments)) {
    states.set(id, { paidOn: b.status === 'paid' && b.paidCents > 0 ? (lastPaid.get(id) ?? null) : null, paidCents: b.paidCents, creditedCents: b.creditedCents, openCents: b.openCents, status: b.status });
  }
  return states;
}

function findVisible(ctx: AppContext, actor: Actor, invoiceId: number): InvoiceRecord {
  const record = invoiceRepository(ctx.sqlite).find(invoiceId);
  if (!record || !visibleTo(actor, record)) throw notFound('invoice', invoiceId);
  return record;
}

export function listPayments(ctx: AppContext, actor: Actor, invoiceId: number): PaymentView[] {
  findVisible(ctx, actor, invoiceId);
  return paymentRepository(ctx.sqlite).ofInvoice(invoiceId).map(toPaymentView);
}

/** A payment date: a real day, not before the invoice's issue, not after today (in the pole's zone). */
export function assertPaymentDate(ctx: AppContext, paidOn: string, issueDate: string): void {
  if (!parseLocalDate(paidOn)) throw unprocessable('payment.invalid_date', `${paidOn} is not a date`);
  if (paidOn < issueDate) throw unprocessable('payment.before_issue', `An invoice issued on ${issueDate} cannot be paid on ${paidOn}`, { issueDate, paidOn });
  const today = localDate(ctx.clock.now(), poleZone(ctx));
  if (paidOn > today) throw unprocessable('payment.in_future', `${paidOn} is in the future`, { today, paidOn });
}

export interface PaymentInput {
  amountCents: number;
  paidOn: string;
  method: PaymentMethod;
  reference?: string | null;
}

/**
 * Records a payment of an invoice (coordinators or the seller's admins): partial or whole, never more than
 * what is open (422 payment.exceeds_balance).
 */
export function addPayment(ctx: AppContext, actor: Actor, invoiceId: number, input: PaymentInput): PaymentView {
  const repo = paymentRepository(ctx.sqlite);
  const id = ctx.sqlite
    .transaction(() => {
      const invoice = findVisible(ctx, actor, invoiceId);
      assertAdminOf(actor, invoice.sellerMemberId);
      if (invoice.kind !== 'invoice') throw unprocessable('invoice.not_payable', 'A credit note is not paid');
      assertPaymentDate(ctx, input.paidOn, invoice.issueDate);
      const { openCents } = paymentStateOf(ctx, invoice);
      if (input.amountCents > openCents) {
        throw unprocessable('payment.exceeds_balance', `The open balance of ${invoice.number} is ${openCents} cents; ${input.amountCents} is more`, {
          openCents,
          amountCents: input.amountCents,
        });
      }
      return repo.insert({
        invoiceId,
        amountCents: input.amountCents,
        paidOn: input.paidOn,
        method: input.method,
        reference: input.reference?.trim() || null,
        settlementId: null,
        recordedAt: ctx.clock.now(),
        recordedByUserId: actor.userId,
      });
    })
    .immediate();
  return toPaymentView(repo.find(id)!);
}

/** Deletes a payment (coordinators or the seller's admins): stamped deleted, kept for the audit trail. */
export function deletePayment(ctx: AppContext, actor: Actor, paymentId: number): PaymentView {
  const repo = paymentRepository(ctx.sqlite);
  ctx.sqlite
    .transaction(() => {
      const payment = repo.find(paymentId);
      const invoice = payment && invoiceRepository(ctx.sqlite).find(payment.invoiceId);
      if (!payment || !invoice || !visibleTo(actor, invoice)) throw notFound('payment', paymentId);
      assertAdminOf(actor, invoice.sellerMemberId);
      if (!repo.remove(paymentId, ctx.clock.now(), actor.userId)) throw conflict('payment.already_deleted', `Payment ${paymentId} was already deleted`);
    })
    .immediate();
  return toPaymentView(repo.find(paymentId)!);
}

/**
 * The first API's `POST /api/invoices/:id/payment {paidOn}`: a date pays the whole open balance (by
 * transfer); null deletes the invoice's payments.
 */
export function payWholeBalance(ctx: AppContext, actor: Actor, invoiceId: number, paidOn: string | null): void {
  const repo = paymentRepository(ctx.sqlite);
  ctx.sqlite
    .transaction(() => {
      const invoice = findVisible(ctx, actor, invoiceId);
      assertAdminOf(actor, invoice.sellerMemberId);
      if (invoice.kind !== 'invoice') throw unprocessable('invoice.not_payable', 'A credit note is not paid');
      if (paidOn === null) {
        for (const p of repo.ofInvoice(invoiceId)) if (p.deletedAt === null) repo.remove(p.id, ctx.clock.now(), actor.userId);
        return;
      }
      assertPaymentDate(ctx, paidOn, invoice.issueDate);
      const { openCents } = paymentStateOf(ctx, invoice);
      if (openCents <= 0) throw conflict('payment.nothing_open', `${invoice.number} has nothing left to pay`, { openCents });
      repo.insert({ invoiceId, amountCents: openCents, paidOn, method: 'transfer', reference: null, settlementId: null, recordedAt: ctx.clock.now(), recordedByUserId: actor.userId });
    })
    .immediate();
}
