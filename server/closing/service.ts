import { DateTime } from 'luxon';
import type { AppContext } from '../context';
import { closeNotices } from '../notifications/close-notices';
import { notify } from '../notifications/enqueue';
import { poleZone } from '../pole/service';
import { getPole } from '../pole/repository';
import type { Actor } from '../shared/actor';
import { conflict, unprocessable } from '../shared/errors';
import { assertMonth, monthRange } from '../shared/time';
import { durableTransaction } from '../shared/transaction';
import type { SealedDocument } from '../invoices/chain';
import { buildCloseDrafts } from '../invoices/close-drafts';
import { issueDocuments, sealInSeries } from '../invoices/issue';
import { toInvoiceView, type InvoiceView } from '../invoices/view';
import { einvoiceWarnings } from '../einvoice/completeness';
import { staffWarnings } from '../staff/billing';
import { closeTerms, snapshotParty } from './close-terms';
import { allocateMonth, snapshotOf, type AllocationWork } from './month-allocation';
import { closingRepository } from './repository';
import { closeWarnings, type CloseWarning } from './warnings';

/**
 * The monthly close: computes the month's allocation from its costs and confirmed bookings, then — in one
 * synchronous IMMEDIATE transaction — freezes the month, snapshots the allocation and issues the invoices
 * with their numbers and hash chain. The preview runs the same pure planning without writing.
 */

interface ClosePlan {
  work: AllocationWork;
  documents: SealedDocument[];
  warnings: CloseWarning[];
  /** Members in whose name invoices would be issued without a billing mandate on the issue date. */
  missingMandates: { memberId: number; name: string }[];
}

/** A public buyer's engagement number for one close's invoices (Chorus Pro BT-13). */
export interface CloseEngagement {
  memberId: number;
  engagement: string;
}

/** What a close of `month` at `now` issues, from the current state. Pure apart from its reads. */
function planClose(ctx: AppContext, month: string, now: number, engagements: readonly CloseEngagement[] = []): ClosePlan {
  const pole = getPole(ctx.db);
  const work = allocateMonth(ctx, month, pole.timeZone);
  const parties = new Map(work.members.map((m) => [m.id, snapshotParty(m)]));
  for (const e of engagements) {
    const party = parties.get(e.memberId);
    if (!party?.publicBody) {
      throw unprocessable('closing.engagement_not_public_body', `Member ${e.memberId} is not a public body: an engagement number goes only to a public buyer`, { memberId: e.memberId });
    }
    party.chorusEngagement = e.engagement;
  }
  const terms = closeTerms(pole, month, now);
  // A public body bills with its own titres de recettes (see revenue-titles), never in a Mutualise series.
  const drafts = buildCloseDrafts({
    terms,
    allocations: work.allocations,
    costGroups: work.costGroups,
    resources: work.resources,
    parties,
    groupingMemberId: pole.groupingMemberId,
  }).filter((d) => !d.seller.publicBody);
  const missingMandates = [...new Map(drafts.map((d) => [d.sellerMemberId, d.seller])).values()]
    .filter((s) => !s.billingMandateSince || s.billingMandateSince > terms.issueDate)
    .map((s) => ({ memberId: s.id, name: s.name }));
  const documents = sealInSeries(ctx.sqlite, drafts);
  const range = monthRange(month, pole.timeZone);
  const pending = ctx.sqlite
    .prepare("SELECT count(*) FROM bookings WHERE status = 'pending' AND start_ms < ? AND end_ms > ?")
    .pluck()
    .get(range.endMs, range.startMs) as number;
  const staff = [...work.resources.values()].filter((r) => r.kind === 'staff');
  const memberName = (id: number) => work.members.find((m) => m.id === id)?.name ?? `#${id}`;
  const warnings = [
    ...closeWarnings(work.allocations, (id) => work.resources.get(id)?.name ?? `#${id}`, pending, missingMandates),
    ...staffWarnings(ctx.db, month, staff, memberName, (id) => work.usage.get(id), (id) => work.allocations.some((a) => a.resourceId === id && (a.costCents > 0 || a.usageMinutes > 0))),
    ...einvoiceWarnings(documents),
  ];
  return { work, documents, warnings, missingMandates };
}

