import { badRequest, unprocessable } from '../shared/errors';
import { parseIsoInstant } from '../shared/zone';

/** Instants outside these years are refused: typos such as 0206 or 20260 rather than real dates. */
const EARLIEST = Date.UTC(2000, 0, 1);
const LATEST = Date.UTC(2200, 0, 1);

/** Longest range a listing or an availability query may span. */
export const MAX_RANGE_DAYS = 400;

/**
 * An API instant (ISO 8601 with offset) → epoch ms, or 400 `validation.invalid_instant` for a malformed or
 * impossible one (2026-02-30T10:00:00+01:00). In a query string an unencoded "+" arrives as a space: accepted.
 */
export function parseApiInstant(value: string, field: string): number {
  const ms = parseIsoInstant(value.replace(/ (\d{2}:\d{2})$/, '+$1'));
  if (ms === null) {
    throw badRequest('validation.invalid_instant', `${field} must be an ISO 8601 date-time with an offset, e.g. 2026-11-27T09:00:00+01:00`, { field, value: value.slice(0, 60) });
  }
  if (ms < EARLIEST || ms >= LATEST) throw badRequest('validation.instant_out_of_range', `${field} must fall between the years 2000 and 2199`, { field });
  return ms;
}

/** A query range [from, to): both instants, to after from, at most MAX_RANGE_DAYS long. */
export function parseRange(fromText: string, toText: string): { from: number; to: number } {
  const from = parseApiInstant(fromText, 'from');
  const to = parseApiInstant(toText, 'to');
  if (to <= from) throw unprocessable('range.invalid', 'to must be after from');
  if (to - from > MAX_RANGE_DAYS * 86_400_000) throw unprocessable('range.too_long', `A range spans at most ${MAX_RANGE_DAYS} days`);
  return { from, to };
}
