import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, TEST_SIRETS, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';
import { balanceOf, entriesOf, parseFec, type FecRow } from '../helpers/fec';

interface Doc {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  issueDate: string;
  totalExclVatCents: number;
  totalVatCents: number;
  totalInclVatCents: number;
  creditedInvoiceId: number | null;
  paidOn: string | null;
}

/**
 * October of the test pole closed on 2026-11-16, then in November: a credit note on A's invoice to B and B
 * paying the rest; C paying B's invoice after a credit note; A paying B's invoice; C paying A's. Each member's FEC file for
 * November is read back and compared with the documents the API lists.
 */
describe('accounting: FEC entries per member', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let docs: Doc[];
  const period = 'from=2026-11-01&to=2026-11-30';
  const fec = (cookie: string, memberId: number, query = period) => t.app.inject({ url: `/api/members/${memberId}/entries.fec?${query}`, headers: { cookie } });

  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    const closed = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(closed.statusCode, 201, closed.body);
    const issued = closed.json().invoices as Doc[];
    const byNumber = (n: string) => issued.find((d) => d.number === n)!;
    t.clock.set('2026-11-18T10:00:00+01:00');
    coord = await login(t.app, pole.coordinator);
    const credit = async (id: number, payload: object) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/invoices/${id}/credit-note`, headers: { cookie: coord }, payload });
      assert.equal(res.statusCode, 201, res.body);
    };
    const pay = async (id: number, paidOn: string) => {
      const res = await t.app.inject({ method: 'POST', url: `/api/invoices/${id}/payment`, headers: { cookie: coord }, payload: { paidOn } });
      assert.equal(res.statusCode, 200, res.body);
    };
    await credit(byNumber('ALPH-2026-0001').id, { amountCents: 5_000, reason: 'Heure annulée' });
    await credit(byNumber('BRAV-2026-0002').id, { lines: [{ line: 0, amountCents: 10_000 }] });
    t.clock.set('2026-11-25T10:00:00+01:00');
    coord = await login(t.app, pole.coordinator);
    await pay(byNumber('ALPH-2026-0001').id, '2026-11-24');
    await pay(byNumber('BRAV-2026-0002').id, '2026-11-25');
    await pay(byNumber('BRAV-2026-0001').id, '2026-11-20');
    await pay(byNumber('ALPH-2026-0002').id, '2026-11-25');
    t.clock.set('2026-12-02T10:00:00+01:00');
    coord = await login(t.app, pole.coordinator);
    docs = (await t.app.inject({ url: '/api/invoices', headers: { cookie: coord } })).json().items;
    assert.equal(docs.length, 6);
  });
  after(() => t.close());

  const mine = (memberId: number) => docs.filter((d) => d.sellerMemberId === memberId || d.buyerMemberId === memberId);
  const sum = (ds: Doc[], f: (d: Doc) => number) => ds.reduce((a, d) => a + f(d), 0);
  const signed = (d: Doc, cents: number) => (d.kind === 'invoice' ? cents : -cents);

  async function fileOf(memberId: number) {
    const res = await fec(coord, memberId);
    assert.equal(res.statusCode, 200, res.body);
    return { res, rows: parseFec(res.body) };
  }

  it('writes the 18-column layout, exact header, dates and amounts in format, every entry balanced', async () => {
    for (const [i, memberId] of [pole.memberA, pole.memberB, pole.memberC].entries()) {
      const { res, rows } = await fileOf(memberId);
      assert.match(String(res.headers['content-type']), /^text\/plain; charset=utf-8/);
      assert.equal(res.headers['content-disposition'], `attachment; filename="${TEST_SIRETS[i]!.slice(0, 9)}FEC20261130.txt"`);
      assert.ok(rows.length > 0);
      const entries = entriesOf(rows);
      const numbers = [...entries.keys()];
      for (const code of ['VT', 'AC', 'BQ']) {
        const ofJournal = numbers.filter((n) => n.startsWith(code)).sort();
        ofJournal.forEach((n, k) => assert.equal(n, `${code}${String(k + 1).padStart(5, '0')}`, 'a continuous sequence per journal'));
      }
      for (const r of rows) if (r.JournalCode !== 'BQ') assert.equal(r.ValidDate, docs.find((d) => d.number === r.PieceRef)!.issueDate.replaceAll('-', ''), 'ValidDate is the issue date');
    }
  });

  it('totals by account equal the invoices, credit notes and payments of the period from the API', async () => {
    for (const memberId of [pole.memberA, pole.memberB, pole.memberC]) {
      const { rows } = await fileOf(memberId);
      const issued = mine(memberId).filter((d) => d.sellerMemberId === memberId);
      const received = mine(memberId).filter((d) => d.buyerMemberId === memberId);
      const vt = (r: FecRow) => r.JournalCode === 'VT';
      const ac = (r: FecRow) => r.JournalCode === 'AC';
      assert.equal(balanceOf(rows, (r) => vt(r) && r.CompteNum === '411'), sum(issued, (d) => signed(d, d.totalInclVatCents)), '411 in sales = issued incl. VAT');
      assert.equal(0 - balanceOf(rows, (r) => vt(r) && r.CompteNum.startsWith('7')), sum(issued, (d) => signed(d, d.totalExclVatCents)), 'revenue = issued excl. VAT');
      assert.equal(0 - balanceOf(rows, (r) => vt(r) && r.CompteNum === '44571'), sum(issued, (d) => signed(d, d.totalVatCents)), '44571 = VAT collected');
      assert.equal(0 - balanceOf(rows, (r) => ac(r) && r.CompteNum === '401'), sum(received, (d) => signed(d, d.totalInclVatCents)), '401 in purchases = received incl. VAT');
      // A (the pole's grouping) and B (a SCOP) are liable and recover the VAT they pay; C, outside VAT (eligible
      // to 261 B), books it in the expense.
      const recovers = memberId !== pole.memberC;
      assert.equal(
        balanceOf(rows, (r) => ac(r) && r.CompteNum.startsWith('6')),
        sum(received, (d) => signed(d, recovers ? d.totalExclVatCents : d.totalInclVatCents)),
        'expenses = received (incl. VAT when not recovered)',
      );
      assert.equal(balanceOf(rows, (r) => r.CompteNum === '44566'), recovers ? sum(received, (d) => signed(d, d.totalVatCents)) : 0, '44566 = VAT recovered');
      if (!recovers) assert.equal(rows.filter((r) => r.CompteNum === '44566').length, 0);
      const paid = (d: Doc) => d.kind === 'invoice' && d.paidOn !== null && d.paidOn >= '2026-11-01' && d.paidOn <= '2026-11-30';
      const creditedBefore = (d: Doc) => sum(docs.filter((n) => n.creditedInvoiceId === d.id && n.issueDate <= d.paidOn!), (n) => n.totalInclVatCents);
      const inBank = sum(issued.filter(paid), (d) => d.totalInclVatCents - creditedBefore(d)) - sum(received.filter(paid), (d) => d.totalInclVatCents - creditedBefore(d));
      assert.equal(balanceOf(rows, (r) => r.JournalCode === 'BQ' && r.CompteNum === '512'), inBank, '512 = payments received − payments made');
      // Every document is settled in November: each auxiliary account is back to zero.
      for (const aux of new Set(rows.map((r) => r.CompAuxNum).filter(Boolean))) assert.equal(balanceOf(rows, (r) => r.CompAuxNum === aux), 0, `${aux} settled`);
    }
  });

  it('letters each payment with its invoice and credit notes, and never with another invoice', async () => {
    for (const memberId of [pole.memberA, pole.memberB, pole.memberC]) {
      const { rows } = await fileOf(memberId);
      const third = rows.filter((r) => r.CompteNum === '411' || r.CompteNum === '401');
      assert.ok(third.every((r) => r.EcritureLet !== ''), 'every document and payment of the period is lettered');
      const byLetter = new Map<string, FecRow[]>();
      for (const r of third) byLetter.set(r.EcritureLet, [...(byLetter.get(r.EcritureLet) ?? []), r]);
      for (const [letter, group] of byLetter) {
        assert.match(letter, /^[A-Z]{3}$/, 'fully settled: capitals');
        const invoices = group.filter((r) => r.JournalCode !== 'BQ' && docs.find((d) => d.number === r.PieceRef)!.kind === 'invoice');
        assert.equal(invoices.length, 1, `letter ${letter} names one invoice`);
        const invoice = docs.find((d) => d.number === invoices[0]!.PieceRef)!;
        const payments = group.filter((r) => r.JournalCode === 'BQ');
        assert.equal(payments.length, 1, `letter ${letter}: one payment`);
        assert.equal(payments[0]!.PieceRef, invoice.number);
        for (const r of group.filter((x) => x.JournalCode !== 'BQ' && x !== invoices[0])) {
          assert.equal(docs.find((d) => d.number === r.PieceRef)!.creditedInvoiceId, invoice.id, 'the other lettered documents are its credit notes');
        }
        assert.equal(group.reduce((a, r) => a + r.debit - r.credit, 0), 0, `letter ${letter} balances`);
        assert.equal(new Set(group.map((r) => r.DateLet)).size, 1);
        assert.equal(group[0]!.DateLet, invoice.paidOn!.replaceAll('-', ''), 'lettered on the payment date');
      }
    }
  });

  it('a member’s file holds only its own documents, named by resource, month and counterpart', async () => {
    for (const memberId of [pole.memberA, pole.memberB, pole.memberC]) {
      const { rows } = await fileOf(memberId);
      const own = new Set(mine(memberId).map((d) => d.number));
      for (const r of rows) assert.ok(own.has(r.PieceRef), `${r.PieceRef} is one of member ${memberId}'s documents`);
      assert.deepEqual(new Set(rows.map((r) => r.PieceRef)), own, 'all of them');
    }
    const { rows } = await fileOf(pole.memberC);
    const staff = rows.find((r) => r.JournalCode === 'AC' && r.CompteNum === '6214')!;
    assert.match(staff.EcritureLib, /^Technicien son partagé — octobre 2026 — Association Bravo$/);
    const fees = rows.find((r) => r.JournalCode === 'AC' && r.CompteNum === '6226')!;
    assert.match(fees.EcritureLib, /^Comptabilité mutualisée — octobre 2026 — Association Alpha$/);
    assert.equal(rows.find((r) => r.CompteNum === '401' && r.PieceRef.startsWith('BRAV'))!.CompAuxNum, `F${TEST_SIRETS[1]!.slice(0, 9)}`);
  });

  it('uses the member’s mapping, records each export with it and hands a recorded export out again unchanged', async () => {
    const cookieC = coord;
    const first = await fec(cookieC, pole.memberC);
    const again = await fec(cookieC, pole.memberC);
    assert.equal(again.headers['x-accounting-export-id'], first.headers['x-accounting-export-id'], 'the same file is recorded once');
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/members/${pole.memberC}/accounting`,
      headers: { cookie: coord },
      payload: { recoverVat: 'yes', expenses: { byKind: { service: '6227' } }, customerAuxPrefix: 'CL' },
    });
    assert.equal(put.statusCode, 200, put.body);
    assert.equal(put.json().mapping.expenses.byKind.service, '6227');
    assert.equal(put.json().mapping.expenses.byKind.staff, '6214', 'the rest stays at the defaults');
    const changed = await fec(cookieC, pole.memberC);
    assert.notEqual(changed.headers['x-accounting-export-id'], first.headers['x-accounting-export-id']);
    const rows = parseFec(changed.body);
    entriesOf(rows);
    const received = mine(pole.memberC).filter((d) => d.buyerMemberId === pole.memberC);
    assert.equal(balanceOf(rows, (r) => r.CompteNum === '44566'), sum(received, (d) => signed(d, d.totalVatCents)), 'a recovering member books deductible VAT');
    assert.ok(received.some((d) => d.totalVatCents > 0));
    assert.ok(rows.some((r) => r.CompteNum === '6227'));

    const list = (await t.app.inject({ url: `/api/members/${pole.memberC}/accounting/exports`, headers: { cookie: coord } })).json().items;
    assert.equal(list.length, 2);
    assert.equal(list[1].mapping.expenses.byKind.service, '6226', 'the first export keeps the mapping it used');
    const replay = await fec(cookieC, pole.memberC, `exportId=${first.headers['x-accounting-export-id']}`);
    assert.equal(replay.statusCode, 200);
    assert.equal(replay.body, first.body, 'byte-identical');

    const reset = await t.app.inject({ method: 'PUT', url: `/api/members/${pole.memberC}/accounting`, headers: { cookie: coord }, payload: {} });
    assert.deepEqual(reset.json().mapping, reset.json().defaults);
    assert.equal((await fec(cookieC, pole.memberC)).body, first.body, 'back to the defaults, the same file');
  });

  it('refuses bad mappings and periods with clear errors, writing nothing; others’ data answers 404', async () => {
    const before = dbFingerprint(t.store);
    const put = (payload: object, cookie = coord, memberId = pole.memberC) =>
      t.app.inject({ method: 'PUT', url: `/api/members/${memberId}/accounting`, headers: { cookie }, payload });
    const wrongClass = await put({ sales: { byKind: { service: '6226' } } });
    assert.equal(wrongClass.statusCode, 422);
    assert.equal(wrongClass.json().error.code, 'accounting.invalid_mapping');
    assert.equal((await put({ customers: '41a' })).statusCode, 400);
    assert.equal((await put({ bogus: 1 })).statusCode, 400);
    assert.equal((await put({ journals: { bank: { code: 'VT', label: 'Banque' } } })).statusCode, 422, 'journal codes differ');
    assert.equal((await put({ supplierAuxPrefix: 'C' })).statusCode, 422);
    for (const q of ['from=2026-11-31&to=2026-12-01', 'from=2026-12-01&to=2026-11-01', 'from=2020-01-01&to=2026-12-31']) {
      const res = await fec(coord, pole.memberA, q);
      assert.equal(res.statusCode, 422, `${q}: ${res.body}`);
    }
    assert.equal((await fec(coord, pole.memberA, 'from=2026-11&to=2026-11-30')).statusCode, 400);

    const userB = await login(t.app, pole.userB);
    const adminB = await login(t.app, pole.adminB);
    assert.equal((await fec(userB, pole.memberA)).statusCode, 404);
    assert.equal((await t.app.inject({ url: `/api/members/${pole.memberA}/accounting`, headers: { cookie: userB } })).statusCode, 404);
    assert.equal((await put({}, userB, pole.memberB)).statusCode, 403, 'a member user does not change the mapping');
    assert.equal((await put({}, adminB, pole.memberA)).statusCode, 404);
    assert.equal((await fec('', pole.memberA)).statusCode, 401);
    assert.equal(dbFingerprint(t.store), before, 'nothing written');
    const own = await fec(userB, pole.memberB);
    assert.equal(own.statusCode, 200);
    assert.equal((await put({ bank: '5121' }, adminB, pole.memberB)).statusCode, 200, 'the member’s admin sets its own mapping');
  });
});

/** A recorded settlement plan (payments ledger): each member's bank line is what actually moved. */
describe('accounting: a recorded settlement in each member’s books', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let transfers: { fromMemberId: number; toMemberId: number; amountCents: number; invoiceIds: number[] }[];
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    assert.equal((await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } })).statusCode, 201);
    t.clock.set('2026-11-20T10:00:00+01:00');
    coord = await login(t.app, pole.coordinator);
    const plan = (await t.app.inject({ url: '/api/settlements?asOf=2026-11-20', headers: { cookie: coord } })).json();
    transfers = plan.transfers.map((p: { fromMemberId: number; toMemberId: number; amountCents: number; invoiceIds: number[] }) => ({
      fromMemberId: p.fromMemberId,
      toMemberId: p.toMemberId,
      amountCents: p.amountCents,
      invoiceIds: p.invoiceIds,
    }));
    assert.ok(transfers.some((tr) => tr.invoiceIds.length > 1), 'A and B set off their mutual invoices');
    const recorded = await t.app.inject({ method: 'POST', url: '/api/settlements/transfers', headers: { cookie: coord }, payload: { paidOn: '2026-11-20', reference: 'VIR-NOV', transfers } });
    assert.equal(recorded.statusCode, 201, recorded.body);
  });
  after(() => t.close());

  it('one entry per settlement, 512 = the net transfers, every invoice lettered and settled', async () => {
    for (const memberId of [pole.memberA, pole.memberB, pole.memberC]) {
      const res = await t.app.inject({ url: `/api/members/${memberId}/entries.fec?from=2026-11-01&to=2026-11-30`, headers: { cookie: coord } });
      assert.equal(res.statusCode, 200, res.body);
      const rows = parseFec(res.body);
      entriesOf(rows);
      const moved = transfers.reduce((a, tr) => a + (tr.toMemberId === memberId ? tr.amountCents : 0) - (tr.fromMemberId === memberId ? tr.amountCents : 0), 0);
      assert.equal(balanceOf(rows, (r) => r.CompteNum === '512'), moved, `member ${memberId}: the bank moved by the transfers only`);
      const settlementRows = rows.filter((r) => r.PieceRef.startsWith('REG-'));
      assert.equal(new Set(settlementRows.map((r) => r.EcritureNum)).size, 1, 'one entry for the settlement');
      assert.ok(rows.filter((r) => r.CompteNum === '512').length <= 1, 'at most one bank line');
      for (const aux of new Set(rows.map((r) => r.CompAuxNum).filter(Boolean))) assert.equal(balanceOf(rows, (r) => r.CompAuxNum === aux), 0, `${aux} settled`);
      const third = rows.filter((r) => r.CompteNum === '411' || r.CompteNum === '401');
      assert.ok(third.every((r) => /^[A-Z]{3}$/.test(r.EcritureLet) && r.DateLet === '20261120'), 'every invoice fully lettered on the settlement day');
    }
  });
});
