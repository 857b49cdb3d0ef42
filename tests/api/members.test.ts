import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { insertBooking, insertCost, insertResource } from '../helpers/closing';
import { buildTestApp, dbFingerprint, login, seedPole, TEST_SIRETS, type SeededPole, type TestApp } from '../helpers/app';

const validMember = {
  name: 'Radio Campus',
  legalForm: 'association',
  siret: TEST_SIRETS[3],
  address: '5 rue Kléber, 44000 Nantes',
  billingEmail: 'Compta@Radio.test',
  vatRegime: 'non_assujetti',
};

describe('members', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
  });
  afterEach(() => t.close());

  it('a coordinator creates a member; SIREN comes from the SIRET, prefix and join date are derived', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/members', headers: { cookie: coord }, payload: validMember });
    assert.equal(res.statusCode, 201, res.body);
    const m = res.json();
    assert.equal(m.siren, TEST_SIRETS[3]!.slice(0, 9));
    assert.equal(m.billingEmail, 'compta@radio.test');
    assert.equal(m.invoicePrefix, 'RADIOC');
    assert.equal(m.joinedOn, '2026-11-16');
    assert.equal(m.weight, 1);
    const list = await t.app.inject({ url: '/api/members', headers: { cookie: coord } });
    assert.equal(list.json().items.length, 4);
  });

  it('refuses an invalid SIRET, a SIRET of another SIREN, a taken SIREN, writing nothing', async () => {
    const before = dbFingerprint(t.store);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ ...validMember, siret: '44306184100048' }, 422, 'member.invalid_siret'],
      [{ ...validMember, siren: '552081317' }, 422, 'member.siret_mismatch'],
      [{ ...validMember, siret: TEST_SIRETS[0] }, 409, 'member.siren_taken'],
      [{ ...validMember, siret: '1234' }, 400, 'validation.failed'],
      [{ ...validMember, legalForm: 'mafia' }, 400, 'validation.failed'],
      [{ ...validMember, weight: '3' }, 400, 'validation.failed'],
      [{ ...validMember, isAdmin: true }, 400, 'validation.failed'],
      [{ ...validMember, name: 'x'.repeat(1_000_000) }, 400, 'validation.failed'],
      [{ ...validMember, name: 'x'.repeat(1_100_000) }, 413, 'request.too_large'],
      [{ ...validMember, name: 'x'.repeat(5000) }, 400, 'validation.failed'],
      [{ ...validMember, joinedOn: '2026-02-30' }, 422, 'member.invalid_date'],
      [{ name: 'only a name' }, 400, 'validation.failed'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await t.app.inject({ method: 'POST', url: '/api/members', headers: { cookie: coord }, payload });
      assert.equal(res.statusCode, status, `${JSON.stringify(payload).slice(0, 80)} → ${res.body.slice(0, 200)}`);
      assert.equal(res.json().error.code, code);
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/members',
      headers: { cookie: coord, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    assert.equal(malformed.statusCode, 400);
    assert.equal(malformed.json().error.code, 'request.malformed_json');
    assert.equal(dbFingerprint(t.store), before);
  });

  it('a member user sees only its own structure; another structure answers 404', async () => {
    const user = await login(t.app, pole.userA);
    const list = await t.app.inject({ url: '/api/members', headers: { cookie: user } });
    assert.deepEqual(list.json().items.map((m: { id: number }) => m.id), [pole.memberA]);
    assert.equal((await t.app.inject({ url: `/api/members/${pole.memberB}`, headers: { cookie: user } })).statusCode, 404);
    assert.equal((await t.app.inject({ url: `/api/members/${pole.memberA}`, headers: { cookie: user } })).statusCode, 200);
  });

  it('only coordinators create members', async () => {
    const before = dbFingerprint(t.store);
    for (const who of [pole.userA, pole.adminA]) {
      const cookie = await login(t.app, who);
      const res = await t.app.inject({ method: 'POST', url: '/api/members', headers: { cookie }, payload: validMember });
      assert.equal(res.statusCode, 403);
    }
    assert.equal(dbFingerprint(t.store), before);
  });

  it('a member_admin edits its own address but not its identity, nor another structure', async () => {
    const admin = await login(t.app, pole.adminA);
    const ok = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberA}`, headers: { cookie: admin }, payload: { address: '9 place Royale, 44000 Nantes' } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().address, '9 place Royale, 44000 Nantes');
    const before = dbFingerprint(t.store);
    const identity = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberA}`, headers: { cookie: admin }, payload: { weight: 100 } });
    assert.equal(identity.statusCode, 403);
    const other = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberB}`, headers: { cookie: admin }, payload: { address: 'x' } });
    assert.equal(other.statusCode, 404);
    const member = await login(t.app, pole.userA);
    const plain = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberA}`, headers: { cookie: member }, payload: { address: 'x' } });
    assert.equal(plain.statusCode, 403);
    assert.equal(dbFingerprint(t.store), before);
  });

  it('a coordinator changes identity fields with checks; unknown ids answer 404', async () => {
    const res = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberC}`, headers: { cookie: coord }, payload: { leftOn: '2026-12-31', weight: 7 } });
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().leftOn, '2026-12-31');
    const bad = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberC}`, headers: { cookie: coord }, payload: { leftOn: '2020-01-01' } });
    assert.equal(bad.statusCode, 422);
    assert.equal((await t.app.inject({ method: 'PATCH', url: '/api/members/999', headers: { cookie: coord }, payload: { weight: 1 } })).statusCode, 404);
    assert.equal((await t.app.inject({ url: '/api/members/abc', headers: { cookie: coord } })).statusCode, 400);
  });

  it('locks the invoice prefix once a member has issued documents, and never hands an old prefix to another', async () => {
    // Bravo bears a cost that Alpha used in October; closing October makes Bravo issue BRAV-2026-0001.
    const resource = insertResource(t.store, { name: 'Camion', bearerMemberId: pole.memberB });
    insertBooking(t.store, { resourceId: resource, memberId: pole.memberA, userId: pole.userIds[pole.userA]!, start: '2026-10-05T09:00:00+02:00', end: '2026-10-05T12:00:00+02:00' });
    insertCost(t.store, { resourceId: resource, month: '2026-10', amountCents: 30_000 });
    const close = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(close.statusCode, 201, close.body);
    assert.match(close.json().invoices[0].number, /^BRAV-2026-/);

    const locked = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberB}`, headers: { cookie: coord }, payload: { invoicePrefix: 'NEWB' } });
    assert.equal(locked.statusCode, 409);
    assert.equal(locked.json().error.code, 'member.prefix_locked');
    const free = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberC}`, headers: { cookie: coord }, payload: { invoicePrefix: 'CHAR2' } });
    assert.equal(free.statusCode, 200);
    // Simulate a prefix that only survives in issued numbers (its member renamed before the lock existed).
    t.store.sqlite.prepare("UPDATE members SET invoice_prefix = 'OLDB' WHERE id = ?").run(pole.memberB);
    const reused = await t.app.inject({ method: 'PATCH', url: `/api/members/${pole.memberC}`, headers: { cookie: coord }, payload: { invoicePrefix: 'BRAV' } });
    assert.equal(reused.statusCode, 409);
    assert.equal(reused.json().error.code, 'member.prefix_taken');
  });
});
