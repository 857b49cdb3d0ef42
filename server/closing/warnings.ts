import type { AllocationNote, ResourceAllocation } from './allocation';

/**
 * What a close (and its preview) warns about, as data: a stable code, params to word it in any language, and
 * an English `message` for API consumers (like error messages). Pure: no I/O.
 *
 * - `allocation.fallback` {resource, rule, part, fallback}: a key was empty, the next one of the chain applied;
 * - `allocation.no_rate` {resource}: a `rate` rule without a price, nothing is charged;
 * - `allocation.rate_gap` {resource, gapCents}: what a rate leaves to the bearer (negative: brings in more than the cost);
 * - `allocation.note` {resource, text}: an unstructured note (only from old snapshots, never from a fresh close);
 * - `allocation.rate_not_exact_share` {resource}: a `rate` bills a price, not a share of the real cost: its lines are
 *   never exempt under CGI 261 B;
 * - `allocation.no_paid_hours`, `allocation.staff_remainder`, `allocation.staff_overbooked`: staff lent at cost;
 * - `invoice.no_billing_mandate` {memberId, member}: invoices would be issued in the name of a member that has
 *   not mandated the pole (the close refuses until the mandate date is entered);
 * - `bookings.pending` {count}: bookings of the month still waiting for approval;
 * - `einvoice.incomplete_party` {memberId, member, role, missing}: a party whose data cannot make a valid e-invoice
 *   (server/einvoice/completeness.ts).
 */
export interface CloseWarning {
  code: string;
  message: string;
  resourceId?: number;
  params?: Record<string, string | number>;
}

const KEY_EN = { weights: 'the weights', equal: 'equal parts' } as const;
const centsEn = (cents: number) => `€${(Math.abs(cents) / 100).toFixed(2)}`;

/** The note in English, as the `message` of its warning. */
export function noteMessage(note: AllocationNote): string {
  switch (note.code) {
    case 'no_rate':
      return 'no hourly rate is set: nothing is charged and the bearer keeps the whole cost';
    case 'no_paid_hours':
      return 'no paid hours are entered for the employee this month: no hourly cost, nothing is charged and the employer keeps the cost';
    case 'staff_remainder':
      return `${centsEn(note.remainderCents)} of the employee's time was not made available: it stays with the employer`;
    case 'staff_overbooked':
      return `bookings (${note.bookedMinutes} min) exceed the paid hours (${note.paidHours} h): the cost is split by hours`;
    case 'text':
      return note.text;
    case 'fallback':
      if (note.part === 'usage') {
        return note.fallback === 'bearer' ? 'no usage this month: the bearer keeps the usage part' : `no usage this month: the usage part is split by ${KEY_EN[note.fallback]}`;
      }
      if (note.fallback === 'bearer') return 'no member can share this cost this month: the bearer keeps it';
      if (note.rule === 'usage') return `no usage at all this month: split by ${KEY_EN[note.fallback]} instead`;
      return `no positive weight: split by ${KEY_EN[note.fallback]} instead`;
  }
}

function noteWarning(note: AllocationNote, resourceId: number, resource: string): CloseWarning {
  const message = `${resource}: ${noteMessage(note)}`;
  switch (note.code) {
    case 'no_rate':
      return { code: 'allocation.no_rate', message, resourceId, params: { resource } };
    case 'no_paid_hours':
      return { code: 'allocation.no_paid_hours', message, resourceId, params: { resource } };
    case 'staff_remainder':
      return { code: 'allocation.staff_remainder', message, resourceId, params: { resource, remainderCents: note.remainderCents } };
    case 'staff_overbooked':
      return { code: 'allocation.staff_overbooked', message, resourceId, params: { resource, bookedMinutes: note.bookedMinutes, paidHours: note.paidHours } };
    case 'text':
      return { code: 'allocation.note', message, resourceId, params: { resource, text: note.text } };
    case 'fallback':
      return { code: 'allocation.fallback', message, resourceId, params: { resource, rule: note.rule, part: note.part, fallback: note.fallback } };
  }
}



/** The warnings of a close, in a stable order: by resource (as allocated), then pending bookings. */
export function closeWarnings(
  allocations: readonly ResourceAllocation[],
  resourceName: (id: number) => string,
  pendingBookings: number,
  missingMandates: readonly { memberId: number; name: string }[] = [],
): CloseWarning[] {
  const out: CloseWarning[] = [];
  for (const a of allocations) {
    const resource = resourceName(a.resourceId);
    if (a.note) out.push(noteWarning(a.note, a.resourceId, resource));
    if (a.rule.rule === 'rate' && a.shares.some((s) => s.memberId !== a.bearerMemberId && s.shareCents > 0)) {
      out.push({
        code: 'allocation.rate_not_exact_share',
        message: `${resource}: an hourly rate bills a price, not an exact share of the real cost: its lines can never be exempt under CGI 261 B`,
        resourceId: a.resourceId,
        params: { resource },
      });
    }
    if (a.rule.rule === 'rate' && a.gapCents !== 0) {
      out.push({
        code: 'allocation.rate_gap',
        message:
          a.gapCents > 0
            ? `${resource}: the hourly rate leaves ${centsEn(a.gapCents)} of the cost to the bearer`
            : `${resource}: the hourly rate brings in ${centsEn(a.gapCents)} more than the cost`,
        resourceId: a.resourceId,
        params: { resource, gapCents: a.gapCents },
      });
    }
  }
  for (const m of missingMandates) {
    out.push({
      code: 'invoice.no_billing_mandate',
      message: `${m.name} has not mandated the pole to issue invoices in its name (billingMandateSince): the close is refused until it has`,
      params: { memberId: m.memberId, member: m.name },
    });
  }
  if (pendingBookings > 0) {
    out.push({
      code: 'bookings.pending',
      message: `${pendingBookings} booking(s) of the month are still pending: they count for nothing and will stay frozen.`,
      params: { count: pendingBookings },
    });
  }
  return out;
}
