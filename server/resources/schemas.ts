import { Type, type Static } from 'typebox';
import { ALLOCATION_RULES, RESOURCE_KINDS } from '../../db/schema/enums';
import { Id, IsoInstant, Month, Name } from '../shared/schemas';
import { TIME_PATTERN } from './opening-hours';

const Time = Type.String({ pattern: TIME_PATTERN, description: 'local time HH:MM (24:00 = next midnight)' });
// A pair as an array of exactly two, not a tuple: OpenAPI 3.0 has no tuples (`items: [...]` made the document invalid).
const DayHours = Type.Array(Type.Array(Time, { minItems: 2, maxItems: 2, description: '[from, to] local times' }), { maxItems: 12 });

/** `{ "1": [["09:00","18:00"]], … }` per ISO weekday (1 = Monday); a missing day is closed; null = always open. */
export const OpeningHours = Type.Union(
  [
    Type.Object(
      {
        '1': Type.Optional(DayHours),
        '2': Type.Optional(DayHours),
        '3': Type.Optional(DayHours),
        '4': Type.Optional(DayHours),
        '5': Type.Optional(DayHours),
        '6': Type.Optional(DayHours),
        '7': Type.Optional(DayHours),
      },
      { additionalProperties: false },
    ),
    Type.Null(),
  ],
  { description: 'Per ISO weekday ("1" = Monday … "7" = Sunday) a list of [from, to] local times; null = always open' },
);

export const Blackout = Type.Object(
  { start: IsoInstant, end: IsoInstant, reason: Type.Optional(Type.String({ maxLength: 200 })) },
  { additionalProperties: false },
);

const MemberWeights = Type.Record(Type.String({ pattern: '^[1-9][0-9]{0,9}$' }), Type.Integer({ minimum: 0, maximum: 1_000_000 }), {
  additionalProperties: false,
  maxProperties: 1000,
  description: '{ "<memberId>": weight }; absent or null: the members’ own allocation weights',
});

/** How the resource's real cost is split among members; `usage` when never set. */
export const AllocationInput = Type.Object(
  {
    rule: Type.Enum(ALLOCATION_RULES),
    weights: Type.Optional(Type.Union([MemberWeights, Type.Null()])),
    fixedPercent: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'mixed: share split by weights, the rest by usage' })),
    rateCents: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'rate: cents per hour booked' })),
  },
  { additionalProperties: false },
);
export type AllocationInput = Static<typeof AllocationInput>;

export const AllocationSchema = Type.Object({
  rule: Type.Enum(ALLOCATION_RULES),
  weights: Type.Union([Type.Record(Type.String(), Type.Integer()), Type.Null()]),
  fixedPercent: Type.Union([Type.Integer(), Type.Null()]),
  rateCents: Type.Union([Type.Integer(), Type.Null()]),
});

const AllowanceMinutes = Type.Integer({ minimum: 0, maximum: 31 * 1440 * 10_000, description: 'minutes × units included per month' });

/** An included quantity per member and month, past which bookings are refused (hard) or go to approval (soft). */
export const AllowanceSchema = Type.Object(
  {
    minutesPerMonth: AllowanceMinutes,
    limit: Type.Union([Type.Literal('hard'), Type.Literal('soft')]),
    members: Type.Optional(
      Type.Array(Type.Object({ memberId: Id, minutesPerMonth: AllowanceMinutes }, { additionalProperties: false }), {
        maxItems: 1000,
        description: 'members with another included quantity than minutesPerMonth',
      }),
    ),
  },
  { additionalProperties: false },
);
export type AllowanceInput = Static<typeof AllowanceSchema>;
const NullableAllowance = Type.Union([AllowanceSchema, Type.Null()], { description: 'null: no allowance' });

const NullableMinutes = Type.Union([Type.Integer({ minimum: 1, maximum: 366 * 1440 }), Type.Null()]);

