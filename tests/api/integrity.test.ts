import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';

describe('integrity of the invoice chains', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let issued: { id: number; number: string }[];
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    issued = (await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } })).json().invoices;
  });
  afterEach(() => t.close());

  const integrity = async () => (await t.app.inject({ url: '/api/integrity', headers: { cookie: coord } })).json();

  it('is clean after a close', async () => {
    const { auditRows, ...report } = await integrity();
    assert.deepEqual(report, { ok: true, documents: 4, frozen: 4, problems: [] });
    assert.ok(auditRows > 0, 'the audit trail is checked too');
  });

  it('names the invoice whose amount was changed directly in SQLite', async () => {
    const target = issued.find((i) => i.number === 'ALPH-2026-0002')!;
    t.store.sqlite.exec('DROP TRIGGER invoices_immutable_update');
    t.store.sqlite.prepare('UPDATE invoices SET total_excl_vat_cents = total_excl_vat_cents - 100, total_incl_vat_cents = total_incl_vat_cents - 100 WHERE id = ?').run(target.id);
    const report = await integrity();
    assert.equal(report.ok, false);
    assert.deepEqual(report.problems, [{ invoiceId: target.id, number: 'ALPH-2026-0002', code: 'integrity.content', reason: 'content: its stored content no longer matches its hash' }]);
  });

  it('names a changed line, and a deleted last document that the counter still remembers', async () => {
    t.store.sqlite.exec('DROP TRIGGER invoices_immutable_update; DROP TRIGGER invoices_no_delete');
    const first = issued.find((i) => i.number === 'BRAV-2026-0001')!;
    const row = t.store.sqlite.prepare('SELECT lines FROM invoices WHERE id = ?').pluck().get(first.id) as string;
    t.store.sqlite.prepare('UPDATE invoices SET lines = ? WHERE id = ?').run(row.replace('Technicien', 'Technicienne'), first.id);
    let report = await integrity();
    assert.deepEqual(report.problems.map((p: { number: string }) => p.number), ['BRAV-2026-0001']);

    // Deleting the last document of a series (and its frozen PDF, which refers to it): the counter still remembers its number.
    const last = issued.find((i) => i.number === 'ALPH-2026-0002')!;
    t.store.sqlite.exec('DROP TRIGGER issued_documents_no_delete');
    t.store.sqlite.prepare('DELETE FROM issued_documents WHERE invoice_id = ?').run(last.id);
    t.store.sqlite.prepare('DELETE FROM invoices WHERE id = ?').run(last.id);
    report = await integrity();
    assert.ok(report.problems.some((p: { invoiceId: number | null; number: string }) => p.invoiceId === null && p.number === 'ALPH-2026-0002'));
  });

  it('is for coordinators only', async () => {
    const a = await login(t.app, pole.adminA);
    assert.equal((await t.app.inject({ url: '/api/integrity', headers: { cookie: a } })).statusCode, 403);
  });
});
