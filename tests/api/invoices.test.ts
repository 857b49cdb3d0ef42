import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';

interface Doc {
  id: number;
  number: string;
  kind: string;
  totalExclVatCents: number;
  totalVatCents: number;
  totalInclVatCents: number;
  creditedInvoiceId: number | null;
  creditableCents?: number;
  mentions: { creditNote: string | null };
  lines: { totalExclVatCents: number; creditedLine?: number }[];
}

describe('invoices and credit notes', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let issued: Doc[];
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    const res = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(res.statusCode, 201, res.body);
    issued = res.json().invoices;
  });
  afterEach(() => t.close());

  const creditNote = (id: number, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/invoices/${id}/credit-note`, headers: { cookie: coord }, payload });
  const byNumber = (n: string) => issued.find((i) => i.number === n)!;

  it('credits in the same series without gaps, citing the invoice, never beyond what remains', async () => {
    const bToA = byNumber('BRAV-2026-0001'); // 1 400 € + 280 € VAT, two lines (salary 1 000, charges 400)
    const partial = await creditNote(bToA.id, { lines: [{ line: 1, amountCents: 10_000 }], reason: 'Heures non effectuées' });
    assert.equal(partial.statusCode, 201, partial.body);
    const p = partial.json() as Doc;
    assert.equal(p.number, 'BRAV-2026-0003', 'next number of the seller’s series');
    assert.equal(p.kind, 'credit_note');
    assert.equal(p.creditedInvoiceId, bToA.id);
    assert.match(p.mentions.creditNote!, /BRAV-2026-0001.*Motif : Heures non effectuées/);
    assert.deepEqual([p.totalExclVatCents, p.totalVatCents], [10_000, 2_000]);
    assert.equal(p.lines[0]!.creditedLine, 1);

    const before = dbFingerprint(t.store);
    const tooMuch = await creditNote(bToA.id, { amountCents: 130_001 });
    assert.equal(tooMuch.statusCode, 422);
    assert.equal(tooMuch.json().error.code, 'credit_note.exceeds_remaining');
    const lineTooMuch = await creditNote(bToA.id, { lines: [{ line: 1, amountCents: 30_001 }] });
    assert.equal(lineTooMuch.json().error.code, 'credit_note.exceeds_remaining');
    for (const bad of [{ amountCents: -5 }, { amountCents: 1.5 }, { amountCents: 0 }, { amountCents: '100' }, { lines: [] }, { amountCents: 1, lines: [{ line: 0 }] }, { bogus: 1 }]) {
      const res = await creditNote(bToA.id, bad);
      assert.ok(res.statusCode === 400 || res.statusCode === 422, `${JSON.stringify(bad)} → ${res.statusCode}`);
    }
    assert.equal((await creditNote(999_999, {})).statusCode, 404);
    assert.equal(dbFingerprint(t.store), before, 'refused credit notes write nothing and take no number');

    const rest = await creditNote(bToA.id, {});
    assert.equal(rest.statusCode, 201, rest.body);
    assert.equal(rest.json().number, 'BRAV-2026-0004');
    assert.deepEqual([rest.json().totalExclVatCents, rest.json().totalVatCents], [130_000, 26_000]);
    const nothing = await creditNote(bToA.id, {});
    assert.equal(nothing.statusCode, 409);
    assert.equal(nothing.json().error.code, 'credit_note.nothing_left');
    assert.equal((await creditNote(p.id, {})).statusCode, 422, 'a credit note is not credited');

    const invoice = (await t.app.inject({ url: `/api/invoices/${bToA.id}`, headers: { cookie: coord } })).json();
    assert.equal(invoice.creditableCents, 0);
    assert.deepEqual(invoice.creditNotes.map((n: { number: string }) => n.number), ['BRAV-2026-0003', 'BRAV-2026-0004']);

    const series = t.store.sqlite
      .prepare('SELECT seq FROM invoices WHERE seller_member_id = ? AND year = 2026 ORDER BY seq')
      .pluck()
      .all(pole.memberB);
    assert.deepEqual(series, [1, 2, 3, 4], 'the series has no gap');
    const integrity = (await t.app.inject({ url: '/api/integrity', headers: { cookie: coord } })).json();
    assert.deepEqual({ ...integrity, auditRows: 0 }, { ok: true, documents: 6, auditRows: 0, frozen: 6, problems: [] });
  });

  it('keeps issued documents immutable in the database itself', () => {
    const id = issued[0]!.id;
    assert.throws(() => t.store.sqlite.prepare('UPDATE invoices SET total_excl_vat_cents = 1 WHERE id = ?').run(id), /invoice\.immutable/);
    assert.throws(() => t.store.sqlite.prepare('UPDATE invoices SET lines = ? WHERE id = ?').run('[]', id), /invoice\.immutable/);
    assert.throws(() => t.store.sqlite.prepare('DELETE FROM invoices WHERE id = ?').run(id), /invoice\.immutable/);
    assert.throws(() => t.store.sqlite.prepare('UPDATE invoice_counters SET last_seq = 0').run(), /counter_backwards/);
    assert.throws(() => t.store.sqlite.prepare('DELETE FROM allocation_rows').run(), /allocation\.frozen/);
    t.store.sqlite.prepare("UPDATE invoices SET paid_on = '2026-11-20' WHERE id = ?").run(id);
  });

  it('keeps an issued invoice as it was when a member’s details change later', async () => {
    const aToB = byNumber('ALPH-2026-0001');
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/members/${pole.memberB}`,
      headers: { cookie: coord },
      payload: { address: '99 avenue Nouvelle, 44000 Nantes', name: 'Bravo renommée' },
    });
    assert.equal(patch.statusCode, 200, patch.body);
    const again = (await t.app.inject({ url: `/api/invoices/${aToB.id}`, headers: { cookie: coord } })).json();
    assert.equal(again.buyer.name, 'Association Bravo');
    assert.match(again.buyer.address, /rue de la Paix/);
    assert.equal((await t.app.inject({ url: '/api/integrity', headers: { cookie: coord } })).json().ok, true);
  });

  it('filters by month and member, and refuses a malformed filter', async () => {
    const list = async (q: string) => (await t.app.inject({ url: `/api/invoices${q}`, headers: { cookie: coord } })).json().items as Doc[];
    assert.equal((await list('?month=2026-10')).length, 4);
    assert.equal((await list('?month=2026-09')).length, 0);
    assert.deepEqual((await list(`?memberId=${pole.memberC}`)).map((d) => d.number), ['ALPH-2026-0002', 'BRAV-2026-0002']);
    assert.equal((await t.app.inject({ url: '/api/invoices?month=2026-1', headers: { cookie: coord } })).statusCode, 400);
    assert.equal((await t.app.inject({ url: '/api/invoices?memberId=abc', headers: { cookie: coord } })).statusCode, 400);
    assert.equal((await t.app.inject({ url: '/api/invoices' })).statusCode, 401);
  });
});
