import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { buildTestApp, dbFingerprint, login, seedPole, TEST_PASSWORD, type SeededPole, type TestApp } from '../helpers/app';
import { pdfText } from '../helpers/pdf';
import { ok, refused, sender, setUpStaff, type StaffSetup } from '../helpers/staff';

describe('shared staff: employees, lending agreements (C. trav. L8241-2) and the staff role', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let userA: string;
  let userB: string;
  let s: StaffSetup;
  let send: ReturnType<typeof sender>;

  const book = (cookie: string, start: string, end: string, memberId?: number) =>
    send('POST', '/api/bookings', cookie, { resourceId: s.resourceId, start, end, ...(memberId ? { memberId } : {}) });

  beforeEach(async () => {
    t = await buildTestApp();
    send = sender(t);
    pole = await seedPole(t.store);
    [coord, userA, userB] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.userA), login(t.app, pole.userB)]);
    s = await setUpStaff(t, pole, coord);
  });
  afterEach(() => t.close());

  it('answers the employee and the agreement in their shapes; parties read them, others do not', async () => {
    assert.deepEqual(ok(await send('GET', `/api/employees/${s.employeeId}`, userB)), {
      id: s.employeeId,
      name: 'Camille Technicienne',
      qualification: 'Technicienne son, niveau 2',
      employerMemberId: pole.memberA,
      weeklyHours: 35,
      resourceId: s.resourceId,
      userId: s.staffUserId,
      active: true,
    });
    const a = ok(await send('GET', `/api/lending-agreements/${s.agreementId}`, userA));
    assert.deepEqual(a, {
      id: s.agreementId,
      employeeId: s.employeeId,
      lenderMemberId: pole.memberA,
      userMemberId: pole.memberB,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      plannedMinutesPerMonth: 2400,
      workingTimeShare: null,
      billed: { salary: true, socialCharges: true, reimbursedExpenses: true },
      managementFeesCents: null,
      managementFeesRate: null,
      consentDate: '2025-12-15',
      amendmentDate: '2025-12-20',
      signedPdf: null,
      inForceToday: true,
    });
    const userC = ok(await send('POST', '/api/users', coord, { email: 'user.c@test.fr', name: 'C', role: 'member', memberId: pole.memberC, password: TEST_PASSWORD }), 201);
    const c = await login(t.app, userC.email);
    refused(await send('GET', `/api/lending-agreements/${s.agreementId}`, c), 404, 'lending_agreement.not_found');
    refused(await send('GET', `/api/employees/${s.employeeId}`, c), 404, 'employee.not_found');
    assert.deepEqual(ok(await send('GET', '/api/lending-agreements', c)).items, []);
    assert.equal(ok(await send('GET', '/api/lending-agreements', userB)).items.length, 1);
  });

  it('refuses bad employees and agreements with stable codes, writing nothing', async () => {
    const before = dbFingerprint(t.store);
    const room = ok(await send('GET', '/api/resources', coord)).items[0].id;
    const bad = async (url: string, body: Record<string, unknown>, status: number, code: string) => refused(await send('POST', url, coord, body), status, code);
    const employee = { name: 'X', qualification: 'Y', employerMemberId: pole.memberA, weeklyHours: 35 };
    const agreement = { employeeId: s.employeeId, userMemberId: pole.memberB, startDate: '2026-01-01', endDate: '2026-12-31', plannedMinutesPerMonth: 60 };
    await bad('/api/employees', { ...employee, resourceId: s.resourceId }, 409, 'employee.resource_taken');
    await bad('/api/employees', { ...employee, employerMemberId: 999 }, 404, 'member.not_found');
    await bad('/api/employees', { ...employee, userId: pole.userIds[pole.userA] }, 422, 'employee.user_not_staff');
    await bad('/api/lending-agreements', { ...agreement, endDate: '2025-12-31' }, 422, 'lending_agreement.invalid');
    await bad('/api/lending-agreements', { ...agreement, userMemberId: pole.memberA }, 422, 'lending_agreement.invalid');
    await bad('/api/lending-agreements', { ...agreement, workingTimeShare: 20 }, 422, 'lending_agreement.invalid');
    await bad('/api/lending-agreements', { ...agreement, startDate: '2026-02-30' }, 422, 'lending_agreement.invalid');
    await bad('/api/lending-agreements', { ...agreement, billed: { salary: false, socialCharges: true, reimbursedExpenses: true } }, 422, 'lending_agreement.invalid');
    await bad('/api/lending-agreements', { ...agreement, employeeId: 999 }, 404, 'employee.not_found');
    refused(await send('POST', '/api/employees', userA, employee), 403, 'access.forbidden');
    refused(await send('POST', '/api/users', await login(t.app, pole.adminA), { email: 'x@test.fr', name: 'X', role: 'staff', password: TEST_PASSWORD }), 403, 'access.forbidden');
    assert.ok(room);
    assert.equal(dbFingerprint(t.store), before);
  });

  it('a member books the employee only while an agreement of its own is in force (dates, consent, amendment): 409 staff.no_agreement otherwise', async () => {
    ok(await book(userB, '2026-11-20T09:00:00+01:00', '2026-11-20T12:00:00+01:00'), 201);
    // C has no agreement: refused, nothing written.
    const before = dbFingerprint(t.store);
    const e = refused(await book(coord, '2026-11-21T09:00:00+01:00', '2026-11-21T10:00:00+01:00', pole.memberC), 409, 'staff.no_agreement');
    assert.deepEqual(e.details, { employeeId: s.employeeId, date: '2026-11-21' });
    assert.equal(dbFingerprint(t.store), before);
    // Outside the agreement's dates (2027), for B too.
    refused(await book(coord, '2027-01-04T09:00:00+01:00', '2027-01-04T10:00:00+01:00', pole.memberB), 409, 'staff.no_agreement');
    // The employer books its own employee without any agreement.
    ok(await book(userA, '2026-11-23T09:00:00+01:00', '2026-11-23T10:00:00+01:00'), 201);
    // Without the contract amendment the agreement is not in force.
    ok(await send('PATCH', `/api/lending-agreements/${s.agreementId}`, coord, { amendmentDate: null }));
    refused(await book(userB, '2026-11-24T09:00:00+01:00', '2026-11-24T10:00:00+01:00'), 409, 'staff.no_agreement');
    assert.equal(ok(await send('GET', `/api/lending-agreements/${s.agreementId}`, userB)).inForceToday, false);
    // Consent dated after the day: not in force that day; a move onto an uncovered day is refused too.
    ok(await send('PATCH', `/api/lending-agreements/${s.agreementId}`, coord, { amendmentDate: '2025-12-20', consentDate: '2026-11-25' }));
    refused(await book(userB, '2026-11-24T09:00:00+01:00', '2026-11-24T10:00:00+01:00'), 409, 'staff.no_agreement');
    const later = ok(await book(userB, '2026-11-26T09:00:00+01:00', '2026-11-26T10:00:00+01:00'), 201);
    refused(await send('PATCH', `/api/bookings/${later.id}`, userB, { start: '2026-11-24T09:00:00+01:00', end: '2026-11-24T10:00:00+01:00' }), 409, 'staff.no_agreement');
  });

  it('stores the signed convention and serves its bytes; refuses what is not a PDF', async () => {
    const pdf = Buffer.from('%PDF-1.7\n% convention signée\n%%EOF\n');
    const a = ok(await send('PUT', `/api/lending-agreements/${s.agreementId}/signed-pdf`, coord, { pdfBase64: pdf.toString('base64') }));
    assert.equal(a.signedPdf.bytes, pdf.length);
    assert.match(a.signedPdf.sha256, /^[0-9a-f]{64}$/);
    const res = await send('GET', `/api/lending-agreements/${s.agreementId}/signed-pdf`, userB);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/pdf');
    assert.deepEqual(res.rawPayload, pdf);
    const before = dbFingerprint(t.store);
    refused(await send('PUT', `/api/lending-agreements/${s.agreementId}/signed-pdf`, coord, { pdfBase64: Buffer.from('<html>nope</html>').toString('base64') }), 422, 'lending_agreement.not_pdf');
    assert.equal(dbFingerprint(t.store), before);
  });

  it('the draft convention states every clause the law asks for (pdftotext)', async () => {
    ok(await send('PATCH', `/api/lending-agreements/${s.agreementId}`, coord, { managementFeesRate: 3, billed: { salary: true, socialCharges: true, reimbursedExpenses: false } }));
    const res = await send('GET', `/api/lending-agreements/${s.agreementId}/draft.pdf`, userB);
    assert.equal(res.statusCode, 200, res.body);
    const text = pdfText(res.rawPayload, { layout: false }).replace(/\s+/g, ' ');
    for (const expected of [
      'Convention de mise à disposition de personnel',
      'L8241-1 et L8241-2',
      // Parties
      'Association Alpha',
      'Association Bravo',
      'SIRET 73282932000074',
      // Employee and qualification
      'Camille Technicienne',
      'Technicienne son, niveau 2',
      '35 h par semaine',
      // Duration and volume
      'du 01/01/2026 au 31/12/2026 inclus',
      '40 h par mois',
      // Billing method: what is billed, at cost, hours × hourly cost
      'Salaire brut : refacturé',
      'Charges sociales patronales : refacturées',
      'Frais professionnels remboursés au salarié : non refacturés',
      'heures mises à disposition multipliées par le coût horaire du mois',
      'Frais de gestion convenus : 3 % du coût refacturé',
      // Consent and amendment
      'Accord écrit du salarié recueilli le 15/12/2025',
      'Avenant au contrat de travail signé le 20/12/2025',
    ]) {
      assert.ok(text.includes(expected), `the convention says « ${expected} »:\n${text}`);
    }
  });

  it('the draft convention of a share of working time with a monthly fee, consent and amendment still to come, says so (pdftotext)', async () => {
    const text = async (id: number) => {
      const res = await send('GET', `/api/lending-agreements/${id}/draft.pdf`, coord);
      assert.equal(res.statusCode, 200, res.body);
      return pdfText(res.rawPayload, { layout: false }).replace(/\s+/g, ' ');
    };
    const plain = await text(s.agreementId);
    assert.ok(plain.includes('Aucun frais de gestion n’est facturé.') && plain.includes('Frais professionnels remboursés au salarié : refacturés'), plain);
    const other = ok(
      await send('POST', '/api/lending-agreements', coord, { employeeId: s.employeeId, userMemberId: pole.memberC, startDate: '2027-01-01', endDate: '2027-06-30', workingTimeShare: 20, managementFeesCents: 4_500 }),
      201,
    ).id;
    const body = await text(other);
    for (const expected of [
      'Association Charlie',
      'du 01/01/2027 au 30/06/2027 inclus',
      '20 % du temps de travail',
      'Frais de gestion convenus : 45,00 € par mois.',
      'Accord écrit du salarié à recueillir avant toute mise à disposition',
      'Avenant au contrat de travail à signer avant toute mise à disposition',
    ]) {
      assert.ok(body.includes(expected), `the convention says « ${expected} »:\n${body}`);
    }
  });

  // GET /api/employees lists its own record only (staff-timesheets / e6425ee); the rest stays closed.
  it('an employee’s staff account reaches its own /api/me and nothing of its employer’s data', async () => {
    const me = ok(await send('GET', '/api/me', s.staffCookie));
    assert.deepEqual([me.role, me.memberId], ['staff', pole.memberA]);
    for (const url of ['/api/bookings?from=2026-11-01T00:00:00Z&to=2026-12-01T00:00:00Z', '/api/resources', '/api/invoices', `/api/members/${pole.memberA}`, '/api/lending-agreements']) {
      refused(await send('GET', url, s.staffCookie), 403, 'access.staff_only');
    }
    refused(await send('POST', '/api/bookings', s.staffCookie, { resourceId: s.resourceId, start: '2026-11-20T09:00:00+01:00', end: '2026-11-20T10:00:00+01:00' }), 403, 'access.staff_only');
  });
});
