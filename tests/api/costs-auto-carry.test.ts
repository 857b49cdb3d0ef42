import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { autoCarryForward } from '../../server/costs/auto-carry';
import { startMonthlyJobs } from '../../server/monthly-jobs';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertResource } from '../helpers/closing';

/**
 * Recurring costs are carried into the new month by the server at its first pass on or after the 1st (in the
 * pole's zone), once: the run is logged in the audit trail, shown by GET /api/costs/carry-forward/log, and a
 * carried cost the coordinator deletes afterwards does not come back.
 */
describe('recurring costs carried forward automatically at month start', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let van: number;
  beforeEach(async () => {
    t = await buildTestApp({ now: '2026-11-30T23:50:00+01:00' });
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
    van = insertResource(t.store, { name: 'Camion 20 m³', kind: 'equipment', bearerMemberId: pole.memberA });
    for (const [label, recurring] of [['Location longue durée', true], ['Carburant', false]] as const) {
      const res = await req('POST', '/api/costs', { resourceId: van, month: '2026-11', amountCents: 69_000, vatRate: 20, label, nature: 'rent_or_lease', recurring });
      assert.equal(res.statusCode, 201, res.body);
    }
  });
  afterEach(() => t.close());

  const req = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, cookie = coord) =>
    t.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
  const december = async () => (await req('GET', '/api/costs?month=2026-12')).json().items as { id: number; label: string; carriedFromId: number | null }[];

  it('waits for the 1st in the pole’s zone, then carries the recurring costs once and logs the run', async () => {
    // The pole's first pass ever is November's run (nothing recurring in October); December waits for the 1st.
    assert.deepEqual(autoCarryForward(t.app.ctx)?.month, '2026-11');
    assert.equal(autoCarryForward(t.app.ctx), null, 'still November in Paris: nothing due');
    assert.deepEqual(await december(), []);
    t.clock.set('2026-11-30T23:30:00Z'); // 00:30 on 1 December in Paris, still November in UTC
    const run = autoCarryForward(t.app.ctx);
    assert.ok(run);
    assert.equal(run.month, '2026-12');
    assert.equal(run.fromMonth, '2026-11');
    const carried = await december();
    assert.deepEqual(carried.map((c) => c.label), ['Location longue durée']);
    assert.deepEqual(run.costIds, [carried[0]!.id]);
    assert.ok(carried[0]!.carriedFromId);

    t.clock.advance(10 * 60_000);
    assert.equal(autoCarryForward(t.app.ctx), null, 'the month’s run happened');
    const log = await req('GET', '/api/costs/carry-forward/log');
    assert.equal(log.statusCode, 200);
    assert.deepEqual(log.json().items[0], { month: '2026-12', fromMonth: '2026-11', at: '2026-12-01T00:30:00+01:00', costIds: run.costIds });
    const audit = await req('GET', '/api/audit?objectType=month&objectId=2026-12');
    assert.equal(audit.statusCode, 200, audit.body);
    assert.ok(audit.json().items.some((r: { action: string }) => r.action === 'costs.auto_carry_forward'));
  });

  it('does not bring back a carried cost the coordinator deleted, nor duplicate a manual carry', async () => {
    t.clock.set('2026-12-01T08:00:00+01:00');
    assert.equal((await req('POST', '/api/costs/carry-forward', { fromMonth: '2026-11' })).statusCode, 201);
    const run = autoCarryForward(t.app.ctx);
    assert.deepEqual(run?.costIds, [], 'already carried by hand: the run creates nothing');
    const [carried] = await december();
    assert.equal((await req('DELETE', `/api/costs/${carried!.id}`)).statusCode, 204);
    t.clock.advance(60 * 60_000);
    assert.equal(autoCarryForward(t.app.ctx), null);
    assert.deepEqual(await december(), []);
  });

  it('does not double a cost the coordinator entered by hand for the new month before the run', async () => {
    t.clock.set('2026-12-01T00:00:00+01:00');
    const res = await req('POST', '/api/costs', { resourceId: van, month: '2026-12', amountCents: 70_000, vatRate: 20, label: 'Location longue durée', nature: 'rent_or_lease', recurring: true });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(autoCarryForward(t.app.ctx)?.costIds, []);
    assert.deepEqual((await december()).map((c) => c.carriedFromId), [null]);
  });

  it('runs from the server’s monthly jobs at start', async () => {
    t.clock.set('2026-12-01T00:05:00+01:00');
    const lines: string[] = [];
    const jobs = startMonthlyJobs(t.app.ctx, (line) => lines.push(line));
    jobs.stop();
    assert.deepEqual(lines, ['recurring costs of 2026-11 carried into 2026-12: 1']);
    assert.equal((await december()).length, 1);
  });

  it('shows the log to coordinators only', async () => {
    for (const who of [pole.adminA, pole.userA]) {
      const cookie = await login(t.app, who);
      assert.equal((await req('GET', '/api/costs/carry-forward/log', undefined, cookie)).statusCode, 403);
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/costs/carry-forward/log' })).statusCode, 401);
  });
});
