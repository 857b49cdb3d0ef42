import type { InvoiceLine, Mentions, PartySnapshot, VatLine } from '../invoices/document';

/**
 * Reads the sealed document's parties, lines and VAT breakdown in the shape of the cross-team contract
 * (SHARED-CONTRACT.md: VAT category, rate and exemption per line, postal and e-invoicing fields per party).
 * Documents sealed before those fields existed lack them: their values are derived here, never invented —
 * a field that cannot be derived stays null and the completeness check names it. Pure, no I/O.
 */

export type VatCategory = 'S' | 'E' | 'O';

export const EXEMPTION_261B = { code: 'VATEX-EU-132-1F', text: 'Exonération de TVA, art. 261 B du CGI' } as const;
export const EXEMPTION_293B = { code: 'VATEX-FR-FRANCHISE', text: 'TVA non applicable, art. 293 B du CGI' } as const;
export const OUT_OF_SCOPE = { code: 'VATEX-EU-O', text: 'Opération non soumise à la TVA' } as const;

/** The party fields the contract adds; optional here because old snapshots lack them. */
export interface PartyExtension {
  vatStatus?: 'assujetti' | 'franchise_293B' | 'non_assujetti';
  publicBody?: boolean | null;
  chorusServiceCode?: string | null;
  chorusEngagement?: string | null;
  shareCapitalCents?: number | null;
  rcsCity?: string | null;
  iban?: string | null;
  bic?: string | null;
  deliveryAddress?: string | null;
  postalCode?: string | null;
  city?: string | null;
  countryCode?: string | null;
  einvoiceAddress?: string | null;
  vatOnDebits?: boolean | null;
}

export type SourceParty = Omit<PartySnapshot, 'id'> & PartyExtension;

export interface LineExtension {
  vatCategory?: VatCategory;
  exemptionCode?: string | null;
  exemptionText?: string | null;
}
export type SourceLine = Pick<InvoiceLine, 'description' | 'quantity' | 'unit' | 'unitPriceExclVatCents' | 'vatRate' | 'totalExclVatCents'> & LineExtension;
export type SourceVatLine = Pick<VatLine, 'vatRate' | 'baseCents' | 'vatCents'> & LineExtension;

/** A party as the e-invoice needs it: every field resolved (null when unknown). */
export interface EParty {
  name: string;
  legalForm: PartySnapshot['legalForm'];
  siren: string;
  siret: string | null;
  vatNumber: string | null;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
  electronicAddress: string;
  email: string | null;
  iban: string | null;
  bic: string | null;
  publicBody: boolean;
  serviceCode: string | null;
  engagement: string | null;
  shareCapitalCents: number | null;
  rcsCity: string | null;
  deliveryAddress: string | null;
  vatOnDebits: boolean;
}

const blank = (s: string | null | undefined) => (s === null || s === undefined || s.trim() === '' ? null : s.trim());
const compact = (s: string | null | undefined) => blank(s)?.replace(/\s+/g, '') ?? null;

/**
 * Splits an address written on one line or several ("12 quai de la Fosse, 44000 Nantes") into street, postal
 * code and city, as old snapshots (before the postal fields) carry it. Returns the whole text as the street
 * when no French postal code can be found.
 */
export function splitAddress(address: string): { street: string | null; postalCode: string | null; city: string | null } {
  const flat = address.replace(/\s*\n\s*/g, ', ').trim();
  const m = /^(.*?)[,\s]+(\d{5})\s+([^,\d][^,]*)$/.exec(flat);
  if (!m) return { street: blank(flat), postalCode: null, city: null };
  return { street: blank(m[1]), postalCode: m[2]!, city: blank(m[3]) };
}

export function resolveParty(p: SourceParty): EParty {
  const split = splitAddress(p.address ?? '');
  const hasParts = blank(p.postalCode) !== null || blank(p.city) !== null;
  return {
    name: p.name,
    legalForm: p.legalForm,
    siren: compact(p.siren) ?? '',
    siret: compact(p.siret),
    vatNumber: compact(p.vatNumber),
    // With the contract's postal fields, `address` is the street line; before them, it held the whole address.
    street: hasParts ? blank(p.address) : split.street,
    postalCode: hasParts ? blank(p.postalCode) : split.postalCode,
    city: hasParts ? blank(p.city) : split.city,
    countryCode: (blank(p.countryCode) ?? 'FR').toUpperCase(),
    electronicAddress: compact(p.einvoiceAddress) ?? compact(p.siren) ?? '',
    email: blank(p.billingEmail),
    iban: compact(p.iban)?.toUpperCase() ?? null,
    bic: compact(p.bic)?.toUpperCase() ?? null,
    publicBody: p.publicBody ?? p.legalForm === 'local_authority',
    serviceCode: blank(p.chorusServiceCode),
    engagement: blank(p.chorusEngagement),
    shareCapitalCents: p.shareCapitalCents ?? null,
    rcsCity: blank(p.rcsCity),
    deliveryAddress: blank(p.deliveryAddress),
    vatOnDebits: p.vatOnDebits ?? false,
  };
}

export interface LineVat {
  category: VatCategory;
  rate: number;
  exemptionCode: string | null;
  exemptionText: string | null;
}

/**
 * A line's VAT as the contract states it, or derived for documents sealed before categories: a positive
 * rate is standard (S); a zero rate takes the legal basis the document printed (the seller's mention).
 */
export function lineVat(line: LineExtension & { vatRate: number }, mentions: Pick<Mentions, 'vat'>, seller: Pick<SourceParty, 'vatRegime'> & PartyExtension): LineVat {
  if (line.vatCategory) {
    const fallback = line.vatCategory === 'O' ? OUT_OF_SCOPE : null;
    return {
      category: line.vatCategory,
      rate: line.vatCategory === 'S' ? line.vatRate : 0,
      exemptionCode: line.vatCategory === 'S' ? null : (blank(line.exemptionCode) ?? fallback?.code ?? null),
      exemptionText: line.vatCategory === 'S' ? null : (blank(line.exemptionText) ?? fallback?.text ?? null),
    };
  }
  if (line.vatRate > 0) return { category: 'S', rate: line.vatRate, exemptionCode: null, exemptionText: null };
  const mention = mentions.vat ?? '';
  const status = seller.vatStatus ?? seller.vatRegime;
  if (/293\s*B/.test(mention) || status === 'franchise_293B') return { category: 'E', rate: 0, exemptionCode: EXEMPTION_293B.code, exemptionText: mention || EXEMPTION_293B.text };
  if (/261\s*B/.test(mention) || status === 'exonere_261B') return { category: 'E', rate: 0, exemptionCode: EXEMPTION_261B.code, exemptionText: mention || EXEMPTION_261B.text };
  return { category: 'O', rate: 0, exemptionCode: OUT_OF_SCOPE.code, exemptionText: mention || OUT_OF_SCOPE.text };
}
