import { clipIntervals, mergeIntervals, type Interval } from '../bookings/intervals';
import { instantOfLocal, localFields, utcOf } from '../shared/zone';

/**
 * Opening hours of a resource, in the pole's time zone: per ISO weekday ("1" = Monday … "7" = Sunday) a list of
 * [from, to] local wall-clock times "HH:MM", `to` after `from`, "24:00" meaning the next midnight. A missing
 * weekday is closed all day; `null` (not this type) means always open. Intervals that touch merge, also across
 * midnight: Friday ["20:00","24:00"] and Saturday ["00:00","02:00"] open one interval from Friday 20:00 to
 * Saturday 02:00. On DST days a local time that does not exist moves forward (02:30 → 03:30 on the last Sunday
 * of March in Paris) and a repeated one is its first occurrence, so that day's ranges are as long as the wall
 * clock says.
 */
export const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type TimeRange = [string, string];
export type OpeningHours = Partial<Record<Weekday, TimeRange[]>>;

const DAY_MS = 86_400_000;

export const TIME_PATTERN = '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';
const TIME = new RegExp(TIME_PATTERN);

/** "HH:MM" → minutes since local midnight; "24:00" → 1440. */
export function minutesOfTime(time: string): number {
  if (!TIME.test(time)) throw new RangeError(`Not a time: ${time}`);
  return Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
}

/** What is wrong with opening hours, in words (empty when they are valid). */
export function openingHoursProblems(hours: OpeningHours): string[] {
  const problems: string[] = [];
  for (const [day, ranges] of Object.entries(hours)) {
    if (!(WEEKDAYS as readonly string[]).includes(day)) {
      problems.push(`${day} is not an ISO weekday (1 = Monday … 7 = Sunday)`);
      continue;
    }
    const parsed: { from: number; to: number; text: string }[] = [];
    for (const range of ranges ?? []) {
      const [from, to] = range;
      if (!TIME.test(from) || !TIME.test(to) || from === '24:00') {
        problems.push(`weekday ${day}: ${JSON.stringify(range)} is not a pair of HH:MM times`);
        continue;
      }
      const f = minutesOfTime(from);
      const t = minutesOfTime(to);
      if (t <= f) problems.push(`weekday ${day}: ${from}–${to} ends before it starts (split ranges that cross midnight)`);
      else parsed.push({ from: f, to: t, text: `${from}–${to}` });
    }
    parsed.sort((a, b) => a.from - b.from);
    for (let i = 1; i < parsed.length; i++) {
      if (parsed[i]!.from < parsed[i - 1]!.to) problems.push(`weekday ${day}: ${parsed[i - 1]!.text} and ${parsed[i]!.text} overlap`);
    }
  }
  return problems;
}

/** Weekdays in order, each day's ranges sorted, so that stored hours read predictably. */
export function normaliseOpeningHours(hours: OpeningHours): OpeningHours {
  const out: OpeningHours = {};
  for (const day of WEEKDAYS) {
    const ranges = hours[day];
    if (ranges) out[day] = [...ranges].map((r) => [r[0], r[1]] as TimeRange).sort((a, b) => minutesOfTime(a[0]) - minutesOfTime(b[0]));
  }
  return out;
}

/** Parsed ranges per weekday (index 1..7), cached per opening-hours object. */
const parsedCache = new WeakMap<OpeningHours, [number, number][][]>();
function parsedRanges(hours: OpeningHours): [number, number][][] {
  let parsed = parsedCache.get(hours);
  if (!parsed) {
    parsed = [[]];
    for (const day of WEEKDAYS) parsed.push((hours[day] ?? []).map(([f, t]) => [minutesOfTime(f), minutesOfTime(t)]));
    parsedCache.set(hours, parsed);
  }
  return parsed;
}

/**
 * The open intervals within [fromMs, toMs), merged (touching ranges join, across midnight too) and clipped.
 * `null` hours: open all the time.
 */
export function openIntervals(hours: OpeningHours | null, zone: string, fromMs: number, toMs: number): Interval[] {
  if (toMs <= fromMs) return [];
  if (hours === null) return [{ start: fromMs, end: toMs }];
  const ranges = parsedRanges(hours);
  const raw: Interval[] = [];
  // Local days from the one before the range to the one after, so that an interval crossing the range's edges
  // merges with its neighbours. Days are walked on the wall clock ("local as UTC" midnights).
  const first = localFields(fromMs, zone);
  const last = localFields(toMs, zone);
  const lastDay = utcOf(last.year, last.month, last.day) + DAY_MS;
  for (let day = utcOf(first.year, first.month, first.day) - DAY_MS; day <= lastDay; day += DAY_MS) {
    const d = new Date(day);
    const weekday = ((d.getUTCDay() + 6) % 7) + 1;
    const [y, m, dd] = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
    // Minutes past midnight roll over (1440 = next midnight); nonexistent times move forward.
    for (const [f, t] of ranges[weekday]!) raw.push({ start: instantOfLocal(zone, y, m, dd, 0, f), end: instantOfLocal(zone, y, m, dd, 0, t) });
  }
  return clipIntervals(mergeIntervals(raw), fromMs, toMs);
}

/** True when [start, end) lies entirely within one open interval. */
export function withinOpeningHours(hours: OpeningHours | null, zone: string, start: number, end: number): boolean {
  if (hours === null) return true;
  // Open intervals around the booking: if one covers it, it is the whole clipped range.
  const open = openIntervals(hours, zone, start, end);
  return open.length === 1 && open[0]!.start === start && open[0]!.end === end;
}
