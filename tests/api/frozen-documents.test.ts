import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { closeMonth } from '../../server/closing/service';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';
import { embeddedXml } from '../helpers/einvoice';
import { pdfText } from '../helpers/pdf';

interface Issued {
  id: number;
  number: string;
  kind: string;
  buyerMemberId: number;
  totalInclVatCents: number;
  documentSha256: string | null;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Frozen documents on the test pole's October (tests/helpers/closing.ts), on a database file so that a
 * second app on it is a restart: each invoice's PDF is rendered once at issue and then served byte for byte.
 */
describe('frozen documents', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mutualise-frozen-'));
  const dbPath = join(dir, 'pole.sqlite');
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let issued: Issued[];
  before(async () => {
    t = await buildTestApp({ dbPath });
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    // C's e-invoicing address is not SIREN-based: documents to C cannot be valid e-invoices.
    t.store.sqlite.prepare("UPDATE members SET einvoice_address = 'not-a-siren' WHERE id = ?").run(pole.memberC);
    coord = await login(t.app, pole.coordinator);
    const res = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(res.statusCode, 201, res.body);
    issued = res.json().invoices;
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: coord } });
  const pdfSha = async (id: number) => {
    const res = await get(`/api/invoices/${id}/pdf`);
    assert.equal(res.statusCode, 200, res.body);
    return sha256(res.rawPayload);
  };
  const integrity = async () => (await get('/api/integrity')).json();

  it('gives each document its SHA-256 at issue, Factur-X when the parties allow, the plain PDF otherwise', async () => {
    assert.equal(issued.length, 4);
    for (const inv of issued) {
      assert.match(inv.documentSha256 ?? '', /^[0-9a-f]{64}$/, inv.number);
      const pdf = (await get(`/api/invoices/${inv.id}/pdf`)).rawPayload;
      assert.equal(sha256(pdf), inv.documentSha256, `${inv.number}: served as frozen at issue`);
      const format = t.store.sqlite.prepare('SELECT format FROM issued_documents WHERE invoice_id = ?').pluck().get(inv.id);
      assert.equal(format, inv.buyerMemberId === pole.memberC ? 'pdf' : 'facturx', inv.number);
      assert.equal(embeddedXml(pdf) !== null, format === 'facturx', `${inv.number}: factur-x.xml embedded only in the Factur-X`);
    }
    const { auditRows: _audit, ...report } = await integrity();
    assert.deepEqual(report, { ok: true, documents: 4, frozen: 4, problems: [] });
  });

  it('serves the same bytes after a payment and an export; payment status is never printed', async () => {
    const inv = issued.find((i) => i.kind === 'invoice')!;
    const paid = await t.app.inject({
      method: 'POST',
      url: `/api/invoices/${inv.id}/payments`,
      headers: { cookie: coord },
      payload: { amountCents: inv.totalInclVatCents, paidOn: '2026-11-16', method: 'transfer' },
    });
    assert.equal(paid.statusCode, 201, paid.body);
    assert.equal((await get(`/api/invoices/${inv.id}`)).json().status, 'paid');
    assert.equal(await pdfSha(inv.id), inv.documentSha256);
    assert.doesNotMatch(pdfText((await get(`/api/invoices/${inv.id}/pdf`)).rawPayload), /acquitt|payée/i);

    const zip = await get('/api/closings/2026-10/export.zip');
    assert.equal(zip.statusCode, 200);
    const files = unzipSync(zip.rawPayload);
    for (const d of issued) assert.equal(sha256(files[`mutualise-2026-10/factures/${d.number}.pdf`]!), d.documentSha256, `${d.number} in the ZIP`);
    for (const d of issued) assert.equal(await pdfSha(d.id), d.documentSha256, `${d.number} after the export`);
  });

  it('freezes a credit note at issue too', async () => {
    const res = await t.app.inject({ method: 'POST', url: `/api/invoices/${issued[0]!.id}/credit-note`, headers: { cookie: coord }, payload: { amountCents: 500 } });
    assert.equal(res.statusCode, 201, res.body);
    const note = res.json() as Issued;
    assert.match(note.documentSha256 ?? '', /^[0-9a-f]{64}$/);
    assert.equal(await pdfSha(note.id), note.documentSha256);
    issued.push(note);
  });

