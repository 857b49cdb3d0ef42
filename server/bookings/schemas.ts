import { Type, type Static } from 'typebox';
import { BOOKING_STATUSES } from '../../db/schema/enums';
import { Id, IsoInstant, LocalDate } from '../shared/schemas';
import { MAX_OCCURRENCES } from './recurrence';

const Status = Type.Enum(BOOKING_STATUSES);
const Note = Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]);
const Quantity = Type.Integer({ minimum: 1, maximum: 10_000, description: 'units of the resource (default 1)' });

/** A booking in full: what its own structure's users and the coordinators see. */
const bookingFields = {
  id: Id,
  resourceId: Id,
  memberId: Id,
  userId: Id,
  start: Type.String({ description: 'ISO 8601 in the pole’s zone, with offset' }),
  end: Type.String(),
  quantity: Type.Integer(),
  note: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  seriesId: Type.Union([Id, Type.Null()]),
  /** Raised on every change (iCal SEQUENCE). */
  sequence: Type.Integer(),
  /** For an occurrence of a series: where the series put it, kept when it is moved (iCal RECURRENCE-ID). */
  originalStart: Type.Union([Type.String(), Type.Null()]),
};
export const BookingSchema = Type.Object(bookingFields);

/** Answer to POST, PATCH and DELETE: the booking; a series also lists the occurrences it created or cancelled. */
export const SkippedOccurrence = Type.Object({ start: Type.String(), end: Type.String(), reason: Type.String(), reasons: Type.Array(Type.String()) });
export const BookingResult = Type.Object({
  ...bookingFields,
  occurrences: Type.Optional(Type.Array(BookingSchema)),
  /** With skipConflicts: the dates of the series that were not free, with why. */
  skipped: Type.Optional(Type.Array(SkippedOccurrence)),
});

/**
 * An item of GET /api/bookings. Bookings of the caller's own structure (all of them, for coordinators) come in
 * full with `busy: false`. Another structure's pending or confirmed bookings come only as busy time:
 * `{ id, resourceId, start, end, quantity, status, busy: true }` — no member, user, note or series; its
 * cancelled and rejected bookings do not appear.
 */
export const BookingListItem = Type.Object({
  id: Id,
  resourceId: Id,
  start: Type.String(),
  end: Type.String(),
  quantity: Type.Integer(),
  status: Status,
  busy: Type.Boolean(),
  memberId: Type.Optional(Id),
  userId: Type.Optional(Id),
  note: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  seriesId: Type.Optional(Type.Union([Id, Type.Null()])),
  sequence: Type.Optional(Type.Integer()),
  originalStart: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});

export const RecurrenceInput = Type.Object(
  {
    freq: Type.Enum(['daily', 'weekly', 'monthly']),
    interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 365, description: 'every n days / weeks / months (default 1)' })),
    until: Type.Optional(LocalDate),
    count: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_OCCURRENCES })),
    weekdays: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), { minItems: 1, maxItems: 7, uniqueItems: true, description: 'only on these ISO weekdays (1 = Monday … 7 = Sunday); daily on 1–5 is every working day' }),
    ),
  },
  { additionalProperties: false, description: `An end is required: until (local date, inclusive) or count; at most ${MAX_OCCURRENCES} occurrences` },
);

export const BookingCreate = Type.Object(
  {
    resourceId: Id,
    start: IsoInstant,
    end: IsoInstant,
    quantity: Type.Optional(Quantity),
    memberId: Type.Optional(Id),
    note: Type.Optional(Note),
    recurrence: Type.Optional(RecurrenceInput),
    skipConflicts: Type.Optional(
      Type.Boolean({ description: 'a series books only its free dates, in one transaction, and lists the others in `skipped` (default false: all or nothing)' }),
    ),
  },
  { additionalProperties: false },
);
export type BookingCreate = Static<typeof BookingCreate>;

export const BookingPatch = Type.Object(
  {
    start: Type.Optional(IsoInstant),
    end: Type.Optional(IsoInstant),
    quantity: Type.Optional(Quantity),
    note: Type.Optional(Note),
    status: Type.Optional(Type.Enum(['confirmed', 'rejected'], { description: 'coordinators decide on pending bookings' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type BookingPatch = Static<typeof BookingPatch>;

/** Query instants: a "+" sent unencoded arrives as a space, which is accepted. */
const QueryInstant = Type.String({ minLength: 1, maxLength: 40 });

export const BookingListQuery = Type.Object(
  {
    from: QueryInstant,
    to: QueryInstant,
    resourceId: Type.Optional(Id),
    memberId: Type.Optional(Id),
    status: Type.Optional(Status),
  },
  { additionalProperties: false },
);
export type BookingListQuery = Static<typeof BookingListQuery>;

export const CancelQuery = Type.Object(
  { scope: Type.Optional(Type.Enum(['occurrence', 'series'], { description: 'series: every future occurrence still pending or confirmed' })) },
  { additionalProperties: false },
);
