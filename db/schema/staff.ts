import { sql } from 'drizzle-orm';
import { blob, check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './auth';
import { createdAt } from './columns';
import { members } from './members';
import { resources } from './resources';

/**
 * Shared staff (C. trav. L8241-1, L8241-2): an employee of one member (or of a groupement d'employeurs), lent at
 * cost to others under lending agreements, whose actual hours are recorded per day and approved per month.
 */
export const employees = sqliteTable(
  'employees',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    name: text('name').notNull(),
    qualification: text('qualification').notNull(),
    employerMemberId: integer('employer_member_id')
      .notNull()
      .references(() => members.id),
    /** Contracted hours per week, in hundredths (35 h = 3500). */
    weeklyHoursHundredths: integer('weekly_hours_hundredths').notNull(),
    /** The staff resource members book for this employee's time; its costs are the payroll figures. */
    resourceId: integer('resource_id').references(() => resources.id),
    /** The employee's own account (role `staff`): fills its timesheet, sees its schedule. */
    userId: integer('user_id').references(() => users.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    check('employees_weekly_hours', sql`${t.weeklyHoursHundredths} BETWEEN 1 AND 6000`),
    uniqueIndex('employees_resource_unique').on(t.resourceId),
    uniqueIndex('employees_user_unique').on(t.userId),
  ],
);

/** A convention de mise à disposition between the employer (lender) and a user member, for one employee. */
export const lendingAgreements = sqliteTable(
  'lending_agreements',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    employeeId: integer('employee_id')
      .notNull()
      .references(() => employees.id),
    lenderMemberId: integer('lender_member_id')
      .notNull()
      .references(() => members.id),
    userMemberId: integer('user_member_id')
      .notNull()
      .references(() => members.id),
    /** Local dates (YYYY-MM-DD), both inclusive. */
    startDate: text('start_date').notNull(),
    endDate: text('end_date').notNull(),
    plannedMinutesPerMonth: integer('planned_minutes_per_month'),
    /** Or a share of working time, in basis points (2000 = 20 %). */
    workingTimeShareBp: integer('working_time_share_bp'),
    billsSalary: integer('bills_salary', { mode: 'boolean' }).notNull().default(true),
    billsSocialCharges: integer('bills_social_charges', { mode: 'boolean' }).notNull().default(true),
    billsReimbursedExpenses: integer('bills_reimbursed_expenses', { mode: 'boolean' }).notNull().default(true),
    /** Management fees only when agreed: a monthly amount or a rate of the cost billed (basis points). */
    managementFeesCents: integer('management_fees_cents'),
    managementFeesRateBp: integer('management_fees_rate_bp'),
    /** The employee's written consent and the amendment to the work contract (L8241-2); the agreement is in force only with both. */
    consentDate: text('consent_date'),
    amendmentDate: text('amendment_date'),
    signedPdf: blob('signed_pdf', { mode: 'buffer' }),
    signedPdfSha256: text('signed_pdf_sha256'),
    signedAt: integer('signed_at'),
    createdAt: createdAt(),
  },
  (t) => [
    check('lending_dates', sql`${t.endDate} >= ${t.startDate}`),
    check('lending_parties', sql`${t.lenderMemberId} <> ${t.userMemberId}`),
    index('lending_employee_idx').on(t.employeeId, t.userMemberId),
  ],
);

/**
 * One line of a timesheet: minutes of one day, made available to a user member, worked for the employer
 * itself (`own`) or absent (`absence`). Status per line: `draft` until the user member's admin approves the
 * month (`approved`) or disputes the line (`disputed`, with a comment).
 */
export const timesheetEntries = sqliteTable(
  'timesheet_entries',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    employeeId: integer('employee_id')
      .notNull()
      .references(() => employees.id),
    date: text('date').notNull(),
    month: text('month').notNull(),
    kind: text('kind', { enum: ['made_available', 'own', 'absence'] }).notNull(),
    /** The user member for `made_available`; null otherwise. */
    memberId: integer('member_id').references(() => members.id),
    minutes: integer('minutes').notNull(),
    status: text('status', { enum: ['draft', 'approved', 'disputed'] }).notNull().default('draft'),
    comment: text('comment'),
    enteredByUserId: integer('entered_by_user_id').references(() => users.id),
    approvedByUserId: integer('approved_by_user_id').references(() => users.id),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    check('timesheet_minutes', sql`${t.minutes} BETWEEN 0 AND 1500`),
    check('timesheet_member_kind', sql`(${t.kind} = 'made_available') = (${t.memberId} IS NOT NULL)`),
    // member_id is NULL for own hours and absences (NULLs are distinct in SQLite): the service writes a month's lines as a whole.
    uniqueIndex('timesheet_line_unique').on(t.employeeId, t.date, t.kind, t.memberId),
    index('timesheet_month_idx').on(t.employeeId, t.month),
  ],
);

/** An employee's payroll figures of a month, entered once per month; they become the staff resource's costs. */
export const payrolls = sqliteTable(
  'payrolls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    employeeId: integer('employee_id')
      .notNull()
      .references(() => employees.id),
    month: text('month').notNull(),
    grossSalaryCents: integer('gross_salary_cents').notNull(),
    employerChargesCents: integer('employer_charges_cents').notNull(),
    reimbursedExpensesCents: integer('reimbursed_expenses_cents').notNull(),
    paidHoursHundredths: integer('paid_hours_hundredths').notNull(),
    /** The cost entries of the staff resource these figures became (salary, charges, expenses). */
    costIds: text('cost_ids', { mode: 'json' }).$type<number[]>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('payrolls_employee_month').on(t.employeeId, t.month),
    check('payrolls_amounts', sql`${t.grossSalaryCents} >= 0 AND ${t.employerChargesCents} >= 0 AND ${t.reimbursedExpensesCents} >= 0`),
    check('payrolls_hours', sql`${t.paidHoursHundredths} > 0`),
  ],
);
