import { COST_NATURES, type CostNature, type LegacyVatRegime, type LegalForm, type ResourceKind, type VatStatus } from '../../db/schema/enums';
import { allocate, formatEuros, type Cents } from '../shared/money';
import { decideVat, eligibleOn, legacyVatDecision, type VatCategory, type VatDecision } from '../vat/decision';
import { invoicedShares, type AllocationNote, type Basis, type ResourceAllocation } from './allocation';

export type { VatCategory, VatDecision } from '../vat/decision';

/**
 * Pure invoicing rules (no I/O): lines from the allocation, the VAT of each line, VAT per category and rate,
 * totals and the legal mentions a French invoice between members must carry (CGI ann. II art. 242 nonies A;
 * C. com. L441-9, D441-5).
 */

/**
 * A party as it was when the document was issued. Snapshots taken before VAT statuses (issue #10) carry
 * `vatRegime` and none of the optional fields below: readers must not assume them.
 */
export interface PartySnapshot {
  id: number;
  name: string;
  legalForm: LegalForm;
  siren: string;
  siret: string;
  /** Street line(s); since #10 the postal code, city and country are apart. */
  address: string;
  vatNumber: string | null;
  billingEmail: string;
  vatStatus?: VatStatus;
  /** Old snapshots only. */
  vatRegime?: LegacyVatRegime;
  eligible261B?: boolean;
  eligible261BSince?: string | null;
  vatOnDebits?: boolean;
  postalCode?: string | null;
  city?: string | null;
  countryCode?: string;
  deliveryAddress?: string | null;
  publicBody?: boolean;
  chorusServiceCode?: string | null;
  chorusEngagement?: string | null;
  shareCapitalCents?: number | null;
  rcsCity?: string | null;
  iban?: string | null;
  bic?: string | null;
  /** The SIREN when none was set. */
  einvoiceAddress?: string | null;
  billingMandateSince?: string | null;
  nettingAgreement?: boolean;
  nettingAgreementSince?: string | null;
}

export interface LineBasis extends Basis {
  /** The basis in words, as printed. */
  text: string;
}

/**
 * One invoice line. Its VAT is decided for the line (seller, buyer, resource, rule) and stored on it with
 * EN 16931 codes. Lines of documents issued before #10 have no `vatCategory`/`exemptionCode`/`exemptionText`:
 * read them through `lineVat`.
 */
export interface InvoiceLine {
  description: string;
  resourceId: number | null;
  nature: CostNature | null;
  quantity: number;
  unit: string;
  unitPriceExclVatCents: Cents;
  /** UNCL5305: S standard, E exempt, O outside the scope of VAT. */
  vatCategory: VatCategory;
  /** Percent (20, 10, 5.5, 2.1); 0 for E and O. */
  vatRate: number;
  /** 'VATEX-EU-132-1F' (261 B), 'VATEX-FR-FRANCHISE' (293 B), 'VATEX-EU-O' (O); null for S. */
  exemptionCode: string | null;
  /** The legal basis printed instead of a rate (never « TVA 0 % »); null for S. */
  exemptionText: string | null;
  totalExclVatCents: Cents;
  basis: LineBasis | null;
  /** Credit notes: the index of the credited invoice's line. */
  creditedLine?: number;
}

/** VAT per (category, rate): one per pair (and per exemption reason, should one invoice carry two). */
export interface VatLine {
  vatCategory: VatCategory;
  vatRate: number;
  exemptionCode: string | null;
  exemptionText: string | null;
  baseCents: Cents;
  vatCents: Cents;
}

export interface Mentions {
  /** The exemption texts of the document's lines (none when every line is taxed). */
  vat: string | null;
  /** Nature of the operation (e-invoicing reform): services. */
  operation: string;
  latePenalty: string | null;
  recoveryIndemnity: string | null;
  discount: string | null;
  costSharing: string | null;
  staffLending: string | null;
  creditNote: string | null;
  /** Since #10 (absent on older documents). */
  vatOnDebits?: string | null;
  deliveryAddress?: string | null;
  payment?: string | null;
  billingMandate?: string | null;
  publicProcurement?: string | null;
}

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
  management_fees: 'frais de gestion (convention de mise à disposition)',
};

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
  const key = describeKey(basis);
  return basis.inputVatIncludedCents ? `${key} ; coût TTC : TVA non récupérable par le porteur (${formatEuros(basis.inputVatIncludedCents)}) incluse` : key;
}

