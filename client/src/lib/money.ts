/** "1 234,56" or "1234.56" (or "12 €") → 123456 cents; null when unreadable. */
export function parseCents(text: string): number | null {
  const clean = text.replace(/[\s\u00a0\u202f€]/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  const [units, decimals = ''] = clean.split('.');
  return Number(units) * 100 + Number(decimals.padEnd(2, '0'));
}
