import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dbFingerprint, login } from '../helpers/app';
import { buildProofPole, call, type ProofPole } from '../helpers/proof-pole';
import { probesFor } from '../helpers/proof-matrix';
import { isApiRoute, routeTable, type ProofRoute } from '../helpers/proof-routes';

/** Write routes that change nothing by design, with the reason; the walk checks they indeed change nothing. */
const WRITES_NOTHING: Record<string, string> = {
  'POST /api/closings/preview': 'computes what a close would issue, stores nothing',
  'POST /api/closings/:month/adjustments/preview': 'computes what an adjustment would issue, stores nothing',
  'POST /api/auth/account-link': 'reads whose password link it is (a POST so the secret stays out of URLs), stores nothing',
};

/**
 * Every write route of the live route table leaves an audit row naming it, in the same transaction as the
 * change: the walk calls each one as the matrix's coordinator does (plus a few hand-written valid calls where
 * the generated body is refused), and
 * - a call that changed the database left audit rows naming its route;
 * - a call that left no audit row changed nothing at all;
 * - every write route was seen writing at least once (or is listed in WRITES_NOTHING), so a route added
 *   tomorrow that writes to a table the triggers skip fails here.
 * Shown to fail: with `bookings` added to NOT_AUDITED (server/audit/triggers.ts), POST/PATCH/DELETE
 * /api/bookings are reported as writing without an audit row.
 */
