/** Every notification the service sends; users may turn each off (except the billing mails, sent to structures). */
export const NOTIFICATION_KINDS = [
  'booking.confirmed',
  'booking.pending',
  'booking.approved',
  'booking.rejected',
  'booking.cancelled',
  'approval.requested',
  'close.done',
  'invoice.overdue',
  'costs.missing',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/**
 * Mails about one's own account, asked for by the person it goes to: sent at once whatever the preferences
 * (neither turned off nor held for a digest), so they are no `NotificationKind`.
 */
export const ACCOUNT_MAIL_KINDS = ['account.password_reset'] as const;
export type AccountMailKind = (typeof ACCOUNT_MAIL_KINDS)[number];
export type MailKind = NotificationKind | AccountMailKind;

/** Snapshot of a booking as its mail tells it (times in ms, the pole's zone given beside). */
export interface BookingSnapshot {
  id: number;
  startMs: number;
  endMs: number;
  sequence: number;
  quantity: number;
  note: string | null;
}

export interface BookingPayload {
  zone: string;
  resourceName: string;
  memberName: string;
  /** Who made the change (the booker, the approver, the one who cancelled). */
  actorName: string;
  bookings: BookingSnapshot[];
}

export interface ClosePayload {
  month: string;
  memberId: number;
  memberName: string;
  /** Invoices and credit notes the structure issued or received at the close. */
  invoices: { id: number; number: string; totalInclVatCents: number; role: 'seller' | 'buyer' }[];
  /** Documents of an adjustment to the closed month: its label (« Régularisation d’octobre 2026 »). */
  adjustment?: string;
}

export interface OverduePayload {
  invoiceId: number;
  number: string;
  dueDate: string;
  openCents: number;
  sellerName: string;
}

export interface CostsMissingPayload {
  month: string;
  resources: { id: number; name: string }[];
}

/**
 * A password link. The sender erases `secret` from the stored payload once the mail is delivered (or dead):
 * the outbox must not keep a working link.
 */
export interface PasswordResetPayload {
  name: string;
  email: string;
  tokenId: string;
  secret?: string;
  expiresAtMs: number;
  zone: string;
}

export type Payload = BookingPayload | ClosePayload | OverduePayload | CostsMissingPayload | PasswordResetPayload;
