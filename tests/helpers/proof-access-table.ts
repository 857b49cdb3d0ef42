import type { AccessRule } from '../../server/plugins/access';

/**
 * Who may call each route, written by hand from the product's rules (not read from the routes), so that a
 * route declared with the wrong rule fails the access matrix instead of being measured against itself. A new
 * route without a row here fails too: adding the row is the moment to decide who may call it.
 *
 * public: anyone; user: any signed-in user, the service then limits a member to its own structure's data;
 * admin: coordinators and member_admins (of their own structure); coordinator: coordinators only.
 */
export const EXPECTED_ACCESS: Readonly<Record<string, AccessRule>> = {
  // The OpenAPI document and its UI: the API's shape is not a secret.
  'GET /api/docs': 'public',
  'GET /api/docs/static/index.html': 'public',
  'GET /api/docs/static/swagger-initializer.js': 'public',
  'GET /api/docs/json': 'public',
  'GET /api/docs/yaml': 'public',
  'GET /api/docs/static/*': 'public',
  // Signing in and out; calendar feeds are guarded by their own secret token.
  'POST /api/auth/login': 'public',
  'POST /api/auth/logout': 'public',
  // Password links: whoever holds the link's secret (the body carries it); making one is an admin's act.
  'POST /api/auth/account-link': 'public',
  'POST /api/auth/set-password': 'public',
  // « Mot de passe oublié »: anyone asks; the link goes only to the account's own address.
  'POST /api/auth/password-reset': 'public',
  'POST /api/users/:id/invitation': 'admin',
  // One's own sessions: listed, and every other one ended (« se déconnecter partout »).
  'GET /api/me/sessions': 'user',
  'DELETE /api/me/sessions': 'user',
  'GET /ical/:token.ics': 'public',
  // Health for the reverse proxy and monitoring: up, database answering, schema current; no pole data.
  'GET /healthz': 'public',
  // Every signed-in account, an employee's (staff) too: the client needs to know who is signed in.
  'GET /api/me': 'staff',
  // The pole's settings: everyone reads them (legal mentions, time zone), coordinators change them.
  'GET /api/pole': 'user',
  'PATCH /api/pole': 'coordinator',
  // Members: coordinators admit them; a member_admin edits its own structure's record.
  'GET /api/members': 'user',
  'POST /api/members': 'coordinator',
  'GET /api/members/:id': 'user',
  'PATCH /api/members/:id': 'admin',
  // A member's accounting: its entries (FEC) and the record of files handed out, read by its own users;
  // its account mapping set by its member_admin (or a coordinator).
  'GET /api/members/:id/entries.fec': 'user',
  'GET /api/members/:id/accounting': 'user',
  'PUT /api/members/:id/accounting': 'admin',
  'GET /api/members/:id/accounting/exports': 'user',
  // Users: a member_admin manages its structure's users; everyone edits their own profile.
  'GET /api/users': 'user',
  'POST /api/users': 'admin',
  'GET /api/users/:id': 'user',
  'PATCH /api/users/:id': 'user',
  // Resources: coordinators define them, everyone sees them and their availability.
  'GET /api/resources': 'user',
  'POST /api/resources': 'coordinator',
  'GET /api/resources/:id': 'user',
  'PATCH /api/resources/:id': 'coordinator',
  'GET /api/resources/:id/availability': 'user',
  // What a structure has left of each allowance this month: its own users (the service limits a member).
  'GET /api/members/:id/allowances': 'user',
  // Shared staff (issue #14): coordinators manage employees and lending agreements; the parties read theirs
  // (employer and user member), the draft convention and the signed copy included.
  // The employee's own account (staff) finds itself there (its id leads to its timesheet); the service shows it nothing else.
  'GET /api/employees': 'staff',
  'POST /api/employees': 'coordinator',
  'GET /api/employees/:id': 'staff',
  'PATCH /api/employees/:id': 'coordinator',
  'GET /api/lending-agreements': 'user',
  'POST /api/lending-agreements': 'coordinator',
  'GET /api/lending-agreements/:id': 'user',
  'PATCH /api/lending-agreements/:id': 'coordinator',
  'PUT /api/lending-agreements/:id/signed-pdf': 'coordinator',
  'GET /api/lending-agreements/:id/signed-pdf': 'user',
  'GET /api/lending-agreements/:id/draft.pdf': 'user',
  // Timesheets: the employee's own account (staff) reads and fills its own; coordinators too; a user member's
  // admin approves or disputes its lines; the schedule is the employee's, its employer's and coordinators'.
  'GET /api/employees/:id/timesheets/:month': 'staff',
  'PUT /api/employees/:id/timesheets/:month': 'staff',
  'POST /api/employees/:id/timesheets/:month/decision': 'admin',
  'GET /api/employees/:id/schedule': 'staff',
  // Payroll figures: entered by coordinators (they become the staff resource's costs), read by the employer's admins.
  'PUT /api/employees/:id/payroll/:month': 'coordinator',
  'GET /api/employees/:id/payroll': 'admin',
  // The relevé de mise à disposition of an invoice: whoever reads the invoice (its parties, coordinators).
  'GET /api/invoices/:id/staff-statement.pdf': 'user',
  // Free slots across resources: the shared catalogue's availability, read by everyone.
  'GET /api/availability/next': 'user',
  // Bookings and feeds: every user, for their own structure.
  'GET /api/bookings': 'user',
  'POST /api/bookings': 'user',
  'GET /api/bookings/:id': 'user',
  'PATCH /api/bookings/:id': 'user',
  'DELETE /api/bookings/:id': 'user',
  'POST /api/feeds': 'user',
  'GET /api/feeds': 'user',
  'DELETE /api/feeds/:id': 'user',
  // The month's real costs: coordinators enter them; members read what they are charged for.
  'GET /api/costs': 'user',
  'POST /api/costs': 'coordinator',
  'POST /api/costs/carry-forward': 'coordinator',
  'GET /api/costs/carry-forward/log': 'coordinator',
  'GET /api/costs/:id': 'user',
  'PATCH /api/costs/:id': 'coordinator',
  'DELETE /api/costs/:id': 'coordinator',
  // Closing a month and the pole-wide documents: coordinators only; members read their own share.
  'GET /api/allocations': 'user',
  // Spreadsheet exports of the same tables: the rows the caller may see, like the lists they export.
  'GET /api/allocations.csv': 'user',
  'GET /api/allocations.xlsx': 'user',
  'GET /api/closings': 'user',
  'POST /api/closings': 'coordinator',
  'POST /api/closings/preview': 'coordinator',
  'GET /api/integrity': 'coordinator',
  'GET /api/closings/:month/pdf': 'coordinator',
  // A closed month with its reconciliation: the same figures as the pole summary, for coordinators.
  'GET /api/closings/:month': 'coordinator',
  // A public body's relevé for its titres de recettes: its own users and coordinators (the service limits a member).
  'GET /api/closings/:month/revenue-titles/:memberId': 'user',
  'GET /api/closings/:month/revenue-titles/:memberId/pdf': 'user',
  'GET /api/closings/:month/export.zip': 'coordinator',
  // Adjustments to a closed month (late or corrected costs and shares): coordinators issue them, like a close.
  'POST /api/closings/:month/adjustments': 'coordinator',
  'POST /api/closings/:month/adjustments/preview': 'coordinator',
  // Invoices: members read their own; coordinators correct by credit note; an admin records a payment.
  'GET /api/invoices': 'user',
  'GET /api/invoices.csv': 'user',
  'GET /api/invoices.xlsx': 'user',
  'GET /api/balances.csv': 'user',
  'GET /api/balances.xlsx': 'user',
  'GET /api/invoices/:id': 'user',
  'GET /api/invoices/:id/pdf': 'user',
  // Factur-X: an invoice's CII XML (seller, buyer or coordinator); a member's outbox of e-invoices, read by its own users.
  'GET /api/invoices/:id/facturx.xml': 'user',
  'GET /api/members/:id/einvoices.zip': 'user',
  // A member's account statement: its own users (another structure's answers 404), coordinators.
  'GET /api/members/:id/account.pdf': 'user',
  'POST /api/invoices/:id/credit-note': 'coordinator',
  'POST /api/invoices/:id/payment': 'admin',
  // The payments ledger: members read their own invoices' payments; the seller's admin or a coordinator records or deletes one.
  'GET /api/invoices/:id/payments': 'user',
  'POST /api/invoices/:id/payments': 'admin',
  'DELETE /api/payments/:id': 'admin',
  // Balances and settlement plans: members see the pairs of their own structure; only coordinators record transfers.
  'GET /api/balances': 'user',
  'GET /api/settlements': 'user',
  'POST /api/settlements/transfers': 'coordinator',
  'GET /api/statements/:month/:memberId/pdf': 'user',
  // The audit trail: coordinators read it all, a member_admin its own structure's rows (the service filters).
  'GET /api/audit': 'admin',
  'GET /api/audit.csv': 'admin',
  // Mail: everyone sets their own notifications; a structure's admin its accountant's copy; coordinators see the outbox and resend dead letters.
  'GET /api/users/:id/notifications': 'user',
  'PUT /api/users/:id/notifications': 'user',
  'GET /api/members/:id/mail-settings': 'admin',
  'PUT /api/members/:id/mail-settings': 'admin',
  'GET /api/outbox': 'coordinator',
  'GET /api/outbox/:id/eml': 'coordinator',
  'POST /api/outbox/retry': 'coordinator',
  // Versions of a closed month's documents: a member's users list and read their own statements' versions;
  // the pole summary's versions are for coordinators, like the summary itself.
  'GET /api/closings/:month/versions': 'user',
  'GET /api/closings/:month/versions/:version/pdf': 'coordinator',
  'GET /api/statements/:month/:memberId/versions/:version/pdf': 'user',
};