function describeKey(basis: Basis): string {
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
    case 'staff':
      return `${formatMinutes(basis.minutes ?? 0)} mis à disposition × ${formatEuros(basis.hourlyCostCents ?? 0)} de coût horaire (coût du mois ÷ ${String(basis.paidHours ?? 0).replace('.', ',')} h payées)`;
    case 'usage_over_allowance': {
      const over = basis.overrunMinutes ? `, dépassement : ${formatMinutes(basis.overrunMinutes)} au-delà de ${formatMinutes(basis.includedMinutes ?? 0)} inclus (${formatEuros(basis.usageCents ?? 0)})` : '';
      return `forfait par poids : ${weights || 'aucun poids'} (${formatEuros(basis.fixedCents ?? 0)})${over}${pct}`;
    }
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
    case 'no_paid_hours':
      return 'Aucune heure payée saisie pour ce mois : pas de coût horaire, rien n’est refacturé, l’employeur garde tout le coût';
    case 'staff_remainder':
      return `Non mis à disposition : ${formatEuros(note.remainderCents)} restent à la charge de l’employeur`;
    case 'staff_overbooked':
      return `Heures réservées (${formatMinutes(note.bookedMinutes)}) au-delà des heures payées (${String(note.paidHours).replace('.', ',')} h) : le coût est réparti au prorata des heures`;
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
  /** The pole that issues the documents on its members' behalf (billing mandate). */
  poleName?: string;
}

/** A snapshot's VAT status; snapshots taken before #10 carry the old regime instead. */
export function vatStatusOf(p: Pick<PartySnapshot, 'vatStatus' | 'vatRegime'>): VatStatus {
  if (p.vatStatus) return p.vatStatus;
  return p.vatRegime === 'assujetti' || p.vatRegime === 'franchise_293B' ? p.vatRegime : 'non_assujetti';
}

const euroAmount = (cents: number) => formatEuros(cents);
const spacedSiren = (siren: string) => siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');

const FORM_WORDING: Partial<Record<LegalForm, string>> = {
  scop: 'SCOP à capital variable',
  scic: 'SCIC à capital variable',
  company: 'Société',
};

/**
 * The legal form as a company must print it (C. com. R123-237): form, share capital and RCS city with the
 * SIREN, e.g. « SCOP à capital variable au capital de 15 000,00 € — RCS Nantes 800 123 457 ». Null for
 * structures that have neither capital nor RCS registration (associations, public bodies).
 */
export function legalFormWording(p: Pick<PartySnapshot, 'legalForm' | 'shareCapitalCents' | 'rcsCity' | 'siren'>): string | null {
  const form = FORM_WORDING[p.legalForm];
  if (!form) return null;
  const capital = p.shareCapitalCents === null || p.shareCapitalCents === undefined ? '' : ` au capital de ${euroAmount(p.shareCapitalCents)}`;
  const rcs = p.rcsCity ? ` — RCS ${p.rcsCity} ${spacedSiren(p.siren)}` : '';
  return `${form}${capital}${rcs}`;
}

/** The full postal address of a snapshot on one line (old snapshots kept it in `address`). */
export function fullAddress(p: Pick<PartySnapshot, 'address' | 'postalCode' | 'city' | 'countryCode'>): string {
  const town = [p.postalCode, p.city].filter(Boolean).join(' ');
  const country = p.countryCode && p.countryCode !== 'FR' ? p.countryCode : '';
  return [p.address, town, country].filter(Boolean).join(', ');
}

const PUBLIC_LATE_PENALTY =
  'Retard de paiement : intérêts moratoires au taux de la Banque centrale européenne à son opération principale de refinancement la plus récente, majoré de huit points, dus de plein droit dès le lendemain de l’échéance (art. L2192-13 et R2192-31 du Code de la commande publique).';
const PUBLIC_RECOVERY_INDEMNITY = `Indemnité forfaitaire pour frais de recouvrement due en cas de retard : ${formatEuros(RECOVERY_INDEMNITY_CENTS)} (art. D2192-35 du Code de la commande publique).`;

/**
 * The legal mentions of an invoice: the exemption texts of its lines (never a bare 0 %), the four mentions of
 * the e-invoicing reform (buyer SIREN is in the party block; delivery address when it differs; « Prestations de
 * services »; the debit option), payment details, discount terms, late penalties with the €40 indemnity of the
 * Code de commerce — or, for a public buyer, the Code de la commande publique's wording and its Chorus Pro
 * references —, and the billing mandate under which the pole issues in the seller's name.
 */
