import type { Sqlite } from '../../db/index';
import type { BookingStatus } from '../../db/schema/enums';
import { assertOpenPeriod } from '../closing/freeze';
import type { AppContext } from '../context';
import { recordBookingNotice } from '../notifications/notices';
import { isCoordinator, type Actor } from '../shared/actor';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../shared/errors';
import { parseApiInstant, parseRange } from './input';
import { expandRecurrence, type Recurrence } from './recurrence';
import { assertLendingCovers } from '../staff/booking-guard';
import { allowanceConflict, allowanceVerdict } from './allowance';
import * as repo from './repository';
import type { BookingRow, ResourceForBooking } from './repository';
import { fitsCapacity, peakLoad, ruleViolations, type Load, type Refusal, type RuleContext } from './rules';
import type { BookingCreate, BookingListQuery, BookingPatch } from './schemas';
import { dateOfZoned, formatZoned } from '../shared/zone';

export interface BookingView {
  id: number;
  resourceId: number;
  memberId: number;
  userId: number;
  start: string;
  end: string;
  quantity: number;
  note: string | null;
  status: BookingStatus;
  seriesId: number | null;
  sequence: number;
  originalStart: string | null;
}

export interface BusyView {
  id: number;
  resourceId: number;
  start: string;
  end: string;
  quantity: number;
  status: BookingStatus;
  busy: true;
}

export interface SkippedView {
  start: string;
  end: string;
  reason: Refusal;
  reasons: Refusal[];
}
export type BookingResultView = BookingView & { occurrences?: BookingView[]; skipped?: SkippedView[] };

export function toView(b: BookingRow, zone: string): BookingView {
  return {
    id: b.id,
    resourceId: b.resourceId,
    memberId: b.memberId,
    userId: b.userId,
    start: formatZoned(b.startMs, zone),
    end: formatZoned(b.endMs, zone),
    quantity: b.quantity,
    note: b.note,
    status: b.status,
    seriesId: b.seriesId,
    sequence: b.sequence,
    originalStart: b.originalStartMs === null ? null : formatZoned(b.originalStartMs, zone),
  };
}

const ACTIVE_STATUSES: ReadonlySet<BookingStatus> = new Set(['pending', 'confirmed']);

/** Whether the actor sees this booking in full (and may act on it): its own structure's, or any for coordinators. */
const ownsBooking = (actor: Actor, b: { memberId: number }) => isCoordinator(actor) || actor.memberId === b.memberId;

function refusalMessage(reason: Refusal, r: ResourceForBooking): string {
  switch (reason) {
    case 'resource_inactive':
      return 'The resource is not active';
    case 'quantity_exceeds_capacity':
      return `The resource has ${r.capacity} unit(s)`;
    case 'misaligned':
      return `Start and end must fall on ${r.granularityMinutes}-minute steps from local midnight`;
    case 'too_short':
      return `A booking lasts at least ${r.minMinutes} minutes`;
    case 'too_long':
      return `A booking lasts at most ${r.maxMinutes} minutes`;
    case 'in_past':
      return 'Members cannot book in the past';
    case 'beyond_horizon':
      return `The resource can be booked at most ${r.horizonDays} days ahead`;
    case 'outside_opening_hours':
      return 'A booking must lie within one opening period of the resource';
    case 'in_blackout':
      return 'The resource is unavailable (blackout) during this time';
    case 'capacity':
      return 'Not enough free capacity at some instant of this time';
    case 'month_closed':
      return 'The month is closed';
    case 'member_left':
      return 'The member has left the pole by then';
    case 'nonexistent_local_time':
      return 'This occurrence falls on a local time that does not exist (DST change)';
    case 'no_agreement':
      return 'No lending agreement in force for this employee and member on that day';
    case 'allowance_exceeded':
      return 'The member’s hard allowance for the month would be exceeded';
  }
}

/** The rule violations of [start, end) plus the member's leaving date. */
function refusals(r: ResourceForBooking, load: Load, ruleCtx: RuleContext, member: { leftOn: string | null }): Refusal[] {
  const out: Refusal[] = ruleViolations(r, load, ruleCtx);
  if (member.leftOn && dateOfZoned(load.start, ruleCtx.zone) > member.leftOn) out.push('member_left');
  return out;
}

