/** Timesheets (issue #14): the employee's own page, a coordinator's view of any employee, a member admin's approval. */
export { EmployeeTimesheetPage, OwnTimesheetPage } from './Timesheet';
export { TimesheetApprovalsPage } from './TimesheetApprovals';
