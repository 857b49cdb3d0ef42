import { DateTime } from 'luxon';
import type { CostNature } from '../../db/schema/enums';
import type { AppContext } from '../context';
import { assertCostFits, paidHoursHundredths, vatRateBp } from '../costs/service';
import { costRepository } from '../costs/repository';
import { invoiceRepository, type InvoiceRecord } from '../invoices/repository';
import { toInvoiceView, type InvoiceView } from '../invoices/view';
import { billingAddresses } from '../notifications/close-notices';
import { notify, type Notice } from '../notifications/enqueue';
import { getPole } from '../pole/repository';
import type { Actor } from '../shared/actor';
import { AppError, badRequest, conflict, notFound, unprocessable } from '../shared/errors';
import type { ResourceAllocation } from './allocation';
import { adjustmentRepository, type AdjustmentRecord, type ShareDelta } from './adjustments-repository';
import {
  AdjustmentError,
  adjustmentLabel,
  applyCostItems,
  billedByKey,
  billingKey,
  costSumsOf,
  differences,
  planCredits,
  supplementDraft,
  supplementLine,
  type CostEntry,
  type CostItem,
} from './adjustments-rules';
import type { SealedDocument } from '../invoices/chain';
import { issueDocuments, sealInSeries } from '../invoices/issue';
import { durableTransaction } from '../shared/transaction';
import { buildCloseDrafts } from '../invoices/close-drafts';
import { buildCreditNoteDraft, CreditError, remainingByLine } from '../invoices/credit-notes';
import { lineVat, vatOf } from '../invoices/vat-lines';
import type { DocumentTerms, InvoiceDraft, InvoiceLine, PartySnapshot } from '../invoices/document';
import { closingRepository, type MemberRecord } from './repository';
import { allocateMonth } from './month-allocation';
import { assertMonth } from '../shared/time';
import { closeTerms, snapshotParty } from './close-terms';

/**
 * Adjustments to a closed month (issue #11): a late or corrected cost of one of its resources, or a corrected
 * share on one of its invoices. The difference is computed with the close's own allocation and drafting, then
 * issued — in one IMMEDIATE transaction, numbered in the sellers' current series — as supplementary invoices
 * (positive differences) and credit notes naming their lines (negative ones), all mentioning the month they
 * correct. The month's snapshot stays as the close made it; the adjustment row keeps what changed. The
 * preview runs the same planning without writing, so it shows the very numbers and hashes an issue gives.
 */

export interface AdjustmentCostBody {
  costId?: number;
  label?: string;
  nature?: CostNature;
  amountCents: number;
  vatRate?: number;
  inputVatCents?: number;
  paidHours?: number | null;
}

export interface AdjustmentBody {
  resourceId?: number;
  costs?: AdjustmentCostBody[];
  invoiceId?: number;
  lines?: { line: number; amountCents: number }[];
  reason?: string;
}

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

interface Plan {
  kind: 'resource' | 'invoice';
  resourceId: number | null;
  invoiceId: number | null;
  label: string;
  costsAfter: CostEntry[] | null;
  allocation: ResourceAllocation | null;
  costBeforeCents: number;
  costAfterCents: number;
  deltas: ShareDelta[];
  documents: SealedDocument[];
}

const fail = (e: AdjustmentError) => new AppError(e.status, e.code, e.message, e.details);

function assertClosed(ctx: AppContext, month: string): void {
  assertMonth(month);
  if (!closingRepository(ctx.sqlite).closing(month)) {
    throw conflict('adjustment.month_not_closed', `${month} is not closed: change its costs or bookings directly, then close it`, { month });
  }
}

interface MonthDocuments {
  documents: InvoiceRecord[];
  adjustmentIds: Set<number>;
}

function monthDocuments(ctx: AppContext, month: string): MonthDocuments {
  return { documents: invoiceRepository(ctx.sqlite).list({ month }), adjustmentIds: adjustmentRepository(ctx.sqlite).documentIds(month) };
}

/** The close's invoices and the adjustments' documents: what the allocation billed (hand-made credit notes aside). */
const allocationDocuments = (m: MonthDocuments) => m.documents.filter((d) => (d.kind === 'invoice' && !m.adjustmentIds.has(d.id)) || m.adjustmentIds.has(d.id));

