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

export interface Me {
  id: number;
  email: string;
  name: string;
  role: Role;
  memberId: number | null;
}

export interface Pole {
  name: string;
  carrierMemberId: number | null;
  /** The pole's groupement de moyens (CGI 261 B). */
  groupingMemberId?: number | null;
  timeZone: string;
  currency: string;
  paymentTermsDays?: number;
  latePenaltyRateBp?: number;
}

export interface Member {
  id: number;
  name: string;
  legalForm: LegalForm;
  siren: string;
  siret: string;
  address: string;
  postalCode: string | null;
  city: string | null;
  countryCode: string;
  deliveryAddress: string | null;
  billingEmail: string;
  vatStatus: VatStatus;
  eligible261B: boolean;
  eligible261BSince: string | null;
  vatOnDebits: boolean;
  vatNumber: string | null;
  publicBody: boolean;
  chorusServiceCode: string | null;
  chorusEngagement: string | null;
  shareCapitalCents: number | null;
  rcsCity: string | null;
  iban: string | null;
  bic: string | null;
  einvoiceAddress: string | null;
  billingMandateSince: string | null;
  nettingAgreement: boolean;
  nettingAgreementSince: string | null;
  weight: number;
  invoicePrefix?: string;
  joinedOn: string;
  leftOn: string | null;
}

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  memberId: number | null;
  active: boolean;
}

/** ISO weekday ("1" = Monday … "7" = Sunday) → [["09:00","18:00"], …]; null = always open. */
export type OpeningHours = Record<string, [string, string][] | string[][]> | null;

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

export interface Resource {
  id: number;
  name: string;
  kind: ResourceKind;
  category: string | null;
  capacity: number;
  bearerMemberId: number;
  granularityMinutes: number;
  minMinutes: number | null;
  maxMinutes: number | null;
  openingHours: OpeningHours;
  blackouts: Blackout[];
  horizonDays: number;
  requiresApproval: boolean;
  active: boolean;
  allocation?: Allocation | null;
  /** Output VAT rate of the service sold (percent). */
  vatRate?: number;
  /** Staff: the lending agreement states management fees. */
  managementFeesAgreed?: boolean;
  /** Included minutes × units per member and month (issue #14); null: none. */
  allowance?: Allowance | null;
}

export interface Booking {
  id: number;
  resourceId: number;
  /** Absent or another structure's id on other structures' bookings, which show only as busy time. */
  memberId?: number | null;
  userId?: number | null;
  start: string;
  end: string;
  quantity: number;
  note?: string | null;
  status: BookingStatus;
  seriesId?: number | null;
  /** true on another structure's booking: busy time only, without member, user or note. */
  busy?: boolean;
  originalStart?: string | null;
  /** On the answer to a series' creation or cancellation: every occurrence concerned. */
  occurrences?: Booking[];
  skipped?: SkippedOccurrence[];
}

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
export interface SkippedOccurrence {
  start: string;
  end: string;
  reason: string;
}

export interface Slot {
  start: string;
  end: string;
  free: number;
}

export interface CostEntry {
  id: number;
  resourceId: number;
  month: string;
  amountCents: number;
  vatRate: number;
  /** VAT paid on the cost; shared with it when the bearer cannot recover VAT. */
  inputVatCents: number;
  /** Staff: the employee's paid hours this entry covers. */
  paidHours: number | null;
  label: string;
  nature: CostNature;
  recurring?: boolean;
}

export interface Basis {
  rule: string;
  method: string;
  text?: string;
  fallback?: string;
  minutes?: number;
  totalMinutes?: number;
  weight?: number;
  totalWeight?: number;
  percent?: number;
  /** Staff lent to an employee's user member: the cents of each nature its agreement bills, and agreed fees. */
  byNature?: { nature: string; cents: number; hourlyCostCents?: number; feesRatePercent?: number }[];
}

export interface AllocationRow {
  resourceId: number;
  memberId: number;
  usageMinutes: number;
  shareCents: number;
  basis?: Basis;
}

export interface AllocationResource {
  resourceId: number;
  bearerMemberId: number;
  costCents: number;
  allocatedCents: number;
  gapCents: number;
  usageMinutes: number;
  /** Why the rule could not apply as such (see CloseWarning for how it is worded). */
  note?: AllocationNote | null;
}