function throwRuleViolation(violations: Refusal[], r: ResourceForBooking): never {
  const first = violations[0]!;
  throw unprocessable(`booking.${first}`, refusalMessage(first, r), { violations });
}

function capacityConflict(zone: string, load: Load, free: number): AppError {
  return conflict('booking.conflict', `Not enough free capacity: ${free} unit(s) free at the busiest instant, ${load.quantity} asked`, {
    conflicts: [{ start: formatZoned(load.start, zone), end: formatZoned(load.end, zone), reason: 'capacity', free }],
  });
}

/**
 * The closed-month guard, called inside the writing transaction (the closed months come from the reference
 * cache, whose data version is read there too): 409 month.closed when the period touches a closed month.
 */
const guardOpenPeriod = assertOpenPeriod;

/** Checks the closed months of [start, end) inside the running transaction: true when open. */
function periodIsOpen(sqlite: Sqlite, zone: string, start: number, end: number): boolean {
  try {
    guardOpenPeriod(sqlite, zone, start, end);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'month.closed') return false;
    throw error;
  }
}

/** The lending check of a series occurrence: false where no agreement covers it. */
function lendingCovers(ctx: AppContext, resource: ResourceForBooking, memberId: number, start: number, end: number, zone: string): boolean {
  try {
    assertLendingCovers(ctx.db, resource, memberId, start, end, zone);
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'staff.no_agreement') return false;
    throw error;
  }
}

function loadResource(sqlite: Sqlite, actor: Actor, resourceId: number): ResourceForBooking {
  const r = repo.resourceForBooking(sqlite, resourceId);
  // Members do not see inactive resources at all.
  if (!r || (!r.active && !isCoordinator(actor))) throw notFound('resource', resourceId);
  return r;
}

function resolveMember(actor: Actor, requested: number | undefined): number {
  if (isCoordinator(actor)) {
    if (requested === undefined) throw unprocessable('booking.member_required', 'A coordinator books for a member: give memberId');
    return requested;
  }
  if (requested !== undefined && requested !== actor.memberId) throw forbidden('You may book only for your own structure', 'booking.other_member');
  return actor.memberId!;
}

/**
 * Creates a booking, or a whole series, in one IMMEDIATE transaction: the rules, the closed months and the
 * capacity at every instant are checked against what is stored at that moment, then the rows are written.
 * A series is all or nothing: every refused occurrence is listed in one 409 booking.conflict; with skipConflicts
 * it books its free dates and lists the others in `skipped` (still 409 when no date is free).
 */
