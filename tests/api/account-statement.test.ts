import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { euros as eurosNbsp } from '../../server/documents/format';
import { buildTestApp, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { seedOctober } from '../helpers/closing';
import { pdfText } from '../helpers/pdf';

const euros = (cents: number) => eurosNbsp(cents).replace(/\u00a0/g, ' ');
const signed = (cents: number) => (cents > 0 ? `+${euros(cents)}` : euros(cents));
const flat = (text: string) => text.replace(/\s+/g, ' ');

/**
 * B's account on the test pole's October (tests/helpers/closing.ts): it received ALPH-2026-0001 and issued
 * BRAV-2026-0001/0002; it pays part of what it owes, and credits part of BRAV-2026-0002.
 */
describe('account statement', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let adminB: string;
  const docs = new Map<string, { id: number; totalInclVatCents: number }>();
  let creditCents = 0;
  before(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    seedOctober(t.store, pole);
    coord = await login(t.app, pole.coordinator);
    adminB = await login(t.app, pole.adminB);
    const closed = await t.app.inject({ method: 'POST', url: '/api/closings', headers: { cookie: coord }, payload: { month: '2026-10' } });
    for (const d of closed.json().invoices) docs.set(d.number, d);
    const paid = await t.app.inject({
      method: 'POST',
      url: `/api/invoices/${docs.get('ALPH-2026-0001')!.id}/payments`,
      headers: { cookie: coord },
      payload: { amountCents: 10_000, paidOn: '2026-11-16', method: 'transfer', reference: 'VIR 1' },
    });
    assert.equal(paid.statusCode, 201, paid.body);
    const note = await t.app.inject({ method: 'POST', url: `/api/invoices/${docs.get('BRAV-2026-0002')!.id}/credit-note`, headers: { cookie: coord }, payload: { amountCents: 1000 } });
    assert.equal(note.statusCode, 201, note.body);
    creditCents = note.json().totalInclVatCents;
    docs.set(note.json().number, note.json());
  });
  after(() => t.close());

  const account = async (query: string, cookie = adminB, memberId = pole.memberB) => {
    const res = await t.app.inject({ url: `/api/members/${memberId}/account.pdf${query}`, headers: { cookie } });
    assert.equal(res.statusCode, 200, res.body);
    assert.equal(res.headers['content-type'], 'application/pdf');
    return flat(pdfText(res.rawPayload));
  };

  it('lists invoices, credit notes and payments with the balance still open either way', async () => {
    const text = await account('?from=2026-11-01&to=2026-11-30');
    const received = docs.get('ALPH-2026-0001')!.totalInclVatCents;
    const issued = docs.get('BRAV-2026-0001')!.totalInclVatCents + docs.get('BRAV-2026-0002')!.totalInclVatCents;
    assert.ok(creditCents > 0);
    for (const number of ['ALPH-2026-0001', 'BRAV-2026-0001', 'BRAV-2026-0002', 'BRAV-2026-0003']) assert.ok(text.includes(number), number);
    assert.ok(!text.includes('ALPH-2026-0002'), 'A → C is not B’s');
    assert.match(text, /Facture reçue 16\/11\/2026|16\/11\/2026 Facture reçue/);
    assert.ok(text.includes(`Paiement versé ALPH-2026-0001 Association Alpha ${signed(10_000)}`), text);
    assert.ok(text.includes(`Avoir émis BRAV-2026-0003 Association Charlie ${signed(-creditCents)}`), text);
    assert.ok(text.includes(`Solde d’ouverture ${signed(0)}`));
    const net = issued - creditCents - received + 10_000;
    assert.ok(text.includes(`Solde de clôture ${signed(net)}`), text);
    assert.ok(text.includes(`Reste à recevoir ${euros(issued - creditCents)}`), text);
    assert.ok(text.includes(`Reste à payer ${euros(received - 10_000)}`), text);
    assert.doesNotMatch(text, /Association Alpha .*Association Charlie .*Paiement reçu/, 'nothing was paid to B');
  });

  it('carries what came before `from` as the opening balance, and leaves out what comes after `to`', async () => {
    const later = await account('?from=2026-11-17&to=2026-11-30');
    assert.ok(!later.includes('Facture émise'), 'nothing issued after the 16th');
    assert.ok(/Solde d’ouverture \+/.test(later), later);
    const earlier = await account('?to=2026-11-15');
    assert.ok(earlier.includes(`Solde de clôture ${signed(0)}`));
    assert.ok(earlier.includes(`Reste à payer ${euros(0)}`));
  });

  it('shows a member only its own account, and refuses a reversed period with a stable code', async () => {
    const userA = await login(t.app, pole.userA);
    assert.equal((await t.app.inject({ url: `/api/members/${pole.memberB}/account.pdf`, headers: { cookie: userA } })).statusCode, 404);
    assert.ok((await account('', coord)).includes('BRAV-2026-0001'), 'coordinators read any account');
    const reversed = await t.app.inject({ url: `/api/members/${pole.memberB}/account.pdf?from=2026-12-01&to=2026-11-01`, headers: { cookie: adminB } });
    assert.equal(reversed.statusCode, 400);
    assert.equal(reversed.json().error.code, 'account.invalid_range');
    assert.equal((await t.app.inject({ url: `/api/members/${pole.memberB}/account.pdf?from=1-2-3`, headers: { cookie: adminB } })).statusCode, 400);
    assert.equal((await t.app.inject({ url: '/api/members/999999/account.pdf', headers: { cookie: coord } })).statusCode, 404);
  });
});