export type AllocationNote =
  | { code: 'no_rate' }
  | { code: 'fallback'; part: 'all' | 'usage'; rule: string; fallback: 'weights' | 'equal' | 'bearer' }
  | { code: 'text'; text: string };

export interface Allocations {
  month: string;
  final: boolean;
  closedAt?: string | null;
  rows: AllocationRow[];
  totals?: {
    costCents: number;
    allocatedCents: number;
    gapCents: number;
    usageMinutes: number;
    resources: AllocationResource[];
    members: { memberId: number; usageMinutes: number; shareCents: number }[];
  };
}

export interface Party {
  id: number;
  name: string;
  siret: string;
  publicBody?: boolean;
  chorusServiceCode?: string | null;
  chorusEngagement?: string | null;
}

export interface InvoiceLine {
  description: string;
  resourceId?: number | null;
  quantity: number;
  unit?: string;
  unitPriceExclVatCents?: number;
  /** EN 16931: S standard, E exempt, O outside VAT (absent on documents issued before VAT per line). */
  vatCategory?: 'S' | 'E' | 'O';
  vatRate?: number;
  exemptionCode?: string | null;
  exemptionText?: string | null;
  totalExclVatCents?: number;
  basis?: Basis | null;
  /** Credit notes: the index of the credited invoice's line. */
  creditedLine?: number;
}

export interface Invoice {
  id: number | null;
  number: string;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  month: string;
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  seller: Party;
  buyer: Party;
  lines: InvoiceLine[];
  vatBreakdown: { vatCategory?: 'S' | 'E' | 'O'; vatRate: number; exemptionCode?: string | null; exemptionText?: string | null; baseCents: number; vatCents: number }[];
  mentions: { vat: string | null };
  totalExclVatCents: number;
  totalVatCents: number;
  totalInclVatCents: number;
  creditedInvoiceId: number | null;
  creditedInvoiceNumber?: string | null;
  /** Stored invoices: their credit notes and what remains creditable (excl. VAT). */
  creditNotes?: { id: number; number: string; totalExclVatCents: number }[];
  creditableCents?: number;
  /** Issued documents: SHA-256 of the PDF frozen at issue (null until frozen); absent in a preview. */
  documentSha256?: string | null;
  /** The day it became fully paid (its last payment); null while anything is open. */
  paidOn: string | null;
  /** Incl. VAT: payments recorded (not deleted), credit notes issued against it, and what is left (negative: a refund is due). */
  paidCents: number;
  creditedCents: number;
  openCents: number;
  status: InvoiceStatus;
}

export interface Closing {
  month: string;
  closedAt?: string | null;
  invoices: Invoice[];
  warnings?: CloseWarning[];
}

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
export interface Adjustment {
  id: number | null;
  month: string;
  kind: 'resource' | 'invoice';
  resourceId: number | null;
  invoiceId: number | null;
  /** « Régularisation d’octobre 2026 », as the documents say it. */
  label: string;
  costBeforeCents: number;
  costAfterCents: number;
  deltas: AdjustmentDelta[];
  createdAt: string | null;
  documents: Invoice[];
}

/** A close's warning: a stable code with params (translated by the client), and the server's English message. */
export interface CloseWarning {
  code: string;
  message: string;
  resourceId?: number;
  params?: Record<string, string | number>;
}

export interface ClosingSummary {
  month: string;
  closedAt: string;
  invoiceCount?: number;
  totalInclVatCents?: number;
}

export interface Integrity {
  ok: boolean;
  documents?: number;
  problems: { invoiceId: number | null; number: string | null; code?: string; reason: string }[];
}

/* ---------- payments ledger, balances and settlements (#11) ---------- */

export type InvoiceStatus = 'open' | 'partially_paid' | 'paid' | 'credited';
export const INVOICE_STATUSES: InvoiceStatus[] = ['open', 'partially_paid', 'paid', 'credited'];
export type PaymentMethod = 'transfer' | 'cheque' | 'cash' | 'card' | 'direct_debit' | 'other';
export const PAYMENT_METHODS: PaymentMethod[] = ['transfer', 'cheque', 'cash', 'card', 'direct_debit', 'other'];

