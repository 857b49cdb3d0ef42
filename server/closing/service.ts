import { DateTime } from 'luxon';
import type { AppContext } from '../context';
import { checkAuditChain } from '../audit/service';
import { closeNotices } from '../notifications/close-notices';
import { notify } from '../notifications/enqueue';
import { poleZone } from '../pole/service';
import { getPole, type PoleSettings } from '../pole/repository';
import type { Actor } from '../shared/actor';
import { badRequest, conflict, unprocessable } from '../shared/errors';
import { localDate, monthRange, MONTH_PATTERN } from '../shared/time';
import { invoiceRepository } from '../invoices/repository';
import { toInvoiceView, type InvoiceView } from '../invoices/view';
import { allocationRuleFor, allowanceFor } from '../resources/repository';
import { allocateResource, isActiveInMonth, type Basis, type ResourceAllocation, type RuleSpec } from './allocation';
import { verifyChains, type ChainProblem, type SealedDocument } from '../invoices/chain';
import { issueDocuments, sealInSeries } from '../invoices/issue';
import { seriesRepository } from '../invoices/series-repository';
import { durableTransaction } from '../shared/transaction';
import { buildCloseDrafts, groupCosts, type CostGroup, type ResourceInfo } from '../invoices/close-drafts';
import { describeBasis } from '../invoices/wording';
import { fromBp } from '../shared/money';
import type { DocumentTerms, PartySnapshot } from '../invoices/document';
import { recoversInputVat } from '../vat/decision';
import { allocateStaff } from './staff';
import { cachedAllocation } from './allocation-cache';
import { closingRepository, type CostSum, type MemberRecord, type SnapshotResource, type SnapshotRow } from './repository';
import { closeWarnings, type CloseWarning } from './warnings';
import { einvoiceWarnings } from '../einvoice/completeness';
import { staffWarnings, timesheetUsage } from '../staff/billing';
import { verifyFrozen } from '../documents/frozen-chain';
import { frozenRepository } from '../documents/frozen-repository';

/**
 * The monthly close: computes the month's allocation from its costs and confirmed bookings, then — in one
 * synchronous IMMEDIATE transaction — freezes the month, snapshots the allocation and issues the invoices
 * with their numbers and hash chain. The preview runs the same pure planning without writing.
 */

export function assertMonth(month: string): void {
  if (typeof month !== 'string' || !MONTH_PATTERN.test(month)) throw badRequest('month.invalid', `Not a month (YYYY-MM): ${String(month)}`);
}

export interface MonthAllocation {
  month: string;
  /** True for a closed month (the stored snapshot); false while open (computed now, provisional). */
  final: boolean;
  closedAt: number | null;
  resources: SnapshotResource[];
  rows: SnapshotRow[];
}

export interface AllocationWork {
  allocations: ResourceAllocation[];
  costGroups: Map<number, CostGroup[]>;
  resources: Map<number, ResourceInfo>;
  members: MemberRecord[];
  /** resourceId → memberId → confirmed booked minutes × quantity. */
  usage: Map<number, Map<number, number>>;
}

function withText<T extends { basis: Basis }>(row: T): T & { basis: Basis & { text: string } } {
  return { ...row, basis: { ...row.basis, text: describeBasis(row.basis) } };
}

interface MonthCosts {
  /** Per resource, its cost by nature as shared: excl. VAT, or incl. the input VAT its bearer cannot recover. */
  costGroups: Map<number, CostGroup[]>;
  inputVat: Map<number, number>;
  /** Staff resources: the employee's paid hours of the month (hundredths). */
  paidHours: Map<number, number>;
}

function monthCosts(
  repo: ReturnType<typeof closingRepository>,
  month: string,
  members: readonly MemberRecord[],
  resources: ReadonlyMap<number, { bearerMemberId: number }>,
  costSums: readonly CostSum[] = repo.costSums(month),
): MonthCosts {
  const recovers = new Map(members.map((m) => [m.id, recoversInputVat(m.vatStatus)]));
  const costGroups = new Map<number, CostGroup[]>();
  const inputVat = new Map<number, number>();
  const paidHours = new Map<number, number>();
  for (const c of costSums) {
    const bearer = resources.get(c.resourceId)?.bearerMemberId;
    const vatShared = bearer !== undefined && recovers.get(bearer) === false ? c.inputVatCents : 0;
    costGroups.set(c.resourceId, [...(costGroups.get(c.resourceId) ?? []), { nature: c.nature, amountCents: c.amountCents + vatShared }]);
    inputVat.set(c.resourceId, (inputVat.get(c.resourceId) ?? 0) + vatShared);
    paidHours.set(c.resourceId, (paidHours.get(c.resourceId) ?? 0) + c.paidHoursHundredths);
  }
  for (const [id, groups] of costGroups) costGroups.set(id, groupCosts(groups));
  return { costGroups, inputVat, paidHours };
}

