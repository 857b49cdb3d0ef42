import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';

interface Inv {
  id: number;
  number: string;
  sellerMemberId: number;
  buyerMemberId: number;
  totalInclVatCents: number;
  paidCents: number;
  creditedCents: number;
  openCents: number;
  status: string;
  paidOn: string | null;
}
interface Transfer {
  fromMemberId: number;
  toMemberId: number;
  amountCents: number;
  basis: string;
  invoiceIds: number[];
}

/**
 * The payments ledger, balances and settlements on open balances. October of the test pole: A→B 300 €,
 * A→C 500 €, B→A 1 680 €, B→C 1 680 € less a credit note of 120 € (amounts incl. VAT).
 */
describe('payments ledger, balances and settlements', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let adminA: string;
  let adminB: string;
  const inv: Record<string, Inv> = {};
  const req = async (method: 'GET' | 'POST' | 'DELETE', url: string, cookie: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const invoice = async (id: number) => (await req('GET', `/api/invoices/${id}`, coord)).json() as Inv;
  const setMember = (id: number, fields: { netting?: boolean; publicBody?: boolean }) => {
    const columns = new Set((t.store.sqlite.prepare('PRAGMA table_info(members)').all() as { name: string }[]).map((c) => c.name));
    // The netting agreement is a member field of the VAT work (#10): added here when that migration is not there yet.
    if (!columns.has('netting_agreement')) t.store.sqlite.exec('ALTER TABLE members ADD COLUMN netting_agreement INTEGER NOT NULL DEFAULT 0');
    if (!columns.has('netting_agreement_since')) t.store.sqlite.exec('ALTER TABLE members ADD COLUMN netting_agreement_since TEXT');
    if (fields.netting !== undefined) t.store.sqlite.prepare('UPDATE members SET netting_agreement = ?, netting_agreement_since = ? WHERE id = ?').run(fields.netting ? 1 : 0, '2026-01-01', id);
    if (fields.publicBody !== undefined) t.store.sqlite.prepare('UPDATE members SET legal_form = ? WHERE id = ?').run(fields.publicBody ? 'local_authority' : 'association', id);
  };

  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    setMember(pole.memberA, {}); // columns before the first statement that reads members is prepared
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    adminA = await login(t.app, pole.adminA);
    adminB = await login(t.app, pole.adminB);
    const closed = await req('POST', '/api/closings', coord, { month: '2026-10' });
    assert.equal(closed.statusCode, 201, closed.body);
    const { memberA: a, memberB: b, memberC: c } = pole;
    for (const i of closed.json().invoices as Inv[]) {
      const key = `${i.sellerMemberId === a ? 'A' : i.sellerMemberId === b ? 'B' : 'C'}${i.buyerMemberId === a ? 'A' : i.buyerMemberId === b ? 'B' : 'C'}`;
      inv[key] = i;
    }
    assert.deepEqual(Object.keys(inv).sort(), ['AB', 'AC', 'BA', 'BC']);
    const note = await req('POST', `/api/invoices/${inv.BC!.id}/credit-note`, coord, { amountCents: 10_000 });
    assert.equal(note.statusCode, 201, note.body);
    void c;
    t.clock.set('2026-11-30T10:00:00+01:00'); // issued on the 16th, paid in the days after
    [coord, adminA, adminB] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.adminA), login(t.app, pole.adminB)]);
  });
  after(() => t.close());

  it('takes partial payments up to the open balance, refuses more with 422 and writes nothing', async () => {
    const ba = inv.BA!;
    assert.equal(ba.totalInclVatCents, 168_000);
    const first = await req('POST', `/api/invoices/${ba.id}/payments`, adminB, { amountCents: 100_000, paidOn: '2026-11-18', method: 'transfer', reference: 'VIR 123' });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().amountCents, 100_000);
    let view = await invoice(ba.id);
    assert.deepEqual([view.status, view.paidCents, view.creditedCents, view.openCents, view.paidOn], ['partially_paid', 100_000, 0, 68_000, null]);

    const before = dbFingerprint(t.store);
    const over = await req('POST', `/api/invoices/${ba.id}/payments`, adminB, { amountCents: 68_001, paidOn: '2026-11-19', method: 'cheque' });
    assert.equal(over.statusCode, 422, over.body);
    assert.equal(over.json().error.code, 'payment.exceeds_balance');
    assert.equal(over.json().error.details.openCents, 68_000);
    assert.equal((await req('POST', `/api/invoices/${ba.id}/payments`, adminA, { amountCents: 1, paidOn: '2026-11-19', method: 'cash' })).statusCode, 403, 'the buyer does not record the seller’s receipts');
    assert.equal((await req('POST', `/api/invoices/${ba.id}/payments`, adminB, { amountCents: 1, paidOn: '2026-12-12', method: 'cash' })).statusCode, 422, 'in the future');
    assert.equal((await req('POST', `/api/invoices/${ba.id}/payments`, adminB, { amountCents: 1, paidOn: '2026-11-19', method: 'bitcoin' })).statusCode, 400);
    assert.equal((await req('POST', `/api/invoices/${ba.id}/payments`, adminB, { amountCents: 0, paidOn: '2026-11-19', method: 'cash' })).statusCode, 400);
    assert.equal(dbFingerprint(t.store), before, 'refused payments write nothing');

    const rest = await req('POST', `/api/invoices/${ba.id}/payments`, adminB, { amountCents: 68_000, paidOn: '2026-11-20', method: 'cheque' });
    assert.equal(rest.statusCode, 201, rest.body);
    view = await invoice(ba.id);
    assert.deepEqual([view.status, view.paidCents, view.openCents, view.paidOn], ['paid', 168_000, 0, '2026-11-20']);

    // Deleting a payment: kept in the list (audit trail), no longer counted; not twice.
    const removed = await req('DELETE', `/api/payments/${rest.json().id}`, adminB);
    assert.equal(removed.statusCode, 200, removed.body);
    assert.ok(removed.json().deletedAt);
    assert.equal((await req('DELETE', `/api/payments/${rest.json().id}`, adminB)).statusCode, 409);
    assert.equal((await req('DELETE', `/api/payments/${first.json().id}`, adminA)).statusCode, 403, 'not by the buyer');
    const list = (await req('GET', `/api/invoices/${ba.id}/payments`, adminA)).json().items as { amountCents: number; deletedAt: string | null }[];
    assert.deepEqual(list.map((p) => [p.amountCents, p.deletedAt !== null]), [[100_000, false], [68_000, true]]);
    view = await invoice(ba.id);
    assert.deepEqual([view.status, view.openCents], ['partially_paid', 68_000]);
    assert.throws(() => t.store.sqlite.prepare('DELETE FROM payments').run(), /payment\.immutable/);
  });

  it('keeps the first API: POST …/payment {paidOn} pays the whole open balance, null deletes the payments', async () => {
    const ab = inv.AB!;
    const res = await req('POST', `/api/invoices/${ab.id}/payment`, adminA, { paidOn: '2026-11-21' });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual([res.json().status, res.json().paidCents, res.json().paidOn], ['paid', ab.totalInclVatCents, '2026-11-21']);
    assert.equal((await req('POST', `/api/invoices/${ab.id}/payment`, adminA, { paidOn: '2026-11-21' })).json().error.code, 'payment.nothing_open');
    const cleared = await req('POST', `/api/invoices/${ab.id}/payment`, adminA, { paidOn: null });
    assert.deepEqual([cleared.json().status, cleared.json().openCents], ['open', ab.totalInclVatCents]);
  });

  it('filters the list by status and member; a credited invoice says so', async () => {
    const partial = (await req('GET', '/api/invoices?status=partially_paid', coord)).json().items as Inv[];
    assert.deepEqual(partial.map((i) => i.id), [inv.BA!.id]);
    const ofC = (await req('GET', `/api/invoices?memberId=${pole.memberC}&status=open&kind=invoice`, coord)).json().items as Inv[];
    assert.deepEqual(ofC.map((i) => i.id).sort(), [inv.AC!.id, inv.BC!.id].sort());
    const bc = await invoice(inv.BC!.id);
    assert.deepEqual([bc.creditedCents, bc.openCents], [12_000, 156_000]);
    assert.equal((await req('GET', '/api/invoices?status=nope', coord)).statusCode, 400);
  });

  it('balances are issued − credited − paid per pair; the bilateral plan is each pair’s net, paid invoices give no transfer', async () => {
    const { memberA: a, memberB: b, memberC: c } = pole;
    // Pay B→A in full: like Radio's paid invoice, it must leave the plan.
    assert.equal((await req('POST', `/api/invoices/${inv.BA!.id}/payments`, adminB, { amountCents: 68_000, paidOn: '2026-11-22', method: 'transfer' })).statusCode, 201);
    const balances = (await req('GET', '/api/balances?asOf=2026-11-22', coord)).json();
    assert.deepEqual(
      balances.items.map((i: { fromMemberId: number; toMemberId: number; openCents: number; invoiceIds: number[] }) => [i.fromMemberId, i.toMemberId, i.openCents, i.invoiceIds]),
      [
        [b, a, 36_000, [inv.AB!.id]],
        [c, a, 50_000, [inv.AC!.id]],
        [c, b, 156_000, [inv.BC!.id]],
      ].sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number)),
    );
    // As of before the payments, B→A was still owed (less the 100 000 paid on the 18th).
    const earlier = (await req('GET', '/api/balances?asOf=2026-11-19', coord)).json().items as { fromMemberId: number; toMemberId: number; openCents: number }[];
    assert.equal(earlier.find((i) => i.fromMemberId === a && i.toMemberId === b)?.openCents, 68_000);

    const plan = (await req('GET', '/api/settlements?asOf=2026-11-22', coord)).json();
    assert.equal(plan.mode, 'bilateral');
    assert.deepEqual(
      plan.transfers.map((x: Transfer) => [x.fromMemberId, x.toMemberId, x.amountCents, x.invoiceIds]),
      [
        [b, a, 36_000, [inv.AB!.id]],
        [c, a, 50_000, [inv.AC!.id]],
        [c, b, 156_000, [inv.BC!.id]],
      ].sort((x, y) => (x[0] as number) - (y[0] as number) || (x[1] as number) - (y[1] as number)),
    );
    assert.ok(!plan.transfers.some((x: Transfer) => x.invoiceIds.includes(inv.BA!.id)), 'the paid invoice is in no transfer');
    // A member sees its own pairs only.
    const mine = (await req('GET', '/api/balances', adminA)).json().items as { fromMemberId: number; toMemberId: number }[];
    assert.ok(mine.length > 0 && mine.every((i) => i.fromMemberId === a || i.toMemberId === a));
  });

  it('nets multilaterally only among members with an agreement, never a public body; records a plan atomically', async () => {
    const { memberA: a, memberB: b, memberC: c } = pole;
    const plan = async (mode: string) => (await req('GET', `/api/settlements?asOf=2026-11-22&mode=${mode}`, coord)).json() as { transfers: Transfer[]; positions: { memberId: number; netCents: number }[] };
    // No agreement: multilateral is the bilateral plan.
    assert.deepEqual((await plan('multilateral')).transfers, (await plan('bilateral')).transfers);
    setMember(a, { netting: true });
    setMember(b, { netting: true });
    setMember(c, { netting: true });
    const multi = await plan('multilateral');
    assert.ok(multi.transfers.every((x) => x.basis === 'multilateral'));
    assert.ok(multi.transfers.length <= 2, 'few transfers');
    // Each member's transfers move exactly its net position.
    for (const p of multi.positions) {
      const moved = multi.transfers.reduce((s, x) => s + (x.toMemberId === p.memberId ? x.amountCents : 0) - (x.fromMemberId === p.memberId ? x.amountCents : 0), 0);
      assert.equal(moved, p.netCents, `member ${p.memberId}`);
    }
    // C becomes a public body: its balances are paid gross, whatever the agreement.
    setMember(c, { publicBody: true });
    const withPublic = await plan('multilateral');
    const ofC = withPublic.transfers.filter((x) => x.fromMemberId === c || x.toMemberId === c);
    assert.deepEqual(ofC.map((x) => [x.basis, x.amountCents]).sort(), [['gross', 156_000], ['gross', 50_000]].sort());
    assert.ok(withPublic.transfers.filter((x) => x.fromMemberId !== c && x.toMemberId !== c).every((x) => x.basis === 'multilateral'));
    setMember(c, { publicBody: false });

    // Recording: a stale transfer refuses everything; a partial clearing too; the whole plan zeroes every balance.
    const body = (transfers: Transfer[]) => ({ paidOn: '2026-11-22', mode: 'multilateral', transfers: transfers.map(({ fromMemberId, toMemberId, amountCents, invoiceIds }) => ({ fromMemberId, toMemberId, amountCents, invoiceIds })) });
    const full = await plan('multilateral');
    const before = dbFingerprint(t.store);
    const stale = await req('POST', '/api/settlements/transfers', coord, body([...full.transfers.slice(1), { ...full.transfers[0]!, amountCents: full.transfers[0]!.amountCents + 1 }]));
    assert.equal(stale.statusCode, 409, stale.body);
    assert.equal(stale.json().error.code, 'settlement.stale_plan');
    if (full.transfers.length > 1) {
      const partial = await req('POST', '/api/settlements/transfers', coord, body(full.transfers.slice(0, 1)));
      assert.equal(partial.json().error.code, 'settlement.partial_clearing');
    }
    assert.equal((await req('POST', '/api/settlements/transfers', adminA, body(full.transfers))).statusCode, 403);
    assert.equal(dbFingerprint(t.store), before, 'nothing written by refused recordings');
    const recorded = await req('POST', '/api/settlements/transfers', coord, { ...body(full.transfers), reference: 'Compensation novembre' });
    assert.equal(recorded.statusCode, 201, recorded.body);
    assert.ok(recorded.json().payments.length >= 3);
    assert.deepEqual((await req('GET', '/api/balances?asOf=2026-11-22', coord)).json().items, []);
    for (const key of ['AB', 'AC', 'BC', 'BA']) assert.equal((await invoice(inv[key]!.id)).status, 'paid', key);
    // Recording the same plan again: nothing is open any more.
    assert.equal((await req('POST', '/api/settlements/transfers', coord, body(full.transfers))).statusCode, 409);
  });
});

