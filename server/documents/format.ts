import { DateTime } from 'luxon';

/**
 * French formatting for documents, written by hand rather than with Intl: Intl's fr-FR output uses the
 * narrow no-break space (U+202F) between thousands, which some fonts and text extractors mangle. Here
 * thousands and the euro sign are separated by a no-break space (U+00A0): the amount never wraps, every font
 * has the glyph, and it reads back as a space.
 */
export const NBSP = '\u00a0';

/** 123456 → "1 234,56 €" (no-break spaces); negative amounts get a leading "-". Integer cents only. */
export function euros(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const abs = Math.abs(cents);
  const units = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return `${cents < 0 ? '-' : ''}${units},${String(abs % 100).padStart(2, '0')}${NBSP}€`;
}

/** "2026-10-31" → "31/10/2026". */
export function frDate(isoDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(isoDate);
  if (!m) throw new RangeError(`not a date: ${isoDate}`);
  return `${m[3]}/${m[2]}/${m[1]}`;
}

/** An instant as a French date in `zone`: "31/10/2026". */
export function frDateOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('dd/MM/yyyy');
}

/** An instant as a French date and time in `zone`: "31/10/2026 14:05". */
export function frDateTimeOf(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat('dd/MM/yyyy HH:mm');
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** "2026-10" → "octobre 2026". */
export function frMonth(month: string): string {
  const m = /^(\d{4})-(\d{2})$/.exec(month);
  const name = m ? MONTHS[Number(m[2]) - 1] : undefined;
  if (!m || !name) throw new RangeError(`not a month: ${month}`);
  return `${name} ${m[1]}`;
}

/** 20 → "20 %", 5.5 → "5,5 %", 33.333 → "33,33 %". */
export function percent(value: number, maxDecimals = 2): string {
  const rounded = Number(value.toFixed(maxDecimals));
  return `${String(rounded).replace('.', ',')}${NBSP}%`;
}

/** A decimal quantity the French way: 2.5 → "2,5"; 1234 → "1 234". */
export function frNumber(value: number, maxDecimals = 2): string {
  const [int = '0', dec] = String(Number(Math.abs(value).toFixed(maxDecimals))).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, NBSP);
  return `${value < 0 ? '-' : ''}${grouped}${dec ? `,${dec}` : ''}`;
}

/** 750 → "12 h 30", 60 → "1 h", 0 → "0 h". */
export function hours(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${frNumber(h)}${NBSP}h` : `${frNumber(h)}${NBSP}h${NBSP}${String(m).padStart(2, '0')}`;
}
