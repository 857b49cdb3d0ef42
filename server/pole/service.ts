import { eq } from 'drizzle-orm';
import { members } from '../../db/schema/index';
import type { AppContext } from '../context';
import { conflict, notFound, unprocessable } from '../shared/errors';
import { getPole, poleZone as readPoleZone, updatePole, type PoleSettings } from './repository';

export function getPoleSettings(ctx: AppContext): PoleSettings {
  return getPole(ctx.db);
}

/** The pole's time zone decides months and opening hours everywhere. */
export function poleZone(ctx: AppContext): string {
  return readPoleZone(ctx.sqlite);
}

export function updatePoleSettings(
  ctx: AppContext,
  patch: { name?: string; carrierMemberId?: number | null; groupingMemberId?: number | null; timeZone?: string; paymentTermsDays?: number; latePenaltyRateBp?: number },
): PoleSettings {
  if (patch.timeZone !== undefined) {
    if (!isIanaZone(patch.timeZone)) throw unprocessable('pole.invalid_time_zone', `Unknown time zone ${patch.timeZone}: give an IANA zone such as Europe/Paris`);
    const current = getPole(ctx.db).timeZone;
    // Closed months were cut at the pole's local midnights: another zone would move their edges under them.
    if (patch.timeZone !== current && ctx.sqlite.prepare('SELECT 1 FROM closings LIMIT 1').get() !== undefined) {
      throw conflict('pole.zone_locked', `A month is closed in ${current}: the pole's time zone can no longer change`, { timeZone: current });
    }
  }
  for (const id of [patch.carrierMemberId, patch.groupingMemberId]) {
    if (!id) continue;
    const exists = ctx.db.select({ id: members.id }).from(members).where(eq(members.id, id)).get();
    if (!exists) throw notFound('member', id);
  }
  return updatePole(ctx.db, patch.name === undefined ? patch : { ...patch, name: patch.name.trim() });
}

/**
 * A zone that Intl.DateTimeFormat accepts, written as its canonical IANA name: offsets ("UTC+5"),
 * "system" or "local" are refused (they are what luxon accepts but every booking route then failed on).
 */
export function isIanaZone(zone: string): boolean {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(zone) && typeof resolved === 'string' && resolved.length > 0;
  } catch {
    return false;
  }
}
