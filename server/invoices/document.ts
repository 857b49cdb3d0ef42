import type { CostNature, LegacyVatRegime, LegalForm, VatStatus } from '../../db/schema/enums';
import type { Cents } from '../shared/money';
import type { VatCategory } from '../vat/decision';
import type { Basis } from '../closing/allocation';

/**
 * What an invoice or credit note is made of (types only): the parties as snapshotted, its lines with their
 * VAT, the VAT breakdown, the legal mentions and the draft a close, an adjustment or a credit note gives
 * before numbering and sealing (chain.ts).
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
