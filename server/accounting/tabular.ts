import type { Cents } from '../shared/money';

/**
 * Tables for people who live in spreadsheets (pure): a list of typed columns and rows, written as CSV the way
 * French Excel opens it (UTF-8 with BOM, `;` separator, decimal comma, CRLF). The .xlsx writer is in xlsx.ts.
 */

export type ColumnType = 'text' | 'cents' | 'integer' | 'date';
export type Cell = string | number | null;

export interface Column {
  key: string;
  header: string;
  type: ColumnType;
  /** Spreadsheet column width in characters. */
  width?: number;
}

export interface Table {
  /** File name without extension, e.g. `repartition-2026-10`. */
  name: string;
  /** Sheet name (31 characters at most). */
  title: string;
  columns: Column[];
  rows: Record<string, Cell>[];
}

/** 123456 → "1234,56": a decimal comma, no thousands separator (French Excel reads it as a number). */
export function csvCents(cents: Cents): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? '-' : ''}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A text cell that a spreadsheet would run as a formula (=, +, -, @, tab, CR at the start) is prefixed with an
 * apostrophe, so a member's name can never become a formula in the accountant's spreadsheet.
 */
export function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csvField(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvCell(column: Column, value: Cell): string {
  if (value === null || value === undefined) return '';
  switch (column.type) {
    case 'cents':
      return csvCents(Number(value));
    case 'integer':
      return String(value);
    case 'date':
      return String(value);
    case 'text':
      return csvField(safeText(String(value)));
  }
}

export const CSV_BOM = '\uFEFF';

export function toCsv(table: Table): string {
  const lines = [table.columns.map((c) => csvField(c.header)).join(';')];
  for (const row of table.rows) lines.push(table.columns.map((c) => csvCell(c, row[c.key] ?? null)).join(';'));
  return `${CSV_BOM}${lines.join('\r\n')}\r\n`;
}
