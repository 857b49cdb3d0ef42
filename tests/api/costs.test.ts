import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertResource } from '../helpers/closing';

describe('cost entries', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let van: number;
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
    van = insertResource(t.store, { name: 'Camion 20 m³', kind: 'equipment', bearerMemberId: pole.memberA });
  });
  afterEach(() => t.close());

  const req = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, cookie = coord) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const lease = () => ({ resourceId: van, month: '2026-11', amountCents: 69_000, vatRate: 20, label: 'Location longue durée', nature: 'rent_or_lease', recurring: true });

  it('creates, lists, reads, patches and deletes a cost while its month is open', async () => {
    const created = await req('POST', '/api/costs', lease());
    assert.equal(created.statusCode, 201, created.body);
    const cost = created.json();
    assert.deepEqual(cost, {
      id: cost.id,
      resourceId: van,
      month: '2026-11',
      amountCents: 69_000,
      vatRate: 20,
      inputVatCents: 13_800, // derived from the supplier's rate when not entered
      paidHours: null,
      label: 'Location longue durée',
      nature: 'rent_or_lease',
      recurring: true,
      carriedFromId: null,
    });
    const reduced = await req('POST', '/api/costs', { resourceId: van, month: '2026-11', amountCents: 1_234, vatRate: 5.5, label: 'Péage', nature: 'reimbursed_expenses' });
    assert.equal(reduced.json().vatRate, 5.5);
    assert.equal(t.store.sqlite.prepare('SELECT vat_rate_bp FROM costs WHERE id = ?').pluck().get(reduced.json().id), 550);
    assert.deepEqual((await req('GET', '/api/costs?month=2026-11')).json().items.map((c: { id: number }) => c.id), [cost.id, reduced.json().id]);
    assert.equal((await req('GET', '/api/costs?month=2026-10')).json().items.length, 0);
    const patched = await req('PATCH', `/api/costs/${cost.id}`, { amountCents: 71_000, label: 'Location LLD' });
    assert.equal(patched.statusCode, 200);
    assert.equal(patched.json().amountCents, 71_000);
    assert.equal(patched.json().inputVatCents, 14_200, 'a new amount re-derives the input VAT');
    assert.equal((await req('GET', `/api/costs/${cost.id}`)).json().label, 'Location LLD');
    assert.equal((await req('DELETE', `/api/costs/${reduced.json().id}`)).statusCode, 204);
    assert.equal((await req('GET', `/api/costs/${reduced.json().id}`)).statusCode, 404);
  });

  it('refuses bad input with a clear code and writes nothing', async () => {
    const before = dbFingerprint(t.store);
    const cases: [object, number, string][] = [
      [{ ...lease(), amountCents: -1 }, 400, 'validation.failed'],
      [{ ...lease(), amountCents: 10.5 }, 400, 'validation.failed'],
      [{ ...lease(), amountCents: '100' }, 400, 'validation.failed'],
      [{ ...lease(), month: '2026-13' }, 400, 'validation.failed'],
      [{ ...lease(), month: '11/2026' }, 400, 'validation.failed'],
      [{ ...lease(), resourceId: 9999 }, 404, 'resource.not_found'],
      [{ ...lease(), vatRate: 20.001 }, 422, 'cost.invalid_vat_rate'],
      [{ ...lease(), vatRate: -1 }, 400, 'validation.failed'],
      [{ ...lease(), nature: 'bribe' }, 400, 'validation.failed'],
      [{ ...lease(), label: '' }, 400, 'validation.failed'],
      [{ ...lease(), label: 'x'.repeat(1_000_000) }, 400, 'validation.failed'],
      [{ ...lease(), label: 'x'.repeat(2_000_000) }, 413, 'request.too_large'],
      [{ ...lease(), isAdmin: true }, 400, 'validation.failed'],
      [{ resourceId: van, month: '2026-11' }, 400, 'validation.failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await req('POST', '/api/costs', body);
      assert.equal(res.statusCode, status, `${JSON.stringify(body).slice(0, 80)} → ${res.body.slice(0, 200)}`);
      assert.equal(res.json().error.code, code);
    }
    const id = (await req('POST', '/api/costs', lease())).json().id;
    const withOne = dbFingerprint(t.store);
    assert.equal((await req('PATCH', `/api/costs/${id}`, { amountCents: -3 })).statusCode, 400);
    assert.equal((await req('PATCH', `/api/costs/${id}`, { resourceId: 4242 })).statusCode, 404);
    assert.equal((await req('PATCH', `/api/costs/${id}`, {})).statusCode, 400);
    assert.equal((await req('PATCH', '/api/costs/4242', { amountCents: 3 })).statusCode, 404);
    assert.equal((await req('DELETE', '/api/costs/4242')).statusCode, 404);
    assert.equal((await req('GET', '/api/costs?month=nope')).statusCode, 400);
    assert.equal(dbFingerprint(t.store), withOne);
    assert.notEqual(withOne, before);
  });

  it('is entered by coordinators only; a member’s users see only the costs of resources their structure bears', async () => {
    const id = (await req('POST', '/api/costs', lease())).json().id;
    const before = dbFingerprint(t.store);
    const adminA = await login(t.app, pole.adminA);
    const userB = await login(t.app, pole.userB);
    for (const cookie of [adminA, userB]) {
      assert.equal((await req('POST', '/api/costs', lease(), cookie)).statusCode, 403);
      assert.equal((await req('PATCH', `/api/costs/${id}`, { amountCents: 1 }, cookie)).statusCode, 403);
      assert.equal((await req('DELETE', `/api/costs/${id}`, undefined, cookie)).statusCode, 403);
      assert.equal((await req('POST', '/api/costs/carry-forward', { fromMonth: '2026-11' }, cookie)).statusCode, 403);
    }
    assert.equal(dbFingerprint(t.store), before);
    assert.equal((await req('GET', '/api/costs', undefined, adminA)).json().items.length, 1, 'A bears the van');
    assert.equal((await req('GET', '/api/costs', undefined, userB)).json().items.length, 0);
    assert.equal((await req('GET', `/api/costs/${id}`, undefined, userB)).statusCode, 404);
  });

  it('carries recurring costs forward to the next month once, on request', async () => {
    await req('POST', '/api/costs', lease());
    await req('POST', '/api/costs', { ...lease(), recurring: false, amountCents: 5_000, label: 'Réparation', nature: 'other' });
    const carried = await req('POST', '/api/costs/carry-forward', { fromMonth: '2026-11' });
    assert.equal(carried.statusCode, 201, carried.body);
    const items = carried.json().items;
    assert.deepEqual(items.map((c: { month: string; label: string; amountCents: number }) => [c.month, c.label, c.amountCents]), [['2026-12', 'Location longue durée', 69_000]]);
    assert.ok(items[0].carriedFromId);
    const again = await req('POST', '/api/costs/carry-forward', { fromMonth: '2026-11', toMonth: '2026-12' });
    assert.deepEqual(again.json().items, [], 'not carried twice');
    assert.equal((await req('POST', '/api/costs/carry-forward', { fromMonth: '2026-11', toMonth: '2026-10' })).statusCode, 422);
    assert.equal((await req('GET', '/api/costs?month=2026-12')).json().items.length, 1);
  });

  it('refuses to carry costs into a closed month', async () => {
    t.store.sqlite.prepare("INSERT INTO closings (month, closed_at) VALUES ('2026-10', 0)").run();
    await req('POST', '/api/costs', { ...lease(), month: '2026-09' });
    const res = await req('POST', '/api/costs/carry-forward', { fromMonth: '2026-09' });
    assert.equal(res.statusCode, 409);
    assert.equal(res.json().error.code, 'month.closed');
    const moveIn = await req('POST', '/api/costs', lease());
    const patch = await req('PATCH', `/api/costs/${moveIn.json().id}`, { month: '2026-10' });
    assert.equal(patch.statusCode, 409, 'a cost cannot be moved into a closed month');
  });
});