describe('proof: every write route leaves an audit row', () => {
  let pole: ProofPole;
  let routes: ProofRoute[];
  before(async () => {
    pole = await buildProofPole();
    routes = routeTable(pole.t.app).filter((r) => isApiRoute(r) && r.method !== 'GET');
  });
  after(() => pole.t.close());

  it('walks the route table: no write without its audit row, no write route unproven', async () => {
    const { app, store } = pole.t;
    const coordinator = pole.cookies.coordinator;
    const lastId = () => store.sqlite.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number;
    const problems: string[] = [];
    const proven = new Set<string>();

    const attempt = async (key: string, cookie: string | null, method: string, url: string, payload?: unknown) => {
      const from = lastId();
      const fp = dbFingerprint(store);
      const res = await call(app, cookie, method, url, payload);
      await new Promise((resolve) => setImmediate(resolve)); // a password reset's work follows its answer
      const rows = store.sqlite.prepare('SELECT action, route FROM audit_log WHERE id > ?').all(from) as { action: string; route: string | null }[];
      const mine = rows.filter((r) => r.route === key);
      if (mine.length) proven.add(key);
      if (rows.some((r) => r.route !== key)) problems.push(`${key}: audit rows name another route: ${JSON.stringify(rows)}`);
      if (!mine.length && dbFingerprint(store) !== fp) problems.push(`${key} (${res.statusCode}) changed the database without an audit row`);
      return res;
    };

    for (const route of routes) {
      const probes = probesFor(pole, route);
      const probe = probes.find((p) => p.actor === 'coordinator') ?? probes[0]!;
      await attempt(route.key, probe.actor === 'coordinator' ? coordinator : null, route.method, probe.url, probe.payload);
    }

    const must = async (key: string, cookie: string | null, method: string, url: string, payload?: unknown) => {
      const res = await attempt(key, cookie, method, url, payload);
      if (res.statusCode >= 300) problems.push(`${key}: the hand-written call answered ${res.statusCode} ${res.body.slice(0, 200)}`);
    };
    // Hand-written valid calls where the generated body is refused or changes nothing.
    const R = pole.ids.resourceC!;
    // (the walk above cancelled D's booking and deleted C's cost: fresh ones)
    const booking = await call(app, coordinator, 'POST', '/api/bookings', { resourceId: R, start: '2026-11-24T10:00:00+01:00', end: '2026-11-24T11:00:00+01:00', memberId: pole.base.memberA });
    await must('PATCH /api/bookings/:id', coordinator, 'PATCH', `/api/bookings/${(booking.json() as { id: number }).id}`, { note: 'audited' });
    const lease = { resourceId: R, month: '2026-11', amountCents: 69_000, vatRate: 0, label: 'Location', nature: 'rent_or_lease', recurring: true };
    const cost = await call(app, coordinator, 'POST', '/api/costs', lease);
    await must('PATCH /api/costs/:id', coordinator, 'PATCH', `/api/costs/${(cost.json() as { id: number }).id}`, { label: 'Location (audité)' });
    await must('POST /api/costs/carry-forward', coordinator, 'POST', '/api/costs/carry-forward', { fromMonth: '2026-11' });
    const late = { resourceId: R, costs: [{ label: 'Facture de loyer reçue en retard', nature: 'rent_or_lease', amountCents: 12_000 }] };
    await must('POST /api/closings/:month/adjustments', coordinator, 'POST', `/api/closings/${pole.closedMonth}/adjustments`, late);
    const paid = await call(app, coordinator, 'POST', `/api/invoices/${pole.ids.invoiceCA}/payments`, { amountCents: 2, paidOn: '2026-11-16', method: 'transfer' });
    await must('POST /api/invoices/:id/payments', coordinator, 'POST', `/api/invoices/${pole.ids.invoiceCA}/payments`, { amountCents: 3, paidOn: '2026-11-16', method: 'transfer' });
    await must('DELETE /api/payments/:id', coordinator, 'DELETE', `/api/payments/${(paid.json() as { id: number }).id}`);
    const plan = (await call(app, coordinator, 'GET', '/api/settlements?asOf=2026-11-16')).json() as { transfers: { fromMemberId: number; toMemberId: number; amountCents: number; invoiceIds: number[] }[] };
    const transfers = plan.transfers.map(({ fromMemberId, toMemberId, amountCents, invoiceIds }) => ({ fromMemberId, toMemberId, amountCents, invoiceIds }));
    await must('POST /api/settlements/transfers', coordinator, 'POST', '/api/settlements/transfers', { paidOn: '2026-11-16', reference: 'VIR', transfers });
    const me = pole.base.userIds[pole.base.coordinator]!;
    await must('PUT /api/users/:id/notifications', coordinator, 'PUT', `/api/users/${me}/notifications`, { lang: 'en', mode: 'digest', disabled: [] });
    const letter = store.sqlite.prepare('SELECT id FROM outbox ORDER BY id LIMIT 1').pluck().get() as number;
    store.sqlite.prepare("UPDATE outbox SET status = 'dead' WHERE id = ?").run(letter);
    await must('POST /api/outbox/retry', coordinator, 'POST', '/api/outbox/retry', { id: letter });
    // Shared staff: C's employee's payroll, its timesheet (made available to D, under the C→D agreement) and D's approval.
    const E = `/api/employees/${String(pole.ids.employeeC)}`;
    const terms = { startDate: '2026-09-01', endDate: '2027-08-31', consentDate: '2026-08-20', amendmentDate: '2026-08-25' };
    await must('PATCH /api/lending-agreements/:id', coordinator, 'PATCH', `/api/lending-agreements/${String(pole.ids.agreementCD)}`, terms);
    await must('PUT /api/employees/:id/payroll/:month', coordinator, 'PUT', `${E}/payroll/2026-12`, { grossSalaryCents: 250_000, employerChargesCents: 100_000, reimbursedExpensesCents: 0, paidHours: 151.67 });
    await must('PUT /api/employees/:id/timesheets/:month', coordinator, 'PUT', `${E}/timesheets/2026-12`, { lines: [{ date: '2026-12-03', kind: 'made_available', memberId: pole.memberD, minutes: 240 }] });
    await must('POST /api/employees/:id/timesheets/:month/decision', coordinator, 'POST', `${E}/timesheets/2026-12/decision`, { memberId: pole.memberD, decision: 'approve' });
    await must('POST /api/auth/logout', await login(app, pole.base.adminB), 'POST', '/api/auth/logout');
    await must('POST /api/auth/login', null, 'POST', '/api/auth/login', { email: pole.base.userB, password: 'correct horse battery' });
    await login(app, pole.base.userA);
    await must('DELETE /api/me/sessions', await login(app, pole.base.userA), 'DELETE', '/api/me/sessions');
    await must('POST /api/auth/password-reset', null, 'POST', '/api/auth/password-reset', { email: pole.base.userA });
    const invitation = (await call(app, coordinator, 'POST', `/api/users/${pole.base.userIds[pole.base.userB]}/invitation`)).json() as { url: string };
    await must('POST /api/auth/set-password', null, 'POST', '/api/auth/set-password', { token: new URL(invitation.url).hash.slice(1), password: 'correct horse battery' });

    // The proof pole's own seeding went through the API too (members, closings, payments): its rows count.
    const seeded = store.sqlite.prepare('SELECT DISTINCT route FROM audit_log WHERE route IS NOT NULL').pluck().all() as string[];
    for (const key of seeded) proven.add(key);
    for (const route of routes) {
      if (route.key in WRITES_NOTHING) assert.ok(!proven.has(route.key), `${route.key} is listed as writing nothing but wrote`);
      else if (!proven.has(route.key)) problems.push(`${route.key} was never seen writing an audit row (teach this walk a valid call)`);
    }
    assert.deepEqual(problems, []);
  });
});
