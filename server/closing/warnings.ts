import type { AllocationNote, ResourceAllocation } from './allocation';

/**
 * What a close (and its preview) warns about, as data: a stable code, params to word it in any language, and
 * an English `message` for API consumers (like error messages). Pure: no I/O.
 *
 * - `allocation.fallback` {resource, rule, part, fallback}: a key was empty, the next one of the chain applied;
 * - `allocation.no_rate` {resource}: a `rate` rule without a price, nothing is charged;
 * - `allocation.rate_gap` {resource, gapCents}: what a rate leaves to the bearer (negative: brings in more than the cost);
 * - `allocation.note` {resource, text}: an unstructured note (only from old snapshots, never from a fresh close);
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

/** The note in English, as the `message` of its warning. */
export function noteMessage(note: AllocationNote): string {
  switch (note.code) {
    case 'no_rate':
      return 'no hourly rate is set: nothing is charged and the bearer keeps the whole cost';
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
    case 'text':
      return { code: 'allocation.note', message, resourceId, params: { resource, text: note.text } };
    case 'fallback':
      return { code: 'allocation.fallback', message, resourceId, params: { resource, rule: note.rule, part: note.part, fallback: note.fallback } };
  }
}

const centsEn = (cents: number) => `€${(Math.abs(cents) / 100).toFixed(2)}`;

/** The warnings of a close, in a stable order: by resource (as allocated), then pending bookings. */
export function closeWarnings(allocations: readonly ResourceAllocation[], resourceName: (id: number) => string, pendingBookings: number): CloseWarning[] {
  const out: CloseWarning[] = [];
  for (const a of allocations) {
    const resource = resourceName(a.resourceId);
    if (a.note) out.push(noteWarning(a.note, a.resourceId, resource));
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
  if (pendingBookings > 0) {
    out.push({
      code: 'bookings.pending',
      message: `${pendingBookings} booking(s) of the month are still pending: they count for nothing and will stay frozen.`,
      params: { count: pendingBookings },
    });
  }
  return out;
}
