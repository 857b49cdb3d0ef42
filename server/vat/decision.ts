import type { VatStatus } from '../../db/schema/enums';

/**
 * The VAT of one invoice line, decided from the seller, the buyer, the resource and the rule (pure, no I/O).
 * CGI 261 B exempts the services a grouping renders to its eligible members at exactly their share of the
 * common costs; a seller under the franchise (293 B) charges none; a seller outside VAT makes an operation
 * outside its scope; everything else is taxed at the output rate of the service sold (the resource's rate,
 * never the rate of the supplier's invoice behind the cost). Codes are EN 16931's (UNCL5305, VATEX).
 */

export type VatCategory = 'S' | 'E' | 'O';

export interface VatDecision {
  vatCategory: VatCategory;
  /** Percent (20, 10, 5.5, 2.1); 0 for E and O. */
  vatRate: number;
  exemptionCode: string | null;
  exemptionText: string | null;
}

export const EXEMPTION_261B = { code: 'VATEX-EU-132-1F', text: 'Exonération de TVA, art. 261 B du CGI' } as const;
export const EXEMPTION_FRANCHISE = { code: 'VATEX-FR-FRANCHISE', text: 'TVA non applicable, art. 293 B du CGI' } as const;
export const OUTSIDE_SCOPE = { code: 'VATEX-EU-O', text: 'Opération non soumise à la TVA' } as const;

/** Output rates a service may carry, in percent. */
export const OUTPUT_VAT_RATES = [20, 10, 5.5, 2.1] as const;
export const DEFAULT_OUTPUT_VAT_RATE = 20;

export interface VatSeller {
  id: number;
  vatStatus: VatStatus;
}

export interface VatBuyer {
  id: number;
  /** Eligible to 261 B on the line's date: activity exempt or outside VAT, attested. */
  eligible261B: boolean;
}

export interface VatLineContext {
  seller: VatSeller;
  buyer: VatBuyer;
  /** The pole's groupement de moyens, if it names one. */
  groupingMemberId: number | null;
  /** The resource's output rate, percent. */
  resourceVatRate: number;
  /**
   * True when the line bills exactly a share of the real cost (usage, weights, equal, mixed, staff at cost);
   * false for a price (`rate`: hours × hourly price), which can never be exempt under 261 B.
   */
  exactShare: boolean;
}

export function decideVat(line: VatLineContext): VatDecision {
  const { seller, buyer } = line;
  if (line.groupingMemberId !== null && seller.id === line.groupingMemberId && buyer.eligible261B && line.exactShare) {
    return { vatCategory: 'E', vatRate: 0, exemptionCode: EXEMPTION_261B.code, exemptionText: EXEMPTION_261B.text };
  }
  if (seller.vatStatus === 'franchise_293B') {
    return { vatCategory: 'E', vatRate: 0, exemptionCode: EXEMPTION_FRANCHISE.code, exemptionText: EXEMPTION_FRANCHISE.text };
  }
  if (seller.vatStatus === 'non_assujetti') {
    return { vatCategory: 'O', vatRate: 0, exemptionCode: OUTSIDE_SCOPE.code, exemptionText: OUTSIDE_SCOPE.text };
  }
  if (!(OUTPUT_VAT_RATES as readonly number[]).includes(line.resourceVatRate)) throw new RangeError(`not an output VAT rate: ${line.resourceVatRate}`);
  return { vatCategory: 'S', vatRate: line.resourceVatRate, exemptionCode: null, exemptionText: null };
}

/** A member is eligible to 261 B on a date when it says so and its attestation is not dated later. */
export function eligibleOn(member: { eligible261B: boolean; eligible261BSince: string | null }, date: string): boolean {
  return member.eligible261B && (member.eligible261BSince === null || member.eligible261BSince <= date);
}

/** Whether a bearer cannot recover the VAT it paid on its costs: it then shares them VAT included. */
export const recoversInputVat = (status: VatStatus) => status === 'assujetti';

/**
 * The VAT fields of a line stored before lines carried a category: a positive rate was standard, a zero rate
 * takes the exemption its document's VAT mention stated (or "outside scope" when it stated none).
 */
export function legacyVatDecision(vatRate: number, vatMention: string | null | undefined): VatDecision {
  if (vatRate > 0) return { vatCategory: 'S', vatRate, exemptionCode: null, exemptionText: null };
  const mention = vatMention ?? '';
  if (mention.includes('261 B')) return { vatCategory: 'E', vatRate: 0, exemptionCode: EXEMPTION_261B.code, exemptionText: mention };
  if (mention.includes('293 B')) return { vatCategory: 'E', vatRate: 0, exemptionCode: EXEMPTION_FRANCHISE.code, exemptionText: mention };
  return { vatCategory: 'O', vatRate: 0, exemptionCode: OUTSIDE_SCOPE.code, exemptionText: mention || OUTSIDE_SCOPE.text };
}
