import { COST_NATURES, type CostNature, type ResourceKind } from '../../db/schema/enums';
import { allocate, formatEuros, type Cents } from '../shared/money';
import { decideVat, eligibleOn, type VatDecision } from '../vat/decision';
import { invoicedShares, type Basis, type ResourceAllocation } from '../closing/allocation';
import type { DocumentTerms, InvoiceDraft, InvoiceLine, LineBasis, PartySnapshot } from './document';
import { isProfessionalBuyer, mentionsFor, RECOVERY_INDEMNITY_CENTS, STAFF_LENDING_FEES_TEXT, STAFF_LENDING_TEXT } from './mentions';
import { totalsOf, vatBreakdown, vatStatusOf } from './vat-lines';
import { describeBasis, formatMinutes, NATURE_LABELS } from './wording';

/**
 * The invoices a close drafts (no I/O): from the month's allocation, a line per resource and cost nature with
 * its basis in words and the VAT decided for the line, one invoice per (bearer → member) pair.
 */

/** A resource's month cost of one nature, as shared: excluding VAT, or including it when the bearer cannot recover it. */
export interface CostGroup {
  nature: CostNature;
  amountCents: Cents;
}

export interface ResourceInfo {
  id: number;
  name: string;
  kind: ResourceKind;
  /** Output VAT rate of the service sold, percent (20 unless set). */
  vatRate?: number;
}

/** Cost entries of a resource summed by nature, in the order of the natures. */
export function groupCosts(entries: readonly CostGroup[]): CostGroup[] {
  const map = new Map<CostNature, CostGroup>();
  for (const e of entries) {
    const g = map.get(e.nature);
    if (g) g.amountCents += e.amountCents;
    else map.set(e.nature, { nature: e.nature, amountCents: e.amountCents });
  }
  return [...map.values()].sort((a, b) => COST_NATURES.indexOf(a.nature) - COST_NATURES.indexOf(b.nature));
}

/**
 * The lines a buyer's share of one resource gives, all with the VAT decided for the pair. A share is split
 * over the resource's cost natures by largest remainder, so lines show salary, charges and expenses apart
 * (staff lent at cost, C. trav. L8241-1) and sum exactly to the share. A `rate` share is one line in
 * hours × hourly price.
 */
export function linesForShare(resource: ResourceInfo, monthLabel: string, share: { shareCents: Cents; basis: Basis }, groups: readonly CostGroup[], vat: VatDecision): InvoiceLine[] {
  const basis: LineBasis = { ...share.basis, text: describeBasis(share.basis) };
  const vatFields = { vatCategory: vat.vatCategory, vatRate: vat.vatRate, exemptionCode: vat.exemptionCode, exemptionText: vat.exemptionText };
  if (share.basis.method === 'rate') {
    const minutes = share.basis.minutes ?? 0;
    const rate = share.basis.rateCents ?? 0;
    const exact = (minutes * rate) % 60 === 0 && minutes % 3 === 0; // hours with at most 2 decimals
    return [
      {
        description: `${resource.name} — ${monthLabel} — ${basis.text}`,
        resourceId: resource.id,
        nature: null,
        quantity: exact ? minutes / 60 : 1,
        unit: exact ? 'h' : 'forfait',
        unitPriceExclVatCents: exact ? rate : share.shareCents,
        ...vatFields,
        totalExclVatCents: share.shareCents,
        basis,
      },
    ];
  }
  if (share.basis.byNature) {
    // Staff lent to an employee's user member: one line per nature its agreement bills, as the allocation computed them.
    const minutes = formatMinutes(share.basis.minutes ?? 0);
    return share.basis.byNature
      .filter((n) => n.cents !== 0)
      .map((n) => ({
        description:
          n.nature === 'management_fees'
            ? `${resource.name} — frais de gestion convenus${n.feesRatePercent !== undefined ? ` (${String(n.feesRatePercent).replace('.', ',')} % du coût refacturé)` : ''} — ${monthLabel}`
            : `${resource.name} — ${NATURE_LABELS[n.nature]} — ${monthLabel} — ${minutes} mis à disposition × ${formatEuros(n.hourlyCostCents ?? 0)} de l’heure (${NATURE_LABELS[n.nature]} du mois ÷ ${String(share.basis.paidHours ?? 0).replace('.', ',')} h payées)`,
        resourceId: resource.id,
        nature: n.nature,
        quantity: 1,
        unit: 'forfait',
        unitPriceExclVatCents: n.cents,
        ...vatFields,
        totalExclVatCents: n.cents,
        basis,
      }));
  }
  const positive = groups.filter((g) => g.amountCents > 0);
  if (positive.length === 0) return [];
  const parts = allocate(share.shareCents, positive.map((g) => g.amountCents));
  return positive.flatMap((g, i) => {
    const cents = parts[i]!;
    if (cents === 0) return [];
    return [
      {
        description: `${resource.name} — ${NATURE_LABELS[g.nature]} — ${monthLabel} — ${basis.text}`,
        resourceId: resource.id,
        nature: g.nature,
        quantity: 1,
        unit: 'forfait',
        unitPriceExclVatCents: cents,
        ...vatFields,
        totalExclVatCents: cents,
        basis,
      },
    ];
  });
}

