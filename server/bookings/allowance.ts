import type { Sqlite } from '../../db/index';
import { minutesByMonth, minutesText, standing, type AllowanceStanding } from '../resources/allowance';
import { allowanceFor } from '../resources/repository';
import { conflict, type AppError } from '../shared/errors';
import { monthRange } from '../shared/time';
import * as repo from './repository';
import type { ResourceForBooking } from './repository';
import type { Load } from './rules';

/**
 * A booking against its member's allowance, read inside the booking's IMMEDIATE transaction (with the capacity
 * check), so that two bookings racing from two processes cannot both fit in what is left.
 */
export type AllowanceVerdict = { verdict: 'ok' } | { verdict: 'soft' } | { verdict: 'hard'; over: AllowanceStanding & { askedMinutes: number } };

export function allowanceVerdict(sqlite: Sqlite, resource: ResourceForBooking, memberId: number, load: Load, zone: string, excludeId?: number): AllowanceVerdict {
  for (const [month, asked] of minutesByMonth(load.start, load.end, load.quantity, zone)) {
    // Each month with the allowance it has (a past month keeps the one it had).
    const allowance = allowanceFor(sqlite, resource.id, month, resource.allowance);
    if (!allowance) continue;
    const { startMs, endMs } = monthRange(month, zone);
    const used = repo.memberMinutesInRange(sqlite, { resourceId: resource.id, memberId, from: startMs, to: endMs, excludeId });
    const s = standing(month, allowance, memberId, used);
    if (used + asked > s.allowanceMinutes) {
      return allowance.limit === 'hard' ? { verdict: 'hard', over: { ...s, askedMinutes: asked } } : { verdict: 'soft' };
    }
  }
  return { verdict: 'ok' };
}

export function allowanceConflict(over: AllowanceStanding & { askedMinutes: number }): AppError {
  return conflict(
    'booking.allowance_exceeded',
    `The allowance of ${minutesText(over.allowanceMinutes)} for ${over.month} has ${minutesText(over.remainingMinutes)} left; ${minutesText(over.askedMinutes)} asked`,
    over,
  );
}

/** What is left of a member's allowance on a resource this month (null: the resource has none). */
export function allowanceStanding(sqlite: Sqlite, resource: ResourceForBooking, memberId: number, month: string, zone: string): AllowanceStanding | null {
  if (!resource.allowance) return null;
  const { startMs, endMs } = monthRange(month, zone);
  return standing(month, resource.allowance, memberId, repo.memberMinutesInRange(sqlite, { resourceId: resource.id, memberId, from: startMs, to: endMs }));
}