function assertClosable(ctx: AppContext, month: string): void {
  assertMonth(month);
  const pole = getPole(ctx.db);
  const { endMs } = monthRange(month, pole.timeZone);
  if (ctx.clock.now() < endMs) throw unprocessable('closing.month_not_ended', `${month} has not ended yet: only an ended month can be closed`, { month });
  if (closingRepository(ctx.sqlite).closing(month)) throw conflict('closing.already_closed', `${month} is already closed`, { month });
}

export interface ClosingView {
  month: string;
  closedAt: string | null;
  invoices: InvoiceView[];
  warnings: CloseWarning[];
}

/** `POST /api/closings/preview`: exactly what a close now would issue (same numbers and hashes), without writing. */
export function previewClose(ctx: AppContext, month: string, engagements: readonly CloseEngagement[] = []): ClosingView {
  assertClosable(ctx, month);
  const plan = planClose(ctx, month, ctx.clock.now(), engagements);
  return { month, closedAt: null, invoices: plan.documents.map((d) => toInvoiceView({ ...d, id: null })), warnings: plan.warnings };
}

/**
 * Closes a month: one IMMEDIATE transaction, no await inside, with synchronous=FULL so that issued invoices
 * survive a power loss. A second close answers 409; a crash before commit leaves nothing, and a rerun the
 * same day issues identical documents. Usable from the API, the CLI and tests.
 */
export function closeMonth(
  ctx: AppContext,
  options: { month: string; actor: Actor | null; engagements?: readonly CloseEngagement[] | undefined; onProgress?: (line: string) => void },
): ClosingView {
  const { month, actor } = options;
  const progress = options.onProgress ?? (() => {});
  assertClosable(ctx, month);
  const now = ctx.clock.now();
  const repo = closingRepository(ctx.sqlite);
  const result = durableTransaction(ctx.sqlite, () => {
    if (repo.closing(month)) throw conflict('closing.already_closed', `${month} is already closed`, { month });
    progress(`Computing the allocation of ${month}…`);
    const plan = planClose(ctx, month, now, options.engagements);
    if (plan.missingMandates.length > 0) {
      throw unprocessable(
        'invoice.no_billing_mandate',
        `Invoices would be issued in the name of members that have not mandated the pole: ${plan.missingMandates.map((m) => m.name).join(', ')}. Enter their billing mandate date first.`,
        { members: plan.missingMandates },
      );
    }
    repo.insertClosing(month, now, actor?.userId ?? null);
    const snapshot = snapshotOf(plan.work.allocations);
    repo.insertSnapshot(month, snapshot.resources, snapshot.rows);
    progress(`Allocated ${snapshot.resources.length} resource(s); issuing ${plan.documents.length} invoice(s)…`);
    const issued = issueDocuments(ctx.sqlite, plan.documents, now, actor?.userId ?? null);
    notify(ctx, closeNotices(ctx.sqlite, month, issued));
    return { issued, warnings: plan.warnings };
  });
  for (const doc of result.issued) progress(`  ${doc.number}  ${doc.seller.name} → ${doc.buyer.name}  ${(doc.totalInclVatCents / 100).toFixed(2)} € TTC`);
  const zone = poleZone(ctx);
  return {
    month,
    closedAt: DateTime.fromMillis(now, { zone }).toISO({ suppressMilliseconds: true }),
    invoices: result.issued.map((d) => toInvoiceView(d)),
    warnings: result.warnings,
  };
}

export function listClosings(ctx: AppContext) {
  const zone = poleZone(ctx);
  const counts = ctx.sqlite.prepare("SELECT month, count(*) AS n, coalesce(sum(total_incl_vat_cents), 0) AS total FROM invoices WHERE kind = 'invoice' GROUP BY month").all() as {
    month: string;
    n: number;
    total: number;
  }[];
  const byMonth = new Map(counts.map((c) => [c.month, c]));
  return closingRepository(ctx.sqlite)
    .closings()
    .map((c) => ({
      month: c.month,
      closedAt: DateTime.fromMillis(c.closedAt, { zone }).toISO({ suppressMilliseconds: true })!,
      closedByUserId: c.closedByUserId,
      invoiceCount: byMonth.get(c.month)?.n ?? 0,
      totalInclVatCents: byMonth.get(c.month)?.total ?? 0,
    }));
}