export function createBooking(ctx: AppContext, actor: Actor, input: BookingCreate): BookingResultView {
  const start = parseApiInstant(input.start, 'start');
  const end = parseApiInstant(input.end, 'end');
  if (end <= start) throw unprocessable('booking.invalid_range', 'end must be after start');
  const memberId = resolveMember(actor, input.memberId);
  const quantity = input.quantity ?? 1;
  const note = input.note?.trim() ? input.note : null;
  const { sqlite } = ctx;

  return repo.immediate(sqlite, (): BookingResultView => {
    const resource = loadResource(sqlite, actor, input.resourceId);
    const member = repo.findMemberForBooking(sqlite, memberId);
    if (!member) throw notFound('member', memberId);
    const zone = repo.poleZone(sqlite);
    const now = ctx.clock.now();
    const ruleCtx: RuleContext = { zone, now, mayBookPast: isCoordinator(actor) };
    const status: BookingStatus = resource.requiresApproval && !isCoordinator(actor) ? 'pending' : 'confirmed';
    const base = { resourceId: resource.id, memberId, userId: actor.userId, quantity, note, status, createdAt: now, updatedAt: now };
    // Past a soft allowance a member's booking waits for a coordinator's approval.
    const statusPast = (verdict: 'ok' | 'soft'): BookingStatus => (verdict === 'soft' && !isCoordinator(actor) ? 'pending' : status);

    if (!input.recurrence) {
      const load = { start, end, quantity };
      const violations = refusals(resource, load, ruleCtx, member);
      if (violations.length) throwRuleViolation(violations, resource);
      guardOpenPeriod(sqlite, zone, start, end);
      assertLendingCovers(ctx.db, resource, memberId, start, end, zone);
      const existing = repo.overlappingLoads(sqlite, resource.id, start, end);
      if (!fitsCapacity(resource.capacity, existing, load)) throw capacityConflict(zone, load, Math.max(0, resource.capacity - peakLoad(existing, load)));
      const allowance = allowanceVerdict(sqlite, resource, memberId, load, zone);
      if (allowance.verdict === 'hard') throw allowanceConflict(allowance.over);
      const row = repo.insertBooking(sqlite, { ...base, status: statusPast(allowance.verdict), startMs: start, endMs: end, seriesId: null, originalStartMs: null });
      recordBookingNotice(ctx, actor, 'created', [row], () => ({ zone, resourceName: resource.name, memberName: member.name }));
      return toView(row, zone);
    }

    const expanded = expandRecurrence(start, end, input.recurrence as Recurrence, zone);
    if (!expanded.ok) throw unprocessable(`booking.recurrence_${expanded.problem}`, expanded.message);
    const seriesId = repo.insertSeries(sqlite, resource.id, memberId, { interval: 1, ...input.recurrence }, now);
    const created: BookingRow[] = [];
    const conflicts: SkippedView[] = [];
    for (const occ of expanded.occurrences) {
      const load = { start: occ.start, end: occ.end, quantity };
      const reasons: Refusal[] = occ.invalid ? ['nonexistent_local_time'] : refusals(resource, load, ruleCtx, member);
      if (reasons.length === 0 && !periodIsOpen(sqlite, zone, occ.start, occ.end)) reasons.push('month_closed');
      if (reasons.length === 0 && !lendingCovers(ctx, resource, memberId, occ.start, occ.end, zone)) reasons.push('no_agreement');
      // Occurrences inserted just before are stored already, so the series is checked against itself too.
      if (reasons.length === 0 && !fitsCapacity(resource.capacity, repo.overlappingLoads(sqlite, resource.id, occ.start, occ.end), load)) {
        reasons.push('capacity');
      }
      const allowance = reasons.length === 0 ? allowanceVerdict(sqlite, resource, memberId, load, zone) : ({ verdict: 'ok' } as const);
      if (allowance.verdict === 'hard') reasons.push('allowance_exceeded');
      if (reasons.length) {
        conflicts.push({ start: formatZoned(occ.start, zone), end: formatZoned(Math.max(occ.end, occ.start), zone), reason: reasons[0]!, reasons });
        continue;
      }
      const occStatus = statusPast(allowance.verdict === 'soft' ? 'soft' : 'ok');
      created.push(repo.insertBooking(sqlite, { ...base, status: occStatus, startMs: occ.start, endMs: occ.end, seriesId, originalStartMs: occ.start }));
    }
    if (conflicts.length && input.skipConflicts && created.length) {
      recordBookingNotice(ctx, actor, 'created', created, () => ({ zone, resourceName: resource.name, memberName: member.name }));
      const views = created.map((b) => toView(b, zone));
      return { ...views[0]!, occurrences: views, skipped: conflicts };
    }
    if (conflicts.length) {
      // Throwing rolls the whole transaction back: the series and the occurrences already inserted vanish.
      throw conflict('booking.conflict', `${conflicts.length} of ${expanded.occurrences.length} occurrences cannot be booked; nothing was booked`, {
        conflicts,
        occurrences: expanded.occurrences.length,
      });
    }
    recordBookingNotice(ctx, actor, 'created', created, () => ({ zone, resourceName: resource.name, memberName: member.name }));
    const views = created.map((b) => toView(b, zone));
    return { ...views[0]!, occurrences: views };
  });
}

/** The names a booking's mails tell, as they are at the change (both from the reference cache). */
const names = (sqlite: Sqlite, b: BookingRow, zone: string) => ({
  zone,
  resourceName: repo.resourceForBooking(sqlite, b.resourceId)?.name ?? '',
  memberName: repo.findMemberForBooking(sqlite, b.memberId)?.name ?? '',
});

