import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { openStore } from '../../db/index';
import { buildApp } from '../../server/app';
import { manualClock } from '../../server/shared/clock';
import { composeMail } from '../../server/notifications/compose';
import { outboxDirOf } from '../../server/notifications/eml-files';
import { expandNotices } from '../../server/notifications/notices';
import { outboxRepository } from '../../server/notifications/repository';
import { fileTransport } from '../../server/notifications/transport';
import { buildTestApp, login, seedPole, TEST_PASSWORD, TEST_SIRETS, type SeededPole, type TestApp } from './app';

/** Like buildTestApp, on a database file (the suites that need a file: crash, backup). */
export async function buildFileTestApp(path: string, now = '2026-11-16T10:00:00+01:00'): Promise<TestApp> {
  const store = openStore(path);
  const clock = manualClock(now);
  const app = await buildApp({ store, clock, config: { serveClient: false, demo: false, loginMaxAttemptsPerIp: 1000, loginBurstPerMinute: 100_000 } });
  await app.ready();
  return {
    app,
    store,
    clock,
    async close() {
      await app.close();
      store.close();
    },
  };
}

/**
 * A pole rich enough for the proof suites: seedPole's A, B, C and a fourth structure D whose data no member
 * of A or B may see. D books a resource borne by C, C invoices D, D has a feed; A books too (so A's own lists
 * are not empty). Everything goes through the public API when its route exists; what could not be seeded
 * is listed in `pending` (a route not written yet), so the suites say what they could not cover.
 *
 * Strings planted in D's data (`canaries`) must never appear in any answer to A's member or B's admin.
 */
export interface ProofPole {
  t: TestApp;
  base: SeededPole;
  memberD: number;
  /** User ids of D's member_admin and member. */
  adminDId: number;
  userDId: number;
  cookies: { coordinator: string; memberA: string; adminB: string; adminD: string; staffC?: string };
  /** The closed month (invoices issued) and an open month after it. */
  closedMonth: string;
  openMonth: string;
  ids: {
    resourceC?: number;
    resourceA?: number;
    bookingD?: number;
    bookingDClosed?: number;
    bookingA?: number;
    costC?: number;
    costCClosed?: number;
    invoiceCD?: number;
    invoiceCA?: number;
    paymentCD?: number;
    feedD?: number;
    /** C's employee lent to D (the agreement), and the employee's own (staff) account. */
    employeeC?: number;
    /** An employee of D: the foreign employee of the matrix (nobody of A, B or C's technician may read it). */
    employeeD?: number;
    agreementCD?: number;
    staffUserC?: number;
    /** An outbox mail written as an .eml file. */
    outboxSent?: number;
  };
  feedTokenD?: string;
  canaries: string[];
  /** What could not be seeded, and why. */
  pending: string[];
}

export const CANARY = {
  note: 'canary-note-delta-7f3a',
  // One street line: an address typed as "…, 44000 Nantes" is stored split (street, postal code, city).
  address: 'Canary 9 rue Secrète',
  billingEmail: 'canary-billing@delta.test',
  adminEmail: 'canary.admin@delta.test',
  userEmail: 'canary.user@delta.test',
  userName: 'Canary Delta Person',
  siret: TEST_SIRETS[3]!,
};

