import type { AppContext } from '../context';
import { isCoordinator, type Actor } from '../shared/actor';
import { notFound } from '../shared/errors';
import { parseRange } from './input';
import * as repo from './repository';
import { closedRanges } from '../closing/freeze';
import { subtractIntervals } from './intervals';
import { bookableWindows, freeTimeline } from './rules';
import { formatZoned } from '../shared/zone';
import { monthOf } from '../shared/time';
import type { AllowanceStanding } from '../resources/allowance';
import { allowanceStanding } from './allowance';

export interface AvailabilityItem {
  start: string;
  end: string;
  free: number;
}

/**
 * Free capacity of a resource over [from, to), as consecutive segments of constant value covering the range:
 * capacity minus pending and confirmed bookings where the resource can be booked, 0 where it cannot (closed,
 * blackout, closed month, beyond the horizon, inactive, and — for members, who cannot book the past — before now).
 */
export function availabilityFor(ctx: AppContext, actor: Actor, resourceId: number, fromText: string, toText: string): AvailabilityItem[] {
  const { from, to } = parseRange(fromText, toText);
  const { sqlite } = ctx;
  const resource = repo.resourceForBooking(sqlite, resourceId);
  if (!resource || (!resource.active && !isCoordinator(actor))) throw notFound('resource', resourceId);
  const zone = repo.poleZone(sqlite);
  const now = ctx.clock.now();
  const loads = repo.overlappingLoads(sqlite, resourceId, from, to);
  // Closed months are frozen: nobody, coordinators included, can book there any more.
  const bookable = subtractIntervals(bookableWindows(resource, from, to, { zone, now, mayBookPast: isCoordinator(actor) }), closedRanges(sqlite, zone, from, to));
  return freeTimeline(resource.capacity, bookable, loads, from, to).map((s) => ({
    start: formatZoned(s.start, zone),
    end: formatZoned(s.end, zone),
    free: s.free,
  }));
}

/**
 * What is left this month (pole's zone) of the caller's structure's allowance on the resource: null when the
 * resource has none; undefined for coordinators, who book for any member.
 */
export function callerAllowance(ctx: AppContext, actor: Actor, resourceId: number): AllowanceStanding | null | undefined {
  if (actor.memberId === null) return undefined;
  const resource = repo.resourceForBooking(ctx.sqlite, resourceId);
  if (!resource) throw notFound('resource', resourceId);
  const zone = repo.poleZone(ctx.sqlite);
  return allowanceStanding(ctx.sqlite, resource, actor.memberId, monthOf(ctx.clock.now(), zone), zone);
}
