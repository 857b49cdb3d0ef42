import { Type, type Static } from 'typebox';
import { Id, LocalDate, Name } from '../shared/schemas';

const Hours = Type.Number({ minimum: 0.01, maximum: 60, description: 'hours per week (35, 17.5…), to the hundredth' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });

export const EmployeeSchema = Type.Object({
  id: Id,
  name: Type.String(),
  qualification: Type.String(),
  employerMemberId: Id,
  weeklyHours: Type.Number(),
  resourceId: Type.Union([Id, Type.Null()]),
  userId: Type.Union([Id, Type.Null()]),
  active: Type.Boolean(),
});
export type EmployeeView = Static<typeof EmployeeSchema>;

const employeeFields = {
  name: Name(200),
  qualification: Text(200),
  employerMemberId: Id,
  weeklyHours: Hours,
  resourceId: Type.Union([Id, Type.Null()], { description: 'the staff resource members book for this employee' }),
  userId: Type.Union([Id, Type.Null()], { description: 'the employee’s own account (role staff, of the employer)' }),
  active: Type.Boolean(),
};
export const EmployeeCreate = Type.Object(
  {
    name: employeeFields.name,
    qualification: employeeFields.qualification,
    employerMemberId: employeeFields.employerMemberId,
    weeklyHours: employeeFields.weeklyHours,
    resourceId: Type.Optional(employeeFields.resourceId),
    userId: Type.Optional(employeeFields.userId),
  },
  { additionalProperties: false },
);
export type EmployeeCreate = Static<typeof EmployeeCreate>;
export const EmployeePatch = Type.Partial(Type.Object(employeeFields), { additionalProperties: false, minProperties: 1 });
export type EmployeePatch = Static<typeof EmployeePatch>;

const Billed = Type.Object(
  { salary: Type.Boolean(), socialCharges: Type.Boolean(), reimbursedExpenses: Type.Boolean() },
  { additionalProperties: false, description: 'what the lender bills at cost (salary at least)' },
);

export const AgreementSchema = Type.Object({
  id: Id,
  employeeId: Id,
  lenderMemberId: Id,
  userMemberId: Id,
  startDate: LocalDate,
  endDate: LocalDate,
  plannedMinutesPerMonth: Type.Union([Type.Integer(), Type.Null()]),
  workingTimeShare: Type.Union([Type.Number(), Type.Null()], { description: 'percent of the working time' }),
  billed: Billed,
  managementFeesCents: Type.Union([Type.Integer(), Type.Null()]),
  managementFeesRate: Type.Union([Type.Number(), Type.Null()], { description: 'percent of the cost billed' }),
  consentDate: Type.Union([LocalDate, Type.Null()]),
  amendmentDate: Type.Union([LocalDate, Type.Null()]),
  signedPdf: Type.Union([Type.Object({ sha256: Type.String(), bytes: Type.Integer(), uploadedAt: Type.String() }), Type.Null()]),
  inForceToday: Type.Boolean({ description: 'today within its dates, with the consent and the amendment dated' }),
});
export type AgreementView = Static<typeof AgreementSchema>;

const agreementFields = {
  startDate: LocalDate,
  endDate: LocalDate,
  plannedMinutesPerMonth: Type.Union([Type.Integer({ minimum: 1, maximum: 31 * 1440 }), Type.Null()]),
  workingTimeShare: Type.Union([Type.Number({ minimum: 0.01, maximum: 100 }), Type.Null()]),
  billed: Billed,
  managementFeesCents: Type.Union([Type.Integer({ minimum: 0, maximum: 100_000_000 }), Type.Null()]),
  managementFeesRate: Type.Union([Type.Number({ minimum: 0, maximum: 100 }), Type.Null()]),
  consentDate: Type.Union([LocalDate, Type.Null()]),
  amendmentDate: Type.Union([LocalDate, Type.Null()]),
};
export const AgreementCreate = Type.Object(
  {
    employeeId: Id,
    userMemberId: Id,
    startDate: agreementFields.startDate,
    endDate: agreementFields.endDate,
    plannedMinutesPerMonth: Type.Optional(agreementFields.plannedMinutesPerMonth),
    workingTimeShare: Type.Optional(agreementFields.workingTimeShare),
    billed: Type.Optional(agreementFields.billed),
    managementFeesCents: Type.Optional(agreementFields.managementFeesCents),
    managementFeesRate: Type.Optional(agreementFields.managementFeesRate),
    consentDate: Type.Optional(agreementFields.consentDate),
    amendmentDate: Type.Optional(agreementFields.amendmentDate),
  },
  { additionalProperties: false },
);
export type AgreementCreate = Static<typeof AgreementCreate>;
export const AgreementPatch = Type.Partial(Type.Object(agreementFields), { additionalProperties: false, minProperties: 1 });
export type AgreementPatch = Static<typeof AgreementPatch>;

export const SignedPdfUpload = Type.Object(
  { pdfBase64: Type.String({ minLength: 8, maxLength: 14_000_000, pattern: '^[A-Za-z0-9+/=\\s]+$', description: 'the signed convention, a PDF, base64' }) },
  { additionalProperties: false },
);

export const EmployeeListQuery = Type.Object({ memberId: Type.Optional(Id) }, { additionalProperties: false });
export const AgreementListQuery = Type.Object({ employeeId: Type.Optional(Id), memberId: Type.Optional(Id) }, { additionalProperties: false });