function visibleBooking(sqlite: Sqlite, actor: Actor, id: number): BookingRow {
  const b = repo.findBooking(sqlite, id);
  // Another structure's booking answers 404, so that ids reveal nothing.
  if (!b || !ownsBooking(actor, b)) throw notFound('booking', id);
  return b;
}

export function getBookingFor(ctx: AppContext, actor: Actor, id: number): BookingView {
  return toView(visibleBooking(ctx.sqlite, actor, id), repo.poleZone(ctx.sqlite));
}

/** Members act only on bookings that have not started; coordinators also on past ones (months not closed). */
function assertNotStarted(actor: Actor, b: BookingRow, now: number) {
  if (!isCoordinator(actor) && b.startMs < now) {
    throw unprocessable('booking.in_past', 'A booking that has started can no longer be changed or cancelled by members');
  }
}

function assertModifiable(b: BookingRow) {
  if (!ACTIVE_STATUSES.has(b.status)) throw conflict('booking.not_modifiable', `A ${b.status} booking can no longer change`, { status: b.status });
}

/**
 * Moves, resizes or annotates a booking, or (coordinators) approves or rejects a pending one. A move is checked
 * like a new booking, against the others; the old and the new period must both be in open months. A member's
 * change of time or quantity on an approval resource sends the booking back to `pending`.
 */
export function patchBooking(ctx: AppContext, actor: Actor, id: number, patch: BookingPatch): BookingView {
  const newStart = patch.start === undefined ? undefined : parseApiInstant(patch.start, 'start');
  const newEnd = patch.end === undefined ? undefined : parseApiInstant(patch.end, 'end');
  if (patch.status !== undefined && !isCoordinator(actor)) throw forbidden('Only coordinators approve or reject bookings');
  const { sqlite } = ctx;
  return repo.immediate(sqlite, (): BookingView => {
    const b = visibleBooking(sqlite, actor, id);
    const zone = repo.poleZone(sqlite);
    const now = ctx.clock.now();
    assertModifiable(b);
    assertNotStarted(actor, b, now);
    const start = newStart ?? b.startMs;
    const end = newEnd ?? b.endMs;
    if (end <= start) throw unprocessable('booking.invalid_range', 'end must be after start');
    const quantity = patch.quantity ?? b.quantity;
    const note = patch.note === undefined ? b.note : patch.note?.trim() ? patch.note : null;
    const moved = start !== b.startMs || end !== b.endMs || quantity !== b.quantity;

    let status = b.status;
    if (patch.status !== undefined && patch.status !== b.status) {
      if (b.status !== 'pending') {
        throw conflict('booking.invalid_transition', `Only a pending booking can be ${patch.status}; this one is ${b.status}`, { status: b.status });
      }
      status = patch.status;
    }
    const resource = repo.resourceForBooking(sqlite, b.resourceId)!;
    guardOpenPeriod(sqlite, zone, b.startMs, b.endMs);
    if (moved) guardOpenPeriod(sqlite, zone, start, end);
    if (moved && status !== 'rejected') {
      const member = repo.findMemberForBooking(sqlite, b.memberId)!;
      assertLendingCovers(ctx.db, resource, b.memberId, start, end, zone);
      const load = { start, end, quantity };
      const violations = refusals(resource, load, { zone, now, mayBookPast: isCoordinator(actor) }, member);
      if (violations.length) throwRuleViolation(violations, resource);
      const others = repo.overlappingLoads(sqlite, b.resourceId, start, end).filter((o) => o.id !== b.id);
      if (!fitsCapacity(resource.capacity, others, load)) throw capacityConflict(zone, load, Math.max(0, resource.capacity - peakLoad(others, load)));
      const allowance = allowanceVerdict(sqlite, resource, b.memberId, load, zone, b.id);
      if (allowance.verdict === 'hard') throw allowanceConflict(allowance.over);
      const needsApproval = resource.requiresApproval || allowance.verdict === 'soft';
      if (needsApproval && !isCoordinator(actor) && status === 'confirmed') status = 'pending';
    }
    if (!moved && note === b.note && status === b.status) return toView(b, zone);
    const updated = repo.updateBooking(sqlite, { id: b.id, startMs: start, endMs: end, quantity, note, status, updatedAt: now });
    recordBookingNotice(ctx, actor, 'updated', [updated], () => names(sqlite, b, zone), b);
    return toView(updated, zone);
  });
}

