import type { Db } from '../../db/index';
import { conflict } from '../shared/errors';
import { dateOfZoned } from '../shared/zone';
import * as repo from './repository';
import { datesBetween, firstUncoveredDate } from './rules';

/**
 * A staff resource's time is lent only under a lending agreement in force (C. trav. L8241-2): a member other
 * than the employer books it only for days an agreement of its own covers, consent and amendment included.
 * Read inside the booking's transaction. Staff resources not linked to an employee are not checked.
 */
export function assertLendingCovers(db: Db, resource: { id: number; kind: string }, memberId: number, start: number, end: number, zone: string): void {
  if (resource.kind !== 'staff') return;
  const employee = repo.employeeOfResource(db, resource.id);
  if (!employee || employee.employerMemberId === memberId) return;
  const days = datesBetween(dateOfZoned(start, zone), dateOfZoned(end - 1, zone));
  const uncovered = firstUncoveredDate(repo.agreementTermsOf(db, employee.id), memberId, days);
  if (uncovered) {
    throw conflict('staff.no_agreement', `No lending agreement in force on ${uncovered} between the employer and this member for ${employee.name} (dates, employee’s consent and contract amendment)`, {
      employeeId: employee.id,
      date: uncovered,
    });
  }
}
