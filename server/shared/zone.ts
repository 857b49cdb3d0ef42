/**
 * Zoned time for the booking hot paths (the overlap check, availability), without luxon's per-call cost:
 * a zone's UTC offset is read through Intl once per day of time (per hour on the days of a change) and cached, then every local notion
 * (wall clock, month, weekday, ISO text with offset) is plain arithmetic. Cross-checked against luxon in
 * tests/unit/booking-zone.test.ts.
 *
 * Local → instant is deterministic, as RFC 5545 reads local times: a time that does not exist (the spring-forward
 * gap) moves forward by the gap's length (02:30 → 03:30 summer time), and a time that exists twice (the
 * fall-back hour) is its first occurrence (02:30 summer time).
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    formatters.set(zone, f);
  }
  return f;
}

/** A UTC timestamp for a proleptic Gregorian date-time (Date.UTC maps years 0–99 to 1900–1999; this does not). */
export function utcOf(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, millisecond);
  return d.getTime();
}

/** The zone's offset from UTC at `ms`, in ms, straight from Intl (slow: cached by offsetMs). */
function computeOffset(ms: number, zone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const fields: Record<string, number> = {};
  let bc = false;
  for (const p of formatter(zone).formatToParts(new Date(whole))) {
    if (p.type === 'era') bc = p.value.startsWith('B');
    else if (p.type !== 'literal') fields[p.type] = Number(p.value);
  }
  const year = bc ? 1 - fields.year! : fields.year!;
  return utcOf(year, fields.month!, fields.day!, fields.hour === 24 ? 0 : fields.hour!, fields.minute!, fields.second!) - whole;
}

/** A span's offset if it is the same at both ends (no transition inside: they are months apart), else null. */
function steadyOffset(start: number, length: number, zone: string): number | null {
  const first = computeOffset(start, zone);
  return first === computeOffset(start + length - 1, zone) ? first : null;
}

/** Per zone: day bucket → offset (null: the day holds a transition), and the same per hour for such days. */
const dayCache = new Map<string, Map<number, number | null>>();
const hourCache = new Map<string, Map<number, number | null>>();

function cached(caches: Map<string, Map<number, number | null>>, zone: string, bucket: number, length: number): number | null {
  let cache = caches.get(zone);
  if (!cache) caches.set(zone, (cache = new Map()));
  let value = cache.get(bucket);
  if (value === undefined) {
    value = steadyOffset(bucket * length, length, zone);
    if (cache.size > 100_000) cache.clear();
    cache.set(bucket, value);
  }
  return value;
}

/** The zone's offset from UTC at instant `ms`, in ms (3_600_000 for CET). */
export function offsetMs(ms: number, zone: string): number {
  const day = cached(dayCache, zone, Math.floor(ms / DAY_MS), DAY_MS);
  if (day !== null) return day;
  return cached(hourCache, zone, Math.floor(ms / HOUR_MS), HOUR_MS) ?? computeOffset(ms, zone);
}

export interface LocalFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

/** The local wall clock at `ms`, as a timestamp read in UTC ("local as if UTC"). */
export const wallClockOf = (ms: number, zone: string): number => ms + offsetMs(ms, zone);

export function localFields(ms: number, zone: string): LocalFields {
  const d = new Date(wallClockOf(ms, zone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
    millisecond: d.getUTCMilliseconds(),
    weekday: ((d.getUTCDay() + 6) % 7) + 1,
  };
}

/** Minutes since local midnight on the wall clock, with the seconds and ms left over. */
export function minuteOfDay(ms: number, zone: string): { minute: number; rest: number } {
  const wall = wallClockOf(ms, zone);
  const intoDay = ((wall % DAY_MS) + DAY_MS) % DAY_MS;
  return { minute: Math.floor(intoDay / 60_000), rest: intoDay % 60_000 };
}

/**
 * The instant a local wall-clock time denotes in `zone` (gap: moved forward; repeated hour: first occurrence).
 * Fields beyond their range roll over (day 32, hour 24) as Date.UTC does.
 */
export function instantOfLocal(zone: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): number {
  const wall = utcOf(year, month, day, hour, minute, second, millisecond);
  // The offsets in force around that wall-clock time: one of them maps it, or it falls in a gap.
  const before = offsetMs(wall - DAY_MS, zone);
  const after = offsetMs(wall + DAY_MS, zone);
  let best: number | undefined;
  for (const o of before === after ? [before] : [before, after]) {
    const candidate = wall - o;
    if (offsetMs(candidate, zone) === o && (best === undefined || candidate < best)) best = candidate;
  }
  if (best !== undefined) return best;
  const own = offsetMs(wall, zone);
  if (offsetMs(wall - own, zone) === own) return wall - own;
  // In a gap: read it with the offset in force before the gap, which lands after it.
  return wall - before;
}

/** A local date shifted by whole days (calendar arithmetic, no zone). */
export function addDays(year: number, month: number, day: number, days: number): { year: number; month: number; day: number } {
  const d = new Date(utcOf(year, month, day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));
function pad4(n: number): string {
  if (n < 0) return `-${String(-n).padStart(6, '0')}`;
  return n > 9999 ? `+${String(n).padStart(6, '0')}` : String(n).padStart(4, '0');
}

const UNIVERSAL = new Set(['utc', 'gmt', 'z', 'utc+0', 'utc-0', 'gmt+0', 'gmt-0']);

/** `2026-11-20T09:00:00+01:00` (`.123` when there are milliseconds; `Z` in the UTC zone), exactly as luxon writes it. */
export function formatZoned(ms: number, zone: string): string {
  const offset = offsetMs(ms, zone);
  const d = new Date(ms + offset);
  const millis = d.getUTCMilliseconds();
  let text = `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  if (millis !== 0) text += `.${String(millis).padStart(3, '0')}`;
  if (offset === 0 && UNIVERSAL.has(zone.toLowerCase())) return `${text}Z`;
  const minutes = Math.round(Math.abs(offset) / 60_000);
  return `${text}${offset < 0 ? '-' : '+'}${pad2(Math.floor(minutes / 60))}:${pad2(minutes % 60)}`;
}

/** YYYY-MM of the instant in `zone`. */
export function monthOfZoned(ms: number, zone: string): string {
  const d = new Date(wallClockOf(ms, zone));
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}`;
}

/** YYYY-MM-DD of the instant in `zone`. */
export function dateOfZoned(ms: number, zone: string): string {
  const d = new Date(wallClockOf(ms, zone));
  return `${pad4(d.getUTCFullYear())}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|([+-])(\d{2}):(\d{2}))$/;
/** Days in a month of the proleptic Gregorian calendar. */
export const daysIn = (year: number, month: number) => new Date(utcOf(year, month + 1, 0)).getUTCDate();

/**
 * An ISO 8601 instant with an offset (`Z` or ±hh:mm) → epoch ms, or null when it is malformed or names an
 * impossible date or time (2026-02-30, 25:00). Fractions beyond milliseconds are truncated; 24:00 is the next
 * midnight.
 */
export function parseIsoInstant(value: string): number | null {
  const m = ISO.exec(value);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millisecond = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || minute > 59 || second > 59) return null;
  // ISO 8601's 24:00 is the next midnight (luxon, and so the shared parser, accept it too).
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || millisecond !== 0))) return null;
  let offset = 0;
  if (m[8] !== 'Z') {
    const oh = Number(m[10]);
    const om = Number(m[11]);
    if (oh > 23 || om > 59) return null;
    offset = (oh * 60 + om) * 60_000 * (m[9] === '-' ? -1 : 1);
  }
  return utcOf(year, month, day, hour, minute, second, millisecond) - offset;
}
