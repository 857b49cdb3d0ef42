import { eq } from 'drizzle-orm';
import { members } from '../../db/schema/index';
import type { AppContext } from '../context';
import { notFound, unprocessable } from '../shared/errors';
import { isValidZone } from '../shared/time';
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
  patch: { name?: string; carrierMemberId?: number | null; timeZone?: string; paymentTermsDays?: number; latePenaltyRateBp?: number },
): PoleSettings {
  if (patch.timeZone !== undefined && !isValidZone(patch.timeZone)) {
    throw unprocessable('pole.invalid_time_zone', `Unknown time zone ${patch.timeZone}`);
  }
  if (patch.carrierMemberId) {
    const exists = ctx.db.select({ id: members.id }).from(members).where(eq(members.id, patch.carrierMemberId)).get();
    if (!exists) throw notFound('member', patch.carrierMemberId);
  }
  return updatePole(ctx.db, patch.name === undefined ? patch : { ...patch, name: patch.name.trim() });
}
