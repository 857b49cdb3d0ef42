import { subtractIntervals } from '../bookings/intervals';
import { isActiveInMonth } from '../closing/allocation';
import { describeBasis, describeNote } from '../invoices/wording';
import { assertMonth } from '../shared/time';
import { computeAllocation, type MonthAllocation } from '../closing/month-allocation';
import { previewClose } from '../closing/service';
import type { AppContext } from '../context';
import { invoiceRepository, type InvoiceRecord } from '../invoices/repository';
import { listMembers, type MemberRow } from '../members/repository';
import { getPole } from '../pole/repository';
import { monthReconciliation } from '../closing/month-view';
import { openIntervals } from '../resources/opening-hours';
import { listResources, type ResourceRow } from '../resources/repository';
import { canActFor, type Actor } from '../shared/actor';
import { isAppError, notFound } from '../shared/errors';
import { monthRange } from '../shared/time';
import { settle } from '../settlements/rules';
import { getSettlement, type Settlement } from '../settlements/service';
import { frozenDocument } from './frozen';
import { KIND_LABELS, RULE_LABELS, slug } from './labels';
import { documentsRepository } from './repository';
import { type DocumentVersionStamp, type StatementData, type StatementInvoice } from './statement';
import type { SummaryData } from './summary';
import { render, renderAll } from './render-pool';

/**
 * The documents of a month: invoice PDFs, members' statements and the pole summary (the ZIP: export.ts).
 * Data is read in one (read) transaction so that a document is consistent with itself; the rendering
 * happens after it, outside any transaction, so a slow PDF never holds the database.
 */

export interface RenderedFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** Synchronous reads in one snapshot (WAL read transaction). No await inside, as for any better-sqlite3 transaction. */
const snapshot = <T>(ctx: AppContext, read: () => T): T => ctx.sqlite.transaction(read)();

const pdfFile = (filename: string, body: Buffer): RenderedFile => ({ filename, contentType: 'application/pdf', body });

// ——— Invoices ———

/**
 * The PDF of an issued invoice or credit note: the bytes frozen at issue (see frozen.ts), byte-identical at
 * every download. Only stored (issued) documents exist; another structure's answers 404.
 */
export async function invoicePdf(ctx: AppContext, actor: Actor, id: number): Promise<RenderedFile> {
  const record = invoiceRepository(ctx.sqlite).find(id);
  const visible = record && (actor.role === 'coordinator' || record.sellerMemberId === actor.memberId || record.buyerMemberId === actor.memberId);
  if (!record || !visible) throw notFound('invoice', id);
  return pdfFile(`${record.number}.pdf`, (await frozenDocument(ctx, id)).pdf);
}

// ——— Statements ———

export interface MonthContext {
  ctx: AppContext;
  month: string;
  zone: string;
  poleName: string;
  now: number;
  allocation: MonthAllocation;
  members: Map<number, MemberRow>;
  resources: Map<number, ResourceRow>;
  invoices: InvoiceRecord[];
  /** The month's settlement, computed once per snapshot (every statement of a month reads it). */
  settlement: () => Settlement;
}

export function monthContext(ctx: AppContext, month: string): MonthContext {
  const pole = getPole(ctx.db);
  return {
    ctx,
    month,
    zone: pole.timeZone,
    poleName: pole.name,
    now: ctx.clock.now(),
    allocation: computeAllocation(ctx, month),
    members: new Map(listMembers(ctx.db).map((m) => [m.id, m])),
    resources: new Map(listResources(ctx.db, { includeInactive: true }).map((r) => [r.id, r])),
    invoices: invoiceRepository(ctx.sqlite).list({ month }),
    settlement: once(() => getSettlement(ctx, null, month)),
  };
}

function once<T>(compute: () => T): () => T {
  let value: { v: T } | undefined;
  return () => (value ??= { v: compute() }).v;
}

const nameOf = (m: MonthContext, memberId: number) => m.members.get(memberId)?.name ?? `Membre n° ${memberId}`;
const resourceName = (m: MonthContext, id: number) => m.resources.get(id)?.name ?? `Ressource n° ${id}`;

