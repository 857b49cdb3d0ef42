import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { buildTestApp, dbFingerprint, login, seedPole, type SeededPole, type TestApp } from '../helpers/app';
import { pdfText } from '../helpers/pdf';
import { ok, refused, sender, setUpStaff, type StaffSetup } from '../helpers/staff';

/**
 * What the close bills of an employee lent at cost (C. trav. L8241-1): approved hours × the month's hourly cost
 * of each nature the agreement bills, plus management fees only where agreed; the rest stays with the employer.
 * Clock: 16 Nov 2026, October is over. A employs the technician. October payroll: 2 345,67 € salary, 987,65 €
 * charges, 123,45 € expenses, 151,67 paid hours.
 * - B's agreement bills salary and charges, not expenses, with fees of 3 % of what it bills;
 * - C's agreement bills the three natures, with fees of 25 € a month.
 */
describe('shared staff: billing by nature, as each lending agreement says', () => {
  let t: TestApp;
  let pole: SeededPole;
  let coord: string;
  let adminB: string;
  let s: StaffSetup;
  let send: ReturnType<typeof sender>;
  const sheet = () => `/api/employees/${s.employeeId}/timesheets/2026-10`;
  type Line = { nature: string; totalExclVatCents: number; resourceId: number; description: string };
  type Invoice = { id: number; number: string; sellerMemberId: number; buyerMemberId: number; lines: Line[] };
  const natures = (invoice: Invoice | undefined) => invoice?.lines.filter((l) => l.resourceId === s.resourceId).map((l) => [l.nature, l.totalExclVatCents]);
  const invoiceTo = (invoices: Invoice[], buyer: number) => invoices.find((i) => i.sellerMemberId === pole.memberA && i.buyerMemberId === buyer);

  beforeEach(async () => {
    t = await buildTestApp();
    send = sender(t);
    pole = await seedPole(t.store);
    [coord, adminB] = await Promise.all([login(t.app, pole.coordinator), login(t.app, pole.adminB)]);
    s = await setUpStaff(t, pole, coord, { billed: { salary: true, socialCharges: true, reimbursedExpenses: false }, managementFeesRate: 3 });
    ok(await send('PUT', `/api/employees/${s.employeeId}/payroll/2026-10`, coord, { grossSalaryCents: 234_567, employerChargesCents: 98_765, reimbursedExpensesCents: 12_345, paidHours: 151.67 }));
  });
  afterEach(() => t.close());

  const lendToC = async () =>
    ok(
      await send('POST', '/api/lending-agreements', coord, {
        employeeId: s.employeeId,
        userMemberId: pole.memberC,
        startDate: '2026-10-01',
        endDate: '2026-12-31',
        workingTimeShare: 10,
        managementFeesCents: 2_500,
        consentDate: '2026-09-20',
        amendmentDate: '2026-09-25',
      }),
      201,
    );

  it('bills each user member the natures its agreement bills, × approved hours, plus its agreed fees; the rest stays with the employer (exact cents)', async () => {
    await lendToC();
    ok(
      await send('PUT', sheet(), s.staffCookie, {
        lines: [
          { date: '2026-10-05', kind: 'made_available', memberId: pole.memberB, minutes: 240 },
          { date: '2026-10-06', kind: 'made_available', memberId: pole.memberB, minutes: 200 },
          { date: '2026-10-07', kind: 'made_available', memberId: pole.memberC, minutes: 190 },
        ],
      }),
    );
    ok(await send('POST', `${sheet()}/decision`, adminB, { memberId: pole.memberB, decision: 'approve' }));
    ok(await send('POST', `${sheet()}/decision`, coord, { memberId: pole.memberC, decision: 'approve' }));

    const closed = ok(await send('POST', '/api/closings', coord, { month: '2026-10' }), 201);
    // Salary, 10 h 30 billed (B and C) = 234 567 × 630 / (151,67 × 60) = 162,39 €, split 7 h 20 : 3 h 10 → 113,42 + 48,97.
    // Charges likewise 68,37 € → 47,75 + 20,62. Expenses, C only: 12 345 × 190 / 9 100,2 = 2,58 €.
    // Fees: B 3 % of 161,17 € = 4,84 €; C its 25 € a month.
    assert.deepEqual(natures(invoiceTo(closed.invoices, pole.memberB)), [
      ['salary', 11_342],
      ['social_charges', 4_775],
      ['management_fees', 484],
    ]);
    assert.deepEqual(natures(invoiceTo(closed.invoices, pole.memberC)), [
      ['salary', 4_897],
      ['social_charges', 2_062],
      ['reimbursed_expenses', 258],
      ['management_fees', 2_500],
    ]);
    const b = invoiceTo(closed.invoices, pole.memberB)!;
    assert.ok(b.lines[0]!.description.includes('salaires — octobre 2026 — 7 h 20 mis à disposition × 15,47'), b.lines[0]!.description);
    assert.ok(b.lines[2]!.description.includes('frais de gestion convenus (3 % du coût refacturé)'), b.lines[2]!.description);

    // Cost shared = payroll 3 456,77 € + fees 29,84 €; billed 263,18 €; the employer keeps 3 223,43 €, and the month reconciles.
    const allocation = ok(await send('GET', '/api/allocations?month=2026-10', coord));
    const r = allocation.totals.resources.find((x: { resourceId: number }) => x.resourceId === s.resourceId);
    assert.deepEqual([r.costCents, r.allocatedCents, r.gapCents, r.note], [348_661, 26_318, 322_343, { code: 'staff_remainder', remainderCents: 322_343 }]);
    const rows = allocation.rows.filter((x: { resourceId: number }) => x.resourceId === s.resourceId);
    assert.deepEqual(
      rows.map((x: { memberId: number; usageMinutes: number; shareCents: number }) => [x.memberId, x.usageMinutes, x.shareCents]),
      [
        [pole.memberB, 440, 16_601],
        [pole.memberC, 190, 9_717],
      ],
    );
    const rec = ok(await send('GET', '/api/closings/2026-10', coord));
    const line = rec.reconciliation.resources.find((x: { resourceId: number }) => x.resourceId === s.resourceId);
    assert.deepEqual([line.costCents, line.invoicedNetCents, line.keptByBearerCents, line.differenceCents], [348_661, 26_318, 322_343, 0]);

    // B's relevé: the hourly cost of each nature, expenses not billed under its agreement, its fees and the total.
    const releve = await send('GET', `/api/invoices/${b.id}/staff-statement.pdf`, adminB);
    assert.equal(releve.statusCode, 200, releve.body);
    const text = pdfText(releve.rawPayload, { layout: false }).replace(/\s+/g, ' ');
    for (const expected of ['Total 7 h 20', 'salaires 2 345,67 € 15,47 € 113,42 €', '987,65 € 6,51 € 47,75 €', 'frais professionnels remboursés 123,45 € 0,81 € non refacturé', '— — 4,84 €', 'Total 166,01 €']) {
      assert.ok(text.includes(expected), `the relevé says « ${expected} »:\n${text}`);
    }

    // The month's ZIP holds each user member's relevé beside its invoice, and the same text.
    const zip = await send('GET', '/api/closings/2026-10/export.zip', coord);
    assert.equal(zip.statusCode, 200, zip.body);
    const files = unzipSync(zip.rawPayload);
    const releves = Object.keys(files).filter((f) => f.endsWith('-releve-mise-a-disposition.pdf')).sort();
    const c = invoiceTo(closed.invoices, pole.memberC)!;
    assert.deepEqual(releves, [`mutualise-2026-10/factures/${b.number}-releve-mise-a-disposition.pdf`, `mutualise-2026-10/factures/${c.number}-releve-mise-a-disposition.pdf`].sort());
    assert.ok(files[`mutualise-2026-10/factures/${b.number}.pdf`], 'beside its invoice');
    const zipped = pdfText(Buffer.from(files[`mutualise-2026-10/factures/${b.number}-releve-mise-a-disposition.pdf`]!), { layout: false }).replace(/\s+/g, ' ');
    assert.ok(zipped.includes(`joint à la facture n° ${b.number}`) && zipped.includes('Total 166,01 €'), zipped);
    const zippedC = pdfText(Buffer.from(files[`mutualise-2026-10/factures/${c.number}-releve-mise-a-disposition.pdf`]!), { layout: false }).replace(/\s+/g, ' ');
    assert.ok(zippedC.includes('Total 3 h 10') && zippedC.includes('Total 97,17 €'), zippedC);
  });

  it('no billing outside an agreement: approved hours on days its new dates no longer cover are not billed, and the preview says so', async () => {
    ok(
      await send('PUT', sheet(), s.staffCookie, {
        lines: [
          { date: '2026-10-05', kind: 'made_available', memberId: pole.memberB, minutes: 240 },
          { date: '2026-10-06', kind: 'made_available', memberId: pole.memberB, minutes: 200 },
        ],
      }),
    );
    ok(await send('POST', `${sheet()}/decision`, adminB, { memberId: pole.memberB, decision: 'approve' }));
    // The agreement is ended on the 5th afterwards: the 6th is no longer covered.
    ok(await send('PATCH', `/api/lending-agreements/${s.agreementId}`, coord, { endDate: '2026-10-05' }));
    const preview = ok(await send('POST', '/api/closings/preview', coord, { month: '2026-10' }));
    const warning = preview.warnings.find((w: { code: string }) => w.code === 'staff.outside_agreement');
    assert.deepEqual(warning?.params, { resource: 'Technicien son', employee: 'Camille Technicienne', memberId: pole.memberB, member: 'Association Bravo', minutes: 200, month: '2026-10', dates: '2026-10-06' });
    // 4 h only: salary 234 567 × 240 / 9 100,2 = 61,86 €; charges 26,05 €; fees 3 % of 87,91 € = 2,64 €.
    assert.deepEqual(natures(invoiceTo(preview.invoices, pole.memberB)), [
      ['salary', 6_186],
      ['social_charges', 2_605],
      ['management_fees', 264],
    ]);
  });

  it('a month booked but with no timesheet entered is not approved: the preview warns, listing the member, and bills nothing', async () => {
    ok(await send('POST', '/api/bookings', coord, { resourceId: s.resourceId, memberId: pole.memberB, start: '2026-10-05T09:00:00+02:00', end: '2026-10-05T12:00:00+02:00' }), 201);
    const preview = ok(await send('POST', '/api/closings/preview', coord, { month: '2026-10' }));
    const warning = preview.warnings.find((w: { code: string }) => w.code === 'staff.timesheet_unapproved');
    assert.deepEqual(warning?.params, { resource: 'Technicien son', employee: 'Camille Technicienne', memberId: pole.memberB, member: 'Association Bravo', minutes: 180, month: '2026-10', disputed: 0, entered: 0 });
    assert.equal(invoiceTo(preview.invoices, pole.memberB), undefined);
  });

  it('the costs of an employee’s resource are its payroll figures: /api/costs refuses to enter, change or remove them (409 cost.from_payroll)', async () => {
    const payroll = ok(await send('GET', `/api/employees/${s.employeeId}/payroll`, coord)).items[0];
    const room = ok(await send('POST', '/api/resources', coord, { name: 'Salle', kind: 'room', capacity: 1, bearerMemberId: pole.memberA }), 201).id;
    const roomCost = ok(await send('POST', '/api/costs', coord, { resourceId: room, month: '2026-11', amountCents: 10_000, vatRate: 0, label: 'Loyer', nature: 'rent_or_lease', recurring: true }), 201).id;
    const before = dbFingerprint(t.store);
    const e = refused(
      await send('POST', '/api/costs', coord, { resourceId: s.resourceId, month: '2026-11', amountCents: 10_000, vatRate: 0, label: 'Salaire', nature: 'salary', paidHours: 10 }),
      409,
      'cost.from_payroll',
    );
    assert.deepEqual(e.details, { resourceId: s.resourceId, employeeId: s.employeeId });
    refused(await send('PATCH', `/api/costs/${payroll.costIds[0]}`, coord, { amountCents: 1 }), 409, 'cost.from_payroll');
    refused(await send('DELETE', `/api/costs/${payroll.costIds[1]}`, coord), 409, 'cost.from_payroll');
    refused(await send('PATCH', `/api/costs/${roomCost}`, coord, { resourceId: s.resourceId, nature: 'salary' }), 409, 'cost.from_payroll');
    assert.equal(dbFingerprint(t.store), before);
    // The payroll route still replaces them; a carry forward skips them.
    ok(await send('PUT', `/api/employees/${s.employeeId}/payroll/2026-11`, coord, { grossSalaryCents: 200_000, employerChargesCents: 80_000, reimbursedExpensesCents: 0, paidHours: 151.67 }));
    const carried = ok(await send('POST', '/api/costs/carry-forward', coord, { fromMonth: '2026-11' }), 201).items;
    assert.deepEqual(carried.map((c: { resourceId: number }) => c.resourceId), [room]);
  });

  it('a staff resource linked to no employee: booked without agreement, billed from its bookings, and the preview warns that it is unlinked', async () => {
    const free = ok(await send('POST', '/api/resources', coord, { name: 'Renfort administratif', kind: 'staff', capacity: 1, bearerMemberId: pole.memberA, granularityMinutes: 15 }), 201).id;
    ok(await send('POST', '/api/bookings', coord, { resourceId: free, memberId: pole.memberB, start: '2026-10-05T09:00:00+02:00', end: '2026-10-05T12:00:00+02:00' }), 201);
    ok(await send('POST', '/api/costs', coord, { resourceId: free, month: '2026-10', amountCents: 100_000, vatRate: 0, label: 'Salaire', nature: 'salary', paidHours: 10 }), 201);
    const preview = ok(await send('POST', '/api/closings/preview', coord, { month: '2026-10' }));
    const warning = preview.warnings.find((w: { code: string; resourceId?: number }) => w.code === 'staff.resource_unlinked');
    assert.deepEqual([warning?.resourceId, warning?.params], [free, { resource: 'Renfort administratif' }]);
    // 3 h × 100 €/h, from the bookings.
    const lines = invoiceTo(preview.invoices, pole.memberB)?.lines.filter((l) => l.resourceId === free).map((l) => [l.nature, l.totalExclVatCents]);
    assert.deepEqual(lines, [['salary', 30_000]]);
    // The employee's resource is not warned about: it is linked.
    assert.equal(preview.warnings.filter((w: { code: string; resourceId?: number }) => w.code === 'staff.resource_unlinked' && w.resourceId === s.resourceId).length, 0);
  });
});