export const ResourceSchema = Type.Object({
  id: Id,
  name: Type.String(),
  kind: Type.Enum(RESOURCE_KINDS),
  category: Type.Union([Type.String(), Type.Null()]),
  capacity: Type.Integer(),
  bearerMemberId: Id,
  granularityMinutes: Type.Integer(),
  minMinutes: Type.Union([Type.Integer(), Type.Null()]),
  maxMinutes: Type.Union([Type.Integer(), Type.Null()]),
  openingHours: OpeningHours,
  blackouts: Type.Array(Blackout),
  horizonDays: Type.Integer(),
  requiresApproval: Type.Boolean(),
  active: Type.Boolean(),
  vatRate: Type.Number({ description: 'output VAT rate of the service sold, percent (20 unless set)' }),
  managementFeesAgreed: Type.Boolean({ description: 'staff: the lending agreement states management fees' }),
  allowance: NullableAllowance,
  allocation: AllocationSchema,
  allocationFrom: Type.Union([Month, Type.Null()], { description: 'first month of the rule in force now (null: never set, usage)' }),
});

const fields = {
  name: Name(200),
  kind: Type.Enum(RESOURCE_KINDS),
  category: Type.Union([Type.String({ maxLength: 100 }), Type.Null()]),
  capacity: Type.Integer({ minimum: 1, maximum: 10_000 }),
  bearerMemberId: Id,
  granularityMinutes: Type.Integer({ minimum: 1, maximum: 1440, description: 'a divisor of 1440; starts and ends align on it from local midnight' }),
  minMinutes: NullableMinutes,
  maxMinutes: NullableMinutes,
  openingHours: OpeningHours,
  blackouts: Type.Array(Blackout, { maxItems: 500 }),
  horizonDays: Type.Integer({ minimum: 1, maximum: 3660 }),
  requiresApproval: Type.Boolean(),
  active: Type.Boolean(),
  vatRate: Type.Union([Type.Literal(20), Type.Literal(10), Type.Literal(5.5), Type.Literal(2.1)], { description: 'output VAT rate, percent' }),
  managementFeesAgreed: Type.Boolean(),
  allowance: NullableAllowance,
  allocation: AllocationInput,
  allocationFrom: Month,
};

export const ResourceCreate = Type.Object(
  {
    name: fields.name,
    kind: fields.kind,
    capacity: fields.capacity,
    bearerMemberId: fields.bearerMemberId,
    category: Type.Optional(fields.category),
    granularityMinutes: Type.Optional(fields.granularityMinutes),
    minMinutes: Type.Optional(fields.minMinutes),
    maxMinutes: Type.Optional(fields.maxMinutes),
    openingHours: Type.Optional(fields.openingHours),
    blackouts: Type.Optional(fields.blackouts),
    horizonDays: Type.Optional(fields.horizonDays),
    requiresApproval: Type.Optional(fields.requiresApproval),
    active: Type.Optional(fields.active),
    vatRate: Type.Optional(fields.vatRate),
    managementFeesAgreed: Type.Optional(fields.managementFeesAgreed),
    allowance: Type.Optional(fields.allowance),
    allocation: Type.Optional(fields.allocation),
    allocationFrom: Type.Optional(fields.allocationFrom),
  },
  { additionalProperties: false },
);
export type ResourceCreate = Static<typeof ResourceCreate>;

export const ResourcePatch = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
export type ResourcePatch = Static<typeof ResourcePatch>;

export const AvailabilityQuery = Type.Object(
  {
    from: Type.String({ maxLength: 40, description: 'ISO 8601 instant with offset (a "+" sent unencoded arrives as a space and is accepted)' }),
    to: Type.String({ maxLength: 40 }),
  },
  { additionalProperties: false },
);

/** What is left of a member's allowance this month (minutes × units). */
export const AllowanceStandingSchema = Type.Object({
  month: Month,
  limit: Type.Union([Type.Literal('hard'), Type.Literal('soft')]),
  allowanceMinutes: Type.Integer(),
  usedMinutes: Type.Integer(),
  remainingMinutes: Type.Integer(),
});

export const AvailabilitySchema = Type.Object({
  items: Type.Array(Type.Object({ start: Type.String(), end: Type.String(), free: Type.Integer() })),
  allowance: Type.Optional(
    Type.Union([AllowanceStandingSchema, Type.Null()], { description: 'the caller’s structure’s allowance this month (null: none; absent for coordinators)' }),
  ),
});
