/** Pages only coordinators (and member admins, for users) open: one chunk, loaded on first use. */
export { ApprovalsPage } from './Approvals';
export { ClosingPage } from './Closing';
export { CostsPage } from './Costs';
export { IntegrityPage } from './Integrity';
export { MembersPage } from './Members';
export { ResourcesAdminPage } from './ResourcesAdmin';
export { SettlementsPage } from './Settlements';
export { UsersPage } from './Users';
export { PoleSettingsPage } from './PoleSettings';
export { OutboxPage } from './Outbox';
export { AuditPage } from './Audit';
export { EmployeesPage } from './Employees';
export { AgreementsPage } from './Agreements';
