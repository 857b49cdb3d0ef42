import type { Static } from 'typebox';
import type { MeSchema } from '../../../server/auth/schemas';
import type { AdjustmentSchema, AllocationSchema, ClosingSchema, IntegritySchema, WarningSchema } from '../../../server/closing/schemas';
import type { CarryForwardRunSchema, CostSchema } from '../../../server/costs/schemas';
import type { CreatedFeedSchema, FeedSchema } from '../../../server/feeds/schemas';
import type { BasisSchema, InvoiceSchema, LineSchema, PartySchema, PaymentSchema } from '../../../server/invoices/schemas';
import type { MemberSchema } from '../../../server/members/schemas';
import type { PoleSchema } from '../../../server/pole/schemas';
import type { AllowanceStandingSchema, AvailabilitySchema, ResourceSchema } from '../../../server/resources/schemas';
import type { BookingListItem, BookingSchema, SkippedOccurrence as SkippedOccurrenceSchema } from '../../../server/bookings/schemas';
import type { ExportSchema } from '../../../server/accounting/schemas';
import type { AgreementSchema, EmployeeSchema } from '../../../server/staff/schemas';
import type { UserSchema } from '../../../server/users/schemas';
import type { BalancesSchema } from '../../../server/settlements/schemas';
import type { PayrollSchema, ScheduleItem as ScheduleItemSchema, TimesheetSchema } from '../../../server/staff/timesheet-schemas';
/** Shapes of the JSON API (issues 2, 3 and 4): the client relies only on these fields. */

/** `staff`: an employee lent at cost (its memberId is its employer): its own timesheet and schedule, nothing else. */
export type Role = 'coordinator' | 'member_admin' | 'member' | 'staff';
export type ResourceKind = 'service' | 'equipment' | 'room' | 'staff';
export type BookingStatus = 'pending' | 'confirmed' | 'rejected' | 'cancelled';
export type AllocationRule = 'usage' | 'weights' | 'equal' | 'mixed' | 'rate' | 'usage_over_allowance';
export type LegalForm = 'association' | 'scop' | 'scic' | 'company' | 'local_authority' | 'research_body' | 'training_body' | 'other';
export type VatStatus = 'assujetti' | 'franchise_293B' | 'non_assujetti';
export type CostNature = 'salary' | 'social_charges' | 'reimbursed_expenses' | 'rent_or_lease' | 'subscription' | 'other' | 'management_fees';
export type FeedScope = 'member' | 'resource' | 'user';

export const RESOURCE_KINDS: ResourceKind[] = ['service', 'equipment', 'room', 'staff'];
export const ALLOCATION_RULES: AllocationRule[] = ['usage', 'weights', 'equal', 'mixed', 'rate', 'usage_over_allowance'];
export const LEGAL_FORMS: LegalForm[] = ['association', 'scop', 'scic', 'company', 'local_authority', 'research_body', 'training_body', 'other'];
export const VAT_STATUSES: VatStatus[] = ['assujetti', 'franchise_293B', 'non_assujetti'];
export const COST_NATURES: CostNature[] = ['salary', 'social_charges', 'reimbursed_expenses', 'rent_or_lease', 'subscription', 'other', 'management_fees'];
/** What a shared employee's costs may be (Code du travail L8241-1): management fees only when agreed. */
export const STAFF_COST_NATURES: CostNature[] = ['salary', 'social_charges', 'reimbursed_expenses', 'management_fees'];
export const ROLES: Role[] = ['coordinator', 'member_admin', 'member', 'staff'];

export type Me = Static<typeof MeSchema>;

export type Pole = Static<typeof PoleSchema>;

export type Member = Static<typeof MemberSchema>;

export type User = Static<typeof UserSchema>;

/** ISO weekday ("1" = Monday … "7" = Sunday) → [["09:00","18:00"], …]; null = always open. */
export type OpeningHours = Resource['openingHours'];

/** The opening ranges of ISO weekday `day` (1 = Monday); none when closed that day. */
export const hoursOfDay = (hours: OpeningHours, day: number): string[][] => hours?.[String(day) as keyof NonNullable<OpeningHours>] ?? [];

export interface Blackout {
  start: string;
  end: string;
  reason?: string | null;
}

export interface Allocation {
  rule: AllocationRule;
  weights?: Record<string, number> | null;
  fixedPercent?: number | null;
  rateCents?: number | null;
  fromMonth?: string;
}

