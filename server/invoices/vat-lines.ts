import type { VatStatus } from '../../db/schema/enums';
import type { Cents } from '../shared/money';
import { toBp } from '../shared/money';
import { legacyVatDecision, type VatCategory, type VatDecision } from '../vat/decision';
import type { InvoiceLine, Mentions, PartySnapshot, VatLine } from './document';

/**
 * The VAT of a document (no I/O): each stored line's VAT (old lines included), VAT per (category, rate) with
 * half-up rounding, and the totals.
 */

/** A stored line's VAT: its own fields, or for a line issued before #10 derived from its rate and the document's VAT mention. */
export function lineVat(line: Pick<InvoiceLine, 'vatRate'> & Partial<Pick<InvoiceLine, 'vatCategory' | 'exemptionCode' | 'exemptionText'>>, mentions?: Pick<Mentions, 'vat'> | null): VatDecision {
  if (line.vatCategory) {
    return { vatCategory: line.vatCategory, vatRate: line.vatRate, exemptionCode: line.exemptionCode ?? null, exemptionText: line.exemptionText ?? null };
  }
  return legacyVatDecision(line.vatRate, mentions?.vat);
}

/** A stored breakdown entry, old or new, with its category. */
export function vatLineOf(v: Pick<VatLine, 'vatRate' | 'baseCents' | 'vatCents'> & Partial<VatLine>, mentions?: Pick<Mentions, 'vat'> | null): VatLine {
  return { ...lineVat(v, mentions), baseCents: v.baseCents, vatCents: v.vatCents };
}

/** Half-up rounding of base × bp / 10000, symmetric for negative bases. */
export function vatOf(baseCents: Cents, rateBp: number): Cents {
  const sign = baseCents < 0 ? -1n : 1n;
  const n = BigInt(Math.abs(baseCents)) * BigInt(rateBp);
  return Number(((n * 2n + 10_000n) / 20_000n) * sign);
}

const CATEGORY_ORDER: Record<VatCategory, number> = { S: 0, E: 1, O: 2 };

/** The key a breakdown entry groups lines by: category, rate and exemption code. */
export const vatKey = (v: Pick<VatDecision, 'vatCategory' | 'vatRate' | 'exemptionCode'>) => `${v.vatCategory}|${toBp(v.vatRate)}|${v.exemptionCode ?? ''}`;

/**
 * VAT per (category, rate), computed on the sum of the line totals of each, standard rates first (ascending),
 * then exemptions, then operations outside VAT. Lines issued before #10 are read through `lineVat`.
 */
export function vatBreakdown(lines: readonly InvoiceLine[], mentions?: Pick<Mentions, 'vat'> | null): VatLine[] {
  const groups = new Map<string, VatLine>();
  for (const line of lines) {
    const vat = lineVat(line, mentions);
    const key = vatKey(vat);
    const g = groups.get(key) ?? { ...vat, baseCents: 0, vatCents: 0 };
    g.baseCents += line.totalExclVatCents;
    groups.set(key, g);
  }
  return [...groups.values()]
    .map((g) => ({ ...g, vatCents: g.vatCategory === 'S' ? vatOf(g.baseCents, toBp(g.vatRate)) : 0 }))
    .sort((a, b) => CATEGORY_ORDER[a.vatCategory] - CATEGORY_ORDER[b.vatCategory] || a.vatRate - b.vatRate || (a.exemptionCode ?? '').localeCompare(b.exemptionCode ?? ''));
}

export function totalsOf(lines: readonly InvoiceLine[], breakdown: readonly VatLine[]) {
  const totalExclVatCents = lines.reduce((a, l) => a + l.totalExclVatCents, 0);
  const totalVatCents = breakdown.reduce((a, v) => a + v.vatCents, 0);
  return { totalExclVatCents, totalVatCents, totalInclVatCents: totalExclVatCents + totalVatCents };
}

/** A snapshot's VAT status; snapshots taken before #10 carry the old regime instead. */
export function vatStatusOf(p: Pick<PartySnapshot, 'vatStatus' | 'vatRegime'>): VatStatus {
  if (p.vatStatus) return p.vatStatus;
  return p.vatRegime === 'assujetti' || p.vatRegime === 'franchise_293B' ? p.vatRegime : 'non_assujetti';
}
