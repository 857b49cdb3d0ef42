import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore, type Store } from '../../db/index';
import { seedDemo } from '../../db/demo';
import { euros as eurosNbsp } from '../../server/documents/format';
import { facturxSource, renderFacturX } from '../../server/einvoice/facturx';
import { invoiceRepository } from '../../server/invoices/repository';
import { manualClock } from '../../server/shared/clock';
import { embeddedXml } from '../helpers/einvoice';
import { pdfText } from '../helpers/pdf';

const euros = (cents: number) => eurosNbsp(cents).replace(/\u00a0/g, ' ');
const flat = (text: string) => text.replace(/\s+/g, ' ');
const amounts = (xml: string, tag: string) => [...xml.matchAll(new RegExp(`<ram:${tag}(?: [^>]*)?>(-?\\d+\\.\\d\\d)</ram:${tag}>`, 'g'))].map((m) => Math.round(Number(m[1]) * 100));

const POLE = 'Pôle de démonstration';
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/**
 * Every document of the demo's closed months: the amounts of its Factur-X XML (the one the PDF carries) equal
 * the amounts stored on the invoice and the totals printed on its page. And the e-invoice is a function of the
 * sealed row alone: a fresh process renders the same bytes, so a crash between issue and rendering (or a
 * restart before a download) can never leave an issued invoice without its document, nor with another one.
 */
describe('Factur-X of the demo’s closed months', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-facturx-'));
  const dbPath = join(dir, 'demo.sqlite');
  let store: Store;
  const rendered: Record<string, { pdf: string; xml: string }> = {};
  before(async () => {
    store = openStore(dbPath);
    await seedDemo(store, { clock: manualClock('2026-11-16T10:00:00+01:00') });
  });
  after(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('XML amounts = stored amounts = printed totals, for every invoice and credit note', async () => {
    const repo = invoiceRepository(store.sqlite);
    const closed = store.sqlite.prepare('SELECT month FROM closings').pluck().all() as string[];
    const docs = closed.flatMap((month) => repo.list({ month }));
    assert.ok(docs.length >= 20, `the demo has documents (${docs.length})`);
    for (const record of docs) {
      const { pdf, xml } = await renderFacturX(facturxSource(record, (id) => repo.find(id)), POLE);
      rendered[record.number] = { pdf: sha(pdf), xml: sha(xml) };
      const x = xml.toString('utf8');
      assert.ok(embeddedXml(pdf)?.equals(xml), `${record.number}: the PDF carries this XML`);
      const label = record.number;
      assert.deepEqual(amounts(x, 'LineTotalAmount').slice(0, -1), record.lines.map((l) => l.totalExclVatCents), `${label} lines`);
      assert.deepEqual(amounts(x, 'BasisAmount'), record.vatBreakdown.map((v) => v.baseCents), `${label} VAT bases`);
      assert.deepEqual(amounts(x, 'CalculatedAmount'), record.vatBreakdown.map((v) => v.vatCents), `${label} VAT amounts`);
      assert.deepEqual(amounts(x, 'TaxBasisTotalAmount'), [record.totalExclVatCents], `${label} total excl. VAT`);
      assert.deepEqual(amounts(x, 'TaxTotalAmount'), [record.totalVatCents], `${label} VAT`);
      assert.deepEqual(amounts(x, 'GrandTotalAmount'), [record.totalInclVatCents], `${label} total incl. VAT`);
      assert.deepEqual(amounts(x, 'DuePayableAmount'), [record.totalInclVatCents], `${label} due`);
      const printed = flat(pdfText(pdf));
      assert.ok(printed.includes(`Total HT ${euros(record.totalExclVatCents)}`), `${label} prints its total excl. VAT`);
      assert.ok(printed.includes(`Total TVA ${euros(record.totalVatCents)}`), `${label} prints its VAT`);
      const ttc = record.kind === 'credit_note' ? 'Montant de l’avoir TTC' : 'Total TTC — net à payer';
      assert.ok(printed.includes(`${ttc} ${euros(record.totalInclVatCents)}`), `${label} prints its total incl. VAT`);
    }
  });

  it('renders the same bytes in a fresh process, from the sealed rows alone', () => {
    assert.ok(Object.keys(rendered).length > 0, 'the first test rendered the documents');
    const out = execFileSync(process.execPath, ['--import', 'tsx', join('tests', 'proof', 'fixtures', 'facturx-child.ts'), dbPath, POLE], { encoding: 'utf8', maxBuffer: 16 << 20 });
    const fresh = JSON.parse(out) as Record<string, { pdf: string; xml: string }>;
    for (const [number, hashes] of Object.entries(rendered)) assert.deepEqual(fresh[number], hashes, number);
  });
});
