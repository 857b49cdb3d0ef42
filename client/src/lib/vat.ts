/**
 * Checks the member form runs as you type, the same as the server's (server/members/vat-number.ts): the
 * French VAT key derived from the SIREN and the ISO 13616 IBAN check digits.
 */

export const normaliseCode = (value: string) => value.replace(/[\s.-]/g, '').toUpperCase();

/** FR + (12 + 3 × (SIREN mod 97)) mod 97 + SIREN. */
export function vatNumberOf(siren: string): string | null {
  if (!/^\d{9}$/.test(siren)) return null;
  return `FR${String((12 + 3 * (Number(siren) % 97)) % 97).padStart(2, '0')}${siren}`;
}

export function isValidIban(value: string): boolean {
  const iban = normaliseCode(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  if (iban.startsWith('FR') && iban.length !== 27) return false;
  let rest = 0;
  for (const c of iban.slice(4) + iban.slice(0, 4)) {
    const n = c >= 'A' ? c.charCodeAt(0) - 55 : c.charCodeAt(0) - 48;
    rest = n >= 10 ? (rest * 100 + n) % 97 : (rest * 10 + n) % 97;
  }
  return rest === 1;
}
