import { COST_NATURES, type CostNature, type LegalForm, type ResourceKind, type VatRegime } from '../../db/schema/enums';
import { allocate, formatEuros, type Cents } from '../shared/money';
import { invoicedShares, type AllocationNote, type Basis, type ResourceAllocation } from './allocation';

/**
 * Pure invoicing rules (no I/O): lines from the allocation, VAT per rate, totals and the legal mentions a
 * French invoice between members must carry (CGI ann. II art. 242 nonies A; C. com. L441-9, D441-5).
 */

export interface PartySnapshot {
  id: number;
  name: string;
  legalForm: LegalForm;
  siren: string;
  siret: string;
  address: string;
  vatRegime: VatRegime;
  vatNumber: string | null;
  billingEmail: string;
}

export interface LineBasis extends Basis {
  /** The basis in words, as printed. */
  text: string;
}

export interface InvoiceLine {
  description: string;
  resourceId: number | null;
  nature: CostNature | null;
  quantity: number;
  unit: string;
  unitPriceExclVatCents: Cents;
  /** Percent, e.g. 20 or 5.5; 0 when the seller charges no VAT. */
  vatRate: number;
  totalExclVatCents: Cents;
  basis: LineBasis | null;
  /** Credit notes: the index of the credited invoice's line. */
  creditedLine?: number;
}

export interface VatLine {
  vatRate: number;
  baseCents: Cents;
  vatCents: Cents;
}

export interface Mentions {
  /** Legal basis when no VAT is charged (null when the seller charges VAT). */
  vat: string | null;
  /** Nature of the operation (e-invoicing reform): services. */
  operation: string;
  latePenalty: string | null;
  recoveryIndemnity: string | null;
  discount: string | null;
  costSharing: string | null;
  staffLending: string | null;
  creditNote: string | null;
}

/** Everything of a document but its place in the series (number, seq, year, previous hash). */
export interface InvoiceDraft {
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  month: string;
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  currency: string;
  seller: PartySnapshot;
  buyer: PartySnapshot;
  lines: InvoiceLine[];
  vatBreakdown: VatLine[];
  totalExclVatCents: Cents;
  totalVatCents: Cents;
  totalInclVatCents: Cents;
  mentions: Mentions;
  paymentTermsDays: number;
  latePenaltyRateBp: number;
  recoveryIndemnityCents: Cents | null;
  creditedInvoiceId: number | null;
}

export const RECOVERY_INDEMNITY_CENTS = 40_00;
const RECOVERY_INDEMNITY_TEXT = `Indemnité forfaitaire pour frais de recouvrement due en cas de retard : ${formatEuros(RECOVERY_INDEMNITY_CENTS)} (art. L441-10 et D441-5 du Code de commerce).`;

export const NATURE_LABELS: Record<CostNature, string> = {
  salary: 'salaires',
  social_charges: 'charges sociales',
  reimbursed_expenses: 'frais professionnels remboursés',
  rent_or_lease: 'loyer ou location',
  subscription: 'abonnement',
  other: 'autres frais',
};

export const VAT_MENTIONS: Record<VatRegime, string | null> = {
  assujetti: null,
  exonere_261B: 'Exonération de TVA, art. 261 B du CGI',
  franchise_293B: 'TVA non applicable, art. 293 B du CGI',
  non_assujetti: 'TVA non applicable : vendeur non assujetti à la TVA',
};

/** Only a seller liable to VAT charges it; exempt, franchise and non-liable sellers charge none. */
export const chargesVat = (regime: VatRegime) => regime === 'assujetti';

/**
 * The €40 recovery indemnity applies to professional buyers (C. com. L441-10, D441-5) and to public buyers
 * (C. commande publique D2192-35): every member of a pole is a legal structure buying for its activity.
 */
export function isProfessionalBuyer(_legalForm: LegalForm): boolean {
  return true;
}

export function formatInvoiceNumber(prefix: string, year: number, seq: number): string {
  return `${prefix}-${year}-${String(seq).padStart(4, '0')}`;
}

/** Percent → basis points without floating drift (5.5 → 550). */
export const toBp = (percent: number) => Math.round(percent * 100);
export const fromBp = (bp: number) => bp / 100;