export type Resource = Static<typeof ResourceSchema>;

export type Booking = Omit<Static<typeof BookingListItem>, 'busy'> & {
  /** true on another structure's booking: busy time only, without member, user or note (absent on a write's answer). */
  busy?: boolean;
  /** On the answer to a series' creation or cancellation: every occurrence concerned. */
  occurrences?: Static<typeof BookingSchema>[];
  skipped?: SkippedOccurrence[];
};

export interface Recurrence {
  freq: 'daily' | 'weekly' | 'monthly';
  interval?: number;
  until?: string;
  count?: number;
  /** ISO weekdays (1 = Monday … 7 = Sunday). */
  weekdays?: number[];
}

/** A slot GET /api/availability/next offers: bookable as it is. */
export interface FreeSlot {
  resourceId: number;
  start: string;
  end: string;
}

/** A date of a series left out by skipConflicts, with why. */
export type SkippedOccurrence = Static<typeof SkippedOccurrenceSchema>;

export type Slot = Availability['items'][number];

export type CostEntry = Static<typeof CostSchema>;

export type Basis = Static<typeof BasisSchema>;

export type AllocationRow = Allocations['rows'][number];

export type AllocationResource = Allocations['totals']['resources'][number];

export type AllocationNote =
  | { code: 'no_rate' }
  | { code: 'fallback'; part: 'all' | 'usage'; rule: string; fallback: 'weights' | 'equal' | 'bearer' }
  | { code: 'text'; text: string };

export type Allocations = Static<typeof AllocationSchema>;

export type Party = Static<typeof PartySchema>;

export type InvoiceLine = Static<typeof LineSchema>;

export type Invoice = Static<typeof InvoiceSchema>;

export type Closing = Static<typeof ClosingSchema>;

// ——— Adjustments to a closed month (#11): a late or corrected cost, issued as supplementary invoices and credit notes ———

/** The change of one invoiced share, excl. VAT (negative: credited). */
export interface AdjustmentDelta {
  resourceId: number | null;
  sellerMemberId: number;
  buyerMemberId: number;
  deltaCents: number;
  invoiceId?: number;
  line?: number;
}

/** `POST /api/closings/:month/adjustments[/preview]`: what is (or would be) issued; `id` null in a preview. */
export type Adjustment = Static<typeof AdjustmentSchema>;

/** A close's warning: a stable code with params (translated by the client), and the server's English message. */
export type CloseWarning = Static<typeof WarningSchema>;

export interface ClosingSummary {
  month: string;
  closedAt: string;
  invoiceCount?: number;
  totalInclVatCents?: number;
}

export type Integrity = Static<typeof IntegritySchema>;

/* ---------- payments ledger, balances and settlements (#11) ---------- */

export type InvoiceStatus = 'open' | 'partially_paid' | 'paid' | 'credited';
export const INVOICE_STATUSES: InvoiceStatus[] = ['open', 'partially_paid', 'paid', 'credited'];
export type PaymentMethod = 'transfer' | 'cheque' | 'cash' | 'card' | 'direct_debit' | 'other';
export const PAYMENT_METHODS: PaymentMethod[] = ['transfer', 'cheque', 'cash', 'card', 'direct_debit', 'other'];

/** GET /api/invoices/:id/payments: deleted payments stay listed (audit trail) and count for nothing. */
export type Payment = Static<typeof PaymentSchema>;

export type SettlementMode = 'bilateral' | 'multilateral';

/** GET /api/balances?asOf=: what `fromMemberId` still owes `toMemberId`, on which invoices (a member sees its own pairs). */
export type Balances = Static<typeof BalancesSchema>;

/** A transfer of a plan on open balances. */
export interface PlannedTransfer {
  fromMemberId: number;
  toMemberId: number;
  /** Money moved; 0 when mutual balances cancel out exactly (a pure set-off). */
  amountCents: number;
  /** bilateral: a pair's net; gross: a public body's balance, never netted; multilateral: a leg of the agreement's clearing. */
  basis: 'bilateral' | 'gross' | 'multilateral';
  /** What the transfer settles by set-off instead of money. */
  offsetCents: number;
  /** The invoices settled once the transfer is recorded (multilateral: once the whole clearing is). */
  invoiceIds: number[];
}

