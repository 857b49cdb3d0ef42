import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { assertOpenPeriod } from '../../server/closing/freeze';
import { closeMonth } from '../../server/closing/service';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { insertBooking, insertResource } from '../helpers/closing';

/**
 * The monthly close over the API. The pole (clock: 16 Nov 2026): A (association, the pole's grouping) bears
 * the accounting service; B (SCOP, liable to VAT) bears a shared sound technician; C is an eligible
 * association (261 B). October 2026 is over.
 */
describe('monthly close', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let accounting: number;
  let technician: number;

  beforeEach(async () => {
    t = await buildTestApp();
    pole = await seedPole(t.store);
    coord = await login(t.app, pole.coordinator);
    accounting = insertResource(t.store, { name: 'Comptabilité mutualisée', kind: 'service', bearerMemberId: pole.memberA });
    technician = insertResource(t.store, { name: 'Technicien son partagé', kind: 'staff', bearerMemberId: pole.memberB });
    const u = pole.userIds[pole.coordinator]!;
    // Accounting, October: A 2 h, B 3 h, C 5 h (+ a cancelled and a pending booking that count for nothing).
    insertBooking(t.store, { resourceId: accounting, memberId: pole.memberA, userId: u, start: '2026-10-05T09:00:00+02:00', end: '2026-10-05T11:00:00+02:00' });
    insertBooking(t.store, { resourceId: accounting, memberId: pole.memberB, userId: u, start: '2026-10-06T09:00:00+02:00', end: '2026-10-06T12:00:00+02:00' });
    insertBooking(t.store, { resourceId: accounting, memberId: pole.memberC, userId: u, start: '2026-10-07T09:00:00+02:00', end: '2026-10-07T14:00:00+02:00' });
    insertBooking(t.store, { resourceId: accounting, memberId: pole.memberC, userId: u, start: '2026-10-08T09:00:00+02:00', end: '2026-10-08T18:00:00+02:00', status: 'cancelled' });
    insertBooking(t.store, { resourceId: accounting, memberId: pole.memberB, userId: u, start: '2026-10-09T09:00:00+02:00', end: '2026-10-09T18:00:00+02:00', status: 'pending' });
    // Technician, October: A 4 h, C 4 h.
    insertBooking(t.store, { resourceId: technician, memberId: pole.memberA, userId: u, start: '2026-10-10T14:00:00+02:00', end: '2026-10-10T18:00:00+02:00' });
    insertBooking(t.store, { resourceId: technician, memberId: pole.memberC, userId: u, start: '2026-10-11T14:00:00+02:00', end: '2026-10-11T18:00:00+02:00' });
    for (const body of [
      { resourceId: accounting, month: '2026-10', amountCents: 100_000, vatRate: 0, label: 'Logiciel et honoraires', nature: 'subscription' },
      { resourceId: technician, month: '2026-10', amountCents: 200_000, vatRate: 20, label: 'Salaire brut', nature: 'salary', paidHours: 8 },
      { resourceId: technician, month: '2026-10', amountCents: 80_000, vatRate: 20, label: 'Charges patronales', nature: 'social_charges' },
    ]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/costs', headers: { cookie: coord }, payload: body });
      assert.equal(res.statusCode, 201, res.body);
    }
  });
  afterEach(() => t.close());

  const post = (url: string, cookie: string, payload: unknown) => t.app.inject({ method: 'POST', url, headers: { cookie }, payload: payload as object });
  const get = (url: string, cookie: string) => t.app.inject({ method: 'GET', url, headers: { cookie } });
  // A preview has no row id and no stored PDF yet (its SHA-256 comes with the issued document).
  const withoutIds = (invoices: { id: unknown; documentSha256?: unknown }[]) => invoices.map(({ id: _id, documentSha256: _sha, ...rest }) => rest);

  it('previews exactly what the close then issues: same numbers, amounts, mentions and hashes', async () => {
    const preview = await post('/api/closings/preview', coord, { month: '2026-10' });
    assert.equal(preview.statusCode, 200, preview.body);
    const before = dbFingerprint(t.store);
    const again = await post('/api/closings/preview', coord, { month: '2026-10' });
    assert.deepEqual(again.json(), preview.json(), 'a preview is repeatable');
    assert.equal(dbFingerprint(t.store), before, 'a preview writes nothing');

    const close = await post('/api/closings', coord, { month: '2026-10' });
    assert.equal(close.statusCode, 201, close.body);
    const issued = close.json().invoices;
    assert.ok(issued.every((i: { id: number }) => Number.isInteger(i.id)));
    assert.deepEqual(withoutIds(issued), withoutIds(preview.json().invoices));
    assert.deepEqual(
      issued.map((i: { number: string; totalExclVatCents: number; totalVatCents: number; totalInclVatCents: number }) => [i.number, i.totalExclVatCents, i.totalVatCents, i.totalInclVatCents]),
      [
        ['ALPH-2026-0001', 30_000, 6_000, 36_000], // A → B: 3 h of 10 h of 1 000 €; B (a SCOP) is not eligible to 261 B: VAT 20 %
        ['ALPH-2026-0002', 50_000, 0, 50_000], // A → C: 5 h, exempt under 261 B (grouping → eligible member, exact share)
        ['BRAV-2026-0001', 140_000, 28_000, 168_000], // B → A: half of 2 800 €, VAT 20 %
        ['BRAV-2026-0002', 140_000, 28_000, 168_000], // B → C
      ],
    );
  });

  it('issues invoices with every legal mention, a line per resource and cost nature with its basis', async () => {
    const { invoices } = (await post('/api/closings', coord, { month: '2026-10' })).json();
    const aToB = invoices.find((i: { number: string }) => i.number === 'ALPH-2026-0001');
    assert.equal(aToB.kind, 'invoice');
    assert.equal(aToB.sellerMemberId, pole.memberA);
    assert.equal(aToB.buyerMemberId, pole.memberB);
    assert.equal(aToB.issueDate, '2026-11-16');
    assert.equal(aToB.periodStart, '2026-10-01');
    assert.equal(aToB.periodEnd, '2026-10-31');
    assert.equal(aToB.dueDate, '2026-12-16', '30 days of payment terms');
    assert.equal(aToB.seller.siren, '732829320');
    assert.equal(aToB.seller.siret, '73282932000074');
    assert.match(aToB.seller.address, /rue de la Paix/);
    assert.equal(aToB.buyer.vatNumber, 'FR03552081317');
    assert.equal(aToB.buyer.siren, '552081317');
    assert.equal(aToB.mentions.vat, null, 'the grouping charges VAT to a member that is not eligible');
    const aToC = invoices.find((i: { number: string }) => i.number === 'ALPH-2026-0002');
    assert.equal(aToC.mentions.vat, 'Exonération de TVA, art. 261 B du CGI');
    assert.deepEqual(
      aToC.lines.map((l: { vatCategory: string; vatRate: number; exemptionCode: string }) => [l.vatCategory, l.vatRate, l.exemptionCode]),
      [['E', 0, 'VATEX-EU-132-1F']],
    );
    assert.equal(aToB.mentions.operation, 'Prestations de services');
    assert.match(aToB.mentions.latePenalty, /12,00 %/);
    assert.match(aToB.mentions.recoveryIndemnity, /40,00/);
    assert.equal(aToB.recoveryIndemnityCents, 4000);
    assert.equal(aToB.latePenaltyRateBp, 1200);
    assert.equal(aToB.lines.length, 1);
    const line = aToB.lines[0];
    assert.equal(line.resourceId, accounting);
    assert.equal(line.vatRate, 20, 'the resource’s output rate, not the cost’s (0 %)');
    assert.equal(line.vatCategory, 'S');
    assert.equal(line.totalExclVatCents, 30_000);
    assert.equal(line.unitPriceExclVatCents * line.quantity, line.totalExclVatCents);
    assert.deepEqual({ minutes: line.basis.minutes, totalMinutes: line.basis.totalMinutes, percent: line.basis.percent }, { minutes: 180, totalMinutes: 600, percent: 30 });
    assert.match(line.description, /Comptabilité mutualisée.*3 h sur 10 h/);

    const bToA = invoices.find((i: { number: string }) => i.number === 'BRAV-2026-0001');
    assert.equal(bToA.mentions.vat, null, 'a VAT-liable seller charges VAT');
    assert.match(bToA.mentions.staffLending, /L8241-1/);
    assert.deepEqual(
      bToA.lines.map((l: { nature: string; totalExclVatCents: number; vatRate: number }) => [l.nature, l.totalExclVatCents, l.vatRate]),
      [
        ['salary', 100_000, 20],
        ['social_charges', 40_000, 20],
      ],
    );
    assert.deepEqual(bToA.vatBreakdown, [{ vatCategory: 'S', vatRate: 20, exemptionCode: null, exemptionText: null, baseCents: 140_000, vatCents: 28_000 }]);
    assert.ok(!invoices.some((i: { sellerMemberId: number; buyerMemberId: number }) => i.sellerMemberId === i.buyerMemberId), 'nobody invoices itself');

    const stored = await get(`/api/invoices/${aToB.id}`, coord);
    assert.equal(stored.statusCode, 200);
    assert.equal(stored.json().hash, aToB.hash);
  });

  it('refuses to close a month twice, and the refusal writes nothing', async () => {
    assert.equal((await post('/api/closings', coord, { month: '2026-10' })).statusCode, 201);
    const before = dbFingerprint(t.store);
    const again = await post('/api/closings', coord, { month: '2026-10' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().error.code, 'closing.already_closed');
    assert.equal((await post('/api/closings/preview', coord, { month: '2026-10' })).statusCode, 409);
    assert.equal(dbFingerprint(t.store), before);
    const list = (await get('/api/closings', coord)).json().items;
    assert.deepEqual(list.map((c: { month: string; invoiceCount: number }) => [c.month, c.invoiceCount]), [['2026-10', 4]]);
  });

  it('refuses a month not ended, a future month and a malformed month, writing nothing', async () => {
    const before = dbFingerprint(t.store);
    for (const [month, status, code] of [
      ['2026-11', 422, 'closing.month_not_ended'],
      ['2027-02', 422, 'closing.month_not_ended'],
      ['2026-13', 400, 'validation.failed'],
      ['2026-1', 400, 'validation.failed'],
      ['octobre', 400, 'validation.failed'],
    ] as const) {
      for (const url of ['/api/closings', '/api/closings/preview']) {
        const res = await post(url, coord, { month });
        assert.equal(res.statusCode, status, `${url} ${month}: ${res.body}`);
        assert.equal(res.json().error.code, code);
      }
    }
    assert.equal((await post('/api/closings', coord, { month: '2026-10', extra: 1 })).statusCode, 400);
    assert.equal((await get('/api/allocations?month=2026-1', coord)).statusCode, 400);
    assert.equal(dbFingerprint(t.store), before);
    // The month ends at midnight in Paris: 31 Oct 2026 23:59 (UTC+1) is still October.
    t.clock.set('2026-10-31T23:59:00+01:00');
    assert.equal((await post('/api/closings', coord, { month: '2026-10' })).statusCode, 422);
    t.clock.set('2026-11-01T00:00:00+01:00');
    assert.equal((await post('/api/closings', coord, { month: '2026-10' })).statusCode, 201);
  });

  it('freezes the month: its costs and bookings can no longer change', async () => {
    const costs = (await get('/api/costs?month=2026-10', coord)).json().items;
    assert.equal(costs.length, 3);
    assert.equal((await post('/api/closings', coord, { month: '2026-10' })).statusCode, 201);
    const before = dbFingerprint(t.store);
    const add = await post('/api/costs', coord, { resourceId: accounting, month: '2026-10', amountCents: 100, vatRate: 0, label: 'Oubli', nature: 'other' });
    assert.equal(add.statusCode, 409);
    assert.equal(add.json().error.code, 'month.closed');
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/costs/${costs[0].id}`, headers: { cookie: coord }, payload: { amountCents: 1 } });
    assert.equal(patch.statusCode, 409);
    const moveIn = await t.app.inject({ method: 'DELETE', url: `/api/costs/${costs[0].id}`, headers: { cookie: coord } });
    assert.equal(moveIn.statusCode, 409);
    assert.equal(dbFingerprint(t.store), before);
    // Bookings: the guard the bookings capability calls inside its write transaction.
    const zone = 'Europe/Paris';
    assert.throws(
      () => assertOpenPeriod(t.store.sqlite, zone, Date.parse('2026-10-20T10:00:00+02:00'), Date.parse('2026-10-20T12:00:00+02:00')),
      (e: { code?: string }) => e.code === 'month.closed',
    );
    assert.throws(
      () => assertOpenPeriod(t.store.sqlite, zone, Date.parse('2026-10-31T22:00:00+01:00'), Date.parse('2026-11-01T02:00:00+01:00')),
      (e: { code?: string }) => e.code === 'month.closed',
      'a booking straddling into a closed month is refused too',
    );
    assert.doesNotThrow(() => assertOpenPeriod(t.store.sqlite, zone, Date.parse('2026-11-01T00:00:00+01:00'), Date.parse('2026-11-01T02:00:00+01:00')));
    // The last line of defence: even a direct write to a closed month's costs is refused.
    assert.throws(() => t.store.sqlite.prepare('UPDATE costs SET amount_cents = 1 WHERE id = ?').run(costs[0].id), /month\.closed/);
  });

  it('refuses a booking change inside a closed month through the bookings API', async () => {
    // The prerequisite is checked, not skipped: without the bookings route this test fails.
    const probe = await post('/api/bookings', coord, {});
    assert.notEqual(probe.json().error?.code, 'route.not_found', 'the bookings API is there');
    assert.equal((await post('/api/closings', coord, { month: '2026-10' })).statusCode, 201);
    const before = dbFingerprint(t.store);
    const create = await post('/api/bookings', coord, {
      resourceId: accounting,
      memberId: pole.memberA,
      start: '2026-10-20T09:00:00+02:00',
      end: '2026-10-20T10:00:00+02:00',
    });
    assert.equal(create.statusCode, 409, create.body);
    assert.equal(create.json().error.code, 'month.closed');
    const existing = t.store.sqlite.prepare("SELECT id FROM bookings WHERE status = 'confirmed' ORDER BY id LIMIT 1").pluck().get() as number;
    const cancel = await t.app.inject({ method: 'DELETE', url: `/api/bookings/${existing}`, headers: { cookie: coord } });
    assert.equal(cancel.statusCode, 409, cancel.body);
    const move = await t.app.inject({
      method: 'PATCH',
      url: `/api/bookings/${existing}`,
      headers: { cookie: coord },
      payload: { start: '2026-11-20T09:00:00+01:00', end: '2026-11-20T11:00:00+01:00' },
    });
    assert.equal(move.statusCode, 409, move.body);
    assert.equal(dbFingerprint(t.store), before);
  });

  it('warns with stable codes and params, the same in the preview and the close, and keeps notes as data', async () => {
    // A room borne by C with a cost and no booking at all: the usage rule falls back to the weights (1:2:3).
    const room = insertResource(t.store, { name: 'Salle de répétition', kind: 'room', bearerMemberId: pole.memberC });
    const cost = await post('/api/costs', coord, { resourceId: room, month: '2026-10', amountCents: 60_000, vatRate: 0, label: 'Loyer', nature: 'rent_or_lease' });
    assert.equal(cost.statusCode, 201, cost.body);
    const preview = await post('/api/closings/preview', coord, { month: '2026-10' });
    assert.equal(preview.statusCode, 200, preview.body);
    const expected = [
      {
        code: 'allocation.fallback',
        message: 'Salle de répétition: no usage at all this month: split by the weights instead',
        resourceId: room,
        params: { resource: 'Salle de répétition', rule: 'usage', part: 'all', fallback: 'weights' },
      },
      { code: 'bookings.pending', message: '1 booking(s) of the month are still pending: they count for nothing and will stay frozen.', params: { count: 1 } },
      // The shared staff resource of this suite has no employee: billed from its bookings, it is named.
      {
        code: 'staff.resource_unlinked',
        message: 'Technicien son partagé is a staff resource linked to no employee: it is billed from its bookings, without lending agreement, approved timesheet nor payroll figures',
        resourceId: technician,
        params: { resource: 'Technicien son partagé' },
      },
    ];
    // The e-invoice completeness warnings (the test pole's members have no IBAN) are tests/api/einvoice.test.ts's.
    const own = (warnings: { code: string }[]) => warnings.filter((w) => w.code !== 'einvoice.incomplete_party');
    assert.deepEqual(own(preview.json().warnings), expected);
    const note = { code: 'fallback', part: 'all', rule: 'usage', fallback: 'weights' };
    const noteOf = (allocation: { totals: { resources: { resourceId: number; note: unknown }[] } }) => allocation.totals.resources.find((r) => r.resourceId === room)?.note;
    assert.deepEqual(noteOf((await get('/api/allocations?month=2026-10', coord)).json()), note, 'the provisional allocation carries the note');

    const close = await post('/api/closings', coord, { month: '2026-10' });
    assert.equal(close.statusCode, 201, close.body);
    assert.deepEqual(close.json().warnings, preview.json().warnings, 'the close warns exactly as its preview');
    assert.deepEqual(own(close.json().warnings), expected);
    assert.deepEqual(noteOf((await get('/api/allocations?month=2026-10', coord)).json()), note, 'the snapshot keeps the note');
    const stored = t.store.sqlite.prepare("SELECT resource_id AS id, note FROM allocation_resources WHERE month = '2026-10' ORDER BY resource_id").all();
    assert.deepEqual(stored, [
      { id: accounting, note: null },
      { id: technician, note: null },
      { id: room, note: JSON.stringify(note) },
    ]);

    // A snapshot written before notes were structured holds a sentence: it still reads, as text. (The frozen
    // snapshot refuses updates; this in-memory database lifts the guard to stand for an older database.)
    t.store.sqlite.exec('DROP TRIGGER allocation_resources_frozen_update');
    t.store.sqlite.prepare("UPDATE allocation_resources SET note = 'No usage at all this month: split by weights instead.' WHERE resource_id = ?").run(room);
    assert.deepEqual(noteOf((await get('/api/allocations?month=2026-10', coord)).json()), { code: 'text', text: 'No usage at all this month: split by weights instead.' });
  });

  it('serves the final allocation of a closed month, and a provisional one while open', async () => {
    const open = (await get('/api/allocations?month=2026-10', coord)).json();
    assert.equal(open.final, false);
    assert.equal((await post('/api/closings', coord, { month: '2026-10' })).statusCode, 201);
    const closed = (await get('/api/allocations?month=2026-10', coord)).json();
    assert.equal(closed.final, true);
    assert.deepEqual(closed.rows, open.rows, 'the snapshot is what was computed');
    assert.equal(closed.totals.costCents, 380_000);
    assert.equal(closed.totals.allocatedCents, 380_000);
    // Changing a rule or a booking afterwards no longer moves a closed month's allocation.
    t.store.sqlite.prepare("UPDATE bookings SET status = 'cancelled' WHERE resource_id = ?").run(accounting);
    assert.deepEqual((await get('/api/allocations?month=2026-10', coord)).json().rows, closed.rows);
  });

  it('lets a member user see only its own invoices, and not close, preview, or enter costs', async () => {
    await post('/api/closings', coord, { month: '2026-10' });
    const all = (await get('/api/invoices?month=2026-10', coord)).json().items as { id: number; sellerMemberId: number; buyerMemberId: number }[];
    assert.equal(all.length, 4);
    const a = await login(t.app, pole.userA);
    const mine = (await get('/api/invoices', a)).json().items as typeof all;
    assert.deepEqual(
      mine.map((i) => i.id).sort(),
      all.filter((i) => i.sellerMemberId === pole.memberA || i.buyerMemberId === pole.memberA).map((i) => i.id).sort(),
    );
    assert.equal(mine.length, 3, 'A sells twice and buys once');
    const bToC = all.find((i) => i.sellerMemberId === pole.memberB && i.buyerMemberId === pole.memberC)!;
    const hidden = await get(`/api/invoices/${bToC.id}`, a);
    assert.equal(hidden.statusCode, 404);
    assert.equal((await get(`/api/invoices?memberId=${pole.memberC}`, a)).json().items.length, 1, 'only A → C');
    const before = dbFingerprint(t.store);
    const adminB = await login(t.app, pole.adminB);
    for (const cookie of [a, adminB]) {
      assert.equal((await post('/api/closings', cookie, { month: '2026-09' })).statusCode, 403);
      assert.equal((await post('/api/closings/preview', cookie, { month: '2026-09' })).statusCode, 403);
      assert.equal((await post('/api/costs', cookie, { resourceId: accounting, month: '2026-11', amountCents: 1, vatRate: 0, label: 'x', nature: 'other' })).statusCode, 403);
      assert.equal((await post(`/api/invoices/${bToC.id}/credit-note`, cookie, {})).statusCode, 403);
      assert.equal((await get('/api/integrity', cookie)).statusCode, 403);
    }
    assert.equal(dbFingerprint(t.store), before);
    // Allocations: own rows, pole totals.
    const alloc = (await get('/api/allocations?month=2026-10', a)).json();
    assert.ok(alloc.rows.length > 0);
    assert.ok(alloc.rows.every((r: { memberId: number }) => r.memberId === pole.memberA));
    assert.equal(alloc.totals.costCents, 380_000);
    assert.deepEqual(alloc.totals.members.map((m: { memberId: number }) => m.memberId), [pole.memberA]);
  });

  it('records a payment, by the seller or a coordinator only, and keeps it out of the hash', async () => {
    const { invoices } = (await post('/api/closings', coord, { month: '2026-10' })).json();
    const bToA = invoices.find((i: { number: string }) => i.number === 'BRAV-2026-0001');
    const adminA = await login(t.app, pole.adminA);
    assert.equal((await post(`/api/invoices/${bToA.id}/payment`, adminA, { paidOn: '2026-11-16' })).statusCode, 403, 'the buyer cannot mark it paid');
    const adminB = await login(t.app, pole.adminB);
    assert.equal((await post(`/api/invoices/${bToA.id}/payment`, adminB, { paidOn: '2026-11-01' })).statusCode, 422, 'paid before issue');
    assert.equal((await post(`/api/invoices/${bToA.id}/payment`, adminB, { paidOn: '2026-12-01' })).statusCode, 422, 'paid in the future');
    const paid = await post(`/api/invoices/${bToA.id}/payment`, adminB, { paidOn: '2026-11-16' });
    assert.equal(paid.statusCode, 200, paid.body);
    assert.equal(paid.json().paidOn, '2026-11-16');
    assert.equal((await get('/api/integrity', coord)).json().ok, true);
  });

  it('can be run as a function (CLI and tests) with progress lines, without an actor', () => {
    const lines: string[] = [];
    const result = closeMonth({ store: t.store, db: t.store.db, sqlite: t.store.sqlite, clock: t.clock, config: {} as never }, {
      month: '2026-10',
      actor: null,
      onProgress: (l) => lines.push(l),
    });
    assert.equal(result.invoices.length, 4);
    assert.ok(lines.some((l) => l.includes('ALPH-2026-0001')));
    assert.equal(t.store.sqlite.prepare('SELECT closed_by_user_id FROM closings').pluck().get(), null);
    assert.equal(t.store.sqlite.pragma('synchronous', { simple: true }), 1, 'synchronous is back to NORMAL after the close');
  });
});
