import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createHash } from 'node:crypto';
import { unzipSync } from 'fflate';
import { checkIntegrity } from '../../server/closing/integrity';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';
import { EINVOICE_KIT, embeddedXml, validateEinvoices } from '../helpers/einvoice';

interface Invoice {
  id: number;
  number: string;
  kind: string;
  issueDate: string;
  sellerMemberId: number;
  buyerMemberId: number;
  totalInclVatCents: number;
}

/**
 * The e-invoice routes on the test pole's October (tests/helpers/closing.ts), closed through the API: the PDF
 * is the Factur-X, the XML route serves what it embeds, a member's outbox carries its issued and received
 * documents, and the close preview names the members whose data cannot make a valid e-invoice.
 */
describe('Factur-X routes', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let invoices: Invoice[];
  let previewWarnings: { code: string; params?: Record<string, string | number> }[];
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    const preview = await t.app.inject({ method: 'POST', url: '/api/closings/preview', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(preview.statusCode, 200, preview.body);
    previewWarnings = preview.json().warnings;
    const res = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(res.statusCode, 201, res.body);
    invoices = res.json().invoices;
    const credit = await t.app.inject({ method: 'POST', url: `/api/invoices/${invoices[0]!.id}/credit-note`, headers: { cookie: coord }, payload: { amountCents: 1000 } });
    assert.equal(credit.statusCode, 201, credit.body);
    invoices.push(credit.json());
  });
  after(() => t.close());

  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });

  it('serves each document as a Factur-X PDF and its XML alone, the same bytes, valid for a platform', { skip: EINVOICE_KIT ? false : 'Factur-X kit not found' }, async () => {
    const files: { name: string; body: Buffer }[] = [];
    for (const inv of invoices) {
      const pdf = await get(`/api/invoices/${inv.id}/pdf`, coord);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      const xml = await get(`/api/invoices/${inv.id}/facturx.xml`, coord);
      assert.equal(xml.statusCode, 200);
      assert.match(String(xml.headers['content-type']), /^application\/xml/);
      assert.match(String(xml.headers['content-disposition']), new RegExp(`${inv.number}\\.xml`));
      assert.ok(embeddedXml(pdf.rawPayload)?.equals(xml.rawPayload), `${inv.number}: the XML route serves what the PDF embeds`);
      assert.equal(Math.round(Number(/<ram:GrandTotalAmount>([\d.]+)</.exec(xml.body)![1]) * 100), inv.totalInclVatCents);
      files.push({ name: `${inv.number}.pdf`, body: pdf.rawPayload }, { name: `${inv.number}.xml`, body: xml.rawPayload });
    }
    for (const [name, r] of validateEinvoices(files)) assert.deepEqual(r.problems, [], name);
  });

  it('shows a member only its own documents’ XML', async () => {
    const userA = await login(t.app, pole.userA);
    const foreign = invoices.find((i) => i.sellerMemberId !== pole.memberA && i.buyerMemberId !== pole.memberA)!;
    const own = invoices.find((i) => i.sellerMemberId === pole.memberA)!;
    assert.equal((await get(`/api/invoices/${foreign.id}/facturx.xml`, userA)).statusCode, 404);
    assert.equal((await get(`/api/invoices/${own.id}/facturx.xml`, userA)).statusCode, 200);
    assert.equal((await get(`/api/invoices/999999/facturx.xml`, coord)).statusCode, 404);
  });

  it('gives a member its outbox: issued and received e-invoices of the period, PDF and XML, with a manifest', async () => {
    const adminB = await login(t.app, pole.adminB);
    const res = await get(`/api/members/${pole.memberB}/einvoices.zip?from=2026-11-01&to=2026-11-30`, adminB);
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/zip');
    const zip = unzipSync(res.rawPayload);
    const names = Object.keys(zip);
    const mine = invoices.filter((i) => i.sellerMemberId === pole.memberB || i.buyerMemberId === pole.memberB);
    assert.ok(mine.length >= 2);
    for (const inv of mine) {
      const folder = inv.sellerMemberId === pole.memberB ? 'emises' : 'recues';
      const pdf = names.find((n) => n.endsWith(`/${folder}/${inv.number}.pdf`));
      const xml = names.find((n) => n.endsWith(`/${folder}/${inv.number}.xml`));
      assert.ok(pdf && xml, `${folder}/${inv.number}`);
      assert.ok(embeddedXml(zip[pdf]!)?.equals(Buffer.from(zip[xml]!)));
    }
    assert.equal(names.filter((n) => n.endsWith('.pdf')).length, mine.length, 'nothing of other pairs');
    const manifest = JSON.parse(new TextDecoder().decode(zip[names.find((n) => n.endsWith('manifest.json'))!])) as { files: unknown[] };
    assert.equal(manifest.files.length, mine.length * 2);

    const empty = unzipSync((await get(`/api/members/${pole.memberB}/einvoices.zip?to=2026-10-31`, adminB)).rawPayload);
    assert.equal(Object.keys(empty).filter((n) => n.endsWith('.pdf')).length, 0, 'nothing issued before November');
  });

  it('refuses another structure’s outbox (404) and a reversed or malformed period (400)', async () => {
    const userA = await login(t.app, pole.userA);
    assert.equal((await get(`/api/members/${pole.memberB}/einvoices.zip`, userA)).statusCode, 404);
    const reversed = await get(`/api/members/${pole.memberA}/einvoices.zip?from=2026-12-01&to=2026-11-01`, userA);
    assert.equal(reversed.statusCode, 400);
    assert.equal(reversed.json().error.code, 'einvoice.invalid_range');
    assert.equal((await get(`/api/members/${pole.memberA}/einvoices.zip?from=1-2-3`, userA)).statusCode, 400);
  });

  it('lists before the close the members whose data cannot make a valid e-invoice', () => {
    const incomplete = previewWarnings.filter((w) => w.code === 'einvoice.incomplete_party');
    // The test pole's members have no IBAN: every seller is listed as such, once.
    const sellers = new Set(invoices.filter((i) => i.kind === 'invoice').map((i) => i.sellerMemberId));
    assert.deepEqual(new Set(incomplete.filter((w) => w.params?.role === 'seller').map((w) => w.params?.memberId)), sellers);
    for (const w of incomplete.filter((x) => x.params?.role === 'seller')) assert.match(String(w.params?.missing), /\biban\b/);
    assert.ok(incomplete.every((w) => w.params?.role === 'seller' || !/siren|address|postalCode|city/.test(String(w.params?.missing))), 'buyers are complete');
  });
  // Last: it alters a stored copy behind the application's back.
  it('serves the XML stored at issue, not a new rendering: an altered stored copy is what it serves, and verify names it', async () => {
    const inv = invoices[0]!;
    const stored = () => t.store.sqlite.prepare('SELECT xml, xml_sha256 AS sha FROM issued_documents WHERE invoice_id = ?').get(inv.id) as { xml: Buffer; sha: string };
    const served = await get(`/api/invoices/${inv.id}/facturx.xml`, coord);
    assert.equal(served.statusCode, 200);
    assert.ok(stored().xml.equals(served.rawPayload));
    assert.equal(createHash('sha256').update(served.rawPayload).digest('hex'), stored().sha, 'the chain record holds the XML’s digest');

    const altered = Buffer.from(stored().xml.toString('utf8').replace('<ram:GrandTotalAmount>', '<ram:GrandTotalAmount> '));
    t.store.sqlite.exec('DROP TRIGGER issued_documents_immutable_update');
    t.store.sqlite.prepare('UPDATE issued_documents SET xml = ? WHERE invoice_id = ?').run(altered, inv.id);
    const again = await get(`/api/invoices/${inv.id}/facturx.xml`, coord);
    assert.ok(again.rawPayload.equals(altered), 'the route reads the stored bytes');
    const report = checkIntegrity(t.app.ctx);
    assert.ok(report.problems.some((p) => p.invoiceId === inv.id), JSON.stringify(report.problems));
  });
});