/** Half-up rounding of base × bp / 10000, symmetric for negative bases. */
export function vatOf(baseCents: Cents, rateBp: number): Cents {
  const sign = baseCents < 0 ? -1n : 1n;
  const n = BigInt(Math.abs(baseCents)) * BigInt(rateBp);
  return Number(((n * 2n + 10_000n) / 20_000n) * sign);
}

/** VAT per rate, computed on the sum of the line totals at each rate, by rate ascending. */
export function vatBreakdown(lines: readonly InvoiceLine[]): VatLine[] {
  const byRate = new Map<number, Cents>();
  for (const line of lines) byRate.set(toBp(line.vatRate), (byRate.get(toBp(line.vatRate)) ?? 0) + line.totalExclVatCents);
  return [...byRate]
    .sort(([a], [b]) => a - b)
    .map(([bp, baseCents]) => ({ vatRate: fromBp(bp), baseCents, vatCents: vatOf(baseCents, bp) }));
}

export function totalsOf(lines: readonly InvoiceLine[], breakdown: readonly VatLine[]) {
  const totalExclVatCents = lines.reduce((a, l) => a + l.totalExclVatCents, 0);
  const totalVatCents = breakdown.reduce((a, v) => a + v.vatCents, 0);
  return { totalExclVatCents, totalVatCents, totalInclVatCents: totalExclVatCents + totalVatCents };
}

const percentFr = (p: number) => `${p.toFixed(2).replace('.', ',')} %`;
const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** 750 → "12 h 30", 60 → "1 h". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

/** The basis of a share in words (French, as printed on invoices and statements). */
export function describeBasis(basis: Basis): string {
  const pct = basis.percent === undefined ? '' : ` (${percentFr(basis.percent)})`;
  const weights = basis.totalWeight === undefined ? '' : `poids ${basis.weight ?? 0} sur ${basis.totalWeight}`;
  switch (basis.method) {
    case 'usage':
      return `usage : ${formatMinutes(basis.minutes ?? 0)} sur ${formatMinutes(basis.totalMinutes ?? 0)}${pct}`;
    case 'weights':
      return `${basis.fallback ? 'aucun usage ce mois, réparti selon les poids : ' : 'clé par poids : '}${weights}${pct}`;
    case 'equal':
      return `${basis.fallback ? 'réparti à parts égales faute d’autre clé : ' : 'parts égales : '}1 sur ${basis.totalWeight ?? 0} membres actifs${pct}`;
    case 'rate':
      return `${formatMinutes(basis.minutes ?? 0)} × ${formatEuros(basis.rateCents ?? 0)} HT de l’heure`;
    case 'bearer':
      return 'supporté par le porteur de la charge';
    case 'mixed': {
      const fixed = `${basis.fixedPercent ?? 0} % par poids (${weights || 'aucun poids'})`;
      const used =
        basis.usageFallback === undefined
          ? `${100 - (basis.fixedPercent ?? 0)} % à l’usage (${formatMinutes(basis.minutes ?? 0)} sur ${formatMinutes(basis.totalMinutes ?? 0)})`
          : `${100 - (basis.fixedPercent ?? 0)} % à l’usage, aucun usage ce mois : réparti par ${basis.usageFallback === 'weights' ? 'poids' : 'parts égales'}`;
      return `clé mixte : ${fixed} + ${used}${pct}`;
    }
  }
}

const KEY_FR: Record<'weights' | 'equal', string> = { weights: 'réparti selon les pondérations', equal: 'réparti à parts égales' };

/**
 * A resource's allocation note in words (French, as printed on statements and the pole summary). Notes of
 * snapshots written before notes were structured are English sentences (`text`) and print as they are.
 */
export function describeNote(note: AllocationNote): string {
  switch (note.code) {
    case 'no_rate':
      return 'Aucun tarif horaire défini : rien n’est refacturé, le porteur garde tout le coût';
    case 'text':
      return note.text;
    case 'fallback': {
      if (note.part === 'usage') {
        return note.fallback === 'bearer'
          ? 'Aucun usage ce mois : la part à l’usage reste au porteur'
          : `Aucun usage ce mois : la part à l’usage est ${KEY_FR[note.fallback].replace('réparti', 'répartie')}`;
      }
      if (note.fallback === 'bearer') return 'Aucune structure ne peut partager ce coût ce mois : le porteur le garde';
      if (note.rule === 'usage') {
        return note.fallback === 'weights' ? `Aucun usage ce mois : ${KEY_FR.weights}` : `Aucun usage ni pondération positive ce mois : ${KEY_FR.equal}`;
      }
      return `Aucune pondération positive : ${KEY_FR[note.fallback]}`;
    }
  }
}