export function mentionsFor(
  seller: PartySnapshot,
  buyer: PartySnapshot,
  terms: { latePenaltyRateBp: number; poleName?: string },
  extra: Partial<Mentions> = {},
  lines: readonly Pick<InvoiceLine, 'vatRate' | 'vatCategory' | 'exemptionText'>[] = [],
): Mentions {
  const publicBuyer = buyer.publicBody === true;
  const texts = [...new Set(lines.map((l) => l.exemptionText).filter((t): t is string => !!t))];
  const taxed = lines.some((l) => l.vatCategory === 'S');
  const chorus = [
    buyer.chorusServiceCode ? `code service ${buyer.chorusServiceCode}` : null,
    buyer.chorusEngagement ? `n° d’engagement ${buyer.chorusEngagement}` : null,
  ].filter(Boolean);
  const delivery = buyer.deliveryAddress && buyer.deliveryAddress.trim() !== fullAddress(buyer) ? buyer.deliveryAddress.trim() : null;
  return {
    vat: texts.length ? texts.join(' — ') : null,
    operation: 'Prestations de services',
    latePenalty: publicBuyer
      ? PUBLIC_LATE_PENALTY
      : `Pénalités de retard : taux annuel de ${percentFr(terms.latePenaltyRateBp / 100)}, exigibles dès le lendemain de la date d’échéance (art. L441-10 du Code de commerce).`,
    recoveryIndemnity: publicBuyer ? PUBLIC_RECOVERY_INDEMNITY : isProfessionalBuyer(buyer.legalForm) ? RECOVERY_INDEMNITY_TEXT : null,
    discount: 'Pas d’escompte pour paiement anticipé.',
    costSharing: null,
    staffLending: null,
    creditNote: null,
    vatOnDebits: seller.vatOnDebits && taxed ? 'Option pour le paiement de la taxe d’après les débits.' : null,
    deliveryAddress: delivery ? `Adresse de livraison : ${delivery}` : null,
    payment: seller.iban ? `Règlement par virement — IBAN ${seller.iban.replace(/(.{4})/g, '$1 ').trim()}${seller.bic ? ` — BIC ${seller.bic}` : ''}` : null,
    billingMandate: terms.poleName
      ? `Facture émise par ${terms.poleName} au nom et pour le compte de ${seller.name}${seller.billingMandateSince ? `, en vertu du mandat de facturation du ${frDate(seller.billingMandateSince)}` : ''}.`
      : null,
    publicProcurement: publicBuyer
      ? `Facture destinée à une entité publique, transmise par Chorus Pro (destinataire : SIRET ${buyer.siret}${chorus.length ? `, ${chorus.join(', ')}` : ''}).`
      : null,
    ...extra,
  };
}

export const STAFF_LENDING_TEXT =
  'Mise à disposition de personnel à but non lucratif (art. L8241-1 du Code du travail) : seuls les salaires versés, les charges sociales afférentes et les frais professionnels remboursés pour le temps mis à disposition sont refacturés, par nature.';
export const STAFF_LENDING_FEES_TEXT = ' Les frais de gestion facturés sont ceux que prévoit la convention de mise à disposition.';

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
    .map((pair) => {
      const seller = input.parties.get(pair.seller)!;
      const buyer = input.parties.get(pair.buyer)!;
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
        mentions: mentionsFor(
          seller,
          buyer,
          terms,
          {
            costSharing: `Refacturation à l’euro près des coûts réels mutualisés du pôle pour ${terms.monthLabel}, selon la clé de répartition de chaque ressource.`,
            staffLending: pair.staff ? STAFF_LENDING_TEXT + (pair.fees ? STAFF_LENDING_FEES_TEXT : '') : null,
          },
          pair.lines,
        ),
        paymentTermsDays: terms.paymentTermsDays,
        latePenaltyRateBp: terms.latePenaltyRateBp,
        recoveryIndemnityCents: buyer.publicBody || isProfessionalBuyer(buyer.legalForm) ? RECOVERY_INDEMNITY_CENTS : null,
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
    const vat = lineVat(line, invoice.mentions);
    return [{ ...line, ...vat, description: `Avoir — ${line.description}`, quantity: 1, unit: 'forfait', unitPriceExclVatCents: cents, totalExclVatCents: cents, creditedLine: i }];
  });
  if (lines.length === 0) throw new CreditError('credit_note.invalid_amount', 'Nothing to credit');

  const invoiced = invoice.vatBreakdown.map((x) => vatLineOf(x, invoice.mentions));
  const creditedBefore = previous.flatMap((p) => p.vatBreakdown.map((x) => vatLineOf(x, invoice.mentions)));
  const breakdown = vatBreakdown(lines).map((v) => {
    const key = vatKey(v);
    const at = invoiced.find((x) => vatKey(x) === key) ?? { baseCents: 0, vatCents: 0 };
    const before = creditedBefore.filter((x) => vatKey(x) === key);
    const baseLeft = at.baseCents - before.reduce((a, x) => a + x.baseCents, 0);
    const vatLeft = at.vatCents - before.reduce((a, x) => a + x.vatCents, 0);
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
