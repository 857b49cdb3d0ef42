import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';

describe('settlements', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    const closed = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(closed.statusCode, 201);
    // A credit note of 100 € (+20 € VAT) on B → C.
    const bToC = closed.json().invoices.find((i: { number: string }) => i.number === 'BRAV-2026-0002');
    const note = await t.app.inject({ method: 'POST', url: `/api/invoices/${bToC.id}/credit-note`, headers: { cookie: coord }, payload: { amountCents: 10_000 } });
    assert.equal(note.statusCode, 201, note.body);
  });
  after(() => t.close());

  it('gives net positions, bilateral nets and a short transfer plan (incl. VAT, less credit notes)', async () => {
    const res = await t.app.inject({ url: '/api/settlements?month=2026-10', headers: { cookie: coord } });
    assert.equal(res.statusCode, 200, res.body);
    const s = res.json();
    const { memberA: a, memberB: b, memberC: c } = pole;
    // A sells 360 (300 + 20 % VAT: B is not eligible to 261 B) + 500 (261 B); buys 1 680 from B.
    // B sells 1 680 + (1 680 − 120). C buys 500 + 1 560.
    assert.deepEqual(s.positions.map((p: { memberId: number; netCents: number }) => [p.memberId, p.netCents]), [
      [a, 86_000 - 168_000],
      [b, 168_000 + 156_000 - 36_000],
      [c, -50_000 - 156_000],
    ]);
    assert.deepEqual(s.pairs.map((p: { fromMemberId: number; toMemberId: number; amountCents: number }) => [p.fromMemberId, p.toMemberId, p.amountCents]), [
      [a, b, 132_000],
      [c, a, 50_000],
      [c, b, 156_000],
    ]);
    assert.deepEqual(s.transfers, [
      { fromMemberId: c, toMemberId: b, amountCents: 206_000 },
      { fromMemberId: a, toMemberId: b, amountCents: 82_000 },
    ]);
    assert.equal(s.final, true);
  });

  it('shows a member only its own position, pairs and transfers', async () => {
    const cookie = await login(t.app, pole.userA);
    const s = (await t.app.inject({ url: '/api/settlements?month=2026-10', headers: { cookie } })).json();
    assert.deepEqual(s.positions.map((p: { memberId: number }) => p.memberId), [pole.memberA]);
    assert.ok(s.pairs.every((p: { fromMemberId: number; toMemberId: number }) => p.fromMemberId === pole.memberA || p.toMemberId === pole.memberA));
    assert.deepEqual(s.transfers, [{ fromMemberId: pole.memberA, toMemberId: pole.memberB, amountCents: 82_000 }]);
  });

  it('is empty for a month without invoices, refuses a malformed month, and plans on open balances without one', async () => {
    const s = (await t.app.inject({ url: '/api/settlements?month=2026-09', headers: { cookie: coord } })).json();
    assert.deepEqual(s, { month: '2026-09', final: false, positions: [], pairs: [], transfers: [] });
    assert.equal((await t.app.inject({ url: '/api/settlements?month=2026-9', headers: { cookie: coord } })).statusCode, 400);
    const plan = await t.app.inject({ url: '/api/settlements', headers: { cookie: coord } });
    assert.equal(plan.statusCode, 200, 'without a month: the plan on open balances as of today');
    assert.equal(plan.json().mode, 'bilateral');
  });
});