export interface CostGroup {
  nature: CostNature;
  vatRateBp: number;
  amountCents: Cents;
}

export interface ResourceInfo {
  id: number;
  name: string;
  kind: ResourceKind;
}

/** Cost entries of a resource summed by (nature, VAT rate), in a stable order. */
export function groupCosts(entries: readonly CostGroup[]): CostGroup[] {
  const map = new Map<string, CostGroup>();
  for (const e of entries) {
    const key = `${e.nature}|${e.vatRateBp}`;
    const g = map.get(key);
    if (g) g.amountCents += e.amountCents;
    else map.set(key, { ...e });
  }
  return [...map.values()].sort((a, b) => COST_NATURES.indexOf(a.nature) - COST_NATURES.indexOf(b.nature) || a.vatRateBp - b.vatRateBp);
}

/** The VAT rate of a rate-priced line: the rate of the resource's largest cost group (ties: the higher rate). */
function dominantVatBp(groups: readonly CostGroup[]): number {
  let best: CostGroup | undefined;
  for (const g of groups) if (!best || g.amountCents > best.amountCents || (g.amountCents === best.amountCents && g.vatRateBp > best.vatRateBp)) best = g;
  return best?.vatRateBp ?? 0;
}

/**
 * The lines a buyer's share of one resource gives. A share is split over the resource's cost groups
 * (nature × VAT rate) by largest remainder, so lines show salary, charges and expenses apart (staff lent at
 * cost, C. trav. L8241-2) and sum exactly to the share. A `rate` share is one line in hours × hourly price.
 */
export function linesForShare(
  resource: ResourceInfo,
  monthLabel: string,
  share: { shareCents: Cents; basis: Basis },
  groups: readonly CostGroup[],
  sellerChargesVat: boolean,
): InvoiceLine[] {
  const basis: LineBasis = { ...share.basis, text: describeBasis(share.basis) };
  const vatRate = (bp: number) => (sellerChargesVat ? fromBp(bp) : 0);
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
        vatRate: vatRate(dominantVatBp(groups)),
        totalExclVatCents: share.shareCents,
        basis,
      },
    ];
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
        vatRate: vatRate(g.vatRateBp),
        totalExclVatCents: cents,
        basis,
      },
    ];
  });
}

export interface DocumentTerms {
  month: string;
  monthLabel: string;
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  currency: string;
  paymentTermsDays: number;
  latePenaltyRateBp: number;
}

export function mentionsFor(seller: PartySnapshot, buyer: PartySnapshot, terms: { latePenaltyRateBp: number }, extra: Partial<Mentions> = {}): Mentions {
  const professional = isProfessionalBuyer(buyer.legalForm);
  return {
    vat: VAT_MENTIONS[seller.vatRegime],
    operation: 'Prestations de services',
    latePenalty: `Pénalités de retard : taux annuel de ${percentFr(terms.latePenaltyRateBp / 100)}, exigibles dès le lendemain de la date d’échéance (art. L441-10 du Code de commerce).`,
    recoveryIndemnity: professional ? RECOVERY_INDEMNITY_TEXT : null,
    discount: 'Pas d’escompte pour paiement anticipé.',
    costSharing: null,
    staffLending: null,
    creditNote: null,
    ...extra,
  };
}

/**
 * The invoices a close issues: one per (bearer → member) pair with a non-zero amount, a line per resource
 * and cost group with its basis. Ordered by seller id then buyer id, so numbering is deterministic.
 */
