import type { CostNature } from '../../db/schema/enums';
import type { AppContext } from '../context';
import { assertCostFits, paidHoursHundredths, vatRateBp } from '../costs/service';
import { costRepository } from '../costs/repository';
import type { SealedDocument } from '../invoices/chain';
import { buildCloseDrafts } from '../invoices/close-drafts';
import { remainingByLine } from '../invoices/credit-notes';
import type { InvoiceLine } from '../invoices/document';
import { sealInSeries } from '../invoices/issue';
import { invoiceRepository } from '../invoices/repository';
import { lineVat, vatOf } from '../invoices/vat-lines';
import { getPole } from '../pole/repository';
import { AppError, badRequest, conflict, notFound, unprocessable } from '../shared/errors';
import { assertMonth } from '../shared/time';
import type { ResourceAllocation } from './allocation';
import { allocationDocuments, assertMandates, creditDrafts, documentOrder, monthDocuments, partiesAtClose, supplementDrafts } from './adjustments-documents';
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
  supplementLine,
  type CostEntry,
  type CostItem,
} from './adjustments-rules';
import { closeTerms, snapshotParty } from './close-terms';
import { allocateMonth } from './month-allocation';
import { closingRepository } from './repository';

/**
 * What an adjustment issues, planned from the month's documents and the close's own allocation and drafting
 * (see adjustments.ts): the same plan for the preview and the issue, so both give the very numbers and hashes.
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

export interface Plan {
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

export function plan(ctx: AppContext, month: string, body: AdjustmentBody, now: number): Plan {
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
