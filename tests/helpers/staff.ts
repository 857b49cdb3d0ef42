import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { login, TEST_PASSWORD, type SeededPole, type TestApp } from './app';

/**
 * Shared staff set up through the API: A employs a sound technician (its staff resource, borne by A) with a
 * `staff` account, lent to B under an agreement for 2026 (consent and amendment dated). Returns the ids and
 * the employee's cookie.
 */
export interface StaffSetup {
  resourceId: number;
  employeeId: number;
  agreementId: number;
  staffUserId: number;
  staffCookie: string;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export const sender = (t: TestApp) => (method: Method, url: string, cookie: string, payload?: unknown) =>
  t.app.inject({ method, url, headers: { cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

export function ok(res: LightMyRequestResponse, status = 200) {
  assert.equal(res.statusCode, status, res.body);
  return res.json();
}

export function refused(res: LightMyRequestResponse, status: number, code: string) {
  assert.equal(res.statusCode, status, res.body);
  assert.equal(res.json().error.code, code, res.body);
  return res.json().error;
}

export async function setUpStaff(t: TestApp, pole: SeededPole, coord: string, agreement: Record<string, unknown> = {}): Promise<StaffSetup> {
  const send = sender(t);
  const resourceId = ok(
    await send('POST', '/api/resources', coord, { name: 'Technicien son', kind: 'staff', capacity: 1, bearerMemberId: pole.memberA, granularityMinutes: 15 }),
    201,
  ).id;
  const staffUserId = ok(await send('POST', '/api/users', coord, { email: 'tech@test.fr', name: 'Camille Technicienne', role: 'staff', memberId: pole.memberA, password: TEST_PASSWORD }), 201).id;
  const employeeId = ok(
    await send('POST', '/api/employees', coord, {
      name: 'Camille Technicienne',
      qualification: 'Technicienne son, niveau 2',
      employerMemberId: pole.memberA,
      weeklyHours: 35,
      resourceId,
      userId: staffUserId,
    }),
    201,
  ).id;
  const agreementId = ok(
    await send('POST', '/api/lending-agreements', coord, {
      employeeId,
      userMemberId: pole.memberB,
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      plannedMinutesPerMonth: 2400,
      consentDate: '2025-12-15',
      amendmentDate: '2025-12-20',
      ...agreement,
    }),
    201,
  ).id;
  return { resourceId, employeeId, agreementId, staffUserId, staffCookie: await login(t.app, 'tech@test.fr') };
}
