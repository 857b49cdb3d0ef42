/** 123456 → "1234,56": cents as a form field shows them (integer arithmetic, no float rounding). */
export function centsInput(cents: number): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** "1 234,56" or "1234.56" (or "12 €") → 123456 cents; null when unreadable. */
export function parseCents(text: string): number | null {
  const clean = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [units, decimals = ''] = clean.split('.');
  return Number(units) * 100 + Number(decimals.padEnd(2, '0'));
}
