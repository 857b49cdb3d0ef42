import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AddressInfo } from 'node:net';
import { login } from '../helpers/app';
import { buildProofPole, call, type ProofPole } from '../helpers/proof-pole';

/**
 * Concurrency over real HTTP (a listening server, fetch, one connection per request) in one process: 200 simultaneous
 * bookings of one slot never overbook a capacity-1 or a capacity-3 resource, and every refusal is a clean
 * 409 that was due; simultaneous closes of one month issue its invoices exactly once. One Node process runs
 * its synchronous SQLite calls one after the other, so these show the answers under load, not the locking
 * (they pass with no transaction at all): the lock is proven between processes in concurrency-processes.test.ts.
 */
describe('proof: concurrency over real HTTP', () => {
  let pole: ProofPole;
  let base: string;
  let cookies: { cookie: string; memberId: number }[];
  before(async () => {
    pole = await buildProofPole({ close: false });
    await pole.t.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(pole.t.app.server.address() as AddressInfo).port}`;
    const p = pole.base;
    // Several users of several structures (and the coordinator booking for D) race for the same slot.
    cookies = [
      { cookie: pole.cookies.coordinator, memberId: pole.memberD },
      { cookie: pole.cookies.memberA, memberId: p.memberA },
      { cookie: await login(pole.t.app, p.adminA), memberId: p.memberA },
      { cookie: await login(pole.t.app, p.userB), memberId: p.memberB },
      { cookie: pole.cookies.adminB, memberId: p.memberB },
    ];
  });
  after(() => pole.t.close());

  const post = (path: string, cookie: string, body: unknown) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      body: (await r.json()) as { error?: { code: string } } & Record<string, unknown>,
    }));

  async function race(capacity: number, quantities: number[]) {
    const resource = await call(pole.t.app, pole.cookies.coordinator, 'POST', '/api/resources', { name: `Pool of ${capacity}`, kind: 'equipment', capacity, bearerMemberId: pole.base.memberC });
    assert.equal(resource.statusCode, 201, resource.body);
    const resourceId = resource.json().id as number;
    const slot = { start: '2026-11-24T14:00:00+01:00', end: '2026-11-24T16:00:00+01:00' };
    const started = performance.now();
    const results = await Promise.all(
      quantities.map((quantity, i) => {
        const who = cookies[i % cookies.length]!;
        return post('/api/bookings', who.cookie, { resourceId, memberId: who.memberId, ...slot, quantity });
      }),
    );
    const ms = performance.now() - started;
    const accepted = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 409);
    const others = results.filter((r) => r.status !== 201 && r.status !== 409);
    assert.deepEqual(others.map((r) => `${r.status} ${JSON.stringify(r.body)}`), [], 'only 201 or 409');
    for (const r of refused) assert.equal(r.body.error?.code, 'booking.conflict');
    const stored = pole.t.store.sqlite
      .prepare("SELECT coalesce(sum(quantity), 0) AS q, count(*) AS n FROM bookings WHERE resource_id = ? AND status IN ('confirmed', 'pending')")
      .get(resourceId) as { q: number; n: number };
    assert.equal(stored.n, accepted.length, 'every 201 is stored, nothing else');
    const acceptedQuantity = accepted.reduce((a, r) => a + Number((r.body.booking as { quantity?: number } | undefined)?.quantity ?? (r.body as { quantity?: number }).quantity ?? 0), 0);
    assert.equal(stored.q, acceptedQuantity);
    assert.ok(stored.q <= capacity, `overbooked: ${stored.q} > ${capacity}`);
    // No refusal was spurious: usage only grows during the race, so a refused request asked more than what is left.
    const left = capacity - stored.q;
    const refusedQuantities = results.map((r, i) => (r.status === 409 ? quantities[i]! : null)).filter((q): q is number => q !== null);
    for (const q of refusedQuantities) assert.ok(q > left, `a request for ${q} was refused while ${left} unit(s) stayed free`);
    return { accepted: accepted.length, refused: refused.length, quantity: stored.q, ms };
  }

  it('200 simultaneous requests for one slot of a capacity-1 resource: exactly one booking', async () => {
    const r = await race(1, Array.from({ length: 200 }, () => 1));
    assert.equal(r.accepted, 1);
    assert.equal(r.refused, 199);
    console.log(`concurrency: capacity 1, 200 simultaneous requests → ${r.accepted} accepted, ${r.refused} refused (409) in ${r.ms.toFixed(0)} ms`);
  });

  it('200 simultaneous requests for one slot of a capacity-3 resource: exactly three units', async () => {
    const r = await race(3, Array.from({ length: 200 }, () => 1));
    assert.equal(r.accepted, 3);
    assert.equal(r.quantity, 3);
    console.log(`concurrency: capacity 3, 200 simultaneous requests → ${r.accepted} accepted, ${r.refused} refused (409) in ${r.ms.toFixed(0)} ms`);
  });

  it('200 simultaneous requests of 1 to 3 units on a capacity-3 resource: never more than 3, no spurious refusal', async () => {
    const quantities = Array.from({ length: 200 }, (_, i) => 1 + ((i * 7) % 3));
    const r = await race(3, quantities);
    assert.ok(r.quantity <= 3 && r.accepted >= 1);
    console.log(`concurrency: capacity 3, mixed quantities → ${r.accepted} accepted (${r.quantity} units), ${r.refused} refused`);
  });

  it('simultaneous closes of one month: one closing, its invoices issued once, series unbroken', async () => {
    const month = pole.closedMonth;
    assert.equal((await call(pole.t.app, pole.cookies.coordinator, 'GET', `/api/invoices?month=${month}`)).json().items.length, 0, 'not closed yet');
    const results = await Promise.all(Array.from({ length: 20 }, () => post('/api/closings', pole.cookies.coordinator, { month })));
    const ok = results.filter((r) => r.status === 201 || r.status === 200);
    const refused = results.filter((r) => r.status === 409);
    assert.equal(ok.length, 1, `one close: ${results.map((r) => r.status).join(',')}`);
    assert.equal(refused.length, 19);
    for (const r of refused) assert.equal(r.body.error?.code, 'closing.already_closed');
    const issued = (ok[0]!.body.invoices as { number: string }[]).map((i) => i.number).sort();
    const stored = (pole.t.store.sqlite.prepare('SELECT number FROM invoices WHERE month = ? ORDER BY number').all(month) as { number: string }[]).map((r) => r.number);
    assert.deepEqual(stored, issued, 'the invoices stored are those the one close answered, once');
    assert.ok(issued.length >= 1);
    assert.equal((pole.t.store.sqlite.prepare('SELECT count(*) AS n FROM closings WHERE month = ?').get(month) as { n: number }).n, 1);
    const integrity = await call(pole.t.app, pole.cookies.coordinator, 'GET', '/api/integrity');
    assert.equal(integrity.json().ok, true, integrity.body);
    console.log(`concurrency: 20 simultaneous closes of ${month} → 1 closing (${issued.length} invoices), 19 refused (409 closing.already_closed), integrity ok`);
  });
});
