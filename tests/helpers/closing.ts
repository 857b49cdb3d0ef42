import type { Store } from '../../db/index';

/** Direct inserts for the costs / closing / invoices tests: they do not depend on the resources and bookings APIs. */

export function insertResource(
  store: Store,
  r: { name: string; kind?: 'service' | 'equipment' | 'room' | 'staff'; bearerMemberId: number; capacity?: number },
): number {
  const row = store.sqlite
    .prepare(
      `INSERT INTO resources (name, kind, capacity, bearer_member_id, created_at) VALUES (?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(r.name, r.kind ?? 'service', r.capacity ?? 1, r.bearerMemberId, Date.parse('2026-01-01T00:00:00Z')) as { id: number };
  return row.id;
}

export function insertBooking(
  store: Store,
  b: { resourceId: number; memberId: number; userId: number; start: string; end: string; quantity?: number; status?: 'pending' | 'confirmed' | 'rejected' | 'cancelled' },
): number {
  const now = Date.parse('2026-01-01T00:00:00Z');
  const start = Date.parse(b.start);
  const end = Date.parse(b.end);
  const row = store.sqlite
    .prepare(
      `INSERT INTO bookings (resource_id, member_id, user_id, start_ms, end_ms, quantity, status, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .get(b.resourceId, b.memberId, b.userId, start, end, b.quantity ?? 1, b.status ?? 'confirmed', now, now) as { id: number };
  store.sqlite.prepare('UPDATE resources SET longest_booking_ms = max(longest_booking_ms, ?) WHERE id = ?').run(end - start, b.resourceId);
  return row.id;
}

export function setRule(
  store: Store,
  resourceId: number,
  fromMonth: string,
  rule: { rule: 'usage' | 'weights' | 'equal' | 'mixed' | 'rate'; weights?: Record<string, number> | null; fixedPercent?: number | null; rateCents?: number | null },
): void {
  store.sqlite
    .prepare(
      `INSERT INTO allocation_rules (resource_id, from_month, rule, weights, fixed_percent, rate_cents, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(resourceId, fromMonth, rule.rule, rule.weights ? JSON.stringify(rule.weights) : null, rule.fixedPercent ?? null, rule.rateCents ?? null, Date.now());
}

export function insertCost(
  store: Store,
  c: {
    resourceId: number;
    month: string;
    amountCents: number;
    vatRateBp?: number;
    inputVatCents?: number;
    paidHoursHundredths?: number;
    nature?: string;
    label?: string;
    recurring?: boolean;
  },
): number {
  const row = store.sqlite
    .prepare(
      `INSERT INTO costs (resource_id, month, label, amount_cents, vat_rate_bp, input_vat_cents, paid_hours_hundredths, nature, recurring, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0) RETURNING id`,
    )
    .get(
      c.resourceId,
      c.month,
      c.label ?? 'Coût',
      c.amountCents,
      c.vatRateBp ?? 0,
      c.inputVatCents ?? 0,
      c.paidHoursHundredths ?? null,
      c.nature ?? 'other',
      c.recurring ? 1 : 0,
    ) as { id: number };
  return row.id;
}

/**
 * October 2026 of the test pole (see seedPole): A (the grouping) bears the accounting service (1 000 €,
 * used A 2 h, B 3 h, C 5 h); B (VAT-liable SCOP) bears a shared technician (2 000 € salary + 800 € charges,
 * 8 paid hours, made available A 4 h, C 4 h). Closing it issues ALPH-2026-0001/0002 and BRAV-2026-0001/0002.
 */
export function seedOctober(store: Store, pole: { memberA: number; memberB: number; memberC: number; userIds: Record<string, number> }) {
  const accounting = insertResource(store, { name: 'Comptabilité mutualisée', kind: 'service', bearerMemberId: pole.memberA });
  const technician = insertResource(store, { name: 'Technicien son partagé', kind: 'staff', bearerMemberId: pole.memberB });
  const userId = Object.values(pole.userIds)[0]!;
  const book = (resourceId: number, memberId: number, day: string, from: string, to: string) =>
    insertBooking(store, { resourceId, memberId, userId, start: `2026-10-${day}T${from}:00+02:00`, end: `2026-10-${day}T${to}:00+02:00` });
  book(accounting, pole.memberA, '05', '09:00', '11:00');
  book(accounting, pole.memberB, '06', '09:00', '12:00');
  book(accounting, pole.memberC, '07', '09:00', '14:00');
  book(technician, pole.memberA, '10', '14:00', '18:00');
  book(technician, pole.memberC, '11', '14:00', '18:00');
  insertCost(store, { resourceId: accounting, month: '2026-10', amountCents: 100_000, nature: 'subscription', label: 'Logiciel et honoraires' });
  // The technician was paid 8 h in October and made available 8 h (A 4 h, C 4 h): nothing stays with B.
  insertCost(store, { resourceId: technician, month: '2026-10', amountCents: 200_000, nature: 'salary', label: 'Salaire brut', paidHoursHundredths: 800 });
  insertCost(store, { resourceId: technician, month: '2026-10', amountCents: 80_000, nature: 'social_charges', label: 'Charges patronales' });
  return { accounting, technician };
}
