import ExcelJS from 'exceljs';
import { safeText, type Table } from './tabular';

/**
 * A table as an .xlsx workbook (exceljs): one sheet, a bold frozen header, amounts as numbers in euros with
 * two decimals (so sums work in the spreadsheet), dates as text YYYY-MM-DD, texts never read as formulas.
 */
export async function toXlsx(table: Table, createdAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Mutualise';
  workbook.created = createdAt;
  workbook.modified = createdAt;
  const sheet = workbook.addWorksheet(table.title.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = table.columns.map((c) => ({
    header: c.header,
    key: c.key,
    width: c.width ?? Math.max(10, c.header.length + 2),
    style: c.type === 'cents' ? { numFmt: '#,##0.00 "€"' } : {},
  }));
  sheet.getRow(1).font = { bold: true };
  for (const row of table.rows) {
    const values: Record<string, string | number | null> = {};
    for (const c of table.columns) {
      const v = row[c.key] ?? null;
      values[c.key] = v === null ? null : c.type === 'cents' ? Number(v) / 100 : c.type === 'integer' ? Number(v) : safeText(String(v));
    }
    sheet.addRow(values);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
