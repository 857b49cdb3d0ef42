import { openIntervals, withinOpeningHours, type OpeningHours } from '../resources/opening-hours';
import { clipIntervals, overlaps, subtractIntervals, type Interval } from './intervals';
import { addDays, instantOfLocal, localFields, minuteOfDay, offsetMs } from '../shared/zone';

/**
 * The booking rules, pure: no clock, no database. Instants are epoch ms; local notions (midnight, weekday,
 * opening hours, horizon days) are taken in the pole's `zone`.
 */

export interface Blackout extends Interval {
  reason?: string;
}

/** What the rules need to know about a resource. */
export interface BookableResource {
  capacity: number;
  granularityMinutes: number;
  minMinutes: number | null;
  maxMinutes: number | null;
  openingHours: OpeningHours | null;
  blackouts: readonly Blackout[];
  horizonDays: number;
  active: boolean;
}

/** A booking's claim on capacity: `quantity` units over [start, end). */
export interface Load extends Interval {
  quantity: number;
}

export interface RuleContext {
  zone: string;
  now: number;
  /** Coordinators may record bookings in the past (months not closed); members may not. */
  mayBookPast: boolean;
}

/**
 * Why a booking is refused. A single booking answers `booking.<violation>` (422); a recurring series lists each
 * refused occurrence with its reason in a 409 `booking.conflict`. `capacity` and `month_closed` are found by the
 * service (they need the store).
 */
export const RULE_VIOLATIONS = [
  'resource_inactive',
  'quantity_exceeds_capacity',
  'misaligned',
  'too_short',
  'too_long',
  'in_past',
  'beyond_horizon',
  'outside_opening_hours',
  'in_blackout',
] as const;
export type RuleViolation = (typeof RULE_VIOLATIONS)[number];
export type Refusal = RuleViolation | 'capacity' | 'month_closed' | 'member_left' | 'nonexistent_local_time' | 'allowance_exceeded' | 'no_agreement';

export const MINUTE_MS = 60_000;

/** True when the instant's local wall-clock time is a whole multiple of `granularityMinutes` after local midnight. */
export function isAligned(ms: number, zone: string, granularityMinutes: number): boolean {
  const { minute, rest } = minuteOfDay(ms, zone);
  return rest === 0 && minute % granularityMinutes === 0;
}

/**
 * Minutes between two instants as the local wall clock shows them: 00:00 to 24:00 is 1440 minutes on the DST days
 * of 23 and 25 hours too. Min and max durations accept a booking if either its real or its wall-clock length
 * fits: a whole day is "one day" (max 1440) on a 25-hour day, and "at least a day" (min 1440) on a 23-hour day.
 */
export function wallClockMinutes(start: number, end: number, zone: string): number {
  return (end - start + offsetMs(end, zone) - offsetMs(start, zone)) / MINUTE_MS;
}

/** The last instant a booking may reach: `horizonDays` local days after now, at the same wall-clock time. */
export function horizonEnd(now: number, zone: string, horizonDays: number): number {
  const f = localFields(now, zone);
  const d = addDays(f.year, f.month, f.day, horizonDays);
  return instantOfLocal(zone, d.year, d.month, d.day, f.hour, f.minute, f.second, f.millisecond);
}

/** Every rule a booking breaks, in a stable order (empty: acceptable, capacity aside). */
export function ruleViolations(resource: BookableResource, booking: Load, ctx: RuleContext): RuleViolation[] {
  const out: RuleViolation[] = [];
  const { start, end } = booking;
  if (!resource.active) out.push('resource_inactive');
  if (booking.quantity > resource.capacity) out.push('quantity_exceeds_capacity');
  if (!isAligned(start, ctx.zone, resource.granularityMinutes) || !isAligned(end, ctx.zone, resource.granularityMinutes)) out.push('misaligned');
  // Durations count in the booker's favour on DST days: real or wall-clock minutes, whichever fits.
  const real = (end - start) / MINUTE_MS;
  const wall = wallClockMinutes(start, end, ctx.zone);
  if (resource.minMinutes !== null && Math.max(real, wall) < resource.minMinutes) out.push('too_short');
  if (resource.maxMinutes !== null && Math.min(real, wall) > resource.maxMinutes) out.push('too_long');
  if (!ctx.mayBookPast && start < ctx.now) out.push('in_past');
  if (end > horizonEnd(ctx.now, ctx.zone, resource.horizonDays)) out.push('beyond_horizon');
  if (!withinOpeningHours(resource.openingHours, ctx.zone, start, end)) out.push('outside_opening_hours');
  if (resource.blackouts.some((b) => overlaps(b, booking))) out.push('in_blackout');
  return out;
}