/** The buyer party as the VAT decision sees it on the service period's last day. */
const vatBuyer = (p: PartySnapshot, date: string) => ({
  id: p.id,
  eligible261B: eligibleOn({ eligible261B: p.eligible261B ?? p.vatRegime === 'exonere_261B', eligible261BSince: p.eligible261BSince ?? null }, date),
});

/**
 * The invoices a close issues: one per (bearer → member) pair with a non-zero amount, a line per resource
 * and cost nature with its basis and the VAT decided for that line. Ordered by seller id then buyer id, so
 * numbering is deterministic.
 */
export function buildCloseDrafts(input: {
  terms: DocumentTerms;
  allocations: readonly ResourceAllocation[];
  costGroups: ReadonlyMap<number, readonly CostGroup[]>;
  resources: ReadonlyMap<number, ResourceInfo>;
  parties: ReadonlyMap<number, PartySnapshot>;
  /** The pole's groupement de moyens (CGI 261 B), if any. */
  groupingMemberId?: number | null;
}): InvoiceDraft[] {
  const { terms } = input;
  const pairs = new Map<string, { seller: number; buyer: number; lines: InvoiceLine[]; staff: boolean; fees: boolean }>();
  const sorted = [...input.allocations].sort((a, b) => a.resourceId - b.resourceId);
  for (const allocation of sorted) {
    const resource = input.resources.get(allocation.resourceId);
    const seller = input.parties.get(allocation.bearerMemberId);
    if (!resource || !seller) throw new Error(`resource ${allocation.resourceId} or its bearer is missing`);
    const groups = input.costGroups.get(allocation.resourceId) ?? [];
    for (const share of invoicedShares(allocation)) {
      const buyer = input.parties.get(share.memberId);
      if (!buyer) throw new Error(`member ${share.memberId} is missing`);
      const vat = decideVat({
        seller: { id: seller.id, vatStatus: vatStatusOf(seller) },
        buyer: vatBuyer(buyer, terms.periodEnd),
        groupingMemberId: input.groupingMemberId ?? null,
        resourceVatRate: resource.vatRate ?? 20,
        exactShare: share.basis.method !== 'rate',
      });
      const lines = linesForShare(resource, terms.monthLabel, share, groups, vat);
      if (lines.length === 0) continue;
      const key = `${allocation.bearerMemberId}>${share.memberId}`;
      const pair = pairs.get(key) ?? { seller: allocation.bearerMemberId, buyer: share.memberId, lines: [], staff: false, fees: false };
      pair.lines.push(...lines);
      pair.staff ||= resource.kind === 'staff';
      pair.fees ||= resource.kind === 'staff' && lines.some((l) => l.nature === 'management_fees');
      pairs.set(key, pair);
    }
  }
  return [...pairs.values()]
    .sort((a, b) => a.seller - b.seller || a.buyer - b.buyer)
    .map((pair) =>
      costSharingInvoice({
        terms,
        seller: input.parties.get(pair.seller)!,
        buyer: input.parties.get(pair.buyer)!,
        lines: pair.lines,
        staff: pair.staff,
        fees: pair.fees,
        costSharing: `Refacturation à l’euro près des coûts réels mutualisés du pôle pour ${terms.monthLabel}, selon la clé de répartition de chaque ressource.`,
      }),
    )
    .filter((d) => d.totalExclVatCents !== 0);
}

/** What one (seller → buyer) invoice bills; `staff`: some line lends staff, `fees`: with management fees. */
export interface PairInvoice {
  terms: DocumentTerms;
  seller: PartySnapshot;
  buyer: PartySnapshot;
  lines: InvoiceLine[];
  staff: boolean;
  fees: boolean;
}

/**
 * A cost-sharing invoice from `seller` to `buyer` with these lines: its VAT breakdown, totals and mentions
 * (`costSharing` says what it re-bills; staff lent at cost adds the Code du travail's mention).
 */
export function costSharingInvoice(input: PairInvoice & { costSharing: string }): InvoiceDraft {
  const { terms, seller, buyer, lines } = input;
  const breakdown = vatBreakdown(lines);
  return {
    kind: 'invoice',
    sellerMemberId: seller.id,
    buyerMemberId: buyer.id,
    month: terms.month,
    issueDate: terms.issueDate,
    periodStart: terms.periodStart,
    periodEnd: terms.periodEnd,
    dueDate: terms.dueDate,
    currency: terms.currency,
    seller,
    buyer,
    lines,
    vatBreakdown: breakdown,
    ...totalsOf(lines, breakdown),
    mentions: mentionsFor(
      seller,
      buyer,
      terms,
      { costSharing: input.costSharing, staffLending: input.staff ? STAFF_LENDING_TEXT + (input.fees ? STAFF_LENDING_FEES_TEXT : '') : null },
      lines,
    ),
    paymentTermsDays: terms.paymentTermsDays,
    latePenaltyRateBp: terms.latePenaltyRateBp,
    recoveryIndemnityCents: buyer.publicBody || isProfessionalBuyer(buyer.legalForm) ? RECOVERY_INDEMNITY_CENTS : null,
    creditedInvoiceId: null,
  };
}
