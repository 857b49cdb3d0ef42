import { DateTime } from 'luxon';
import type { Interval } from './intervals';

/**
 * A recurrence rule as the API takes it: every `interval` days, weeks or months, until a local date
 * (inclusive, YYYY-MM-DD) or for `count` occurrences. Exactly one end is required.
 */
export interface Recurrence {
  freq: 'daily' | 'weekly' | 'monthly';
  interval?: number;
  until?: string;
  count?: number;
}

export const MAX_OCCURRENCES = 366;

export interface Occurrence extends Interval {
  /** Its place in the series (0 = the first); months skipped by a monthly rule leave gaps. */
  index: number;
  /** A local time that does not exist (DST gap) squeezed the occurrence to nothing or less. */
  invalid: boolean;
}

export type ExpandResult =
  | { ok: true; occurrences: Occurrence[] }
  | { ok: false; problem: 'no_end' | 'both_ends' | 'invalid_until' | 'until_before_start' | 'too_many'; message: string };

const DAY_MS = 86_400_000;

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
  const first = DateTime.fromMillis(start, { zone });
  const last = DateTime.fromMillis(end, { zone });
  const firstDate = DateTime.utc(first.year, first.month, first.day);
  const dayOffset = Math.round((DateTime.utc(last.year, last.month, last.day).toMillis() - firstDate.toMillis()) / DAY_MS);
  let until: DateTime | null = null;
  if (rule.until !== undefined) {
    until = /^\d{4}-\d{2}-\d{2}$/.test(rule.until) ? DateTime.fromISO(rule.until, { zone: 'UTC' }) : null;
    if (!until || !until.isValid) return { ok: false, problem: 'invalid_until', message: `until ${rule.until} is not a date` };
    if (until < firstDate) return { ok: false, problem: 'until_before_start', message: `until ${rule.until} is before the first occurrence` };
  }
  const wanted = rule.count ?? Number.POSITIVE_INFINITY;
  if (rule.count !== undefined && rule.count > max) return { ok: false, problem: 'too_many', message: `A series has at most ${max} occurrences` };

  const occurrences: Occurrence[] = [];
  for (let k = 0; occurrences.length < wanted; k++) {
    const step = k * interval;
    const date =
      rule.freq === 'daily' ? firstDate.plus({ days: step }) : rule.freq === 'weekly' ? firstDate.plus({ weeks: step }) : firstDate.plus({ months: step });
    if (until && date > until) break;
    // A month without the day is skipped; an occurrence still comes at least every 4 years (29 February).
    if (rule.freq === 'monthly' && date.day !== firstDate.day) continue;
    if (occurrences.length >= max) return { ok: false, problem: 'too_many', message: `A series has at most ${max} occurrences` };
    if (k === 0) {
      occurrences.push({ start, end, index: 0, invalid: false });
      continue;
    }
    const endDate = date.plus({ days: dayOffset });
    const s = DateTime.fromObject(
      { year: date.year, month: date.month, day: date.day, hour: first.hour, minute: first.minute, second: first.second, millisecond: first.millisecond },
      { zone },
    ).toMillis();
    const e = DateTime.fromObject(
      { year: endDate.year, month: endDate.month, day: endDate.day, hour: last.hour, minute: last.minute, second: last.second, millisecond: last.millisecond },
      { zone },
    ).toMillis();
    occurrences.push({ start: s, end: e, index: k, invalid: e <= s });
  }
  return { ok: true, occurrences };
}