/** Each member as the month's close printed it (its VAT standing then), else as it is now. */
function partiesAtClose(m: MonthDocuments, members: readonly MemberRecord[]): Map<number, PartySnapshot> {
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

function normalizeItems(items: readonly AdjustmentCostBody[]): CostItem[] {
  return items.map((c) => {
    const item: CostItem = { amountCents: c.amountCents };
    if (c.costId !== undefined) item.costId = c.costId;
    if (c.label !== undefined) item.label = c.label;
    if (c.nature !== undefined) item.nature = c.nature;
    if (c.vatRate !== undefined) item.vatRateBp = vatRateBp(c.vatRate);
    if (c.inputVatCents !== undefined) item.inputVatCents = c.inputVatCents;
    if (c.paidHours !== undefined) item.paidHoursHundredths = paidHoursHundredths(c.paidHours) ?? null;
    return item;
  });
}

/** The resource's cost entries of the month as currently shared: the last adjustment's, else the stored costs. */
function currentEntries(ctx: AppContext, month: string, resourceId: number, previous: readonly AdjustmentRecord[]): CostEntry[] {
  const last = previous.filter((a) => a.kind === 'resource' && a.resourceId === resourceId).at(-1);
  if (last?.costsAfter) return last.costsAfter;
  return costRepository(ctx.sqlite)
    .list({ month, resourceId })
    .map((c) => ({ costId: c.id, label: c.label, nature: c.nature, amountCents: c.amountCents, vatRateBp: c.vatRateBp, inputVatCents: c.inputVatCents, paidHoursHundredths: c.paidHoursHundredths }));
}

function previousCost(ctx: AppContext, month: string, resourceId: number, previous: readonly AdjustmentRecord[]): number {
  const last = previous.filter((a) => a.kind === 'resource' && a.resourceId === resourceId).at(-1);
  if (last) return last.allocation?.costCents ?? 0;
  return closingRepository(ctx.sqlite).snapshot(month).resources.find((r) => r.resourceId === resourceId)?.costCents ?? 0;
}

function assertMandates(drafts: readonly InvoiceDraft[], issueDate: string): void {
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
function creditDrafts(ctx: AppContext, credits: Map<number, { line: number; amountCents: number }[]>, terms: DocumentTerms, reason: string | undefined): InvoiceDraft[] {
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
function supplementDrafts(
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
const documentOrder = (a: InvoiceDraft, b: InvoiceDraft) =>
  a.sellerMemberId - b.sellerMemberId || a.buyerMemberId - b.buyerMemberId || (a.kind === b.kind ? (a.creditedInvoiceId ?? 0) - (b.creditedInvoiceId ?? 0) : a.kind === 'invoice' ? -1 : 1);

/** A late or corrected cost of one resource: re-allocates it with the corrected costs, bills the difference. */
function planResource(ctx: AppContext, month: string, now: number, resourceId: number, items: readonly AdjustmentCostBody[], reason: string | undefined): Plan {
  const pole = getPole(ctx.db);
  const repo = closingRepository(ctx.sqlite);
  const members = repo.members();
  const resource = repo.resources().find((r) => r.id === resourceId);
  if (!resource) throw notFound('resource', resourceId);
  const bearer = members.find((m) => m.id === resource.bearerMemberId)!;
  if (bearer.publicBody) {
    throw unprocessable('adjustment.revenue_title_bearer', `${bearer.name} is a public body: it bills its shares with its own revenue titles, not with Mutualise invoices`);
  }
  const normalized = normalizeItems(items);
  const previous = adjustmentRepository(ctx.sqlite).ofMonth(month);
  let after: CostEntry[];
  try {
    after = applyCostItems(currentEntries(ctx, month, resourceId, previous), normalized, vatOf);
  } catch (err) {
    if (err instanceof AdjustmentError) throw fail(err);
    throw err;
  }
  for (const e of after) assertCostFits(ctx, resourceId, e.nature, e.paidHoursHundredths);

  const sums = [...repo.costSums(month).filter((c) => c.resourceId !== resourceId), ...costSumsOf(resourceId, after)];
  const work = allocateMonth(ctx, month, pole.timeZone, sums);
  const allocation = work.allocations.find((a) => a.resourceId === resourceId) ?? null;
  const terms = closeTerms(pole, month, now);
  const docs = monthDocuments(ctx, month);

  // What the close's rules bill now, with the VAT each pair had at the close.
  const target = new Map<string, number>();
  const templates = new Map<string, InvoiceLine>();
  const drafted = buildCloseDrafts({
    terms,
    allocations: allocation ? [allocation] : [],
    costGroups: work.costGroups,
    resources: work.resources,
    parties: partiesAtClose(docs, members),
    groupingMemberId: pole.groupingMemberId,
  });
  for (const d of drafted) {
    for (const line of d.lines) {
      const key = billingKey(d.sellerMemberId, d.buyerMemberId, line);
      target.set(key, (target.get(key) ?? 0) + line.totalExclVatCents);
      templates.set(key, line);
    }
  }
  const diffs = differences(billedByKey(allocationDocuments(docs), resourceId), target);
  if (diffs.size === 0) {
    throw unprocessable('adjustment.nothing_to_adjust', 'The corrected costs bill every member exactly what it was billed: there is nothing to adjust', { resourceId });
  }

  const now_ = new Map(members.map((m) => [m.id, snapshotParty(m)]));
  const pairs = new Map<string, { seller: number; buyer: number; lines: InvoiceLine[] }>();
  const negatives = new Map<string, number>();
  const deltas = new Map<string, ShareDelta>();
  for (const [key, diff] of diffs) {
    const [pair] = key.split('|') as [string];
    const [seller, buyer] = pair.split('>').map(Number) as [number, number];
    const delta = deltas.get(pair) ?? { resourceId, sellerMemberId: seller, buyerMemberId: buyer, deltaCents: 0 };
    delta.deltaCents += diff;
    deltas.set(pair, delta);
    if (diff < 0) {
      negatives.set(key, diff);
      continue;
    }
    const p = pairs.get(pair) ?? { seller, buyer, lines: [] };
    p.lines.push(supplementLine(templates.get(key)!, diff));
    pairs.set(pair, p);
  }
  const candidates = allocationDocuments(docs)
    .filter((d) => d.kind === 'invoice')
    .sort((a, b) => Number(docs.adjustmentIds.has(a.id)) - Number(docs.adjustmentIds.has(b.id)) || a.id - b.id)
    .map((d) => ({ invoiceId: d.id, sellerMemberId: d.sellerMemberId, buyerMemberId: d.buyerMemberId, lines: d.lines, mentions: d.mentions, remaining: remainingByLine(d, invoiceRepository(ctx.sqlite).creditNotesOf(d.id)) }));
  let credits;
  try {
    credits = planCredits(negatives, candidates);
  } catch (err) {
    if (err instanceof AdjustmentError) throw fail(err);
    throw err;
  }
  const staff = new Set([...work.resources.values()].filter((r) => r.kind === 'staff').map((r) => r.id));
  const drafts = [...supplementDrafts(pairs, now_, staff, terms, reason), ...creditDrafts(ctx, credits, terms, reason)];
  assertMandates(drafts, terms.issueDate);
  return {
    kind: 'resource',
    resourceId,
    invoiceId: null,
    label: adjustmentLabel(terms.monthLabel),
    costsAfter: after,
    allocation,
    costBeforeCents: previousCost(ctx, month, resourceId, previous),
    costAfterCents: allocation?.costCents ?? 0,
    deltas: [...deltas.values()].filter((d) => d.deltaCents !== 0).sort((a, b) => a.sellerMemberId - b.sellerMemberId || a.buyerMemberId - b.buyerMemberId),
    documents: sealInSeries(ctx.sqlite, [...drafts].sort(documentOrder)),
  };
}

/** A corrected share on lines of one invoice of the month: the new amount of each line, excl. VAT. */
function planInvoice(ctx: AppContext, month: string, now: number, invoiceId: number, lines: readonly { line: number; amountCents: number }[], reason: string | undefined): Plan {
  const pole = getPole(ctx.db);
  const repo = closingRepository(ctx.sqlite);
  const invoices = invoiceRepository(ctx.sqlite);
  const invoice = invoices.find(invoiceId);
  if (!invoice) throw notFound('invoice', invoiceId);
  if (invoice.month !== month) throw unprocessable('adjustment.other_month', `${invoice.number} bills ${invoice.month}, not ${month}`, { month: invoice.month });
  if (invoice.kind !== 'invoice') throw unprocessable('adjustment.not_an_invoice', `${invoice.number} is a credit note: correct the invoice it cites`);
  const remaining = remainingByLine(invoice, invoices.creditNotesOf(invoiceId));
  const previous = adjustmentRepository(ctx.sqlite).ofMonth(month);
  const supplemented = (line: number) =>
    previous.flatMap((a) => a.deltas).filter((d) => d.invoiceId === invoiceId && d.line === line && d.deltaCents > 0).reduce((a, d) => a + d.deltaCents, 0);

  const seen = new Set<number>();
  const added: InvoiceLine[] = [];
  const credited: { line: number; amountCents: number }[] = [];
  const deltas: ShareDelta[] = [];
  for (const { line, amountCents } of lines) {
    const original = invoice.lines[line];
    if (!original) throw unprocessable('adjustment.unknown_line', `${invoice.number} has no line ${line}`, { line });
    if (seen.has(line)) throw badRequest('adjustment.duplicate_line', `Line ${line} is listed twice`);
    seen.add(line);
    const current = remaining[line]! + supplemented(line);
    const diff = amountCents - current;
    if (diff === 0) continue;
    deltas.push({ resourceId: original.resourceId, sellerMemberId: invoice.sellerMemberId, buyerMemberId: invoice.buyerMemberId, deltaCents: diff, invoiceId, line });
    if (diff > 0) {
      added.push(supplementLine({ ...original, ...lineVat(original, invoice.mentions) }, diff));
    } else if (-diff > remaining[line]!) {
      throw unprocessable('adjustment.exceeds_creditable', `Only ${remaining[line]} cents remain creditable on line ${line} of ${invoice.number}`, { line, remainingCents: remaining[line] });
    } else {
      credited.push({ line, amountCents: -diff });
    }
  }
  if (deltas.length === 0) throw unprocessable('adjustment.nothing_to_adjust', `Every line given already bills that amount on ${invoice.number}`, { invoiceId });

  const members = repo.members();
  const terms = closeTerms(pole, month, now);
  const parties = new Map(members.map((m) => [m.id, snapshotParty(m)]));
  const staff = new Set(repo.resources().filter((r) => r.kind === 'staff').map((r) => r.id));
  const pairs = new Map(added.length ? [['pair', { seller: invoice.sellerMemberId, buyer: invoice.buyerMemberId, lines: added }]] : []);
  const credits = new Map(credited.length ? [[invoiceId, credited]] : []);
  const drafts = [...supplementDrafts(pairs, parties, staff, terms, reason), ...creditDrafts(ctx, credits, terms, reason)];
  assertMandates(drafts, terms.issueDate);
  return {
    kind: 'invoice',
    resourceId: null,
    invoiceId,
    label: adjustmentLabel(terms.monthLabel),
    costsAfter: null,
    allocation: null,
    costBeforeCents: 0,
    costAfterCents: 0,
    deltas,
    documents: sealInSeries(ctx.sqlite, [...drafts].sort(documentOrder)),
  };
}

function plan(ctx: AppContext, month: string, body: AdjustmentBody, now: number): Plan {
  assertClosed(ctx, month);
  const byResource = body.resourceId !== undefined || body.costs !== undefined;
  const byInvoice = body.invoiceId !== undefined || body.lines !== undefined;
  if (byResource === byInvoice) throw badRequest('adjustment.ambiguous', 'Give either { resourceId, costs } or { invoiceId, lines }');
  if (byResource) {
    if (body.resourceId === undefined || !body.costs?.length) throw badRequest('adjustment.incomplete', 'A cost adjustment needs resourceId and at least one cost');
    return planResource(ctx, month, now, body.resourceId, body.costs, body.reason);
  }
  if (body.invoiceId === undefined || !body.lines?.length) throw badRequest('adjustment.incomplete', 'A share adjustment needs invoiceId and at least one line');
  return planInvoice(ctx, month, now, body.invoiceId, body.lines, body.reason);
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