export function buildCloseDrafts(input: {
  terms: DocumentTerms;
  allocations: readonly ResourceAllocation[];
  costGroups: ReadonlyMap<number, readonly CostGroup[]>;
  resources: ReadonlyMap<number, ResourceInfo>;
  parties: ReadonlyMap<number, PartySnapshot>;
}): InvoiceDraft[] {
  const { terms } = input;
  const pairs = new Map<string, { seller: number; buyer: number; lines: InvoiceLine[]; staff: boolean }>();
  const sorted = [...input.allocations].sort((a, b) => a.resourceId - b.resourceId);
  for (const allocation of sorted) {
    const resource = input.resources.get(allocation.resourceId);
    const seller = input.parties.get(allocation.bearerMemberId);
    if (!resource || !seller) throw new Error(`resource ${allocation.resourceId} or its bearer is missing`);
    const groups = input.costGroups.get(allocation.resourceId) ?? [];
    for (const share of invoicedShares(allocation)) {
      const lines = linesForShare(resource, terms.monthLabel, share, groups, chargesVat(seller.vatRegime));
      if (lines.length === 0) continue;
      const key = `${allocation.bearerMemberId}>${share.memberId}`;
      const pair = pairs.get(key) ?? { seller: allocation.bearerMemberId, buyer: share.memberId, lines: [], staff: false };
      pair.lines.push(...lines);
      pair.staff ||= resource.kind === 'staff';
      pairs.set(key, pair);
    }
  }
  return [...pairs.values()]
    .sort((a, b) => a.seller - b.seller || a.buyer - b.buyer)
    .map((pair) => {
      const seller = input.parties.get(pair.seller)!;
      const buyer = input.parties.get(pair.buyer);
      if (!buyer) throw new Error(`member ${pair.buyer} is missing`);
      const breakdown = vatBreakdown(pair.lines);
      const totals = totalsOf(pair.lines, breakdown);
      return {
        kind: 'invoice' as const,
        sellerMemberId: pair.seller,
        buyerMemberId: pair.buyer,
        month: terms.month,
        issueDate: terms.issueDate,
        periodStart: terms.periodStart,
        periodEnd: terms.periodEnd,
        dueDate: terms.dueDate,
        currency: terms.currency,
        seller,
        buyer,
        lines: pair.lines,
        vatBreakdown: breakdown,
        ...totals,
        mentions: mentionsFor(seller, buyer, terms, {
          costSharing: `Refacturation à l’euro près des coûts réels mutualisés du pôle pour ${terms.monthLabel}, selon la clé de répartition de chaque ressource.`,
          staffLending: pair.staff
            ? 'Mise à disposition de personnel à but non lucratif (art. L8241-2 du Code du travail) : seuls les salaires, charges sociales et frais professionnels remboursés sont refacturés, par nature.'
            : null,
        }),
        paymentTermsDays: terms.paymentTermsDays,
        latePenaltyRateBp: terms.latePenaltyRateBp,
        recoveryIndemnityCents: isProfessionalBuyer(buyer.legalForm) ? RECOVERY_INDEMNITY_CENTS : null,
        creditedInvoiceId: null,
      };
    })
    .filter((d) => d.totalExclVatCents !== 0);
}

/** What a credit note asks: the whole remainder, an amount spread over the lines, or chosen lines. */
export type CreditRequest =
  | { mode: 'whole' }
  | { mode: 'amount'; amountCents: Cents }
  | { mode: 'lines'; lines: { line: number; amountCents?: Cents }[] };

export interface CreditableInvoice {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  month: string;
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  sellerMemberId: number;
  buyerMemberId: number;
  seller: PartySnapshot;
  buyer: PartySnapshot;
  lines: InvoiceLine[];
  vatBreakdown: VatLine[];
  mentions: Mentions;
  paymentTermsDays: number;
  latePenaltyRateBp: number;
}

export class CreditError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Per line of the invoice: what remains creditable after the credit notes already issued. */
export function remainingByLine(invoice: Pick<CreditableInvoice, 'lines'>, previous: readonly { lines: InvoiceLine[] }[]): Cents[] {
  const remaining = invoice.lines.map((l) => l.totalExclVatCents);
  for (const note of previous) {
    for (const line of note.lines) {
      if (line.creditedLine !== undefined && remaining[line.creditedLine] !== undefined) remaining[line.creditedLine]! -= line.totalExclVatCents;
    }
  }
  return remaining;
}

/**
 * A credit note against an invoice, never exceeding what remains creditable. Amounts are positive (the
 * document is an *avoir*). VAT per rate is half-up on the credited base, and the credit note that brings a
 * rate's base to zero takes exactly the VAT left at that rate, so credits always cancel the invoice's VAT.
 */
