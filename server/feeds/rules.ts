import { DateTime } from 'luxon';

/**
 * Pure planning of a calendar feed: which VEVENTs to write for a set of bookings. No I/O here; ical.ts
 * renders the plan with ical-generator.
 *
 * A booking outside any series is one event (UID `booking-<id>`). A series becomes one master event
 * (UID `series-<id>`) with an RRULE, an EXDATE for every instance that is cancelled, rejected or missing,
 * and one override (same UID, RECURRENCE-ID = the occurrence's original start) for every occurrence that
 * was moved or differs from the master (status, quantity, note). Whatever the series rule says, the feed
 * shows exactly the stored rows: an occurrence the RRULE cannot produce is written as its own event.
 */

export type FeedBookingStatus = 'pending' | 'confirmed' | 'rejected' | 'cancelled';

export interface FeedBooking {
  id: number;
  startMs: number;
  endMs: number;
  status: FeedBookingStatus;
  seriesId: number | null;
  originalStartMs: number | null;
  sequence: number;
  quantity: number;
  note: string | null;
  createdAt: number;
  updatedAt: number;
  resourceName: string;
  memberName: string;
  userName: string;
}

export interface SeriesRule {
  freq: 'daily' | 'weekly' | 'monthly';
  interval: number;
}

export type EventStatus = 'CONFIRMED' | 'TENTATIVE' | 'CANCELLED';

export interface PlannedEvent {
  uid: string;
  startMs: number;
  endMs: number;
  status: EventStatus;
  sequence: number;
  summary: string;
  description: string;
  createdMs: number;
  lastModifiedMs: number;
  /** Master of a series: the rule, its last instance (UNTIL) and the excluded instances. */
  repeat?: { freq: SeriesRule['freq']; interval: number; untilMs: number; excludeMs: number[] };
  /** Override of one instance of a series. */
  recurrenceIdMs?: number;
}

const STATUS_LABEL: Record<FeedBookingStatus, string> = {
  pending: 'en attente de validation',
  confirmed: 'confirmée',
  rejected: 'refusée',
  cancelled: 'annulée',
};

export function eventStatus(status: FeedBookingStatus): EventStatus {
  if (status === 'confirmed') return 'CONFIRMED';
  if (status === 'pending') return 'TENTATIVE';
  return 'CANCELLED';
}

const isActive = (b: FeedBooking) => b.status === 'confirmed' || b.status === 'pending';

export function summaryOf(b: FeedBooking): string {
  return `${b.resourceName}${b.quantity > 1 ? ` ×${b.quantity}` : ''} — ${b.memberName}`;
}

export function descriptionOf(b: FeedBooking): string {
  const lines = [`Réservation ${STATUS_LABEL[b.status]}`, `Structure : ${b.memberName}`, `Réservé par : ${b.userName}`];
  if (b.quantity > 1) lines.push(`Quantité : ${b.quantity}`);
  if (b.note) lines.push(`Note : ${b.note}`);
  return lines.join('\n');
}

function single(b: FeedBooking, uidDomain: string): PlannedEvent {
  return {
    uid: `booking-${b.id}@${uidDomain}`,
    startMs: b.startMs,
    endMs: b.endMs,
    status: eventStatus(b.status),
    sequence: b.sequence,
    summary: summaryOf(b),
    description: descriptionOf(b),
    createdMs: b.createdAt,
    lastModifiedMs: b.updatedAt,
  };
}

/** Reads a stored series rule ({freq, interval, until|count}); null when it is not one the feed can express. */
export function parseSeriesRule(raw: unknown): SeriesRule | null {
  const value = typeof raw === 'string' ? safeJson(raw) : raw;
  if (!value || typeof value !== 'object') return null;
  const { freq, interval } = value as { freq?: unknown; interval?: unknown };
  const f = typeof freq === 'string' ? freq.toLowerCase() : '';
  if (f !== 'daily' && f !== 'weekly' && f !== 'monthly') return null;
  const n = interval === undefined || interval === null ? 1 : interval;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) return null;
  return { freq: f, interval: n };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * The instants RFC 5545 gives for FREQ=<freq>;INTERVAL=<interval> from `startMs` (wall-clock time kept in
 * `zone`, so 09:00 stays 09:00 across a DST change) up to `untilMs` inclusive. A monthly rule skips months
 * without the start's day (31st), as RFC 5545 does.
 */
