import { closedRanges } from '../closing/freeze';
import type { AppContext } from '../context';
import { isCoordinator, type Actor } from '../shared/actor';
import { notFound, unprocessable } from '../shared/errors';
import { formatZoned } from '../shared/zone';
import { parseApiInstant } from './input';
import { subtractIntervals } from './intervals';
import { slotsInTimeline } from './next-slots-rules';
import * as repo from './repository';
import { bookableWindows, freeTimeline, horizonEnd, ruleViolations, type RuleContext } from './rules';

export interface NextSlotsQuery {
  resourceIds: string;
  durationMinutes: number;
  from?: string;
  limit?: number;
  quantity?: number;
}

export interface FreeSlotView {
  resourceId: number;
  start: string;
  end: string;
}

const DAY_MS = 86_400_000;
/** How far ahead the search looks (the resources' horizons usually stop it earlier), and its step. */
export const SEARCH_DAYS = 92;
const CHUNK_DAYS = 14;
export const MAX_RESOURCES = 20;

function parseIds(text: string): number[] {
  const ids = [...new Set(text.split(',').map(Number))];
  if (ids.length > MAX_RESOURCES) throw unprocessable('slots.too_many_resources', `At most ${MAX_RESOURCES} resources at once`);
  return ids;
}

/**
 * The next free slots of `durationMinutes` from `from` (default: now) across one or several resources, earliest
 * first (ties by resource id): slots the caller could book right now, by the same rules as POST /api/bookings
 * (opening period, steps, min/max length, blackouts, horizon, closed months, capacity for `quantity` units).
 */
export function nextFreeSlots(ctx: AppContext, actor: Actor, q: NextSlotsQuery): FreeSlotView[] {
  const { sqlite } = ctx;
  const now = ctx.clock.now();
  const from = q.from === undefined ? now : parseApiInstant(q.from, 'from');
  const limit = q.limit ?? 5;
  const quantity = q.quantity ?? 1;
  const durationMs = q.durationMinutes * 60_000;
  const zone = repo.poleZone(sqlite);
  const ruleCtx: RuleContext = { zone, now, mayBookPast: isCoordinator(actor) };
  const found: { resourceId: number; start: number; end: number }[] = [];

  for (const resourceId of parseIds(q.resourceIds)) {
    const resource = repo.resourceForBooking(sqlite, resourceId);
    if (!resource || (!resource.active && !isCoordinator(actor))) throw notFound('resource', resourceId);
    if (!resource.active || quantity > resource.capacity) continue;
    const stop = Math.min(from + SEARCH_DAYS * DAY_MS, horizonEnd(now, zone, resource.horizonDays));
    const accept = (slot: { start: number; end: number }) => ruleViolations(resource, { ...slot, quantity }, ruleCtx).length === 0;
    let mine = 0;
    // Chunks overlap by one slot's length so that a slot across a chunk boundary is still found.
    for (let lo = from; lo < stop && mine < limit; lo += CHUNK_DAYS * DAY_MS) {
      const hi = Math.min(stop, lo + CHUNK_DAYS * DAY_MS + durationMs);
      const bookable = subtractIntervals(bookableWindows(resource, lo, hi, ruleCtx), closedRanges(sqlite, zone, lo, hi));
      const timeline = freeTimeline(resource.capacity, bookable, repo.overlappingLoads(sqlite, resourceId, lo, hi), lo, hi);
      const slots = slotsInTimeline(timeline, { quantity, durationMs, zone, granularityMinutes: resource.granularityMinutes, limit: limit - mine, accept });
      for (const slot of slots) {
        if (found.some((f) => f.resourceId === resourceId && f.start < slot.end && slot.start < f.end)) continue;
        found.push({ resourceId, ...slot });
        mine++;
      }
    }
  }
  found.sort((a, b) => a.start - b.start || a.resourceId - b.resourceId);
  return found.slice(0, limit).map((s) => ({ resourceId: s.resourceId, start: formatZoned(s.start, zone), end: formatZoned(s.end, zone) }));
}