/** GET /api/invoices/:id/payments: deleted payments stay listed (audit trail) and count for nothing. */
export interface Payment {
  id: number;
  invoiceId: number;
  /** Incl. VAT; negative: a refund recorded by a settlement. */
  amountCents: number;
  paidOn: string;
  method: PaymentMethod;
  reference: string | null;
  settlementId: number | null;
  recordedAt: string;
  deletedAt: string | null;
}

export type SettlementMode = 'bilateral' | 'multilateral';

/** GET /api/balances?asOf=: what `fromMemberId` still owes `toMemberId`, on which invoices (a member sees its own pairs). */
export interface Balances {
  asOf: string;
  items: { fromMemberId: number; toMemberId: number; openCents: number; invoiceIds: number[] }[];
}

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

export interface Feed {
  id: number;
  scope: FeedScope;
  memberId?: number | null;
  resourceId?: number | null;
  userId?: number | null;
  url?: string;
  createdAt?: string;
}

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
export interface AccountingExport {
  id: number;
  from: string;
  to: string;
  filename: string;
  sha256: string;
  entryCount: number;
  createdAt: string;
}

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
export interface AllowanceStanding {
  month: string;
  limit: AllowanceLimit;
  allowanceMinutes: number;
  usedMinutes: number;
  remainingMinutes: number;
}

export interface MemberAllowance extends AllowanceStanding {
  resourceId: number;
  resourceName: string;
}

export interface Availability {
  items: Slot[];
  /** The caller's structure's allowance this month (null: none; absent for coordinators). */
  allowance?: AllowanceStanding | null;
}

export interface Employee {
  id: number;
  name: string;
  qualification: string;
  employerMemberId: number;
  /** Contracted hours per week, to the hundredth. */
  weeklyHours: number;
  /** The staff resource members book for this employee. */
  resourceId: number | null;
  /** The employee's own account (role staff). */
  userId: number | null;
  active: boolean;
}

export interface LendingAgreement {
  id: number;
  employeeId: number;
  lenderMemberId: number;
  userMemberId: number;
  startDate: string;
  endDate: string;
  plannedMinutesPerMonth: number | null;
  /** Percent of the working time. */
  workingTimeShare: number | null;
  billed: { salary: boolean; socialCharges: boolean; reimbursedExpenses: boolean };
  managementFeesCents: number | null;
  /** Percent of the cost billed. */
  managementFeesRate: number | null;
  consentDate: string | null;
  amendmentDate: string | null;
  signedPdf: { sha256: string; bytes: number; uploadedAt: string } | null;
  inForceToday: boolean;
}

export interface Payroll {
  employeeId: number;
  month: string;
  costIds: number[];
  grossSalaryCents: number;
  employerChargesCents: number;
  reimbursedExpensesCents: number;
  paidHours: number;
}

export type TimesheetKind = 'made_available' | 'own' | 'absence';
export type TimesheetLineStatus = 'draft' | 'approved' | 'disputed';

export interface TimesheetLine {
  date: string;
  kind: TimesheetKind;
  memberId: number | null;
  minutes: number;
  status: TimesheetLineStatus;
  comment: string | null;
}

export interface Timesheet {
  employeeId: number;
  month: string;
  employerMemberId: number;
  /** Nothing entered yet: the lines are the confirmed bookings, to correct and save. */
  prefilled: boolean;
  lines: TimesheetLine[];
  totals: { madeAvailable: { memberId: number; minutes: number }[]; ownMinutes: number; absenceMinutes: number; totalMinutes: number };
  paidHours: number | null;
  /** made available + own + absences = paid hours (null without payroll figures). */
  balanced: boolean | null;
  members: { memberId: number; status: 'approved' | 'disputed' | 'pending' }[];
}

export interface ScheduleItem {
  id: number;
  start: string;
  end: string;
  memberId: number;
  memberName: string;
  status: string;
  note: string | null;
}

/** GET /api/costs/carry-forward/log: the server's monthly runs carrying recurring costs forward. */
export interface CarryForwardRun {
  month: string;
  fromMonth: string;
  at: string;
  costIds: number[];
}
