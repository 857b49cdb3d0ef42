import { Type } from 'typebox';
import { Id, LocalDate, Month } from '../shared/schemas';

export const Kind = Type.Union([Type.Literal('made_available'), Type.Literal('own'), Type.Literal('absence')]);
export const Line = Type.Object({
  date: LocalDate,
  kind: Kind,
  memberId: Type.Union([Id, Type.Null()]),
  minutes: Type.Integer(),
  status: Type.Union([Type.Literal('draft'), Type.Literal('approved'), Type.Literal('disputed')]),
  comment: Type.Union([Type.String(), Type.Null()]),
});
export const TimesheetSchema = Type.Object({
  employeeId: Id,
  month: Month,
  employerMemberId: Id,
  prefilled: Type.Boolean({ description: 'nothing entered yet: the lines are the confirmed bookings, to correct and save' }),
  lines: Type.Array(Line),
  totals: Type.Object({
    madeAvailable: Type.Array(Type.Object({ memberId: Id, minutes: Type.Integer() })),
    ownMinutes: Type.Integer(),
    absenceMinutes: Type.Integer(),
    totalMinutes: Type.Integer(),
  }),
  paidHours: Type.Union([Type.Number(), Type.Null()]),
  balanced: Type.Union([Type.Boolean(), Type.Null()], { description: 'made available + own + absences = paid hours' }),
  members: Type.Array(Type.Object({ memberId: Id, status: Type.Union([Type.Literal('approved'), Type.Literal('disputed'), Type.Literal('pending')]) })),
});
export const Params = Type.Object({ id: Id, month: Month }, { additionalProperties: false });
export const LinesBody = Type.Object(
  {
    lines: Type.Array(
      Type.Object(
        { date: LocalDate, kind: Kind, memberId: Type.Optional(Type.Union([Id, Type.Null()])), minutes: Type.Integer({ minimum: 0, maximum: 1500 }) },
        { additionalProperties: false },
      ),
      { maxItems: 31 * 12 },
    ),
  },
  { additionalProperties: false },
);
export const Decision = Type.Object(
  {
    memberId: Id,
    decision: Type.Union([Type.Literal('approve'), Type.Literal('dispute')]),
    disputes: Type.Optional(Type.Array(Type.Object({ date: LocalDate, comment: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }), { maxItems: 31 })),
  },
  { additionalProperties: false },
);
export const Payroll = Type.Object(
  {
    grossSalaryCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    employerChargesCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    reimbursedExpensesCents: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    paidHours: Type.Number({ minimum: 0.01, maximum: 744, description: 'to the hundredth (151.67)' }),
  },
  { additionalProperties: false },
);
export const PayrollSchema = Type.Object({ employeeId: Id, month: Month, costIds: Type.Array(Id), ...Payroll.properties });
export const ScheduleItem = Type.Object({ id: Id, start: Type.String(), end: Type.String(), memberId: Id, memberName: Type.String(), status: Type.String(), note: Type.Union([Type.String(), Type.Null()]) });
