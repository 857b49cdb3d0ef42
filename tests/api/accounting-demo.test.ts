import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_COORDINATOR, DEMO_PASSWORD, seedDemo } from '../../db/demo';
import { buildTestApp, login, type TestApp } from '../helpers/app';
import { balanceOf, entriesOf, parseFec } from '../helpers/fec';

interface Doc {
  number: string;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  issueDate: string;
  totalExclVatCents: number;
  totalInclVatCents: number;
}

/** The demo pole after `npm start`: each member's FEC file over its closed months matches what it issued. */
describe('accounting: the demo pole’s members', () => {
  let t: TestApp;
  let cookie: string;
  before(async () => {
    t = await buildTestApp({ now: '2026-11-16T10:00:00+01:00' });
    await seedDemo(t.store, { clock: t.clock });
    cookie = await login(t.app, DEMO_COORDINATOR, DEMO_PASSWORD);
  });
  after(() => t.close());

  it('every member’s sales total equals the invoices it issued over the closed months', async () => {
    const closings = (await t.app.inject({ url: '/api/closings', headers: { cookie } })).json().items as { month: string; status?: string }[];
    const docs = (await t.app.inject({ url: '/api/invoices', headers: { cookie } })).json().items as Doc[];
    const members = (await t.app.inject({ url: '/api/members', headers: { cookie } })).json().items as { id: number; siren: string }[];
    assert.ok(docs.length > 0 && closings.length > 0);
    const from = docs.map((d) => d.issueDate).sort()[0]!;
    const to = docs.map((d) => d.issueDate).sort().at(-1)!;
    let checked = 0;
    for (const m of members) {
      const res = await t.app.inject({ url: `/api/members/${m.id}/entries.fec?from=${from}&to=${to}`, headers: { cookie } });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-disposition']), new RegExp(`${m.siren}FEC${to.replaceAll('-', '')}\\.txt`));
      const rows = parseFec(res.body);
      entriesOf(rows);
      const issued = docs.filter((d) => d.sellerMemberId === m.id && d.kind === 'invoice');
      const sales = rows.filter((r) => r.JournalCode === 'VT');
      assert.equal(0 - balanceOf(sales, (r) => r.CompteNum.startsWith('7')), issued.reduce((a, d) => a + d.totalExclVatCents, 0), `member ${m.id}: revenue = invoices issued`);
      assert.equal(balanceOf(sales, (r) => r.CompteNum === '411'), issued.reduce((a, d) => a + d.totalInclVatCents, 0), `member ${m.id}: customers = invoices issued incl. VAT`);
      assert.equal(new Set(sales.map((r) => r.PieceRef)).size, issued.length);
      const received = docs.filter((d) => d.buyerMemberId === m.id && d.kind === 'invoice');
      assert.equal(0 - balanceOf(rows, (r) => r.JournalCode === 'AC' && r.CompteNum === '401'), received.reduce((a, d) => a + d.totalInclVatCents, 0));
      if (issued.length) checked++;
    }
    assert.ok(checked >= 4, `${checked} members issued invoices`);
  });
});