export function expandRule(rule: SeriesRule, startMs: number, untilMs: number, zone: string, max = 10_000): number[] {
  const start = DateTime.fromMillis(startMs, { zone });
  const out: number[] = [];
  for (let k = 0; out.length < max; k++) {
    const step = k * rule.interval;
    let dt: DateTime;
    if (rule.freq === 'daily') dt = start.plus({ days: step });
    else if (rule.freq === 'weekly') dt = start.plus({ weeks: step });
    else {
      dt = start.plus({ months: step });
      if (dt.day !== start.day) {
        if (dt.toMillis() > untilMs) break;
        continue;
      }
    }
    const ms = dt.toMillis();
    if (ms > untilMs) break;
    out.push(ms);
  }
  return out;
}

const contentKey = (b: FeedBooking) => `${b.endMs - b.startMs}|${b.status}|${summaryOf(b)}|${descriptionOf(b)}`;

/** Plans the events of one series: master + EXDATEs + overrides, and standalone events for what the rule cannot express. */
export function planSeries(seriesId: number, rows: FeedBooking[], rule: SeriesRule | null, zone: string, uidDomain: string): PlannedEvent[] {
  const origin = (b: FeedBooking) => b.originalStartMs ?? b.startMs;
  const sorted = [...rows].sort((a, b) => origin(a) - origin(b) || a.id - b.id);
  if (!rule || sorted.length < 2) return sorted.map((b) => single(b, uidDomain));

  const firstMs = origin(sorted[0]!);
  const lastMs = origin(sorted[sorted.length - 1]!);
  const instants = expandRule(rule, firstMs, lastMs, zone);
  const instantSet = new Set(instants);
  const byInstant = new Map<number, FeedBooking>();
  const standalone: FeedBooking[] = [];
  for (const b of sorted) {
    const at = origin(b);
    if (instantSet.has(at) && !byInstant.has(at)) byInstant.set(at, b);
    else standalone.push(b);
  }

  const members = [...byInstant.values()];
  const active = members.filter(isActive);
  const allCancelled = active.length === 0;
  // The master looks like the most common active occurrence left in place; every other one is an override.
  const inPlace = (b: FeedBooking) => b.startMs === origin(b);
  const candidates = (allCancelled ? members : active).filter(inPlace);
  const pool = candidates.length ? candidates : allCancelled ? members : active;
  const counts = new Map<string, number>();
  for (const b of pool) counts.set(contentKey(b), (counts.get(contentKey(b)) ?? 0) + 1);
  let template = pool[0]!;
  for (const b of pool) if ((counts.get(contentKey(b)) ?? 0) > (counts.get(contentKey(template)) ?? 0)) template = b;
  const durationMs = template.endMs - template.startMs;
  const templateKey = contentKey(template);

  const uid = `series-${seriesId}@${uidDomain}`;
  const excludeMs: number[] = [];
  const overrides: PlannedEvent[] = [];
  for (const at of instants) {
    const b = byInstant.get(at);
    if (!b) {
      excludeMs.push(at);
      continue;
    }
    if (allCancelled) continue; // the whole master is cancelled
    if (!isActive(b)) {
      excludeMs.push(at);
      continue;
    }
    if (b.startMs === at && contentKey(b) === templateKey) continue;
    overrides.push({ ...single(b, uidDomain), uid, recurrenceIdMs: at });
  }

  const master: PlannedEvent = {
    uid,
    startMs: firstMs,
    endMs: firstMs + durationMs,
    status: eventStatus(template.status),
    sequence: Math.max(...members.map((b) => b.sequence)),
    summary: summaryOf(template),
    description: descriptionOf(template),
    createdMs: Math.min(...members.map((b) => b.createdAt)),
    lastModifiedMs: Math.max(...members.map((b) => b.updatedAt)),
    repeat: { freq: rule.freq, interval: rule.interval, untilMs: lastMs, excludeMs },
  };
  return [master, ...overrides, ...standalone.map((b) => single(b, uidDomain))];
}

/** Plans the whole feed: singles and series, in a stable order (by start, then UID). */
export function planFeed(
  rows: FeedBooking[],
  rules: ReadonlyMap<number, unknown>,
  zone: string,
  uidDomain: string,
): PlannedEvent[] {
  const events: PlannedEvent[] = [];
  const series = new Map<number, FeedBooking[]>();
  for (const b of rows) {
    if (b.seriesId === null) events.push(single(b, uidDomain));
    else {
      const list = series.get(b.seriesId);
      if (list) list.push(b);
      else series.set(b.seriesId, [b]);
    }
  }
  for (const [id, list] of series) events.push(...planSeries(id, list, parseSeriesRule(rules.get(id)), zone, uidDomain));
  return events.sort(
    (a, b) => a.startMs - b.startMs || (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0) || (a.recurrenceIdMs ?? 0) - (b.recurrenceIdMs ?? 0),
  );
}
