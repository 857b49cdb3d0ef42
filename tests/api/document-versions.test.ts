import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';
import { pdfText } from '../helpers/pdf';

interface VersionItem {
  kind: 'summary' | 'statement';
  memberId: number | null;
  version: number;
  reason: string;
  reference: string | null;
  createdAt: string;
  sha256: string;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const flat = (text: string) => text.replace(/\s+/g, ' ');

/**
 * Versions of October's summary and statements on the test pole (tests/helpers/closing.ts): v1 at the close,
 * unchanged by a payment, v2 for the summary and both parties after a credit note; v1 stays downloadable.
 */
describe('versions of a closed month’s documents', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let userB: string;
  let v1: VersionItem[];
  let note: { id: number; number: string };
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    userB = await login(t.app, pole.userB);
    const closed = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    assert.equal(closed.statusCode, 201, closed.body);
  });
  after(() => t.close());

  const get = (url: string, cookie = coord) => t.app.inject({ url, headers: { cookie } });
  const versions = async (cookie = coord): Promise<VersionItem[]> => {
    const res = await get('/api/closings/2026-10/versions', cookie);
    assert.equal(res.statusCode, 200, res.body);
    return res.json().items;
  };
  const statement = (memberId: number) => get(`/api/statements/2026-10/${memberId}/pdf`);

  it('stores version 1 of the summary and of every member’s statement at the close, and serves it', async () => {
    v1 = await versions();
    assert.deepEqual(
      v1.map((v) => [v.kind, v.memberId, v.version, v.reason]),
      [['summary', null, 1, 'close'], ['statement', pole.memberA, 1, 'close'], ['statement', pole.memberB, 1, 'close'], ['statement', pole.memberC, 1, 'close']],
    );
    const c = await statement(pole.memberC);
    assert.equal(sha256(c.rawPayload), v1.find((v) => v.memberId === pole.memberC)!.sha256);
    assert.match(flat(pdfText(c.rawPayload)), /Version 1 du 16\/11\/2026/);
    assert.equal(sha256((await get('/api/closings/2026-10/pdf')).rawPayload), v1[0]!.sha256);
  });

  it('keeps the same bytes after a payment', async () => {
    const inv = (await get('/api/invoices?month=2026-10')).json().items.find((i: { number: string }) => i.number === 'BRAV-2026-0002');
    const paid = await t.app.inject({ method: 'POST', url: `/api/invoices/${inv.id}/payments`, headers: { cookie: coord }, payload: { amountCents: 1000, paidOn: '2026-11-16', method: 'cheque' } });
    assert.equal(paid.statusCode, 201, paid.body);
    assert.deepEqual(await versions(), v1);
    assert.equal(sha256((await statement(pole.memberC)).rawPayload), v1.find((v) => v.memberId === pole.memberC)!.sha256);
  });

  it('adds a dated version of the summary and of both parties’ statements after a credit note, keeping v1', async () => {
    t.clock.set('2026-11-20T15:30:00+01:00');
    const inv = (await get('/api/invoices?month=2026-10')).json().items.find((i: { number: string }) => i.number === 'BRAV-2026-0002');
    const res = await t.app.inject({ method: 'POST', url: `/api/invoices/${inv.id}/credit-note`, headers: { cookie: coord }, payload: { amountCents: 2000 } });
    assert.equal(res.statusCode, 201, res.body);
    note = res.json();
    const all = await versions();
    const added = all.filter((v) => v.version === 2);
    assert.deepEqual(
      added.map((v) => [v.kind, v.memberId, v.reason, v.reference, v.createdAt]),
      [['summary', null, 'credit_note', note.number, '2026-11-20T15:30:00+01:00'], ['statement', pole.memberB, 'credit_note', note.number, '2026-11-20T15:30:00+01:00'], ['statement', pole.memberC, 'credit_note', note.number, '2026-11-20T15:30:00+01:00']],
    );
    assert.ok(!all.some((v) => v.memberId === pole.memberA && v.version > 1), 'A is not concerned');
    const current = flat(pdfText((await statement(pole.memberC)).rawPayload));
    assert.ok(current.includes(note.number) && /Version 2 du 20\/11\/2026 15:30/.test(current), current);
    const old = await get(`/api/statements/2026-10/${pole.memberC}/versions/1/pdf`);
    assert.equal(old.statusCode, 200);
    assert.equal(sha256(old.rawPayload), v1.find((v) => v.memberId === pole.memberC)!.sha256, 'v1 unchanged');
    assert.ok(!flat(pdfText(old.rawPayload)).includes(note.number));
    const summary2 = await get('/api/closings/2026-10/versions/2/pdf');
    assert.equal(sha256(summary2.rawPayload), added[0]!.sha256);
  });

  it('shows a member only its own statements’ versions; the summary’s are for coordinators', async () => {
    const mine = await versions(userB);
    assert.ok(mine.length >= 2 && mine.every((v) => v.kind === 'statement' && v.memberId === pole.memberB));
    assert.equal((await get(`/api/statements/2026-10/${pole.memberB}/versions/2/pdf`, userB)).statusCode, 200);
    assert.equal((await get(`/api/statements/2026-10/${pole.memberC}/versions/1/pdf`, userB)).statusCode, 404);
    assert.equal((await get('/api/closings/2026-10/versions/1/pdf', userB)).statusCode, 403);
    const missing = await get(`/api/statements/2026-10/${pole.memberB}/versions/9/pdf`);
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().error.code, 'document_version.not_found');
    assert.equal((await get('/api/closings/2026-13/versions')).statusCode, 400);
    assert.deepEqual(await (async () => (await get('/api/closings/2026-09/versions')).json().items)(), [], 'an open month has no versions');
  });
});
