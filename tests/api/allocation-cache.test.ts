import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openStore } from '../../db/index';
import { buildApp } from '../../server/app';
import { computeAllocation } from '../../server/closing/month-allocation';
import { manualClock } from '../../server/shared/clock';
import { setReferenceCacheEnabled } from '../../server/shared/reference-cache';
import { insertBooking, insertCost, seedOctober } from '../helpers/closing';
import { login, seedPole, type SeededPole } from '../helpers/app';

/**
 * A month's allocation is computed once and served again until the database changes (server/closing/
 * allocation-cache.ts). Served from the cache it must be exactly what a fresh computation gives, after every
 * kind of write: a route, raw SQL, another connection, a transaction rolled back.
 */
describe('allocation cache', () => {
  let dir: string;
  let pole: SeededPole;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let store: ReturnType<typeof openStore>;
  let coord: string;
  let ids: ReturnType<typeof seedOctober>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mutualise-allocation-cache-'));
    store = openStore(join(dir, 'pole.sqlite'));
    app = await buildApp({ store, clock: manualClock('2026-11-16T10:00:00+01:00'), config: { serveClient: false, demo: false, loginMaxAttemptsPerIp: 1000 } });
    await app.ready();
    pole = await seedPole(store);
    ids = seedOctober(store, pole);
    coord = await login(app, pole.coordinator);
  });
  after(async () => {
    await app.close();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const view = async () => (await app.inject({ url: '/api/allocations?month=2026-10', headers: { cookie: coord } })).json();
  /** The same view computed with every cache off. */
  const uncached = async () => {
    setReferenceCacheEnabled(false);
    try {
      return await view();
    } finally {
      setReferenceCacheEnabled(true);
    }
  };
  const share = (v: { rows: { resourceId: number; memberId: number; shareCents: number }[] }, resourceId: number, memberId: number) =>
    v.rows.find((r) => r.resourceId === resourceId && r.memberId === memberId)?.shareCents;

  it('serves the same computation while nothing is written', () => {
    const ctx = app.ctx;
    const first = computeAllocation(ctx, '2026-10');
    assert.equal(computeAllocation(ctx, '2026-10'), first, 'the cached object itself');
    assert.ok(Object.isFrozen(first.rows), 'frozen: no caller can change what others are served');
    assert.notEqual(computeAllocation(ctx, '2026-09'), first, 'per month');
    // A read transaction (statements and summaries read in one) is served the same entry.
    assert.equal(ctx.sqlite.transaction(() => computeAllocation(ctx, '2026-10'))(), first, 'served inside a transaction that wrote nothing');
  });

  it('a booking through the API, a cost by raw SQL, another connection’s cost: each seen at once, equal to uncached', async () => {
    const before = await view();
    assert.equal(share(before, ids.accounting, pole.memberA), 20_000);
    const booked = await app.inject({
      method: 'POST',
      url: '/api/bookings',
      headers: { cookie: coord },
      payload: { resourceId: ids.accounting, memberId: pole.memberA, start: '2026-10-20T09:00:00+02:00', end: '2026-10-20T14:00:00+02:00' },
    });
    assert.equal(booked.statusCode, 201, booked.body);
    const afterBooking = await view();
    assert.equal(share(afterBooking, ids.accounting, pole.memberA), 46_667, 'A: 7 h of 15');
    assert.deepEqual(afterBooking, await uncached());

    insertCost(store, { resourceId: ids.accounting, month: '2026-10', amountCents: 50_000, nature: 'subscription' });
    const afterCost = await view();
    assert.equal(share(afterCost, ids.accounting, pole.memberA), 70_000, 'A: 7/15 of 1 500 €');
    assert.deepEqual(afterCost, await uncached());

    const other = new Database(join(dir, 'pole.sqlite'));
    try {
      other.prepare("UPDATE costs SET amount_cents = amount_cents + 150000 WHERE resource_id = ? AND label = 'Coût'").run(ids.accounting);
    } finally {
      other.close();
    }
    const afterOther = await view();
    assert.equal(share(afterOther, ids.accounting, pole.memberA), 140_000, 'A: 7/15 of 3 000 €, written by another connection');
    assert.deepEqual(afterOther, await uncached());
  });

  it('what a rolled-back transaction computed is never served', async () => {
    const before = await view();
    const { sqlite } = store;
    assert.throws(() =>
      sqlite.transaction(() => {
        insertBooking(store, { resourceId: ids.accounting, memberId: pole.memberC, userId: Object.values(pole.userIds)[0]!, start: '2026-10-22T09:00:00+02:00', end: '2026-10-22T19:00:00+02:00' });
        const inside = computeAllocation(app.ctx, '2026-10');
        assert.notEqual(inside.rows.find((r) => r.resourceId === ids.accounting && r.memberId === pole.memberC)?.shareCents, share(before, ids.accounting, pole.memberC), 'computed inside');
        throw new Error('rollback');
      })(),
    );
    assert.deepEqual(await view(), before);
    assert.deepEqual(await view(), await uncached());
  });
});