/** The month's costs by resource and nature, as shared (for documents that rebuild lines from the allocation). */
export function monthCostGroups(ctx: AppContext, month: string): Map<number, CostGroup[]> {
  const repo = closingRepository(ctx.sqlite);
  const resources = new Map(repo.resources().map((r) => [r.id, r]));
  return monthCosts(repo, month, repo.members(), resources).costGroups;
}

/**
 * Reads the month's inputs and allocates every resource that has a cost or some usage. `costSums` stands for
 * the month's stored costs when given (an adjustment to a closed month allocates its corrected costs).
 */
export function allocateMonth(ctx: AppContext, month: string, zone: string, costSums?: readonly CostSum[]): AllocationWork {
  const repo = closingRepository(ctx.sqlite);
  const range = monthRange(month, zone);
  const members = repo.members();
  const active = members.filter((m) => isActiveInMonth(m, month)).map((m) => ({ id: m.id, weight: m.weight }));
  const resources = new Map(repo.resources().map((r) => [r.id, { ...r, vatRate: fromBp(r.vatRateBp) }]));
  // The amount to share is the cost excl. VAT, plus the input VAT when the bearer cannot recover it.
  const { costGroups, inputVat, paidHours } = monthCosts(repo, month, members, resources, costSums);
  const usage = new Map<number, Map<number, number>>();
  for (const u of repo.usage(range.startMs, range.endMs)) {
    if (u.minutes <= 0) continue;
    const m = usage.get(u.resourceId) ?? new Map<number, number>();
    m.set(u.memberId, u.minutes);
    usage.set(u.resourceId, m);
  }
  const ids = [...new Set([...costGroups.keys(), ...usage.keys()])].sort((a, b) => a - b);
  const allocations = ids.flatMap((resourceId) => {
    const resource = resources.get(resourceId);
    if (!resource) return [];
    const rule: RuleSpec = allocationRuleFor(ctx.db, resourceId, month);
    const costCents = (costGroups.get(resourceId) ?? []).reduce((a, g) => a + g.amountCents, 0);
    // An employee's time is billed from its approved timesheet, by nature as its agreements say; a staff
    // resource without employee from its bookings (the preview warns).
    const sheet = resource.kind === 'staff' ? timesheetUsage(ctx.db, resourceId, month) : null;
    const allocation =
      resource.kind === 'staff'
        ? allocateStaff({
            resourceId,
            bearerMemberId: resource.bearerMemberId,
            costCents,
            paidHoursHundredths: paidHours.get(resourceId) ?? 0,
            usage: sheet?.usage ?? usage.get(resourceId) ?? new Map(),
            rule,
            ...(sheet ? { terms: sheet.terms, costByNature: costGroups.get(resourceId) ?? [] } : {}),
          })
        : allocateResource({ resourceId, bearerMemberId: resource.bearerMemberId, costCents, rule, usage: usage.get(resourceId) ?? new Map(), activeMembers: active, allowance: allowanceFor(ctx.db, resourceId, month, resource.allowance) });
    const vatShared = inputVat.get(resourceId) ?? 0;
    return [vatShared > 0 ? withInputVat(allocation, vatShared) : allocation];
  });
  return { allocations, costGroups, resources, members, usage };
}

/** Every share's basis says that the shared cost includes the VAT its bearer could not recover. */
function withInputVat(allocation: ResourceAllocation, inputVatCents: number): ResourceAllocation {
  return { ...allocation, shares: allocation.shares.map((s) => ({ ...s, basis: { ...s.basis, inputVatIncludedCents: inputVatCents } })) };
}

function snapshotOf(allocations: readonly ResourceAllocation[]): { resources: SnapshotResource[]; rows: SnapshotRow[] } {
  return {
    resources: allocations.map(({ shares: _shares, ...r }) => r),
    rows: allocations.flatMap((a) => a.shares.map((s) => withText({ resourceId: a.resourceId, ...s }))),
  };
}

/**
 * The month's allocation: the stored snapshot once closed (final), otherwise computed from the current costs
 * and bookings (provisional). For the documents engineer: statements are built from this.
 */
export function computeAllocation(ctx: AppContext, month: string): MonthAllocation {
  assertMonth(month);
  return cachedAllocation(ctx.sqlite, month, () => allocationNow(ctx, month));
}

function allocationNow(ctx: AppContext, month: string): MonthAllocation {
  const repo = closingRepository(ctx.sqlite);
  const closing = repo.closing(month);
  if (closing) return { month, final: true, closedAt: closing.closedAt, ...repo.snapshot(month) };
  const zone = poleZone(ctx);
  return { month, final: false, closedAt: null, ...snapshotOf(allocateMonth(ctx, month, zone).allocations) };
}

export interface AllocationView {
  month: string;
  final: boolean;
  closedAt: string | null;
  rows: SnapshotRow[];
  totals: {
    costCents: number;
    allocatedCents: number;
    gapCents: number;
    usageMinutes: number;
    resources: SnapshotResource[];
    members: { memberId: number; usageMinutes: number; shareCents: number }[];
  };
}

