import { DateTime } from 'luxon';
import type { AppContext } from '../context';
import { issueDocuments } from '../invoices/issue';
import { invoiceRepository } from '../invoices/repository';
import { toInvoiceView, type InvoiceView } from '../invoices/view';
import { billingAddresses } from '../notifications/close-notices';
import { notify, type Notice } from '../notifications/enqueue';
import { getPole } from '../pole/repository';
import type { Actor } from '../shared/actor';
import { durableTransaction } from '../shared/transaction';
import type { SealedDocument } from '../invoices/chain';
import { plan, type AdjustmentBody, type Plan } from './adjustments-plan';
import { adjustmentRepository, type ShareDelta } from './adjustments-repository';

/**
 * Adjustments to a closed month (issue #11): a late or corrected cost of one of its resources, or a corrected
 * share on one of its invoices. The difference is computed with the close's own allocation and drafting, then
 * issued — in one IMMEDIATE transaction, numbered in the sellers' current series — as supplementary invoices
 * (positive differences) and credit notes naming their lines (negative ones), all mentioning the month they
 * correct. The month's snapshot stays as the close made it; the adjustment row keeps what changed. The
 * preview runs the same planning without writing, so it shows the very numbers and hashes an issue gives.
 */

export interface AdjustmentView {
  /** null in a preview. */
  id: number | null;
  month: string;
  kind: 'resource' | 'invoice';
  resourceId: number | null;
  invoiceId: number | null;
  /** « Régularisation d’octobre 2026 ». */
  label: string;
  costBeforeCents: number;
  costAfterCents: number;
  deltas: ShareDelta[];
  createdAt: string | null;
  documents: InvoiceView[];
}

function viewOf(p: Plan, month: string, id: number | null, createdAt: string | null, documents: InvoiceView[]): AdjustmentView {
  return {
    id,
    month,
    kind: p.kind,
    resourceId: p.resourceId,
    invoiceId: p.invoiceId,
    label: p.label,
    costBeforeCents: p.costBeforeCents,
    costAfterCents: p.costAfterCents,
    deltas: p.deltas,
    createdAt,
    documents,
  };
}

/** `POST /api/closings/:month/adjustments/preview`: exactly what the adjustment would issue now (numbers, hashes), writing nothing. */
export function previewAdjustment(ctx: AppContext, month: string, body: AdjustmentBody): AdjustmentView {
  const p = ctx.sqlite.transaction(() => plan(ctx, month, body, ctx.clock.now()))();
  return viewOf(p, month, null, null, p.documents.map((d) => toInvoiceView({ ...d, id: null })));
}

/** Billing mails as the close sends them: to each structure concerned, the documents it issued and received. */
function adjustmentNotices(ctx: AppContext, month: string, adjustmentId: number, label: string, issued: readonly (SealedDocument & { id: number })[]): Notice[] {
  const byMember = new Map<number, { id: number; number: string; totalInclVatCents: number; role: 'seller' | 'buyer' }[]>();
  for (const d of issued) {
    for (const [memberId, role] of [[d.sellerMemberId, 'seller'], [d.buyerMemberId, 'buyer']] as const) {
      byMember.set(memberId, [...(byMember.get(memberId) ?? []), { id: d.id, number: d.number, totalInclVatCents: d.totalInclVatCents, role }]);
    }
  }
  return [...byMember]
    .sort(([a], [b]) => a - b)
    .flatMap(([memberId, invoices]) => {
      const addr = billingAddresses(ctx.sqlite, memberId);
      if (!addr?.to) return [];
      return [{ kind: 'close.done' as const, key: `adjustment.${adjustmentId}.m${memberId}`, address: addr.to, cc: addr.cc, memberId, payload: { month, memberId, memberName: addr.name, invoices, adjustment: label } }];
    });
}

/**
 * `POST /api/closings/:month/adjustments`: plans and issues in one IMMEDIATE transaction (synchronous=FULL,
 * as a close): documents, series counters, the adjustment row with its links, the billing mails. All or
 * nothing: any refusal or crash before the commit leaves no number used.
 */
export function issueAdjustment(ctx: AppContext, actor: Actor | null, month: string, body: AdjustmentBody): AdjustmentView {
  const now = ctx.clock.now();
  const result = durableTransaction(ctx.sqlite, () => {
    const p = plan(ctx, month, body, now);
    const issued = issueDocuments(ctx.sqlite, p.documents, now, actor?.userId ?? null);
    const repo = adjustmentRepository(ctx.sqlite);
    const id = repo.insert({
      month,
      kind: p.kind,
      resourceId: p.resourceId,
      invoiceId: p.invoiceId,
      input: body,
      costsAfter: p.costsAfter,
      allocation: p.allocation,
      deltas: p.deltas,
      costDeltaCents: p.costAfterCents - p.costBeforeCents,
      reason: body.reason?.trim() ?? null,
      createdAt: now,
      createdByUserId: actor?.userId ?? null,
    });
    repo.link(id, issued.map((d) => d.id));
    notify(ctx, adjustmentNotices(ctx, month, id, p.label, issued));
    return { p, id, issued };
  });
  const createdAt = DateTime.fromMillis(now, { zone: getPole(ctx.db).timeZone }).toISO({ suppressMilliseconds: true });
  return viewOf(result.p, month, result.id, createdAt, result.issued.map((d) => toInvoiceView(d)));
}

export interface AdjustmentSummary {
  id: number;
  kind: 'resource' | 'invoice';
  resourceId: number | null;
  invoiceId: number | null;
  costDeltaCents: number;
  reason: string | null;
  createdAt: string;
  documents: { id: number; number: string; kind: 'invoice' | 'credit_note'; totalExclVatCents: number; totalInclVatCents: number }[];
}

/** The month's adjustments, oldest first, with the documents each issued (for `GET /api/closings/:month`). */
export function monthAdjustments(ctx: AppContext, month: string): AdjustmentSummary[] {
  const zone = getPole(ctx.db).timeZone;
  const invoices = invoiceRepository(ctx.sqlite);
  return adjustmentRepository(ctx.sqlite)
    .ofMonth(month)
    .map((a) => ({
      id: a.id,
      kind: a.kind,
      resourceId: a.resourceId,
      invoiceId: a.invoiceId,
      costDeltaCents: a.costDeltaCents,
      reason: a.reason,
      createdAt: DateTime.fromMillis(a.createdAt, { zone }).toISO({ suppressMilliseconds: true })!,
      documents: a.documentIds.map((id) => {
        const d = invoices.find(id)!;
        return { id, number: d.number, kind: d.kind, totalExclVatCents: d.totalExclVatCents, totalInclVatCents: d.totalInclVatCents };
      }),
    }));
}
