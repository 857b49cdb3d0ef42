import assert from 'node:assert/strict';

/**
 * Reads a FEC file back independently of the writer: splits lines and tabs, checks the layout (header,
 * 18 columns, dates, amounts) and gives each line with its amounts in cents.
 */
export const FEC_HEADER_TEXT =
  'JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise';

export interface FecRow {
  JournalCode: string;
  JournalLib: string;
  EcritureNum: string;
  EcritureDate: string;
  CompteNum: string;
  CompteLib: string;
  CompAuxNum: string;
  CompAuxLib: string;
  PieceRef: string;
  PieceDate: string;
  EcritureLib: string;
  Debit: string;
  Credit: string;
  EcritureLet: string;
  DateLet: string;
  ValidDate: string;
  Montantdevise: string;
  Idevise: string;
  debit: number;
  credit: number;
}

const DATE = /^(\d{4})(\d{2})(\d{2})$/;
const AMOUNT = /^-?\d+,\d{2}$/;

function isRealDate(v: string): boolean {
  const m = DATE.exec(v);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

const cents = (v: string) => {
  const [units, dec] = v.replace('-', '').split(',');
  return (v.startsWith('-') ? -1 : 1) * (Number(units) * 100 + Number(dec));
};

export function parseFec(text: string): FecRow[] {
  assert.ok(!text.startsWith('\uFEFF'), 'no byte-order mark');
  assert.ok(text.endsWith('\r\n'), 'the last line ends with CRLF');
  const lines = text.slice(0, -2).split('\r\n');
  assert.equal(lines[0], FEC_HEADER_TEXT, 'the header line, exact');
  const names = FEC_HEADER_TEXT.split('\t');
  return lines.slice(1).map((line, i) => {
    const cells = line.split('\t');
    assert.equal(cells.length, 18, `line ${i + 2} has 18 columns: ${JSON.stringify(line)}`);
    const row = Object.fromEntries(names.map((n, j) => [n, cells[j]!])) as unknown as FecRow;
    for (const col of ['EcritureDate', 'PieceDate', 'ValidDate'] as const) assert.ok(isRealDate(row[col]), `line ${i + 2}: ${col} ${row[col]} is YYYYMMDD`);
    assert.ok(row.DateLet === '' || isRealDate(row.DateLet), `line ${i + 2}: DateLet ${row.DateLet}`);
    for (const col of ['Debit', 'Credit'] as const) assert.match(row[col], AMOUNT, `line ${i + 2}: ${col} has a decimal comma and no thousands separator`);
    for (const col of ['JournalCode', 'EcritureNum', 'CompteNum', 'PieceRef', 'EcritureLib'] as const) assert.ok(row[col].length > 0, `line ${i + 2}: ${col} is filled`);
    assert.equal(row.Montantdevise, '');
    assert.equal(row.Idevise, '');
    row.debit = cents(row.Debit);
    row.credit = cents(row.Credit);
    return row;
  });
}

/** Every EcritureNum's debits equal its credits, to the cent; returns the entries by number. */
export function entriesOf(rows: readonly FecRow[]): Map<string, FecRow[]> {
  const map = new Map<string, FecRow[]>();
  for (const r of rows) map.set(r.EcritureNum, [...(map.get(r.EcritureNum) ?? []), r]);
  for (const [num, lines] of map) {
    const d = lines.reduce((a, l) => a + l.debit, 0);
    const c = lines.reduce((a, l) => a + l.credit, 0);
    assert.equal(d, c, `entry ${num} balances (debit ${d}, credit ${c})`);
    assert.equal(new Set(lines.map((l) => `${l.JournalCode}|${l.EcritureDate}|${l.PieceRef}`)).size, 1, `entry ${num}: one journal, date and piece`);
  }
  return map;
}

/** Sum of debit − credit per account (optionally in one journal, or one auxiliary account). */
export function balanceOf(rows: readonly FecRow[], filter: (r: FecRow) => boolean): number {
  return rows.filter(filter).reduce((a, r) => a + r.debit - r.credit, 0);
}
