import assert from 'node:assert/strict';
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

/**
 * Every document of the demo's closed months: the amounts of its Factur-X XML (the one the PDF carries) equal
 * the amounts stored on the invoice and the totals printed on its page.
 */
describe('Factur-X of the demo’s closed months', () => {
  let store: Store;
  before(async () => {
    store = openStore(':memory:');
    await seedDemo(store, { clock: manualClock('2026-11-16T10:00:00+01:00') });
  });
  after(() => store.close());

  it('XML amounts = stored amounts = printed totals, for every invoice and credit note', async () => {
    const repo = invoiceRepository(store.sqlite);
    const closed = store.sqlite.prepare('SELECT month FROM closings').pluck().all() as string[];
    const docs = closed.flatMap((month) => repo.list({ month }));
    assert.ok(docs.length >= 20, `the demo has documents (${docs.length})`);
    for (const record of docs) {
      const { pdf, xml } = await renderFacturX(facturxSource(record, (id) => repo.find(id)), 'Pôle de démonstration');
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
});