export async function call(app: FastifyInstance, cookie: string | null, method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return app.inject({
    method: method as 'GET',
    url,
    headers: cookie ? { cookie } : {},
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

export const hasRoute = (app: FastifyInstance, method: string, url: string) => app.hasRoute({ method: method as 'GET', url });

export async function buildProofPole(options: { now?: string; dbPath?: string; close?: boolean } = {}): Promise<ProofPole> {
  const now = options.now ?? '2026-11-16T10:00:00+01:00';
  const outboxDir = options.dbPath ? null : mkdtempSync(join(tmpdir(), 'mutualise-proof-outbox-'));
  const t = options.dbPath ? await buildFileTestApp(options.dbPath, now) : await buildTestApp({ now, config: { outboxDir } });
  if (outboxDir) {
    const close = t.close;
    t.close = async () => {
      await close();
      rmSync(outboxDir, { recursive: true, force: true });
    };
  }
  const base = await seedPole(t.store);
  const app = t.app;
  const pending: string[] = [];
  const coordinator = await login(app, base.coordinator);

  const created = async (what: string, method: string, url: string, payload: unknown, cookie = coordinator): Promise<Record<string, unknown> | undefined> => {
    const routeUrl = url.replace(/\?.*$/, '');
    if (!hasRoute(app, method, routeUrl.replace(/\/\d+(?=\/|$)/g, '/:id'))) {
      pending.push(`${what}: ${method} ${routeUrl} is not registered yet`);
      return undefined;
    }
    const res = await call(app, cookie, method, url, payload);
    if (res.statusCode >= 300) {
      pending.push(`${what}: ${method} ${url} answered ${res.statusCode} ${res.body.slice(0, 300)}`);
      return undefined;
    }
    return res.body ? (res.json() as Record<string, unknown>) : {};
  };

  const memberD = await created('member D', 'POST', '/api/members', {
    name: 'Structure Delta',
    legalForm: 'association',
    siret: CANARY.siret,
    address: CANARY.address,
    billingEmail: CANARY.billingEmail,
    vatStatus: 'non_assujetti',
    billingMandateSince: '2025-01-01',
    invoicePrefix: 'DELTA',
    joinedOn: '2025-01-01',
  });
  if (!memberD) throw new Error(`cannot seed member D: ${pending.join('; ')}`);
  const adminD = await created('admin of D', 'POST', '/api/users', { email: CANARY.adminEmail, name: CANARY.userName, role: 'member_admin', memberId: memberD.id, password: TEST_PASSWORD });
  const userD = await created('member user of D', 'POST', '/api/users', { email: CANARY.userEmail, name: CANARY.userName, role: 'member', memberId: memberD.id, password: TEST_PASSWORD });
  if (!adminD || !userD) throw new Error(`cannot seed D's users: ${pending.join('; ')}`);

  const pole: ProofPole = {
    t,
    base,
    memberD: memberD.id as number,
    adminDId: adminD.id as number,
    userDId: userD.id as number,
    cookies: { coordinator, memberA: await login(app, base.userA), adminB: await login(app, base.adminB), adminD: await login(app, CANARY.adminEmail) },
    closedMonth: '2026-10',
    openMonth: '2026-11',
    ids: {},
    canaries: [CANARY.note, CANARY.address, CANARY.billingEmail, CANARY.adminEmail, CANARY.userEmail, CANARY.userName, CANARY.siret],
    pending,
  };
  const D = pole.memberD;

  // Shared staff first: C's technician's October hours for D are billed by the close below (relevé of C→D).
  await seedStaff(pole, created);

  // Resources: one borne by C (booked by D and A), one borne by A.
  const resourceC = await created('resource of C', 'POST', '/api/resources', { name: 'Salle Charlie', kind: 'room', capacity: 1, bearerMemberId: base.memberC });
  const resourceA = await created('resource of A', 'POST', '/api/resources', { name: 'Camion Alpha', kind: 'equipment', capacity: 2, bearerMemberId: base.memberA });
  pole.ids.resourceC = resourceC?.id as number | undefined;
  pole.ids.resourceA = resourceA?.id as number | undefined;

  if (pole.ids.resourceC) {
    const R = pole.ids.resourceC;
    const booking = (start: string, end: string, memberId: number, note?: string) =>
      created(`booking ${start}`, 'POST', '/api/bookings', { resourceId: R, start, end, memberId, ...(note ? { note } : {}) });
    // In the month to close (coordinators may record past bookings of open months) and after it.
    pole.ids.bookingDClosed = (await booking('2026-10-05T10:00:00+02:00', '2026-10-05T13:00:00+02:00', D, CANARY.note))?.id as number | undefined;
    pole.ids.bookingA = (await booking('2026-10-06T10:00:00+02:00', '2026-10-06T11:00:00+02:00', base.memberA, 'note of A'))?.id as number | undefined;
    pole.ids.bookingD = (await booking('2026-11-20T10:00:00+01:00', '2026-11-20T12:00:00+01:00', D, CANARY.note))?.id as number | undefined;

    const cost = (month: string, label: string) =>
      created(`cost ${month}`, 'POST', '/api/costs', { resourceId: R, month, amountCents: 120_000, vatRate: 0, label, nature: 'salary' });
    pole.ids.costCClosed = (await cost(pole.closedMonth, 'Loyer de la salle (octobre)'))?.id as number | undefined;
    pole.ids.costC = (await cost(pole.openMonth, 'Loyer de la salle (novembre)'))?.id as number | undefined;

    const closing = options.close === false ? undefined : await created('closing', 'POST', '/api/closings', { month: pole.closedMonth });
    if (closing) {
      const list = await call(app, coordinator, 'GET', `/api/invoices?month=${pole.closedMonth}`);
      const items = list.statusCode === 200 ? ((list.json() as { items: Record<string, unknown>[] }).items ?? []) : [];
      const cd = items.find((i) => i.sellerMemberId === base.memberC && i.buyerMemberId === D);
      const ca = items.find((i) => i.sellerMemberId === base.memberC && i.buyerMemberId === base.memberA);
      pole.ids.invoiceCD = cd?.id as number | undefined;
      pole.ids.invoiceCA = ca?.id as number | undefined;
      if (cd) pole.canaries.push(String(cd.number));
      else pending.push(`invoice C→D: GET /api/invoices?month=${pole.closedMonth} answered ${list.statusCode} without it`);
      if (cd) {
        const payment = await created('payment of C→D', 'POST', `/api/invoices/${String(cd.id)}/payments`, { amountCents: 1, paidOn: '2026-11-16', method: 'transfer', reference: CANARY.note });
        pole.ids.paymentCD = payment?.id as number | undefined;
      }
    }
  }

  const feed = await created('feed of D', 'POST', '/api/feeds', { scope: 'member', memberId: D }, pole.cookies.adminD);
  if (feed) {
    pole.ids.feedD = feed.id as number;
    const url = String(feed.url ?? '');
    const token = /\/ical\/([^/]+)\.ics$/.exec(url)?.[1];
    if (token) {
      pole.feedTokenD = token;
      pole.canaries.push(token);
    } else pending.push(`feed of D: no /ical/<token>.ics url in ${JSON.stringify(feed)}`);
  }
  pole.ids.outboxSent = await sendOneAsFile(pole);
  return pole;
}

/** Shared staff: C employs a sound technician (its staff resource), lends it to D, and the employee has a staff account. */
async function seedStaff(pole: ProofPole, created: (what: string, method: string, url: string, payload: unknown) => Promise<Record<string, unknown> | undefined>) {
  const { base } = pole;
  const resource = await created('staff resource of C', 'POST', '/api/resources', { name: 'Technicien Charlie', kind: 'staff', capacity: 1, bearerMemberId: base.memberC });
  const account = await created('staff account of C', 'POST', '/api/users', { email: 'staff.c@test.fr', name: 'Technicien Charlie', role: 'staff', memberId: base.memberC, password: TEST_PASSWORD });
  const employee = await created('employee of C', 'POST', '/api/employees', {
    name: 'Technicien Charlie',
    qualification: 'Technicien son',
    employerMemberId: base.memberC,
    weeklyHours: 35,
    ...(resource ? { resourceId: resource.id } : {}),
    ...(account ? { userId: account.id } : {}),
  });
  pole.ids.employeeC = employee?.id as number | undefined;
  pole.ids.staffUserC = account?.id as number | undefined;
  if (employee) {
    const agreement = await created('agreement C→D', 'POST', '/api/lending-agreements', {
      employeeId: employee.id,
      userMemberId: pole.memberD,
      startDate: '2026-09-01',
      endDate: '2027-08-31',
      plannedMinutesPerMonth: 1200,
      consentDate: '2026-08-20',
      amendmentDate: '2026-08-25',
    });
    pole.ids.agreementCD = agreement?.id as number | undefined;
    if (agreement) {
      const A = `/api/lending-agreements/${String(agreement.id)}`;
      await created('signed convention C→D', 'PUT', `${A}/signed-pdf`, { pdfBase64: Buffer.from('%PDF-1.7\n% signed\n%%EOF\n').toString('base64') });
      await created('agreement C→D amended', 'PATCH', A, { plannedMinutesPerMonth: 1500 });
      const E = `/api/employees/${String(employee.id)}`;
      await created('employee of C amended', 'PATCH', E, { weeklyHours: 35 });
      // Months in the path: called directly (created() only maps numeric ids to :id).
      const october = pole.closedMonth;
      const direct = async (what: string, method: string, url: string, payload: unknown) => {
        const res = await call(pole.t.app, pole.cookies.coordinator, method, url, payload);
        if (res.statusCode >= 300) pole.pending.push(`${what}: ${method} ${url} answered ${res.statusCode} ${res.body.slice(0, 300)}`);
      };
      await direct('payroll of C’s employee', 'PUT', `${E}/payroll/${october}`, { grossSalaryCents: 250_000, employerChargesCents: 100_000, reimbursedExpensesCents: 0, paidHours: 151.67 });
      // Lent to A too (A's own invoice then has a relevé to read).
      await created('agreement C→A', 'POST', '/api/lending-agreements', { employeeId: employee.id, userMemberId: base.memberA, startDate: '2026-09-01', endDate: '2027-08-31', workingTimeShare: 10, consentDate: '2026-08-20', amendmentDate: '2026-08-25' });
      await direct('timesheet of C’s employee', 'PUT', `${E}/timesheets/${october}`, {
        lines: [
          { date: `${october}-05`, kind: 'made_available', memberId: pole.memberD, minutes: 240 },
          { date: `${october}-06`, kind: 'made_available', memberId: base.memberA, minutes: 60 },
        ],
      });
      for (const memberId of [pole.memberD, base.memberA]) await direct('approval', 'POST', `${E}/timesheets/${october}/decision`, { memberId, decision: 'approve' });
    }
  }
  const employeeD = await created('employee of D', 'POST', '/api/employees', { name: CANARY.userName, qualification: 'Chargée de production', employerMemberId: pole.memberD, weeklyHours: 24 });
  pole.ids.employeeD = employeeD?.id as number | undefined;
  if (account) pole.cookies.staffC = await login(pole.t.app, 'staff.c@test.fr');
}

/** The newest mail of the outbox written as its .eml file and marked sent, as the sender does without SMTP. */
async function sendOneAsFile(pole: ProofPole): Promise<number | undefined> {
  const { ctx } = pole.t.app;
  expandNotices(ctx); // the bookings' notices become outbox rows, as the sender's pass would
  const repo = outboxRepository(ctx.sqlite);
  const row = repo.list({ limit: 1 })[0];
  if (!row) return undefined;
  await fileTransport(outboxDirOf(ctx.config)).send(await composeMail(ctx, row));
  repo.markSent([row.id], ctx.clock.now());
  return row.id;
}