function statementData(m: MonthContext, memberId: number): StatementData {
  const member = m.members.get(memberId)!;
  const resources = new Map(m.allocation.resources.map((r) => [r.resourceId, r]));
  const shares = m.allocation.rows
    .filter((r) => r.memberId === memberId && (r.shareCents !== 0 || r.usageMinutes > 0))
    .map((r) => {
      const res = resources.get(r.resourceId);
      return {
        resourceId: r.resourceId,
        resourceName: resourceName(m, r.resourceId),
        bearerName: res ? nameOf(m, res.bearerMemberId) : '—',
        bearer: res?.bearerMemberId === memberId,
        ruleLabel: res ? RULE_LABELS[res.rule.rule] : '—',
        usageMinutes: r.usageMinutes,
        resourceUsageMinutes: res?.usageMinutes ?? 0,
        costCents: res?.costCents ?? 0,
        shareCents: r.shareCents,
        basisText: r.basis.text ?? describeBasis(r.basis),
      };
    });
  const borne = m.allocation.resources
    .filter((r) => r.bearerMemberId === memberId)
    .map((r) => {
      const rows = m.allocation.rows.filter((row) => row.resourceId === r.resourceId);
      const ownCents = rows.filter((row) => row.memberId === memberId).reduce((a, row) => a + row.shareCents, 0);
      return { resourceName: resourceName(m, r.resourceId), costCents: r.costCents, othersCents: r.allocatedCents - ownCents, ownCents, gapCents: r.gapCents, note: r.note ? describeNote(r.note) : null };
    });

  const summary = (d: InvoiceRecord, counterparty: string): StatementInvoice => ({
    number: d.number,
    kind: d.kind,
    counterparty,
    issueDate: d.issueDate,
    totalExclVatCents: d.totalExclVatCents,
    totalInclVatCents: d.totalInclVatCents,
  });
  const issued = m.invoices.filter((d) => d.sellerMemberId === memberId).map((d) => summary(d, d.buyer.name));
  const received = m.invoices.filter((d) => d.buyerMemberId === memberId).map((d) => summary(d, d.seller.name));

  let position: StatementData['position'];
  let transfers: StatementData['transfers'] = [];
  if (m.allocation.final) {
    const settlement = m.settlement();
    const p = settlement.positions.find((x) => x.memberId === memberId);
    position = { receivableCents: p?.receivableCents ?? 0, payableCents: p?.payableCents ?? 0, netCents: p?.netCents ?? 0, basis: 'invoices' };
    transfers = settlement.transfers
      .filter((t) => t.fromMemberId === memberId || t.toMemberId === memberId)
      .map((t) => ({ fromName: nameOf(m, t.fromMemberId), toName: nameOf(m, t.toMemberId), amountCents: t.amountCents }));
  } else {
    // Provisional: what the close would invoice, excl. VAT — shares of others' resources, others' shares of ours.
    const bearerOf = new Map(m.allocation.resources.map((r) => [r.resourceId, r.bearerMemberId]));
    let payable = 0;
    let receivable = 0;
    for (const row of m.allocation.rows) {
      const bearer = bearerOf.get(row.resourceId);
      if (row.memberId === memberId && bearer !== memberId) payable += row.shareCents;
      if (bearer === memberId && row.memberId !== memberId) receivable += row.shareCents;
    }
    position = { receivableCents: receivable, payableCents: payable, netCents: receivable - payable, basis: 'allocation' };
  }

  return {
    poleName: m.poleName,
    zone: m.zone,
    month: m.month,
    final: m.allocation.final,
    closedAt: m.allocation.closedAt,
    generatedAt: m.now,
    member: { id: member.id, name: member.name, siren: member.siren, siret: member.siret, address: member.address },
    shares,
    borne,
    issued,
    received,
    position,
    transfers,
  };
}

export const statementName = (month: string, member: MemberRow) => `releve-${month}-${member.invoicePrefix}-${slug(member.name)}.pdf`;

