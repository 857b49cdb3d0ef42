export const LEGAL_FORMS = [
  'association',
  'scop',
  'scic',
  'company',
  'local_authority',
  'research_body',
  'training_body',
  'other',
] as const;
export type LegalForm = (typeof LEGAL_FORMS)[number];

/**
 * A member's VAT status: liable (charges VAT), under the franchise (CGI 293 B: charges none) or not liable.
 * Whether its activity makes it eligible to the 261 B exemption is a separate flag (`eligible261B`).
 */
export const VAT_STATUSES = ['assujetti', 'franchise_293B', 'non_assujetti'] as const;
export type VatStatus = (typeof VAT_STATUSES)[number];

/** The single regime of members before statuses (kept to read old snapshots and old API clients). */
export const LEGACY_VAT_REGIMES = ['assujetti', 'franchise_293B', 'exonere_261B', 'non_assujetti'] as const;
export type LegacyVatRegime = (typeof LEGACY_VAT_REGIMES)[number];

/** `staff`: an employee lent at cost (its memberId is its employer): its own timesheet and schedule, nothing else. */
export const ROLES = ['coordinator', 'member_admin', 'member', 'staff'] as const;
export type Role = (typeof ROLES)[number];

export const RESOURCE_KINDS = ['service', 'equipment', 'room', 'staff'] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

export const BOOKING_STATUSES = ['pending', 'confirmed', 'rejected', 'cancelled'] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** `usage_over_allowance`: what members use within their allowance is covered by the weights, overruns by usage. */
export const ALLOCATION_RULES = ['usage', 'weights', 'equal', 'mixed', 'rate', 'usage_over_allowance'] as const;
export type AllocationRuleName = (typeof ALLOCATION_RULES)[number];

export const COST_NATURES = [
  'salary',
  'social_charges',
  'reimbursed_expenses',
  'rent_or_lease',
  'subscription',
  'other',
  /** Staff lent at cost: only when the lending agreement states them (resource.managementFeesAgreed). */
  'management_fees',
] as const;
export type CostNature = (typeof COST_NATURES)[number];

export const INVOICE_KINDS = ['invoice', 'credit_note'] as const;
export type InvoiceKind = (typeof INVOICE_KINDS)[number];

export const FEED_SCOPES = ['member', 'resource', 'user'] as const;
export type FeedScope = (typeof FEED_SCOPES)[number];

export const PAYMENT_METHODS = ['transfer', 'cheque', 'cash', 'card', 'direct_debit', 'other'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export const SETTLEMENT_MODES = ['bilateral', 'multilateral'] as const;
export type SettlementMode = (typeof SETTLEMENT_MODES)[number];
