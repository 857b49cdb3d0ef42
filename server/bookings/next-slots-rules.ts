import type { Interval } from './intervals';
import { minuteOfDay } from '../shared/zone';
import type { FreeSegment } from './rules';

/**
 * Finding free slots, pure: given a resource's free-capacity timeline, the slots of a fixed duration where
 * `quantity` units stay free throughout. Within each free stretch the slots are laid back to back from its start
 * (aligned to the resource's step), and the last slot that ends where the stretch ends is offered too: the
 * times just before and just after a busy block are what people look for.
 */

const MINUTE_MS = 60_000;

/** The first instant at or after `ms` that lies on a `granularityMinutes` step from local midnight. */
export function alignUp(ms: number, zone: string, granularityMinutes: number): number {
  const { minute, rest } = minuteOfDay(ms, zone);
  const into = minute * MINUTE_MS + rest;
  const step = granularityMinutes * MINUTE_MS;
  return ms + (Math.ceil(into / step) * step - into);
}

/** The last instant at or before `ms` on a step from local midnight. */
export function alignDown(ms: number, zone: string, granularityMinutes: number): number {
  const { minute, rest } = minuteOfDay(ms, zone);
  const into = minute * MINUTE_MS + rest;
  const step = granularityMinutes * MINUTE_MS;
  return ms - (into - Math.floor(into / step) * step);
}

/** Consecutive segments where at least `quantity` units are free, merged into stretches. */
export function freeStretches(segments: readonly FreeSegment[], quantity: number): Interval[] {
  const out: Interval[] = [];
  for (const s of segments) {
    if (s.free < quantity) continue;
    const last = out[out.length - 1];
    if (last && last.end === s.start) last.end = s.end;
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

export interface SlotSearch {
  quantity: number;
  durationMs: number;
  zone: string;
  granularityMinutes: number;
  /** At most this many slots. */
  limit: number;
  /** The booking rules (opening period, min/max length, horizon…): only slots it accepts are offered. */
  accept(slot: Interval): boolean;
}

/** Free slots of `durationMs` in the timeline, earliest first, at most `limit`. */
export function slotsInTimeline(segments: readonly FreeSegment[], search: SlotSearch): Interval[] {
  const out: Interval[] = [];
  const { durationMs, zone, granularityMinutes: g } = search;
  if (durationMs <= 0 || search.limit <= 0) return out;
  const offer = (slot: Interval) => {
    const previous = out[out.length - 1];
    if (previous && slot.start < previous.end) return;
    if (search.accept(slot)) out.push(slot);
  };
  for (const stretch of freeStretches(segments, search.quantity)) {
    let start = alignUp(stretch.start, zone, g);
    while (start + durationMs <= stretch.end && out.length < search.limit) {
      offer({ start, end: start + durationMs });
      start += durationMs;
    }
    // The slot that ends where the stretch ends (right before the next busy block).
    const lastStart = alignDown(stretch.end - durationMs, zone, g);
    if (out.length < search.limit && lastStart >= stretch.start) offer({ start: lastStart, end: lastStart + durationMs });
    if (out.length >= search.limit) break;
  }
  return out;
}