/** The highest total quantity that `loads` put on any instant of `range` (touching loads do not add up). */
export function peakLoad(loads: readonly Load[], range: Interval): number {
  const events: [number, number][] = [];
  for (const l of loads) {
    if (!overlaps(l, range)) continue;
    events.push([Math.max(l.start, range.start), l.quantity], [Math.min(l.end, range.end), -l.quantity]);
  }
  // At the same instant, ends before starts: [9,10) and [10,11) never hold together.
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let current = 0;
  let peak = 0;
  for (const [, delta] of events) {
    current += delta;
    if (current > peak) peak = current;
  }
  return peak;
}

/** True when `candidate` fits next to `existing` loads without exceeding `capacity` at any instant. */
export function fitsCapacity(capacity: number, existing: readonly Load[], candidate: Load): boolean {
  return peakLoad(existing, candidate) + candidate.quantity <= capacity;
}

/**
 * Where the resource can be booked within [from, to): open hours, minus blackouts, within the horizon and,
 * unless the caller may book the past, not before now. Inactive: nowhere.
 */
export function bookableWindows(resource: BookableResource, from: number, to: number, ctx: RuleContext): Interval[] {
  if (!resource.active) return [];
  const lo = ctx.mayBookPast ? from : Math.max(from, ctx.now);
  const hi = Math.min(to, horizonEnd(ctx.now, ctx.zone, resource.horizonDays));
  if (hi <= lo) return [];
  const open = openIntervals(resource.openingHours, ctx.zone, lo, hi);
  return subtractIntervals(open, clipIntervals(resource.blackouts, lo, hi));
}

export interface FreeSegment extends Interval {
  free: number;
}

/**
 * Free capacity over [from, to) as consecutive segments of constant value: `capacity` minus the loads where the
 * resource is bookable, 0 elsewhere. Adjacent segments with the same value are merged; together they cover
 * [from, to) exactly.
 */
export function freeTimeline(capacity: number, bookable: readonly Interval[], loads: readonly Load[], from: number, to: number): FreeSegment[] {
  if (to <= from) return [];
  const delta = new Map<number, number>();
  const points = new Set<number>([from, to]);
  for (const l of loads) {
    if (!overlaps(l, { start: from, end: to })) continue;
    const s = Math.max(l.start, from);
    const e = Math.min(l.end, to);
    delta.set(s, (delta.get(s) ?? 0) + l.quantity);
    delta.set(e, (delta.get(e) ?? 0) - l.quantity);
    points.add(s).add(e);
  }
  const windows = clipIntervals(bookable, from, to);
  for (const w of windows) points.add(w.start).add(w.end);
  const sorted = [...points].sort((a, b) => a - b);
  const out: FreeSegment[] = [];
  let used = 0;
  let w = 0;
  for (let i = 0; i < sorted.length - 1; i++) {
    const start = sorted[i]!;
    const end = sorted[i + 1]!;
    used += delta.get(start) ?? 0;
    while (w < windows.length && windows[w]!.end <= start) w++;
    const open = w < windows.length && windows[w]!.start <= start;
    const free = open ? Math.max(0, capacity - used) : 0;
    const last = out[out.length - 1];
    if (last && last.free === free) last.end = end;
    else out.push({ start, end, free });
  }
  return out;
}
