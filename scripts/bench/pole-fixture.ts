/**
 * The database of the load scenario: the demo pole itself (db/demo.ts, seeded as of the 16th of last month, so
 * that the month before last and the one before are closed with their invoices and last month is open, ended
 * and ready to close), plus what its users' clients hold: a session per user, a calendar feed per user, and
 * the slots members will ask for (one hour on weekdays, 09:00–17:00, from the day after tomorrow).
 */
import { DateTime } from 'luxon';
import { openStore } from '../../db/index';
import { seedDemo } from '../../db/demo';
import { createSessionRepository } from '../../server/auth/repository';
import { createSessionManager } from '../../server/auth/sessions';
import { defaultConfig } from '../../server/config';
import type { AppContext } from '../../server/context';
import { createFeed } from '../../server/feeds/service';
import { manualClock, systemClock } from '../../server/shared/clock';
import type { Role } from '../../db/schema/enums';

export const POLE_ZONE = 'Europe/Paris';

export interface PoleFixture {
  path: string;
  /** Session cookies of the members' users (they book, look at availability and their calendar). */
  memberCookies: string[];
  coordinatorCookie: string;
  feedPaths: string[];
  resourceIds: number[];
  slots: { resourceId: number; start: string; end: string }[];
  /** PDF paths a coordinator may download: invoices and member statements of the closed months. */
  pdfPaths: string[];
  /** The month the scenario closes (last month: ended, open, with costs and bookings). */
  closeMonth: string;
  /** A week and a month ahead, for availability and calendar lists. */
  weekFrom: string;
  weekTo: string;
  monthFrom: string;
  monthTo: string;
}

export async function createPoleFixture(path: string): Promise<PoleFixture> {
  const now = DateTime.now().setZone(POLE_ZONE);
  const seededAt = now.minus({ months: 1 }).set({ day: 16, hour: 10, minute: 0, second: 0, millisecond: 0 });
  const store = openStore(path);
  await seedDemo(store, { clock: manualClock(seededAt.toMillis()) });
  const { sqlite } = store;
  const ctx: AppContext = { store, db: store.db, sqlite, clock: systemClock, config: { ...defaultConfig, dbPath: path, demo: false } };
  const sessions = createSessionManager(createSessionRepository(sqlite), systemClock, { idleMs: defaultConfig.sessionIdleMs, absoluteMs: defaultConfig.sessionAbsoluteMs });
  const users = sqlite.prepare('SELECT id, email, name, role, member_id AS memberId FROM users WHERE active = 1 ORDER BY id').all() as {
    id: number;
    email: string;
    name: string;
    role: Role;
    memberId: number | null;
  }[];
  const memberCookies: string[] = [];
  let coordinatorCookie = '';
  const feedPaths: string[] = [];
  for (const u of users) {
    const cookie = `mutualise_session=${sessions.create(u.id).token}`;
    if (u.role === 'coordinator') coordinatorCookie ||= cookie;
    else memberCookies.push(cookie);
    const feed = createFeed(ctx, { userId: u.id, role: u.role, memberId: u.memberId, email: u.email, name: u.name, sessionId: 'fixture' }, { scope: 'user' });
    feedPaths.push(new URL(feed.url).pathname);
  }
  const resourceIds = (sqlite.prepare('SELECT id FROM resources WHERE active = 1 ORDER BY id').pluck().all() as number[]);
  const slots: PoleFixture['slots'] = [];
  for (let day = now.startOf('day').plus({ days: 2 }); slots.length < 10_000; day = day.plus({ days: 1 })) {
    if (day.weekday > 5) continue;
    for (let hour = 9; hour < 17; hour++) {
      for (const resourceId of resourceIds) {
        const start = day.set({ hour });
        slots.push({ resourceId, start: start.toISO()!, end: start.plus({ hours: 1 }).toISO()! });
      }
    }
  }
  const pdfPaths = [
    ...(sqlite.prepare('SELECT id FROM invoices ORDER BY id').pluck().all() as number[]).map((id) => `/api/invoices/${id}/pdf`),
    ...(sqlite.prepare('SELECT c.month, m.id FROM closings c CROSS JOIN members m ORDER BY c.month, m.id').all() as { month: string; id: number }[]).map(
      (r) => `/api/statements/${r.month}/${r.id}/pdf`,
    ),
  ];
  store.close();
  const week = now.startOf('day').plus({ days: 2 });
  const month = now.startOf('month');
  return {
    path,
    memberCookies,
    coordinatorCookie,
    feedPaths,
    resourceIds,
    slots,
    pdfPaths,
    closeMonth: seededAt.toFormat('yyyy-MM'),
    weekFrom: week.toISO()!,
    weekTo: week.plus({ days: 7 }).toISO()!,
    monthFrom: month.toISO()!,
    monthTo: month.plus({ months: 1 }).toISO()!,
  };
}
