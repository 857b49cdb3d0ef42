import type { Cents } from '../shared/money';

/**
 * The FEC layout (fichier des écritures comptables, LPF art. A47 A-1), pure: 18 tab-separated columns in a
 * fixed order with their header line, dates YYYYMMDD, amounts with a decimal comma and no thousands
 * separator, empty fields where a column does not apply. No I/O.
 */

export const FEC_COLUMNS = [
  'JournalCode',
  'JournalLib',
  'EcritureNum',
  'EcritureDate',
  'CompteNum',
  'CompteLib',
  'CompAuxNum',
  'CompAuxLib',
  'PieceRef',
  'PieceDate',
  'EcritureLib',
  'Debit',
  'Credit',
  'EcritureLet',
  'DateLet',
  'ValidDate',
  'Montantdevise',
  'Idevise',
] as const;

export const FEC_HEADER = FEC_COLUMNS.join('\t');

/** One line of an entry: an amount on one side of one account (and its auxiliary account, if any). */
export interface EntryLine {
  account: string;
  accountLabel: string;
  auxAccount: string | null;
  auxLabel: string | null;
  label: string;
  debitCents: Cents;
  creditCents: Cents;
  letter: string | null;
  /** YYYY-MM-DD */
  letterDate: string | null;
}

/** A journal entry (écriture): balanced lines under one number, one date and one supporting document. */
export interface JournalEntry {
  journalCode: string;
  journalLabel: string;
  /** Filled when the file is numbered (see numberEntries). */
  number: string;
  /** YYYY-MM-DD */
  date: string;
  pieceRef: string;
  /** YYYY-MM-DD */
  pieceDate: string;
  /** YYYY-MM-DD */
  validDate: string;
  lines: EntryLine[];
}

/** 2026-10-31 → 20261031. */
export function fecDate(iso: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(iso)) throw new RangeError(`not a date: ${iso}`);
  return iso.replaceAll('-', '');
}

/** 123456 → "1234,56", -5 → "-0,05": a decimal comma, two decimals, no thousands separator. */
export function fecAmount(cents: Cents): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not cents: ${cents}`);
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/** A text field: no tab or line break may survive (they would shift the columns), spaces collapsed. */
export function fecText(text: string | null): string {
  return (text ?? '').replace(/[\t\r\n]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

export function entryBalance(entry: Pick<JournalEntry, 'lines'>): Cents {
  return entry.lines.reduce((a, l) => a + l.debitCents - l.creditCents, 0);
}

/** A debit (positive amount) or a credit (negative), on the line's natural side. */
export function signedLine(base: Omit<EntryLine, 'debitCents' | 'creditCents'>, debitCents: Cents): EntryLine {
  return { ...base, debitCents: debitCents > 0 ? debitCents : 0, creditCents: debitCents < 0 ? -debitCents : 0 };
}

/**
 * Numbers entries per journal in chronological order (date, then piece, then the order given), as
 * `VT00001`: a continuous sequence per journal, stable for the same content.
 */
export function numberEntries(entries: readonly JournalEntry[], journalOrder: readonly string[]): JournalEntry[] {
  const rank = (code: string) => {
    const i = journalOrder.indexOf(code);
    return i < 0 ? journalOrder.length : i;
  };
  const sorted = entries
    .map((e, i) => ({ e, i }))
    .sort((a, b) => (a.e.date < b.e.date ? -1 : a.e.date > b.e.date ? 1 : rank(a.e.journalCode) - rank(b.e.journalCode) || (a.e.pieceRef < b.e.pieceRef ? -1 : a.e.pieceRef > b.e.pieceRef ? 1 : a.i - b.i)));
  const counters = new Map<string, number>();
  return sorted.map(({ e }) => {
    const n = (counters.get(e.journalCode) ?? 0) + 1;
    counters.set(e.journalCode, n);
    return { ...e, number: `${e.journalCode}${String(n).padStart(5, '0')}` };
  });
}

/** The file's text: the header, then one line per entry line, CRLF-terminated, UTF-8 (no BOM). */
export function serializeFec(entries: readonly JournalEntry[]): string {
  const rows = [FEC_HEADER];
  for (const e of entries) {
    if (entryBalance(e) !== 0) throw new Error(`entry ${e.number} (${e.pieceRef}) is not balanced: ${entryBalance(e)} cents`);
    for (const l of e.lines) {
      rows.push(
        [
          fecText(e.journalCode),
          fecText(e.journalLabel),
          fecText(e.number),
          fecDate(e.date),
          fecText(l.account),
          fecText(l.accountLabel),
          fecText(l.auxAccount),
          fecText(l.auxLabel),
          fecText(e.pieceRef),
          fecDate(e.pieceDate),
          fecText(l.label),
          fecAmount(l.debitCents),
          fecAmount(l.creditCents),
          fecText(l.letter),
          l.letterDate ? fecDate(l.letterDate) : '',
          fecDate(e.validDate),
          '',
          '',
        ].join('\t'),
      );
    }
  }
  return `${rows.join('\r\n')}\r\n`;
}

/** `{SIREN}FEC{YYYYMMDD}.txt`, the name the tax administration expects (the closing date of the period). */
export function fecFilename(siren: string, to: string): string {
  return `${siren}FEC${fecDate(to)}.txt`;
}
