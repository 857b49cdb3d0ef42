/**
 * Half-open intervals of epoch milliseconds, [start, end): two intervals that only touch do not overlap.
 * Pure helpers shared by opening hours, booking rules and availability.
 */
export interface Interval {
  start: number;
  end: number;
}

export const overlaps = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;

export const contains = (outer: Interval, inner: Interval) => outer.start <= inner.start && inner.end <= outer.end;

/** Sorts and merges overlapping or touching intervals; drops empty ones. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.end > i.start).sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** `intervals` (merged) minus `holes`: what is left once every hole is cut out. */
export function subtractIntervals(intervals: readonly Interval[], holes: readonly Interval[]): Interval[] {
  const cuts = mergeIntervals(holes);
  const out: Interval[] = [];
  for (const i of mergeIntervals(intervals)) {
    let cursor = i.start;
    for (const h of cuts) {
      if (h.end <= cursor || h.start >= i.end) continue;
      if (h.start > cursor) out.push({ start: cursor, end: h.start });
      cursor = Math.max(cursor, h.end);
      if (cursor >= i.end) break;
    }
    if (cursor < i.end) out.push({ start: cursor, end: i.end });
  }
  return out;
}

/** Each interval clipped to [from, to); empty results dropped. */
export function clipIntervals(intervals: readonly Interval[], from: number, to: number): Interval[] {
  const out: Interval[] = [];
  for (const i of intervals) {
    const start = Math.max(i.start, from);
    const end = Math.min(i.end, to);
    if (end > start) out.push({ start, end });
  }
  return out;
}
