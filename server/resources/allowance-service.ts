import { allowanceStanding } from '../bookings/allowance';
import { poleZone, resourceForBooking } from '../bookings/repository';
import type { AppContext } from '../context';
import { canActFor, type Actor } from '../shared/actor';
import { notFound } from '../shared/errors';
import { monthOf } from '../shared/time';
import type { AllowanceStanding } from './allowance';
import * as repo from './repository';

export type MemberAllowanceView = AllowanceStanding & { resourceId: number; resourceName: string };

/**
 * What a structure has left this month (or `month`) of each active resource's allowance, for its page: its own
 * users and coordinators only (another structure's answers 404).
 */
export function memberAllowances(ctx: AppContext, actor: Actor, memberId: number, month?: string): MemberAllowanceView[] {
  if (!canActFor(actor, memberId) || !repo.memberExists(ctx.db, memberId)) throw notFound('member', memberId);
  const zone = poleZone(ctx.sqlite);
  const asked = month ?? monthOf(ctx.clock.now(), zone);
  const out: MemberAllowanceView[] = [];
  for (const row of repo.listResources(ctx.db, { includeInactive: false })) {
    if (!row.allowance) continue;
    const standing = allowanceStanding(ctx.sqlite, resourceForBooking(ctx.sqlite, row.id)!, memberId, asked, zone);
    if (standing) out.push({ resourceId: row.id, resourceName: row.name, ...standing });
  }
  return out;
}
