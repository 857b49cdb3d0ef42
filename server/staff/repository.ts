import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/index';
import { employees, lendingAgreements, members, resources, users } from '../../db/schema/index';
import type { AgreementTerms } from './rules';

/** SQL of shared staff: employees and lending agreements (timesheets and payroll: ./timesheet-repository). */

export type EmployeeRow = typeof employees.$inferSelect;
export type AgreementRow = typeof lendingAgreements.$inferSelect;
export type NewEmployee = typeof employees.$inferInsert;
export type NewAgreement = typeof lendingAgreements.$inferInsert;

export const listEmployees = (db: Db, employerMemberId?: number): EmployeeRow[] =>
  db
    .select()
    .from(employees)
    .where(employerMemberId === undefined ? undefined : eq(employees.employerMemberId, employerMemberId))
    .orderBy(asc(employees.name), asc(employees.id))
    .all();

export const findEmployee = (db: Db, id: number): EmployeeRow | undefined => db.select().from(employees).where(eq(employees.id, id)).get();
export const employeeOfResource = (db: Db, resourceId: number): EmployeeRow | undefined =>
  db.select().from(employees).where(eq(employees.resourceId, resourceId)).get();
export const employeeOfUser = (db: Db, userId: number): EmployeeRow | undefined => db.select().from(employees).where(eq(employees.userId, userId)).get();

export const insertEmployee = (db: Db, row: NewEmployee): number => db.insert(employees).values(row).returning({ id: employees.id }).get().id;
export const updateEmployee = (db: Db, id: number, patch: Partial<NewEmployee>): void => {
  if (Object.keys(patch).length) db.update(employees).set(patch).where(eq(employees.id, id)).run();
};

export const listAgreements = (db: Db, filter: { employeeId?: number; memberId?: number } = {}): AgreementRow[] =>
  db
    .select()
    .from(lendingAgreements)
    .where(
      and(
        filter.employeeId === undefined ? undefined : eq(lendingAgreements.employeeId, filter.employeeId),
        // A member sees the agreements it is a party to, as lender or as user.
        filter.memberId === undefined ? undefined : eq(lendingAgreements.userMemberId, filter.memberId),
      ),
    )
    .orderBy(asc(lendingAgreements.startDate), asc(lendingAgreements.id))
    .all();

export const listAgreementsAsLender = (db: Db, memberId: number): AgreementRow[] =>
  db.select().from(lendingAgreements).where(eq(lendingAgreements.lenderMemberId, memberId)).orderBy(asc(lendingAgreements.startDate), asc(lendingAgreements.id)).all();

export const findAgreement = (db: Db, id: number): AgreementRow | undefined => db.select().from(lendingAgreements).where(eq(lendingAgreements.id, id)).get();
export const insertAgreement = (db: Db, row: NewAgreement): number =>
  db.insert(lendingAgreements).values(row).returning({ id: lendingAgreements.id }).get().id;
export const updateAgreement = (db: Db, id: number, patch: Partial<NewAgreement>): void => {
  if (Object.keys(patch).length) db.update(lendingAgreements).set(patch).where(eq(lendingAgreements.id, id)).run();
};

/** The billing choices of an agreement: natures billed at cost, management fees only when agreed. */
export type AgreementBilling = Pick<AgreementRow, 'billsSalary' | 'billsSocialCharges' | 'billsReimbursedExpenses' | 'managementFeesCents' | 'managementFeesRateBp'>;

/** The terms of every agreement of an employee (for the in-force checks and the billing), without the signed PDF. */
export const agreementTermsOf = (db: Db, employeeId: number): (AgreementTerms & AgreementBilling)[] =>
  db
    .select({
      id: lendingAgreements.id,
      employeeId: lendingAgreements.employeeId,
      lenderMemberId: lendingAgreements.lenderMemberId,
      userMemberId: lendingAgreements.userMemberId,
      startDate: lendingAgreements.startDate,
      endDate: lendingAgreements.endDate,
      consentDate: lendingAgreements.consentDate,
      amendmentDate: lendingAgreements.amendmentDate,
      billsSalary: lendingAgreements.billsSalary,
      billsSocialCharges: lendingAgreements.billsSocialCharges,
      billsReimbursedExpenses: lendingAgreements.billsReimbursedExpenses,
      managementFeesCents: lendingAgreements.managementFeesCents,
      managementFeesRateBp: lendingAgreements.managementFeesRateBp,
    })
    .from(lendingAgreements)
    .where(eq(lendingAgreements.employeeId, employeeId))
    .all();

export const findMember = (db: Db, id: number) => db.select().from(members).where(eq(members.id, id)).get();
export const findResource = (db: Db, id: number) => db.select().from(resources).where(eq(resources.id, id)).get();
export const findUser = (db: Db, id: number) => db.select().from(users).where(eq(users.id, id)).get();