/**
 * A member's cost-split statement for a month: provisional (and marked so) while the month is open. A
 * member's users get their own structure's; another structure answers 404, as elsewhere.
 */
export async function statementPdf(ctx: AppContext, actor: Actor, month: string, memberId: number): Promise<RenderedFile> {
  assertMonth(month);
  if (!canActFor(actor, memberId)) throw notFound('member', memberId);
  const { data, member } = snapshot(ctx, () => {
    const m = monthContext(ctx, month);
    const member = m.members.get(memberId);
    if (!member) throw notFound('member', memberId);
    return { data: statementData(m, memberId), member };
  });
  return pdfFile(statementName(month, member), await render({ kind: 'statement', data }));
}

// ——— Pole summary ———

/** Open minutes of a resource in [start, end): opening hours less blackouts, × capacity. */
function availableMinutes(resource: ResourceRow, zone: string, start: number, end: number): number {
  const open = openIntervals(resource.openingHours, zone, start, end);
  const holes = resource.blackouts.map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) })).filter((h) => h.end > h.start);
  const minutes = subtractIntervals(open, holes).reduce((a, i) => a + (i.end - i.start) / 60_000, 0);
  return Math.round(minutes) * resource.capacity;
}

function summaryData(m: MonthContext): SummaryData {
  const { allocation } = m;
  const range = monthRange(m.month, m.zone);
  const inRows = new Set(allocation.rows.filter((r) => r.shareCents !== 0 || r.usageMinutes > 0).map((r) => r.memberId));
  const members = [...m.members.values()]
    .filter((mem) => inRows.has(mem.id) || isActiveInMonth(mem, m.month))
    .map((mem) => ({ id: mem.id, name: mem.name }));

  const stats = new Map(documentsRepository(m.ctx.sqlite).bookingStats(range.startMs, range.endMs).map((s) => [s.resourceId, s]));
  const utilisation = [...m.resources.values()]
    .filter((r) => r.active || stats.has(r.id))
    .map((r) => {
      const s = stats.get(r.id);
      return {
        name: r.name,
        kindLabel: KIND_LABELS[r.kind],
        capacity: r.capacity,
        availableMinutes: availableMinutes(r, m.zone, range.startMs, range.endMs),
        confirmedMinutes: s?.confirmedMinutes ?? 0,
        counts: { confirmed: s?.confirmed ?? 0, pending: s?.pending ?? 0, cancelled: s?.cancelled ?? 0, rejected: s?.rejected ?? 0 },
      };
    });

  let settlement: SummaryData['settlement'] = null;
  const named = (positions: { memberId: number; receivableCents: number; payableCents: number; netCents: number }[], transfers: { fromMemberId: number; toMemberId: number; amountCents: number }[]) => ({
    positions: positions.map((p) => ({ name: nameOf(m, p.memberId), receivableCents: p.receivableCents, payableCents: p.payableCents, netCents: p.netCents })),
    transfers: transfers.map((t) => ({ fromName: nameOf(m, t.fromMemberId), toName: nameOf(m, t.toMemberId), amountCents: t.amountCents })),
  });
  if (allocation.final) {
    const s = m.settlement();
    if (s.positions.length) settlement = { basis: 'invoices', ...named(s.positions, s.transfers) };
  } else if (m.now >= range.endMs) {
    // An ended, open month: what a close now would issue.
    try {
      const preview = previewClose(m.ctx, m.month);
      const s = settle(preview.invoices.map((d) => ({ sellerMemberId: d.sellerMemberId, buyerMemberId: d.buyerMemberId, amountCents: d.totalInclVatCents })));
      if (s.positions.length) settlement = { basis: 'preview', ...named(s.positions, s.transfers) };
    } catch (err) {
      if (!isAppError(err)) throw err;
    }
  }

  const docs = m.invoices;
  const sign = (d: InvoiceRecord) => (d.kind === 'credit_note' ? -1 : 1);
  return {
    poleName: m.poleName,
    zone: m.zone,
    month: m.month,
    final: allocation.final,
    closedAt: allocation.closedAt,
    generatedAt: m.now,
    members,
    resources: allocation.resources.map((r) => ({
      id: r.resourceId,
      name: resourceName(m, r.resourceId),
      bearerName: nameOf(m, r.bearerMemberId),
      ruleLabel: RULE_LABELS[r.rule.rule],
      costCents: r.costCents,
      allocatedCents: r.allocatedCents,
      gapCents: r.gapCents,
      usageMinutes: r.usageMinutes,
      note: r.note ? describeNote(r.note) : null,
    })),
    matrix: allocation.rows.map((r) => ({ resourceId: r.resourceId, memberId: r.memberId, shareCents: r.shareCents, usageMinutes: r.usageMinutes })),
    utilisation,
    invoices: {
      count: docs.filter((d) => d.kind === 'invoice').length,
      creditNotes: docs.filter((d) => d.kind === 'credit_note').length,
      totalExclVatCents: docs.reduce((a, d) => a + sign(d) * d.totalExclVatCents, 0),
      totalInclVatCents: docs.reduce((a, d) => a + sign(d) * d.totalInclVatCents, 0),
    },
    settlement,
    reconciliation: reconciliationOf(m),
  };
}

