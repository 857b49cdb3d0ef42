import { assertMonth } from '../shared/time';
import { closeTerms } from '../closing/close-terms';
import { computeAllocation, monthCostGroups } from '../closing/month-allocation';
import { isMonthClosed } from '../closing/freeze';
import { linesForShare } from '../invoices/close-drafts';
import type { InvoiceLine } from '../invoices/document';
import { OUTSIDE_SCOPE } from '../vat/decision';
import type { AppContext } from '../context';
import { findMember, listMembers } from '../members/repository';
import { getPole } from '../pole/repository';
import { listResources } from '../resources/repository';
import { canActFor, type Actor } from '../shared/actor';
import { notFound } from '../shared/errors';

/**
 * A public body (a commune, a département) bills with its own titres de recettes, never with a Mutualise
 * invoice series. For a month, the « relevé pour émission de titres de recettes » lists what each member owes
 * it for the resources it bears: the same shares, bases and natures an invoice would carry, final once the
 * month is closed (provisional before). The public accountant then issues the titles; nothing is netted.
 */

export interface RevenueTitleDebtor {
  memberId: number;
  name: string;
  siren: string;
  siret: string;
  address: string;
  lines: Pick<InvoiceLine, 'description' | 'resourceId' | 'nature' | 'totalExclVatCents'>[];
  totalCents: number;
}

export interface RevenueTitles {
  month: string;
  final: boolean;
  issuer: { memberId: number; name: string; siren: string; siret: string; publicBody: boolean; chorusServiceCode: string | null };
  debtors: RevenueTitleDebtor[];
  totalCents: number;
}

const issuerOf = (m: NonNullable<ReturnType<typeof findMember>>) => ({
  memberId: m.id,
  name: m.name,
  siren: m.siren,
  siret: m.siret,
  publicBody: m.publicBody,
  chorusServiceCode: m.chorusServiceCode,
});

export function revenueTitles(ctx: AppContext, actor: Actor, month: string, memberId: number): RevenueTitles {
  assertMonth(month);
  if (!canActFor(actor, memberId)) throw notFound('member', memberId);
  return ctx.sqlite.transaction(() => {
    const issuer = findMember(ctx.db, memberId);
    if (!issuer) throw notFound('member', memberId);
    // A structure that is not a public body issues invoices: its relevé is empty (publicBody: false).
    if (!issuer.publicBody) {
      return { month, final: isMonthClosed(ctx.sqlite, month), issuer: issuerOf(issuer), debtors: [], totalCents: 0 };
    }
    const allocation = computeAllocation(ctx, month);
    const groups = monthCostGroups(ctx, month);
    const resources = new Map(listResources(ctx.db, { includeInactive: true }).map((r) => [r.id, r]));
    const members = new Map(listMembers(ctx.db).map((m) => [m.id, m]));
    const monthLabel = closeTerms(getPole(ctx.db), month, ctx.clock.now()).monthLabel;
    const borne = new Set(allocation.resources.filter((r) => r.bearerMemberId === memberId).map((r) => r.resourceId));
    const byDebtor = new Map<number, RevenueTitleDebtor>();
    for (const row of allocation.rows) {
      if (!borne.has(row.resourceId) || row.memberId === memberId || row.shareCents <= 0) continue;
      const resource = resources.get(row.resourceId);
      const debtor = members.get(row.memberId);
      if (!resource || !debtor) continue;
      const lines = linesForShare(
        { id: resource.id, name: resource.name, kind: resource.kind },
        monthLabel,
        { shareCents: row.shareCents, basis: row.basis },
        groups.get(row.resourceId) ?? [],
        { vatCategory: 'O', vatRate: 0, exemptionCode: OUTSIDE_SCOPE.code, exemptionText: OUTSIDE_SCOPE.text },
      );
      const entry = byDebtor.get(debtor.id) ?? {
        memberId: debtor.id,
        name: debtor.name,
        siren: debtor.siren,
        siret: debtor.siret,
        address: [debtor.address, [debtor.postalCode, debtor.city].filter(Boolean).join(' ')].filter(Boolean).join(', '),
        lines: [],
        totalCents: 0,
      };
      for (const l of lines) entry.lines.push({ description: l.description, resourceId: l.resourceId, nature: l.nature, totalExclVatCents: l.totalExclVatCents });
      entry.totalCents += row.shareCents;
      byDebtor.set(debtor.id, entry);
    }
    const debtors = [...byDebtor.values()].sort((a, b) => a.memberId - b.memberId);
    return {
      month,
      final: allocation.final,
      issuer: issuerOf(issuer),
      debtors,
      totalCents: debtors.reduce((a, d) => a + d.totalCents, 0),
    };
  })();
}
