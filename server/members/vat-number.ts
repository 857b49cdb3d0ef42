/** French intra-community VAT numbers and IBANs: checks done before anything is stored. */

/** The 2-digit key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97. */
export function vatKeyOf(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return String(key).padStart(2, '0');
}

export const vatNumberOf = (siren: string) => `FR${vatKeyOf(siren)}${siren}`;

/** "FR 45 423 456 789" → "FR45423456789". */
export const normaliseCode = (value: string) => value.replace(/[\s.-]/g, '').toUpperCase();

/**
 * An IBAN per ISO 13616: country, 2 check digits, then up to 30 alphanumerics, whose letters-as-numbers
 * (A = 10 … Z = 35), moved after the rest, are 1 mod 97. French IBANs have 27 characters.
 */
export function isValidIban(iban: string): boolean {
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  if (iban.startsWith('FR') && iban.length !== 27) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const c of moved) {
    const n = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rest = n >= 10 ? (rest * 100 + n) % 97 : (rest * 10 + n) % 97;
  }
  return rest === 1;
}

/** An IBAN with valid check digits for a given country and BBAN (demo data, tests). */
export function ibanOf(country: string, bban: string): string {
  const moved = `${bban}${country}00`;
  let rest = 0;
  for (const c of moved) {
    const n = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rest = n >= 10 ? (rest * 100 + n) % 97 : (rest * 10 + n) % 97;
  }
  return `${country}${String(98 - rest).padStart(2, '0')}${bban}`;
}

/** A BIC (ISO 9362): 4 letters (bank), 2 (country), 2 alphanumerics (place), optionally 3 (branch). */
export const isValidBic = (bic: string) => /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic);

/** "IBAN FR76 3000 …" printed in groups of four. */
export const formatIban = (iban: string) => iban.replace(/(.{4})/g, '$1 ').trim();
