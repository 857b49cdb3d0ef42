import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';
import { csvCell, safeText, toCsv } from '../../server/accounting/tabular';

interface Doc {
  id: number;
  number: string;
  kind: string;
  issueDate: string;
  totalExclVatCents: number;
  totalVatCents: number;
  totalInclVatCents: number;
  paidOn: string | null;
  seller: { name: string };
  buyer: { name: string };
}

const cents = (fr: string) => {
  assert.match(fr, /^-?\d+,\d{2}$/, `${fr}: a decimal comma, no thousands separator`);
  return Math.round(Number(fr.replace(',', '.')) * 100);
};

/** CSV read back with csv-parse and .xlsx with exceljs give the rows and amounts the API lists. */
describe('spreadsheet exports (CSV, .xlsx)', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    const closed = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(closed.statusCode, 201, closed.body);
    const first = (closed.json().invoices as Doc[])[0]!;
    await t.app.inject({ method: 'POST', url: `/api/invoices/${first.id}/credit-note`, headers: { cookie: coord }, payload: { amountCents: 1_234 } });
    await t.app.inject({ method: 'POST', url: `/api/invoices/${first.id}/payment`, headers: { cookie: coord }, payload: { paidOn: '2026-11-16' } });
  });
  after(() => t.close());

  const get = (url: string, cookie = coord) => t.app.inject({ url, headers: { cookie } });

  function readCsv(body: string): Record<string, string>[] {
    assert.ok(body.startsWith('\uFEFF'), 'UTF-8 with a BOM, as French Excel expects');
    return parse(body, { bom: true, columns: true, delimiter: ';', skip_empty_lines: true }) as Record<string, string>[];
  }

  async function readXlsx(raw: Buffer): Promise<Record<string, unknown>[]> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(raw as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      const values = (row.values as unknown[]).slice(1);
      rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])));
    });
    return rows;
  }

  it('allocations of a month: the API’s rows, for the coordinator and filtered to a member’s own', async () => {
    for (const cookie of [coord, await login(t.app, pole.userA)]) {
      const api = (await get('/api/allocations?month=2026-10', cookie)).json();
      const csv = await get('/api/allocations.csv?month=2026-10', cookie);
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(String(csv.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.equal(csv.headers['content-disposition'], 'attachment; filename="repartition-2026-10.csv"');
      const rows = readCsv(csv.body);
      assert.equal(rows.length, api.rows.length);
      assert.ok(rows.length > 0);
      const members = (await get('/api/members', coord)).json().items as { id: number; name: string }[];
      api.rows.forEach((r: { memberId: number; shareCents: number; usageMinutes: number }, i: number) => {
        assert.equal(rows[i]!['Structure'], members.find((m) => m.id === r.memberId)!.name);
        assert.equal(cents(rows[i]!['Part (€)']!), r.shareCents);
        assert.equal(Number(rows[i]!['Usage (minutes)']), r.usageMinutes);
        assert.equal(rows[i]!['Statut'], 'définitive');
      });
      const xlsx = await get('/api/allocations.xlsx?month=2026-10', cookie);
      assert.equal(xlsx.statusCode, 200);
      const sheet = await readXlsx(xlsx.rawPayload);
      assert.equal(sheet.length, api.rows.length);
      api.rows.forEach((r: { shareCents: number; usageMinutes: number }, i: number) => {
        assert.equal(Math.round(Number(sheet[i]!['Part (€)']) * 100), r.shareCents);
        assert.equal(sheet[i]!['Usage (minutes)'], r.usageMinutes);
        assert.equal(sheet[i]!['Structure'], rows[i]!['Structure']);
      });
    }
  });

  it('invoices of a period: the API’s documents and amounts; a member sees only its own', async () => {
    for (const [cookie, memberId] of [
      [coord, null],
      [await login(t.app, pole.adminB), pole.memberB],
    ] as const) {
      const api = ((await get('/api/invoices', cookie)).json().items as Doc[]).filter((d) => d.issueDate >= '2026-11-01' && d.issueDate <= '2026-11-30');
      const rows = readCsv((await get('/api/invoices.csv?from=2026-11-01&to=2026-11-30', cookie)).body);
      const sheet = await readXlsx((await get('/api/invoices.xlsx?from=2026-11-01&to=2026-11-30', cookie)).rawPayload);
      assert.equal(rows.length, memberId === null ? 5 : 4, 'four documents name B: its two invoices, A’s and A’s credit note');
      assert.deepEqual(rows.map((r) => r['Numéro']), api.map((d) => d.number));
      assert.deepEqual(sheet.map((r) => r['Numéro']), api.map((d) => d.number));
      api.forEach((d, i) => {
        assert.deepEqual([cents(rows[i]!['HT (€)']!), cents(rows[i]!['TVA (€)']!), cents(rows[i]!['TTC (€)']!)], [d.totalExclVatCents, d.totalVatCents, d.totalInclVatCents]);
        assert.deepEqual(
          ['HT (€)', 'TVA (€)', 'TTC (€)'].map((h) => Math.round(Number(sheet[i]![h]) * 100)),
          [d.totalExclVatCents, d.totalVatCents, d.totalInclVatCents],
        );
        assert.equal(rows[i]!['Émetteur'], d.seller.name);
        assert.equal(rows[i]!['Type'], d.kind === 'invoice' ? 'Facture' : 'Avoir');
        assert.equal(rows[i]!['Payée le'], d.paidOn ?? '');
      });
      assert.ok(rows.some((r) => r['Type'] === 'Avoir' && r['Facture créditée'] !== ''), 'the credit note names its invoice');
    }
    assert.equal(readCsv((await get('/api/invoices.csv?from=2026-12-01&to=2026-12-31')).body).length, 0, 'nothing issued in December');
    assert.equal(readCsv((await get('/api/invoices.csv?month=2026-10')).body).length, 5, 'the service month, as the invoice list filters');
    assert.equal(readCsv((await get('/api/invoices.csv?month=2026-09')).body).length, 0);
    assert.equal(readCsv((await get('/api/invoices.csv?from=2026-11-17')).body).length, 0, 'from alone');
  });

  it('balances as of a day: the API’s pairs and open amounts, a member’s own pairs only', async () => {
    for (const cookie of [coord, await login(t.app, pole.userA)]) {
      const api = (await get('/api/balances?asOf=2026-11-16', cookie)).json() as { items: { openCents: number; invoiceIds: number[] }[] };
      const rows = readCsv((await get('/api/balances.csv?asOf=2026-11-16', cookie)).body);
      const sheet = await readXlsx((await get('/api/balances.xlsx?asOf=2026-11-16', cookie)).rawPayload);
      assert.ok(rows.length > 0);
      assert.equal(rows.length, api.items.length);
      assert.equal(sheet.length, api.items.length);
      api.items.forEach((b, i) => {
        assert.equal(cents(rows[i]!['Reste dû (€)']!), b.openCents);
        assert.equal(Math.round(Number(sheet[i]!['Reste dû (€)']) * 100), b.openCents);
        assert.equal(rows[i]!['Factures']!.split(', ').length, b.invoiceIds.length);
        assert.match(rows[i]!['Factures']!, /^[A-Z]+-2026-\d{4}/);
      });
    }
  });

  it('refuses bad input with a clear error and writes nothing', async () => {
    const before = dbFingerprint(t.store);
    assert.equal((await get('/api/allocations.csv?month=2026-13')).statusCode, 400);
    assert.equal((await get('/api/invoices.csv?from=2026-11-30&to=2026-11-01')).json().error.code, 'export.invalid_period');
    assert.equal((await get('/api/invoices.xlsx?from=2026-02-30&to=2026-03-01')).json().error.code, 'export.invalid_date');
    assert.equal((await get('/api/invoices.csv?month=2026-10&bogus=1')).statusCode, 400);
    assert.equal((await get('/api/invoices.csv?memberId=99999')).json().error.code, 'export.unknown_member');
    assert.equal((await t.app.inject({ url: '/api/invoices.csv?from=2026-11-01&to=2026-11-30' })).statusCode, 401);
    assert.equal(dbFingerprint(t.store), before);
  });

  it('CSV cells: quoting, decimal comma, and no text ever read as a formula', () => {
    assert.equal(safeText('=HYPERLINK("x")'), `'=HYPERLINK("x")`);
    assert.equal(safeText('-1'), `'-1`);
    assert.equal(csvCell({ key: 'a', header: 'a', type: 'cents' }, -1_050), '-10,50');
    assert.equal(csvCell({ key: 'a', header: 'a', type: 'text' }, 'Radio « Prun’ » ; "x"'), '"Radio « Prun’ » ; ""x"""');
    const csv = toCsv({ name: 'x', title: 'x', columns: [{ key: 'n', header: 'Nom', type: 'text' }, { key: 'c', header: 'Montant', type: 'cents' }], rows: [{ n: 'a;b\nc', c: 123_456 }] });
    assert.deepEqual(parse(csv, { bom: true, delimiter: ';', columns: true }), [{ Nom: 'a;b\nc', Montant: '1234,56' }]);
  });
});
