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
 * users and coordinators only (another structure's answers 404). A month is read with the allowance it had.
 */
export function memberAllowances(ctx: AppContext, actor: Actor, memberId: number, month?: string): MemberAllowanceView[] {
  if (!canActFor(actor, memberId) || !repo.memberExists(ctx.db, memberId)) throw notFound('member', memberId);
  const zone = poleZone(ctx.sqlite);
  const asked = month ?? monthOf(ctx.clock.now(), zone);
  const out: MemberAllowanceView[] = [];
  // A past month answers from the allowance it had (even of a resource since deactivated), with its bookings.
  const past = asked < monthOf(ctx.clock.now(), zone);
  for (const row of repo.listResources(ctx.db, { includeInactive: past })) {
    const allowance = repo.allowanceFor(ctx.db, row.id, asked, row.allowance);
    if (!allowance) continue;
    const standing = allowanceStanding(ctx.sqlite, { ...resourceForBooking(ctx.sqlite, row.id)!, allowance }, memberId, asked, zone);
    if (standing) out.push({ resourceId: row.id, resourceName: row.name, ...standing });
  }
  return out;
}
