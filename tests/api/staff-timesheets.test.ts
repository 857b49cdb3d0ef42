import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { pdfText } from '../helpers/pdf';
import { ok, refused, sender, setUpStaff, type StaffSetup } from '../helpers/staff';

/**
 * Timesheets and billing of shared staff. Clock: 16 Nov 2026; October is over. A employs the technician (staff
 * resource borne by A), lent to B for 2026. October payroll: 2 000 € salary, 800 € charges, 50 € expenses for
 * 10 paid hours → 285 €/h.
 */
describe('shared staff: timesheets, approval and billing of approved hours', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let adminA: string;
  let adminB: string;
  let s: StaffSetup;
  let send: ReturnType<typeof sender>;
  const sheet = () => `/api/employees/${s.employeeId}/timesheets/2026-10`;

  beforeEach(async () => {
    t = await buildTestApp();
    send = sender(t);
    pole = await seedPole(t.store);
    [coord, adminA, adminB] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.adminA), login(t.app, pole.adminB)]);
    s = await setUpStaff(t, pole, coord);
    const book = async (memberId: number, start: string, end: string) =>
      ok(await send('POST', '/api/bookings', coord, { resourceId: s.resourceId, memberId, start, end }), 201);
    await book(pole.memberB, '2026-10-05T09:00:00+02:00', '2026-10-05T12:00:00+02:00');
    await book(pole.memberB, '2026-10-06T14:00:00+02:00', '2026-10-06T16:00:00+02:00');
    await book(pole.memberA, '2026-10-07T09:00:00+02:00', '2026-10-07T10:00:00+02:00');
    ok(await send('PUT', `/api/employees/${s.employeeId}/payroll/2026-10`, coord, { grossSalaryCents: 200_000, employerChargesCents: 80_000, reimbursedExpensesCents: 5_000, paidHours: 10 }));
  });
  afterEach(() => t.close());

  const B = () => pole.memberB;
  const lines = (b5: number, own: number) => [
    { date: '2026-10-05', kind: 'made_available', memberId: B(), minutes: b5 },
    // 2 h 30 worked on the 6th where 2 h were booked: the timesheet, not the booking, is billed.
    { date: '2026-10-06', kind: 'made_available', memberId: B(), minutes: 150 },
    { date: '2026-10-07', kind: 'own', minutes: own },
    { date: '2026-10-08', kind: 'absence', minutes: 210 },
  ];

  it('pre-fills from confirmed bookings; the employee corrects; B’s admin disputes then approves; the close bills approved hours × hourly cost by nature', async () => {
    const pre = ok(await send('GET', sheet(), s.staffCookie));
    assert.equal(pre.prefilled, true);
    assert.deepEqual(
      pre.lines.map((l: { date: string; kind: string; memberId: number | null; minutes: number }) => [l.date, l.kind, l.memberId, l.minutes]),
      [
        ['2026-10-05', 'made_available', B(), 180],
        ['2026-10-06', 'made_available', B(), 120],
        ['2026-10-07', 'own', null, 60],
      ],
    );
    // The employee enters 3 h 30 on the 5th; with own hours and an absence the month balances its 10 paid hours.
    const saved = ok(await send('PUT', sheet(), s.staffCookie, { lines: lines(210, 30) }));
    assert.deepEqual([saved.prefilled, saved.totals.totalMinutes, saved.paidHours, saved.balanced], [false, 600, 10, true]);
    assert.deepEqual(saved.members, [{ memberId: B(), status: 'pending' }]);

    // Not approved: the preview warns, listing it, and bills B nothing for the technician.
    const preview = ok(await send('POST', '/api/closings/preview', coord, { month: '2026-10' }));
    const warning = preview.warnings.find((w: { code: string }) => w.code === 'staff.timesheet_unapproved');
    assert.deepEqual(warning?.params, { resource: 'Technicien son', employee: 'Camille Technicienne', memberId: B(), member: 'Association Bravo', minutes: 360, month: '2026-10', disputed: 0, entered: 1 });
    assert.equal(preview.invoices.filter((i: { buyerMemberId: number }) => i.buyerMemberId === B()).length, 0);

    // B's admin disputes the 5th; the employee corrects it (3 h; the month balances again with 1 h own work); B approves.
    const disputed = ok(await send('POST', `${sheet()}/decision`, adminB, { memberId: B(), decision: 'dispute', disputes: [{ date: '2026-10-05', comment: 'Fin à 12 h' }] }));
    assert.deepEqual(disputed.members, [{ memberId: B(), status: 'disputed' }]);
    assert.equal(disputed.lines.find((l: { date: string }) => l.date === '2026-10-05').comment, 'Fin à 12 h');
    ok(await send('PUT', sheet(), s.staffCookie, { lines: lines(180, 60) }));
    const approved = ok(await send('POST', `${sheet()}/decision`, adminB, { memberId: B(), decision: 'approve' }));
    assert.deepEqual(approved.members, [{ memberId: B(), status: 'approved' }]);
    // Approved lines no longer change.
    const before = dbFingerprint(t.store);
    refused(await send('PUT', sheet(), s.staffCookie, { lines: lines(240, 0) }), 409, 'timesheet.approved');
    assert.equal(dbFingerprint(t.store), before);

    const closed = ok(await send('POST', '/api/closings', coord, { month: '2026-10' }), 201);
    assert.equal(closed.warnings.filter((w: { code: string }) => w.code === 'staff.timesheet_unapproved').length, 0);
    const invoice = closed.invoices.find((i: { sellerMemberId: number; buyerMemberId: number }) => i.sellerMemberId === pole.memberA && i.buyerMemberId === B());
    const staffLines = invoice.lines.filter((l: { resourceId: number }) => l.resourceId === s.resourceId);
    // 5 h 30 approved (not the 5 h booked) × 285 €/h = 1 567,50 €: 1 100 € salary, 440 € charges, 27,50 € expenses.
    assert.deepEqual(
      staffLines.map((l: { nature: string; totalExclVatCents: number }) => [l.nature, l.totalExclVatCents]),
      [
        ['salary', 110_000],
        ['social_charges', 44_000],
        ['reimbursed_expenses', 2_750],
      ],
    );

    // The relevé attached to the invoice: days, hours, hourly cost by nature, total (pdftotext).
    const releve = await send('GET', `/api/invoices/${invoice.id}/staff-statement.pdf`, adminB);
    assert.equal(releve.statusCode, 200, releve.body);
    const text = pdfText(releve.rawPayload, { layout: false }).replace(/\s+/g, ' ');
    for (const expected of [
      'Relevé de mise à disposition de personnel',
      `joint à la facture n° ${invoice.number}`,
      'Association Alpha',
      'Association Bravo',
      'Camille Technicienne',
      '05/10/2026 3', // pdftotext may join « 3 h » when right-aligned
      '06/10/2026 2 h 30',
      'Total 5 h 30',
      'Heures payées du mois : 10 h',
      'salaires 2 000,00 € 200,00 € 1 100,00 €',
      'charges sociales 800,00 € 80,00 € 440,00 €',
      '50,00 € 5,00 € 27,50 €',
      'Total 1 567,50 €',
    ]) {
      assert.ok(text.includes(expected), `the relevé says « ${expected} »:\n${text}`);
    }
    assert.equal((await send('GET', `/api/invoices/${invoice.id}/staff-statement.pdf`, await login(t.app, pole.userA))).statusCode, 200, 'the lender reads it too');
  });

  it('no billing outside an agreement: hours made available on a day it does not cover are refused', async () => {
    ok(await send('PATCH', `/api/lending-agreements/${s.agreementId}`, coord, { startDate: '2026-10-06' }));
    const before = dbFingerprint(t.store);
    const e = refused(await send('PUT', sheet(), s.staffCookie, { lines: lines(180, 60) }), 409, 'staff.no_agreement');
    assert.deepEqual(e.details, { date: '2026-10-05', memberId: B() });
    refused(await send('PUT', sheet(), s.staffCookie, { lines: [{ date: '2026-11-02', kind: 'own', minutes: 60 }] }), 422, 'timesheet.invalid');
    refused(await send('PUT', sheet(), s.staffCookie, { lines: [{ date: '2026-10-02', kind: 'own', minutes: 1000 }, { date: '2026-10-02', kind: 'absence', minutes: 500 }] }), 422, 'timesheet.invalid');
    assert.equal(dbFingerprint(t.store), before);
  });

  it('the 25-hour day holds 25 hours (Paris, 25 October 2026), not 26', async () => {
    ok(await send('PUT', sheet(), s.staffCookie, { lines: [{ date: '2026-10-25', kind: 'own', minutes: 1500 }] }));
    refused(await send('PUT', sheet(), s.staffCookie, { lines: [{ date: '2026-10-24', kind: 'own', minutes: 1500 }] }), 422, 'timesheet.invalid');
  });

  it('who does what: the employee sees its own timesheet and schedule only; only B’s admin approves B’s lines', async () => {
    ok(await send('PUT', sheet(), s.staffCookie, { lines: lines(180, 60) }));
    const schedule = ok(await send('GET', `/api/employees/${s.employeeId}/schedule?from=2026-10-01T00:00:00%2B02:00&to=2026-11-01T00:00:00%2B01:00`, s.staffCookie)).items;
    assert.deepEqual(schedule.map((b: { start: string; memberName: string }) => [b.start, b.memberName]), [
      ['2026-10-05T09:00:00+02:00', 'Association Bravo'],
      ['2026-10-06T14:00:00+02:00', 'Association Bravo'],
      ['2026-10-07T09:00:00+02:00', 'Association Alpha'],
    ]);
    const other = ok(await send('POST', '/api/employees', coord, { name: 'Autre', qualification: 'Comptable', employerMemberId: pole.memberA, weeklyHours: 20 }), 201).id;
    // The employee's account finds itself (its id leads to its timesheet), and no other employee.
    assert.deepEqual(ok(await send('GET', '/api/employees', s.staffCookie)).items.map((e: { id: number }) => e.id), [s.employeeId]);
    assert.equal(ok(await send('GET', `/api/employees/${s.employeeId}`, s.staffCookie)).userId, s.staffUserId);
    refused(await send('GET', `/api/employees/${other}`, s.staffCookie), 404, 'employee.not_found');
    refused(await send('GET', '/api/lending-agreements', s.staffCookie), 403, 'access.staff_only');
    refused(await send('GET', `/api/employees/${other}/timesheets/2026-10`, s.staffCookie), 404, 'employee.not_found');
    refused(await send('GET', `/api/employees/${other}/schedule?from=2026-10-01T00:00:00Z&to=2026-10-02T00:00:00Z`, s.staffCookie), 404, 'employee.not_found');
    refused(await send('POST', `${sheet()}/decision`, s.staffCookie, { memberId: B(), decision: 'approve' }), 403, 'access.staff_only');
    refused(await send('POST', `${sheet()}/decision`, adminA, { memberId: B(), decision: 'approve' }), 403, 'access.forbidden');
    refused(await send('PUT', sheet(), adminB, { lines: [] }), 404, 'employee.not_found');
    // B's users read their own lines only.
    const seenByB = ok(await send('GET', sheet(), adminB));
    assert.ok(seenByB.lines.every((l: { memberId: number }) => l.memberId === B()));
    assert.equal(seenByB.balanced, null);
  });
});