/**
 * Cancels a booking (kept, with status `cancelled`). `scope: 'series'` cancels every occurrence of its series
 * that starts from now on and is still pending or confirmed, and lists them. Cancelling a cancelled booking
 * again answers it unchanged.
 */
export function cancelBooking(ctx: AppContext, actor: Actor, id: number, scope: 'occurrence' | 'series' = 'occurrence'): BookingResultView {
  const { sqlite } = ctx;
  return repo.immediate(sqlite, (): BookingResultView => {
    const b = visibleBooking(sqlite, actor, id);
    const zone = repo.poleZone(sqlite);
    const now = ctx.clock.now();
    const cancel = (row: BookingRow) => {
      guardOpenPeriod(sqlite, zone, row.startMs, row.endMs);
      return repo.updateBooking(sqlite, { id: row.id, startMs: row.startMs, endMs: row.endMs, quantity: row.quantity, note: row.note, status: 'cancelled', updatedAt: now });
    };
    if (scope === 'series') {
      if (b.seriesId === null) throw unprocessable('booking.not_in_series', 'This booking is not part of a series');
      const cancelled = repo.seriesOccurrencesFrom(sqlite, b.seriesId, now).map(cancel);
      recordBookingNotice(ctx, actor, 'cancelled', cancelled, () => names(sqlite, b, zone));
      const self = repo.findBooking(sqlite, b.id)!;
      return { ...toView(self, zone), occurrences: cancelled.map((row) => toView(row, zone)) };
    }
    if (b.status === 'cancelled') return toView(b, zone);
    assertModifiable(b);
    assertNotStarted(actor, b, now);
    const cancelled = cancel(b);
    recordBookingNotice(ctx, actor, 'cancelled', [cancelled], () => names(sqlite, b, zone));
    return toView(cancelled, zone);
  });
}

/**
 * Bookings overlapping [from, to), filtered. Members get their own structure's in full and other structures'
 * pending or confirmed bookings as busy time only (see BookingListItem).
 */
export function listBookingsFor(ctx: AppContext, actor: Actor, q: BookingListQuery): (BusyView | (BookingView & { busy: false }))[] {
  const { from, to } = parseRange(q.from, q.to);
  const { sqlite } = ctx;
  // Past bookings of a resource since deactivated stay listable: only its existence is checked.
  if (q.resourceId !== undefined && !repo.resourceForBooking(sqlite, q.resourceId)) throw notFound('resource', q.resourceId);
  if (q.memberId !== undefined) {
    const visible = isCoordinator(actor) ? repo.findMemberForBooking(sqlite, q.memberId) !== undefined : q.memberId === actor.memberId;
    if (!visible) throw notFound('member', q.memberId);
  }
  const zone = repo.poleZone(sqlite);
  const rows = repo.listBookingsInRange(sqlite, { from, to, resourceId: q.resourceId, memberId: q.memberId, status: q.status });
  const out: (BusyView | (BookingView & { busy: false }))[] = [];
  // Other structures' busy time on an inactive resource is not shown to members: the resource is invisible to them.
  const activeResource = new Map<number, boolean>();
  const shownAsBusy = (resourceId: number) => {
    if (isCoordinator(actor)) return true;
    if (!activeResource.has(resourceId)) activeResource.set(resourceId, repo.resourceForBooking(sqlite, resourceId)?.active ?? false);
    return activeResource.get(resourceId)!;
  };
  for (const b of rows) {
    if (ownsBooking(actor, b)) out.push({ ...toView(b, zone), busy: false });
    else if (ACTIVE_STATUSES.has(b.status) && shownAsBusy(b.resourceId)) {
      out.push({ id: b.id, resourceId: b.resourceId, start: formatZoned(b.startMs, zone), end: formatZoned(b.endMs, zone), quantity: b.quantity, status: b.status, busy: true });
    }
  }
  return out;
}