/** GET /api/settlements?asOf=&mode=: the plan of transfers on open balances. */
export interface SettlementPlan {
  asOf: string;
  mode: SettlementMode;
  positions: { memberId: number; receivableCents: number; payableCents: number; netCents: number }[];
  transfers: PlannedTransfer[];
}

/** POST /api/settlements/transfers: the payments recorded on the invoices the transfers settle. */
export interface RecordedSettlement {
  settlementId: number;
  payments: Payment[];
}

/** GET /api/closings/:month/versions: a stored version of a closed month's pole summary or member statement. */
export interface MonthDocumentVersion {
  month: string;
  kind: 'summary' | 'statement';
  /** null for the pole summary. */
  memberId: number | null;
  version: number;
  reason: 'close' | 'credit_note' | 'adjustment' | 'first_use';
  /** The credit note's or adjustment's number, if any. */
  reference: string | null;
  createdAt: string;
  sha256: string;
}

export type Feed = Static<typeof FeedSchema>;
/** The answer to `POST /api/feeds`: the only time the secret URL is shown. */
export type CreatedFeed = Static<typeof CreatedFeedSchema>;

export interface Items<T> {
  items: T[];
}

/** A member's chart of accounts for its FEC entries (GET/PUT /api/members/:id/accounting). */
export interface AccountsByNature {
  byNature: Record<string, string | null>;
  byKind: Record<string, string>;
  fallback: string;
}
export interface AccountMapping {
  chart: 'pcg' | 'associations';
  sales: AccountsByNature;
  expenses: AccountsByNature;
  customers: string;
  suppliers: string;
  bank: string;
  vatCollected: string;
  vatDeductible: string;
  recoverVat: 'auto' | 'yes' | 'no';
  customerAuxPrefix: string;
  supplierAuxPrefix: string;
  journals: Record<'sales' | 'purchases' | 'bank' | 'misc', { code: string; label: string }>;
}
export interface MappingView {
  memberId: number;
  chart: 'pcg' | 'associations';
  mapping: AccountMapping;
  defaults: AccountMapping;
  updatedAt: string | null;
}
export type AccountingExport = Static<typeof ExportSchema>;

export type NotificationKind =
  | 'booking.confirmed'
  | 'booking.pending'
  | 'booking.approved'
  | 'booking.rejected'
  | 'booking.cancelled'
  | 'approval.requested'
  | 'close.done'
  | 'invoice.overdue'
  | 'costs.missing';

export interface NotificationPreferences {
  lang: 'fr' | 'en';
  mode: 'immediate' | 'digest';
  disabled: NotificationKind[];
  kinds: NotificationKind[];
}

export interface MailSettings {
  memberId: number;
  billingEmail: string | null;
  accountantEmail: string | null;
}

export interface OutboxMail {
  id: number;
  kind: string;
  subject: string;
  toAddress: string;
  ccAddress: string | null;
  status: 'pending' | 'sent' | 'dead';
  digest: boolean;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Written as an .eml file (no SMTP configured): downloadable from `/api/outbox/:id/eml`. */
  eml: boolean;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  userName: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  ip?: string | null;
  route: string | null;
}

/* ---------- shared staff and allowances (issue #14) ---------- */

export type AllowanceLimit = 'hard' | 'soft';

export interface Allowance {
  minutesPerMonth: number;
  limit: AllowanceLimit;
  members?: { memberId: number; minutesPerMonth: number }[];
}

/** What a structure has left of an allowance in a month (minutes × units). */
export type AllowanceStanding = Static<typeof AllowanceStandingSchema>;

export interface MemberAllowance extends AllowanceStanding {
  resourceId: number;
  resourceName: string;
}

export type Availability = Static<typeof AvailabilitySchema>;

export type Employee = Static<typeof EmployeeSchema>;

export type LendingAgreement = Static<typeof AgreementSchema>;

export type Payroll = Static<typeof PayrollSchema>;

export type TimesheetKind = 'made_available' | 'own' | 'absence';
export type TimesheetLineStatus = 'draft' | 'approved' | 'disputed';

export type TimesheetLine = Timesheet['lines'][number];

export type Timesheet = Static<typeof TimesheetSchema>;

export type ScheduleItem = Static<typeof ScheduleItemSchema>;

/** GET /api/costs/carry-forward/log: the server's monthly runs carrying recurring costs forward. */
export type CarryForwardRun = Static<typeof CarryForwardRunSchema>;