export function buildCreditNoteDraft(
  invoice: CreditableInvoice,
  previous: readonly { lines: InvoiceLine[]; vatBreakdown: VatLine[] }[],
  request: CreditRequest,
  dates: { issueDate: string },
): InvoiceDraft {
  if (invoice.kind !== 'invoice') throw new CreditError('credit_note.not_an_invoice', 'Only an invoice can be credited');
  const remaining = remainingByLine(invoice, previous);
  const totalRemaining = remaining.reduce((a, r) => a + r, 0);
  if (totalRemaining <= 0) throw new CreditError('credit_note.nothing_left', `Invoice ${invoice.number} is already fully credited`);
  let amounts: Cents[];
  if (request.mode === 'whole') amounts = remaining;
  else if (request.mode === 'amount') {
    if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) throw new CreditError('credit_note.invalid_amount', 'The amount must be a positive number of cents');
    if (request.amountCents > totalRemaining) {
      throw new CreditError('credit_note.exceeds_remaining', `Only ${totalRemaining} cents remain creditable on ${invoice.number}`, { remainingCents: totalRemaining });
    }
    amounts = allocate(request.amountCents, remaining.map((r) => Math.max(0, r)));
  } else {
    amounts = remaining.map(() => 0);
    const seen = new Set<number>();
    for (const { line, amountCents } of request.lines) {
      if (!Number.isInteger(line) || line < 0 || line >= invoice.lines.length) throw new CreditError('credit_note.unknown_line', `Invoice ${invoice.number} has no line ${line}`);
      if (seen.has(line)) throw new CreditError('credit_note.duplicate_line', `Line ${line} is listed twice`);
      seen.add(line);
      const amount = amountCents ?? remaining[line]!;
      if (!Number.isSafeInteger(amount) || amount <= 0) throw new CreditError('credit_note.invalid_amount', `The amount for line ${line} must be a positive number of cents`);
      if (amount > remaining[line]!) {
        throw new CreditError('credit_note.exceeds_remaining', `Only ${remaining[line]} cents remain creditable on line ${line}`, { line, remainingCents: remaining[line] });
      }
      amounts[line] = amount;
    }
  }
  const lines: InvoiceLine[] = invoice.lines.flatMap((line, i) => {
    const cents = amounts[i]!;
    if (cents <= 0) return [];
    return [{ ...line, description: `Avoir — ${line.description}`, quantity: 1, unit: 'forfait', unitPriceExclVatCents: cents, totalExclVatCents: cents, creditedLine: i }];
  });
  if (lines.length === 0) throw new CreditError('credit_note.invalid_amount', 'Nothing to credit');

  const breakdown = vatBreakdown(lines).map((v) => {
    const bp = toBp(v.vatRate);
    const invoiced = invoice.vatBreakdown.find((x) => toBp(x.vatRate) === bp) ?? { baseCents: 0, vatCents: 0 };
    const creditedBefore = previous.flatMap((p) => p.vatBreakdown).filter((x) => toBp(x.vatRate) === bp);
    const baseLeft = invoiced.baseCents - creditedBefore.reduce((a, x) => a + x.baseCents, 0);
    const vatLeft = invoiced.vatCents - creditedBefore.reduce((a, x) => a + x.vatCents, 0);
    const vatCents = v.baseCents === baseLeft ? vatLeft : Math.min(v.vatCents, vatLeft);
    return { ...v, vatCents };
  });
  const totals = totalsOf(lines, breakdown);
  return {
    kind: 'credit_note',
    sellerMemberId: invoice.sellerMemberId,
    buyerMemberId: invoice.buyerMemberId,
    month: invoice.month,
    issueDate: dates.issueDate,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    dueDate: dates.issueDate,
    currency: invoice.currency,
    seller: invoice.seller,
    buyer: invoice.buyer,
    lines,
    vatBreakdown: breakdown,
    ...totals,
    mentions: {
      ...invoice.mentions,
      latePenalty: null,
      recoveryIndemnity: null,
      discount: null,
      creditNote: `Avoir sur la facture n° ${invoice.number} du ${frDate(invoice.issueDate)}, à déduire de son montant.`,
    },
    paymentTermsDays: 0,
    latePenaltyRateBp: invoice.latePenaltyRateBp,
    recoveryIndemnityCents: null,
    creditedInvoiceId: invoice.id,
  };
}
