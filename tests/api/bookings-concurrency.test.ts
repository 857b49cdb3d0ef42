import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';

/**
 * Over real HTTP: a listening server on an ephemeral port and 50 fetches in flight at once: exactly the capacity
 * is booked and every refusal is a clean 409. One process serialises its synchronous SQLite calls, so this shows
 * the answers, not the lock: the race between processes is tests/proof/concurrency-processes.test.ts.
 */
describe('parallel bookings over HTTP', () => {
  let t: TestApp;
  let pole: SeededPole;
  let base: string;
  let cookies: string[];
  let coord: string;

  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    // Two structures race each other (each login costs an argon2 verification: keep them few).
    [coord, ...cookies] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.userA), login(t.app, pole.userB)]);
  });
  after(() => t.close());

  async function resource(capacity: number): Promise<number> {
    const res = await fetch(`${base}/api/resources`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: coord },
      body: JSON.stringify({ name: `Pool de ${capacity}`, kind: 'equipment', capacity, bearerMemberId: pole.memberA }),
    });
    assert.equal(res.status, 201);
    return ((await res.json()) as { id: number }).id;
  }

  async function race(resourceId: number, n: number) {
    const body = JSON.stringify({ resourceId, start: '2026-11-20T09:00:00+01:00', end: '2026-11-20T12:00:00+01:00' });
    const responses = await Promise.all(
      Array.from({ length: n }, (_, i) =>
        fetch(`${base}/api/bookings`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: cookies[i % cookies.length]! }, body }).then(
          async (r) => ({ status: r.status, body: (await r.json()) as { error?: { code: string } } }),
        ),
      ),
    );
    const count = (status: number) => responses.filter((r) => r.status === status).length;
    const stored = t.store.sqlite.prepare("SELECT count(*) AS n FROM bookings WHERE resource_id = ? AND status = 'confirmed'").get(resourceId) as { n: number };
    return { responses, count, stored: stored.n };
  }

  it('50 requests for one slot of a capacity-1 resource: exactly one 201, 49 × 409 booking.conflict', async () => {
    const { responses, count, stored } = await race(await resource(1), 50);
    assert.equal(count(201), 1);
    assert.equal(count(409), 49);
    assert.ok(responses.filter((r) => r.status === 409).every((r) => r.body.error?.code === 'booking.conflict'));
    assert.equal(stored, 1);
  });

  it('50 requests for one slot of a pool of 3: exactly three 201', async () => {
    const { count, stored } = await race(await resource(3), 50);
    assert.equal(count(201), 3);
    assert.equal(count(409), 47);
    assert.equal(stored, 3);
  });
});
