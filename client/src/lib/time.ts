/**
 * Wall-clock time in the pole's time zone, with the browser's Intl only (no date library): the calendar shows
 * the pole's hours whatever the browser's zone, and the API receives ISO 8601 instants with their offset.
 * The zone arithmetic itself is the server's (server/shared/zone.ts, dependency-free), so that both read a
 * local time alike: a repeated wall time is its first occurrence, a skipped one moves forward by the gap.
 */
import { instantOfLocal, localFields, offsetMs as zoneOffsetMs } from '../../../server/shared/zone';

export interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** The wall-clock fields of an instant in `zone`. */
export function wallOf(ms: number, zone: string): Wall {
  const f = localFields(ms, zone);
  return { year: f.year, month: f.month, day: f.day, hour: f.hour, minute: f.minute, second: f.second };
}

/** Offset of `zone` from UTC at instant `ms`, in ms (Paris in winter: +3 600 000). */
export const offsetMs = (ms: number, zone: string): number => zoneOffsetMs(ms, zone);

/** The instant at which `zone`'s clocks show `wall` (the first one when a wall time repeats; skipped ones move forward). */
export function instantOf(wall: Wall, zone: string): number {
  return instantOfLocal(zone, wall.year, wall.month, wall.day, wall.hour, wall.minute, wall.second);
}

const pad = (n: number, size = 2) => String(n).padStart(size, '0');

export function formatOffset(offset: number): string {
  const sign = offset < 0 ? '-' : '+';
  const minutes = Math.abs(Math.round(offset / 60_000));
  return `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** "2026-11-18T09:00:00" — a naive wall time, as the calendar (in UTC mode) reads and writes them. */
export function wallString(ms: number, zone: string): string {
  const w = wallOf(ms, zone);
  return `${w.year}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}:${pad(w.second)}`;
}

/** "2026-11-18T09:00:00+01:00": the instant written in the pole's zone with its offset, as the API wants. */
export function zonedIso(ms: number, zone: string): string {
  return `${wallString(ms, zone)}${formatOffset(offsetMs(ms, zone))}`;
}

const WALL = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/;

export function parseWall(text: string): Wall | null {
  const m = WALL.exec(text);
  if (!m) return null;
  return { year: +m[1]!, month: +m[2]!, day: +m[3]!, hour: +(m[4] ?? 0), minute: +(m[5] ?? 0), second: +(m[6] ?? 0) };
}

/** A naive wall time ("2026-11-18T09:00", as a datetime-local input gives) in `zone` → the API's ISO instant. */
export function wallToIso(text: string, zone: string): string | null {
  const wall = parseWall(text);
  if (!wall) return null;
  return zonedIso(instantOf(wall, zone), zone);
}

/** The value a datetime-local input wants: "2026-11-18T09:00". */
export function inputValue(ms: number, zone: string): string {
  return wallString(ms, zone).slice(0, 16);
}

/** The calendar in UTC mode hands out Dates whose UTC fields are the pole's wall time. */
export function wallFromUtcFields(date: Date): Wall {
  return {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hour: date.getUTCHours(),
    minute: date.getUTCMinutes(),
    second: date.getUTCSeconds(),
  };
}

export function todayIn(zone: string, now = Date.now()): string {
  return wallString(now, zone).slice(0, 10);
}

export function monthOf(ms: number, zone: string): string {
  return wallString(ms, zone).slice(0, 7);
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

/** First instant of `month` and of the next month in `zone`. */
export function monthBounds(month: string, zone: string): { start: number; end: number } {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = addMonths(month, 1).split('-').map(Number) as [number, number];
  return {
    start: instantOf({ year: y, month: m, day: 1, hour: 0, minute: 0, second: 0 }, zone),
    end: instantOf({ year: next[0], month: next[1], day: 1, hour: 0, minute: 0, second: 0 }, zone),
  };
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar date. */
export function isoWeekday(year: number, month: number, day: number): number {
  const d = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  return d === 0 ? 7 : d;
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + (m || 0);
}