describe('migration of paid_on into the payments ledger', () => {
  it('turns every invoice marked paid into one payment of what was open that day, losing none', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { MIGRATIONS_FOLDER } = await import('../../db/index');
    const t = await buildTestApp();
    try {
      const pole = await seedPole(t.store);
      seedOctober(t.store, pole);
      const coord = await login(t.app, pole.coordinator);
      const invoices = (await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } })).json().invoices as Inv[];
      const credited = invoices[1]!;
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/invoices/${credited.id}/credit-note`, headers: { cookie: coord }, payload: { amountCents: 1_000 } })).statusCode, 201);
      const creditIncl = (t.store.sqlite.prepare("SELECT total_incl_vat_cents FROM invoices WHERE kind = 'credit_note'").pluck().get() as number);
      // Rows as the first API left them: a date on the invoice.
      const mark = t.store.sqlite.prepare('UPDATE invoices SET paid_on = ? WHERE id = ?');
      invoices.forEach((i, n) => n !== 2 && mark.run('2026-11-20', i.id));
      const sql = readFileSync(join(MIGRATIONS_FOLDER, '0008_payments.sql'), 'utf8').split('--> statement-breakpoint').find((s) => s.includes('INSERT INTO `payments`'))!;
      t.store.sqlite.exec(sql);
      const rows = t.store.sqlite.prepare('SELECT invoice_id AS invoiceId, amount_cents AS amountCents, paid_on AS paidOn FROM payments ORDER BY invoice_id').all();
      const expected = invoices
        .filter((_, n) => n !== 2)
        .map((i) => ({ invoiceId: i.id, amountCents: i.totalInclVatCents - (i.id === credited.id ? creditIncl : 0), paidOn: '2026-11-20' }))
        .sort((a, b) => a.invoiceId - b.invoiceId);
      assert.deepEqual(rows, expected);
      const views = (await t.app.inject({ url: '/api/invoices?kind=invoice', headers: { cookie: coord } })).json().items as Inv[];
      for (const v of views) assert.equal(v.status, invoices.indexOf(invoices.find((i) => i.id === v.id)!) === 2 ? 'open' : 'paid', v.number);
    } finally {
      await t.close();
    }
  });
});
