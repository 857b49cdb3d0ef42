import type { LegacyVatRegime, LegalForm, VatStatus } from '../../db/schema/enums';
import { unprocessable } from '../shared/errors';
import { isValidBic, isValidIban, normaliseCode, vatNumberOf } from './vat-number';

/** Checks of a member's VAT, payment and address fields (pure; each failure is a 422 with a stable code). */

/** Legal forms that print a share capital and an RCS registration (C. com. R123-237). */
export const COMPANY_FORMS: ReadonlySet<LegalForm> = new Set(['company', 'scop', 'scic']);

/** The old single regime as a status and the 261 B flag (an exempt member recovers no input VAT). */
export function fromLegacyRegime(regime: LegacyVatRegime): { vatStatus: VatStatus; eligible261B: boolean } {
  return regime === 'exonere_261B' ? { vatStatus: 'non_assujetti', eligible261B: true } : { vatStatus: regime, eligible261B: false };
}

/** "FR 45 423…" → "FR45423…", checked against the SIREN: FR + (12 + 3 × (SIREN mod 97)) mod 97 + SIREN. */
export function checkVatNumber(vatNumber: string | null, siren: string, countryCode: string): string | null {
  if (vatNumber === null || vatNumber.trim() === '') return null;
  const value = normaliseCode(vatNumber);
  if (countryCode === 'FR' || value.startsWith('FR')) {
    const expected = vatNumberOf(siren);
    if (value !== expected) {
      throw unprocessable('member.vat_number_mismatch', `VAT number ${value} does not match SIREN ${siren}: expected ${expected}`, { expected });
    }
  } else if (!/^[A-Z]{2}[0-9A-Z]{2,13}$/.test(value)) {
    throw unprocessable('member.invalid_vat_number', `${value} is not a VAT number`);
  }
  return value;
}

export function checkIban(iban: string | null): string | null {
  if (iban === null || iban.trim() === '') return null;
  const value = normaliseCode(iban);
  if (!isValidIban(value)) throw unprocessable('member.invalid_iban', `IBAN ${value} is not valid (ISO 13616 check digits)`);
  return value;
}

export function checkBic(bic: string | null): string | null {
  if (bic === null || bic.trim() === '') return null;
  const value = normaliseCode(bic);
  if (!isValidBic(value)) throw unprocessable('member.invalid_bic', `BIC ${value} is not valid (8 or 11 characters, ISO 9362)`);
  return value;
}

export function checkPostalCode(postalCode: string | null, countryCode: string): string | null {
  if (postalCode === null || postalCode.trim() === '') return null;
  const value = postalCode.trim();
  if (countryCode === 'FR' && !/^\d{5}$/.test(value)) throw unprocessable('member.invalid_postal_code', `${value} is not a French postal code (5 digits)`);
  return value;
}

/** Companies, SCOP and SCIC print their share capital and RCS city on every invoice. */
export function checkCompanyMentions(m: { legalForm: LegalForm; shareCapitalCents: number | null; rcsCity: string | null }): void {
  if (!COMPANY_FORMS.has(m.legalForm)) return;
  if (m.shareCapitalCents === null) throw unprocessable('member.share_capital_required', 'A company, SCOP or SCIC must state its share capital (shareCapitalCents)');
  if (!m.rcsCity || m.rcsCity.trim() === '') throw unprocessable('member.rcs_city_required', 'A company, SCOP or SCIC must state the city of its RCS registration (rcsCity)');
}

/** "12 quai de la Fosse, 44000 Nantes" → street, postal code and city; anything else stays as it is. */
export function splitAddress(address: string): { address: string; postalCode: string | null; city: string | null } {
  const comma = address.lastIndexOf(',');
  if (comma > 0) {
    const tail = address.slice(comma + 1).trim();
    const match = /^(\d{5})\s+(.+)$/.exec(tail);
    const street = address.slice(0, comma).trim();
    if (match && street) return { address: street, postalCode: match[1]!, city: match[2]!.trim() };
  }
  return { address: address.trim(), postalCode: null, city: null };
}
