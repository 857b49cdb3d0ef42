import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEMO_COORDINATOR, DEMO_PASSWORD, seedDemo } from '../../db/demo';
import { euros as eurosNbsp } from '../../server/documents/format';
import { buildTestApp, login, type TestApp } from '../helpers/app';
import { pdfText } from '../helpers/pdf';

interface Line {
  resourceId: number | null;
  costCents: number;
  invoicedNetCents: number;
  creditNotesCents: number;
  ownShareCents: number;
  keptByBearerCents: number;
  revenueTitlesCents: number;
  adjustmentsCents: number;
  differenceCents: number;
}

const euros = (cents: number) => eurosNbsp(cents).replace(/\u00a0/g, ' ');
const explained = (l: Line) => l.invoicedNetCents + l.creditNotesCents + l.ownShareCents + l.keptByBearerCents + l.revenueTitlesCents - l.adjustmentsCents;

/** The demo pole's closed months reconcile to the cent, per resource and in total, in the API and the pole summary. */
describe('reconciliation of a closed month (demo pole)', () => {
  let t: TestApp;
  let cookie: string;
  let months: string[];
  before(async () => {
    t = await buildTestApp({ now: '2026-11-16T10:00:00+01:00' });
    await seedDemo(t.store, { clock: t.clock });
    cookie = await login(t.app, DEMO_COORDINATOR, DEMO_PASSWORD);
    months = ((await t.app.inject({ url: '/api/closings', headers: { cookie } })).json().items as { month: string }[]).map((c) => c.month);
  });
  after(() => t.close());

  const get = (url: string) => t.app.inject({ url, headers: { cookie } });
  const closed = async (month: string) => {
    const res = await get(`/api/closings/${month}`);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().reconciliation as { resources: Line[]; total: Line };
  };

  it('costs shared = invoices + credit notes + bearers’ shares + remainders + titles − adjustments, to the cent', async () => {
    assert.ok(months.length >= 2);
    for (const month of months) {
      const r = await closed(month);
      const allocation = (await get(`/api/allocations?month=${month}`)).json().totals;
      assert.equal(r.total.costCents, allocation.costCents, `${month}: the costs shared are the allocation's`);
      for (const l of [...r.resources, r.total]) {
        assert.equal(l.differenceCents, 0, `${month} resource ${l.resourceId}`);
        assert.equal(explained(l), l.costCents, `${month} resource ${l.resourceId}`);
      }
      const docs = (await get(`/api/invoices?month=${month}`)).json().items as { kind: string; totalExclVatCents: number }[];
      const net = docs.reduce((a, d) => a + (d.kind === 'credit_note' ? -1 : 1) * d.totalExclVatCents, 0);
      assert.equal(r.total.invoicedNetCents, net, `${month}: invoices issued, net of credit notes`);
      assert.ok(r.total.ownShareCents > 0, `${month}: the bearers keep their own shares`);
    }
  });

  it('still holds after a credit note, which moves its amount from invoices to credit notes', async () => {
    const month = months.at(-1)!;
    const before = await closed(month);
    const inv = ((await get(`/api/invoices?month=${month}&kind=invoice`)).json().items as { id: number }[])[0]!;
    const res = await t.app.inject({ method: 'POST', url: `/api/invoices/${inv.id}/credit-note`, headers: { cookie }, payload: { amountCents: 1234 } });
    assert.equal(res.statusCode, 201, res.body);
    const after = await closed(month);
    assert.equal(after.total.creditNotesCents - before.total.creditNotesCents, res.json().totalExclVatCents);
    assert.equal(before.total.invoicedNetCents - after.total.invoicedNetCents, res.json().totalExclVatCents);
    assert.equal(after.total.differenceCents, 0);
    assert.equal(after.total.costCents, before.total.costCents);
  });

  it('ends the pole summary with the same figures', async () => {
    const month = months.at(-1)!;
    const r = await closed(month);
    const text = pdfText((await get(`/api/closings/${month}/pdf`)).rawPayload).replace(/\s+/g, ' ');
    assert.ok(text.includes('Rapprochement'), 'the block');
    const t0 = r.total;
    const total = `Total ${[t0.costCents, t0.invoicedNetCents, t0.creditNotesCents, t0.ownShareCents, t0.keptByBearerCents, t0.revenueTitlesCents, t0.adjustmentsCents, t0.differenceCents].map(euros).join(' ')}`;
    assert.ok(text.includes(total), `${total}\n${text}`);
    assert.ok(text.includes('se rapproche au centime'));
  });

  it('answers 404 for an open month, 400 for a malformed one, 403 to a member', async () => {
    assert.equal((await get('/api/closings/2026-11')).statusCode, 404);
    assert.equal((await get('/api/closings/2026-11')).json().error.code, 'closing.not_found');
    assert.equal((await get('/api/closings/2026-13')).statusCode, 400);
    const users = (await get('/api/users')).json().items as { email: string; role: string }[];
    const admin = users.find((u) => u.role === 'member_admin')!;
    const other = await login(t.app, admin.email, DEMO_PASSWORD);
    assert.equal((await t.app.inject({ url: `/api/closings/${months[0]}`, headers: { cookie: other } })).statusCode, 403);
  });
});