function reconciliationOf(m: MonthContext): SummaryData['reconciliation'] {
  const r = monthReconciliation(m.ctx, m.month);
  return r && { resources: r.resources.map((l) => ({ ...l, name: resourceName(m, l.resourceId!) })), total: r.total };
}

/** The pole summary of a month (coordinators; the route checks the role). */
export async function summaryPdf(ctx: AppContext, month: string): Promise<RenderedFile> {
  assertMonth(month);
  const data = snapshot(ctx, () => summaryData(monthContext(ctx, month)));
  return pdfFile(`synthese-${month}.pdf`, await render({ kind: 'summary', data }));
}

// ——— Month documents (rendered together, for versions and the export) ———

export type MonthDocumentKind = 'summary' | 'statement';

export interface MonthDocumentFile {
  kind: MonthDocumentKind;
  /** 0 for the pole summary, the member's id for its statement. */
  scope: number;
  file: RenderedFile;
}

/** Members a month's documents concern: in its allocation or its documents, or active that month. */
export function involvedMembers(m: MonthContext): number[] {
  const involved = new Set([...m.allocation.rows.map((r) => r.memberId), ...m.invoices.flatMap((d) => [d.sellerMemberId, d.buyerMemberId])]);
  return [...m.members.values()].filter((mem) => involved.has(mem.id) || isActiveInMonth(mem, m.month)).map((mem) => mem.id);
}

/**
 * Renders, from one snapshot, a month's pole summary (when asked) and the statements of `memberIds` ('all':
 * every member concerned), each stamped with the version `versionOf` gives (none: not versioned).
 */
export async function renderMonthDocuments(
  ctx: AppContext,
  month: string,
  targets: { summary: boolean; memberIds: readonly number[] | 'all' },
  versionOf: (kind: MonthDocumentKind, scope: number) => DocumentVersionStamp | undefined = () => undefined,
): Promise<MonthDocumentFile[]> {
  assertMonth(month);
  const { summary, statements } = snapshot(ctx, () => {
    const m = monthContext(ctx, month);
    const ids = targets.memberIds === 'all' ? involvedMembers(m) : targets.memberIds.filter((id) => m.members.has(id));
    return {
      summary: targets.summary ? { ...summaryData(m), version: versionOf('summary', 0) } : null,
      statements: ids.map((id) => ({ id, name: statementName(month, m.members.get(id)!), data: { ...statementData(m, id), version: versionOf('statement', id) } })),
    };
  });
  const out: MonthDocumentFile[] = [];
  if (summary) out.push({ kind: 'summary', scope: 0, file: pdfFile(`synthese-${month}.pdf`, await render({ kind: 'summary', data: summary })) });
  const pdfs = await renderAll(statements.map((st) => ({ kind: 'statement' as const, data: st.data })));
  statements.forEach((st, i) => out.push({ kind: 'statement', scope: st.id, file: pdfFile(st.name, pdfs[i]!) }));
  return out;
}