  it('serves the same bytes after a restart on the same database file, even once the pole is renamed', async () => {
    // The pole's name is printed on every invoice: a document rendered again would change.
    t.store.sqlite.prepare("UPDATE pole SET name = 'Pôle renommé depuis'").run();
    await t.close();
    t = await buildTestApp({ dbPath, now: '2027-03-01T10:00:00+01:00' });
    coord = await login(t.app, pole.coordinator);
    for (const d of issued) assert.equal(await pdfSha(d.id), d.documentSha256, `${d.number} after a restart`);
    assert.equal((await integrity()).ok, true);
  });

  it('names a tampered stored document, in the API and in npm run verify', async () => {
    const target = issued[1]!;
    t.store.sqlite.exec('DROP TRIGGER issued_documents_immutable_update');
    const pdf = t.store.sqlite.prepare('SELECT pdf FROM issued_documents WHERE invoice_id = ?').pluck().get(target.id) as Buffer;
    const changed = Buffer.from(pdf);
    changed[changed.length - 100] = changed[changed.length - 100]! ^ 1;
    t.store.sqlite.prepare('UPDATE issued_documents SET pdf = ? WHERE invoice_id = ?').run(changed, target.id);
    assert.deepEqual((await integrity()).problems, [
      { invoiceId: target.id, number: target.number, code: 'integrity.document', reason: 'document: the stored PDF or XML no longer matches its SHA-256' },
    ]);
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/verify.ts'], { env: { ...process.env, MUTUALISE_DB: dbPath }, encoding: 'utf8' });
    assert.equal(cli.status, 1, cli.stdout);
    assert.match(cli.stderr, new RegExp(`${target.number} \\(id ${target.id}\\): document: the stored PDF`));

    // Whoever also rewrites the digest breaks the record's own hash.
    t.store.sqlite.prepare('UPDATE issued_documents SET pdf_sha256 = ? WHERE invoice_id = ?').run(sha256(changed), target.id);
    assert.deepEqual((await integrity()).problems.map((p: { code: string; number: string }) => [p.code, p.number]), [['integrity.document_record', target.number]]);
  });
});

describe('documents issued before frozen documents existed', () => {
  let t: TestApp;
  let coord: string;
  before(async () => {
    t = await buildTestApp();
    const pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
  });
  after(() => t.close());

  it('are frozen on first use, then served as first frozen', async () => {
    // The close alone (the code path of before this change): nothing stored yet.
    const ctx = { store: t.store, db: t.store.db, sqlite: t.store.sqlite, clock: t.clock, config: {} as never };
    const docs = closeMonth(ctx, { month: '2026-10', actor: null }).invoices;
    const count = () => t.store.sqlite.prepare('SELECT count(*) FROM issued_documents').pluck().get();
    assert.equal(count(), 0);
    const report = (await t.app.inject({ url: '/api/integrity', headers: { cookie: coord } })).json();
    assert.deepEqual([report.ok, report.frozen], [true, 0], 'not frozen yet is not a problem');
    const first = (await t.app.inject({ url: `/api/invoices/${docs[0]!.id}/pdf`, headers: { cookie: coord } })).rawPayload;
    assert.equal(count(), 1);
    const how = t.store.sqlite.prepare('SELECT frozen_how, pdf_sha256 FROM issued_documents').get() as { frozen_how: string; pdf_sha256: string };
    assert.deepEqual(how, { frozen_how: 'first_use', pdf_sha256: sha256(first) });
    const again = (await t.app.inject({ url: `/api/invoices/${docs[0]!.id}/pdf`, headers: { cookie: coord } })).rawPayload;
    assert.ok(again.equals(first));
    assert.equal((await t.app.inject({ url: `/api/invoices/${docs[0]!.id}`, headers: { cookie: coord } })).json().documentSha256, sha256(first));
  });
});