/** `GET /api/allocations`: the whole matrix for coordinators; a member's user gets its own rows and the pole totals. */
export function getAllocations(ctx: AppContext, actor: Actor, month: string): AllocationView {
  const allocation = computeAllocation(ctx, month);
  const byMember = new Map<number, { memberId: number; usageMinutes: number; shareCents: number }>();
  for (const r of allocation.rows) {
    const m = byMember.get(r.memberId) ?? { memberId: r.memberId, usageMinutes: 0, shareCents: 0 };
    m.usageMinutes += r.usageMinutes;
    m.shareCents += r.shareCents;
    byMember.set(r.memberId, m);
  }
  const own = (memberId: number) => actor.role === 'coordinator' || memberId === actor.memberId;
  const zone = poleZone(ctx);
  return {
    month,
    final: allocation.final,
    closedAt: allocation.closedAt === null ? null : DateTime.fromMillis(allocation.closedAt, { zone }).toISO({ suppressMilliseconds: true }),
    rows: allocation.rows.filter((r) => own(r.memberId)),
    totals: {
      costCents: allocation.resources.reduce((a, r) => a + r.costCents, 0),
      allocatedCents: allocation.resources.reduce((a, r) => a + r.allocatedCents, 0),
      gapCents: allocation.resources.reduce((a, r) => a + r.gapCents, 0),
      usageMinutes: allocation.resources.reduce((a, r) => a + r.usageMinutes, 0),
      resources: allocation.resources,
      members: [...byMember.values()].sort((a, b) => a.memberId - b.memberId).filter((m) => own(m.memberId)),
    },
  };
}

/** The party as printed and hashed on a document issued now (its id, weight and series prefix aside). */
export function snapshotParty(m: MemberRecord): PartySnapshot {
  return {
    id: m.id,
    name: m.name,
    legalForm: m.legalForm,
    siren: m.siren,
    siret: m.siret,
    address: m.address,
    postalCode: m.postalCode,
    city: m.city,
    countryCode: m.countryCode,
    deliveryAddress: m.deliveryAddress,
    vatStatus: m.vatStatus,
    eligible261B: m.eligible261B,
    eligible261BSince: m.eligible261BSince,
    vatOnDebits: m.vatOnDebits,
    vatNumber: m.vatNumber,
    billingEmail: m.billingEmail,
    publicBody: m.publicBody,
    chorusServiceCode: m.chorusServiceCode,
    chorusEngagement: m.chorusEngagement,
    shareCapitalCents: m.shareCapitalCents,
    rcsCity: m.rcsCity,
    iban: m.iban,
    bic: m.bic,
    einvoiceAddress: m.einvoiceAddress ?? m.siren,
    billingMandateSince: m.billingMandateSince,
    nettingAgreement: m.nettingAgreement,
    nettingAgreementSince: m.nettingAgreementSince,
  };
}

/** Issue date (the close instant's local date), period, due date and month label of a close. */
export function closeTerms(pole: PoleSettings, month: string, now: number): DocumentTerms {
  const zone = pole.timeZone;
  const first = DateTime.fromISO(`${month}-01`, { zone });
  const issueDate = localDate(now, zone);
  return {
    month,
    monthLabel: first.setLocale('fr').toFormat('LLLL yyyy'),
    issueDate,
    periodStart: first.toISODate()!,
    periodEnd: first.endOf('month').toISODate()!,
    dueDate: DateTime.fromISO(issueDate, { zone: 'UTC' }).plus({ days: pole.paymentTermsDays }).toISODate()!,
    currency: pole.currency,
    paymentTermsDays: pole.paymentTermsDays,
    latePenaltyRateBp: pole.latePenaltyRateBp,
    poleName: pole.name,
  };
}

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

export interface IntegrityReport {
  ok: boolean;
  documents: number;
  /** Rows of the audit trail checked. */
  auditRows: number;
  /** Documents whose PDF is stored (frozen); the others are frozen on first use. */
  frozen: number;
  problems: ChainProblem[];
}

/**
 * `GET /api/integrity` and `npm run verify`: recomputes every issuer's chain and series, every frozen
 * document's bytes against its digest and the chain of frozen-document records, and the audit trail's chain
 * (its problems are named `audit #id`).
 */
export function checkIntegrity(ctx: AppContext): IntegrityReport {
  const docs = invoiceRepository(ctx.sqlite).all();
  const frozen = frozenRepository(ctx.sqlite).all();
  const audit = checkAuditChain(ctx);
  const problems = [
    ...verifyChains(docs, seriesRepository(ctx.sqlite).counters()),
    ...verifyFrozen(frozen, new Map(docs.map((d) => [d.id, d.hash]))),
    ...audit.problems.map((p) => ({ invoiceId: null, number: `audit #${p.auditId}`, code: p.code, reason: p.reason })),
  ];
  return { ok: problems.length === 0, documents: docs.length, auditRows: audit.rows, frozen: frozen.length, problems };
}
