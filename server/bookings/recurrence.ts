import type { Interval } from './intervals';
import { addDays, daysIn, instantOfLocal, localFields, utcOf } from '../shared/zone';

/**
 * A recurrence rule as the API takes it: every `interval` days, weeks or months, until a local date
 * (inclusive, YYYY-MM-DD) or for `count` occurrences. Exactly one end is required.
 */
export interface Recurrence {
  freq: 'daily' | 'weekly' | 'monthly';
  interval?: number;
  until?: string;
  count?: number;
  /** Only on these ISO weekdays (1 = Monday … 7 = Sunday): daily on [1,2,3,4,5] is "every working day". */
  weekdays?: number[];
}

export const MAX_OCCURRENCES = 366;
const MAX_STEPS = 10_000;

export interface Occurrence extends Interval {
  /** Its step in the series (0 = the first); months skipped by a monthly rule leave gaps. */
  index: number;
  /** A local time that does not exist (DST gap) squeezed the occurrence to nothing or less. */
  invalid: boolean;
}

export type ExpandResult =
  | { ok: true; occurrences: Occurrence[] }
  | { ok: false; problem: 'no_end' | 'both_ends' | 'invalid_until' | 'until_before_start' | 'too_many'; message: string };

const DAY_MS = 86_400_000;

const isoWeekday = (d: { year: number; month: number; day: number }) => ((new Date(utcOf(d.year, d.month, d.day)).getUTCDay() + 6) % 7) + 1;

function parseDate(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return utcOf(year, month, day);
}

/**
 * The occurrences of a series whose first occurrence is [start, end), in `zone`. Every occurrence keeps the
 * first one's local wall-clock start and end (09:00–11:00 stays 09:00–11:00 across a DST change; a multi-day
 * booking keeps its number of days). A monthly rule on the 29th–31st skips months without that day, as RFC 5545
 * does. The first occurrence is [start, end) exactly.
 */
export function expandRecurrence(start: number, end: number, rule: Recurrence, zone: string, max = MAX_OCCURRENCES): ExpandResult {
  if (rule.until === undefined && rule.count === undefined) {
    return { ok: false, problem: 'no_end', message: 'A recurrence needs an end: until (YYYY-MM-DD) or count' };
  }
  if (rule.until !== undefined && rule.count !== undefined) {
    return { ok: false, problem: 'both_ends', message: 'Give either until or count, not both' };
  }
  const interval = rule.interval ?? 1;
  const first = localFields(start, zone);
  const last = localFields(end, zone);
  const firstDay = utcOf(first.year, first.month, first.day);
  const dayOffset = Math.round((utcOf(last.year, last.month, last.day) - firstDay) / DAY_MS);
  let until: number | null = null;
  if (rule.until !== undefined) {
    until = parseDate(rule.until);
    if (until === null) return { ok: false, problem: 'invalid_until', message: `until ${rule.until} is not a date` };
    if (until < firstDay) return { ok: false, problem: 'until_before_start', message: `until ${rule.until} is before the first occurrence` };
  }
  if (rule.count !== undefined && rule.count > max) return { ok: false, problem: 'too_many', message: `A series has at most ${max} occurrences` };
  const wanted = rule.count ?? Number.POSITIVE_INFINITY;

  const occurrences: Occurrence[] = [];
  // The step bound ends a count-limited rule whose weekdays its dates never meet (weekly on another weekday).
  for (let k = 0; occurrences.length < wanted && k <= MAX_STEPS; k++) {
    const step = k * interval;
    let date: { year: number; month: number; day: number };
    if (rule.freq === 'monthly') {
      const months = first.month - 1 + step;
      date = { year: first.year + Math.floor(months / 12), month: (months % 12) + 1, day: first.day };
    } else {
      date = addDays(first.year, first.month, first.day, rule.freq === 'weekly' ? 7 * step : step);
    }
    if (until !== null && utcOf(date.year, date.month, 1) > until) break;
    // A month without the day is skipped; an occurrence still comes at least every 4 years (29 February).
    if (date.day > daysIn(date.year, date.month)) continue;
    if (until !== null && utcOf(date.year, date.month, date.day) > until) break;
    if (rule.weekdays && !rule.weekdays.includes(isoWeekday(date))) continue;
    if (occurrences.length >= max) return { ok: false, problem: 'too_many', message: `A series has at most ${max} occurrences` };
    if (k === 0) {
      occurrences.push({ start, end, index: 0, invalid: false });
      continue;
    }
    const endDate = addDays(date.year, date.month, date.day, dayOffset);
    const s = instantOfLocal(zone, date.year, date.month, date.day, first.hour, first.minute, first.second, first.millisecond);
    const e = instantOfLocal(zone, endDate.year, endDate.month, endDate.day, last.hour, last.minute, last.second, last.millisecond);
    occurrences.push({ start: s, end: e, index: k, invalid: e <= s });
  }
  return { ok: true, occurrences };
}
