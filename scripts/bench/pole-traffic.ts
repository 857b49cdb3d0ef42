/**
 * The traffic of one real pole of the demo's size (8 members, 11 users, 8 resources, ~95 bookings and ~21
 * invoices a month), as request rates at its busiest hour, and the pure arithmetic of the load scenario:
 * Poisson arrivals, percentiles, and the ceiling (how many poles before p99 exceeds the limit). No I/O here,
 * so that tests/unit/bench-harness.test.ts pins it down.
 */

/** A month of one pole. Interactive use happens on working days; calendars poll feeds day and night. */
export const POLE_MONTH = {
  users: 11,
  /** New bookings, plus moves and cancellations counted as bookings (the demo has ~95 a month). */
  bookings: 110,
  /** A member looks at a resource's free time this many times per booking made. */
  availabilityPerBooking: 10,
  /** Calendar page loads (the month's bookings) per booking made. */
  listsPerBooking: 5,
  /** Invoice and statement PDFs downloaded (21 invoices, 8 statements, some downloaded twice). */
  pdfs: 60,
  /** Every user's calendar application polls its feed this often. */
  feedPollSeconds: 15 * 60,
  /** 22 working days of 10 hours. */
  workingSeconds: 22 * 10 * 3600,
  /** The busiest hour against an average working hour. */
  peakFactor: 3,
  /** Every pole closes its month during the first 3 working days (10 hours each), busiest hours included. */
  closingSeconds: 3 * 10 * 3600,
} as const;

export type Route = 'book' | 'availability' | 'list' | 'feed' | 'pdf';
export const ROUTES: readonly Route[] = ['book', 'availability', 'list', 'feed', 'pdf'];

/** Requests per second of one pole at its busiest hour, per route. */
export function poleRates(m: typeof POLE_MONTH = POLE_MONTH): Record<Route, number> {
  const peak = (perMonth: number) => (perMonth / m.workingSeconds) * m.peakFactor;
  return {
    book: peak(m.bookings),
    availability: peak(m.bookings * m.availabilityPerBooking),
    list: peak(m.bookings * m.listsPerBooking),
    feed: m.users / m.feedPollSeconds,
    pdf: peak(m.pdfs),
  };
}

/** Closes per second per pole during the closing days (one a month each). */
export const closeRate = (m: typeof POLE_MONTH = POLE_MONTH) => 1 / m.closingSeconds;

/** Arrival times (ms from 0) of a Poisson process of `ratePerSecond` over `seconds`, from a seeded `random`. */
export function poissonArrivals(ratePerSecond: number, seconds: number, random: () => number): number[] {
  const out: number[] = [];
  if (ratePerSecond <= 0) return out;
  let t = 0;
  for (;;) {
    t += (-Math.log(1 - random()) / ratePerSecond) * 1000;
    if (t >= seconds * 1000) return out;
    out.push(t);
  }
}

/** The q-quantile (0..1) of a sample by the nearest-rank method; null for an empty sample. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1]!;
}

export interface StepOutcome {
  multiplier: number;
  /** p99 of every answered request of the step but the close, ms. */
  p99Ms: number | null;
  /** Requests that failed (network error, 5xx, or an unexpected 4xx) over those sent. */
  failedShare: number;
  /** Requests answered within the window over those scheduled (below 1: the server fell behind). */
  answeredShare: number;
}

/** A step holds when its p99 stays within the limit, almost nothing failed and the server kept up. */
export function stepHolds(s: StepOutcome, limitMs: number): boolean {
  return s.p99Ms !== null && s.p99Ms <= limitMs && s.failedShare <= 0.01 && s.answeredShare >= 0.98;
}

/** The highest multiplier among the steps that held, as long as every lower step held too; 0 if none. */
export function ceiling(steps: readonly StepOutcome[], limitMs: number): number {
  let best = 0;
  for (const s of [...steps].sort((a, b) => a.multiplier - b.multiplier)) {
    if (!stepHolds(s, limitMs)) break;
    best = s.multiplier;
  }
  return best;
}
