/**
 * A few string helpers to write XML by hand (no I/O). The CII document is small and fixed in shape, so a
 * template of escaped strings is both the simplest and the fastest writer; every text goes through `esc`.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Text or attribute value, escaped; control characters XML 1.0 forbids are dropped. */
export function esc(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Child = string | null | undefined | false;

/** `<name attr="v">children</name>`; children are already-written XML, falsy ones are skipped. */
export function el(name: string, attrs: Record<string, string> | null, ...children: Child[]): string {
  const a = attrs ? Object.entries(attrs).map(([k, v]) => ` ${k}="${esc(v)}"`).join('') : '';
  return `<${name}${a}>${children.filter(Boolean).join('')}</${name}>`;
}

/** `<name>text</name>` with the text escaped; nothing when the text is null, undefined or blank. */
export function txt(name: string, text: string | null | undefined, attrs: Record<string, string> | null = null): string {
  if (text === null || text === undefined || text.trim() === '') return '';
  return el(name, attrs, esc(text));
}

/** Cents as a decimal amount with two decimals: 123456 → "1234.56", -5 → "-0.05". */
export function amount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A quantity with up to 4 decimals, without float noise: 12.5 → "12.5000". */
export function quantity(q: number): string {
  if (!Number.isFinite(q)) throw new RangeError(`not a quantity: ${q}`);
  return (Math.round(q * 10_000) / 10_000).toFixed(4);
}

/** A VAT rate in percent with two decimals: 20 → "20.00", 5.5 → "5.50". */
export const percent = (p: number) => (Math.round(p * 100) / 100).toFixed(2);

/** ISO date → CII format 102 (YYYYMMDD). */
export function date102(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) throw new RangeError(`not a date: ${iso}`);
  return `${m[1]}${m[2]}${m[3]}`;
}
