/** Luhn check over a string of digits. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** La Poste's establishments do not follow Luhn: their SIRET digits sum to a multiple of 5. */
const LA_POSTE_SIREN = '356000000';

export function isValidSiren(siren: string): boolean {
  return /^\d{9}$/.test(siren) && luhnValid(siren);
}

export function isValidSiret(siret: string): boolean {
  if (!/^\d{14}$/.test(siret)) return false;
  if (siret.startsWith(LA_POSTE_SIREN) && siret !== '35600000000048') {
    return [...siret].reduce((a, c) => a + Number(c), 0) % 5 === 0;
  }
  return luhnValid(siret) && isValidSiren(siret.slice(0, 9));
}

/** Spaces are common when people type them ("443 061 841 00047"). */
export const normaliseDigits = (value: string) => value.replace(/[\s.]/g, '');
