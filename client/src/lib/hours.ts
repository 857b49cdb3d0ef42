/**
 * Hours typed in a timesheet cell: « 3,5 », « 3.5 », « 3:30 », « 3 h 30 », « 3h », « 45 min » → whole minutes;
 * empty → 0; null when unreadable. Decimal hours round to the nearest minute (« 0,33 » → 20).
 */
export function parseMinutes(text: string): number | null {
  const clean = text.trim().toLowerCase().replace(/\s+/g, '');
  if (clean === '') return 0;
  let m = /^(\d{1,2})(?:[.,](\d{1,2}))?h?$/.exec(clean);
  if (m) return Math.round(Number(`${m[1]}.${m[2] ?? '0'}`) * 60);
  m = /^(\d{1,2})[:h](\d{1,2})(?:min)?$/.exec(clean);
  if (m) return Number(m[2]) < 60 ? Number(m[1]) * 60 + Number(m[2]) : null;
  m = /^(\d{1,4})(?:min|mn|m)$/.exec(clean);
  if (m) return Number(m[1]);
  return null;
}

/** 210 → « 3:30 », 180 → « 3:00 », 0 → « » (an empty cell): the form an input shows back. */
export function minutesInput(minutes: number): string {
  if (minutes <= 0) return '';
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

/** A decimal typed with a comma or a point, to the hundredth (35, 17,5, 151,67); null when unreadable. */
export function parseDecimal(text: string): number | null {
  const clean = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^\d+(\.\d{1,2})?$/.test(clean)) return null;
  return Number(clean);
}
