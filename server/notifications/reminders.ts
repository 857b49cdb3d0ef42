import type { AppContext } from '../context';
import { paymentRepository } from '../payments/repository';
import { invoiceBalances } from '../payments/rules';
import { poleZone } from '../pole/repository';
import { localDate, shiftMonth } from '../shared/time';
import { billingAddresses } from './close-notices';
import { notify, type Notice } from './enqueue';
import { outboxRepository } from './repository';

const dayNumber = (isoDate: string) => Date.parse(`${isoDate}T00:00:00Z`) / 86_400_000;


/**
 * Invoice overdue: due date passed and an open balance, to the buyer's billing e-mail (accountant in copy)
 * the day after the due date, then every 7 days until paid or credited. The week is in the message key, so
 * whichever sender, restart or process enqueues it, each week's reminder exists once.
 */
export function overdueNotices(ctx: AppContext, today: string): Notice[] {
  const repo = paymentRepository(ctx.sqlite);
  const balances = invoiceBalances(repo.documents(), repo.activePayments());
  const rows = ctx.sqlite
    .prepare(
      `SELECT i.id, i.number, i.due_date AS dueDate, i.buyer_member_id AS buyerId, s.name AS sellerName
         FROM invoices i JOIN members s ON s.id = i.seller_member_id WHERE i.kind = 'invoice' AND i.due_date < ?`,
    )
    .all(today) as { id: number; number: string; dueDate: string; buyerId: number; sellerName: string }[];
  const out: Notice[] = [];
  for (const r of rows) {
    const open = balances.get(r.id)?.openCents ?? 0;
    if (open <= 0) continue;
    const addr = billingAddresses(ctx.sqlite, r.buyerId);
    if (!addr?.to) continue;
    const week = Math.floor((dayNumber(today) - dayNumber(r.dueDate) - 1) / 7);
    out.push({
      kind: 'invoice.overdue',
      key: `invoice.overdue.${r.id}.w${week}`,
      address: addr.to,
      cc: addr.cc,
      memberId: r.buyerId,
      payload: { invoiceId: r.id, number: r.number, dueDate: r.dueDate, openCents: open, sellerName: r.sellerName },
    });
  }
  return out;
}

/** Costs missing: last month (not closed) has confirmed bookings of resources without any cost; once a month, to coordinators. */
export function missingCostNotices(ctx: AppContext, today: string): Notice[] {
  const month = shiftMonth(today.slice(0, 7), -1);
  const zone = poleZone(ctx.sqlite);
  const closed = ctx.sqlite.prepare('SELECT 1 FROM closings WHERE month = ?').get(month);
  if (closed) return [];
  const resources = ctx.sqlite
    .prepare(
      `SELECT r.id, r.name FROM resources r
        WHERE EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = r.id AND b.status = 'confirmed'
                        AND b.start_ms < ? AND b.end_ms > ?)
          AND NOT EXISTS (SELECT 1 FROM costs c WHERE c.resource_id = r.id AND c.month = ?)
        ORDER BY r.name`,
    )
    .all(Date.parse(`${today.slice(0, 7)}-01T00:00:00Z`) + 86_400_000, Date.parse(`${month}-01T00:00:00Z`) - 86_400_000, month) as { id: number; name: string }[];
  // The bounds above are a day wider than the month in any zone; the exact test is the local date of the booking.
  const used = resources.filter((r) =>
    (ctx.sqlite.prepare("SELECT start_ms AS s, end_ms AS e FROM bookings WHERE resource_id = ? AND status = 'confirmed'").all(r.id) as { s: number; e: number }[]).some(
      (b) => localDate(b.s, zone).slice(0, 7) <= month && localDate(b.e - 1, zone).slice(0, 7) >= month,
    ),
  );
  if (!used.length) return [];
  return outboxRepository(ctx.sqlite)
    .coordinatorIds()
    .map((userId) => ({ kind: 'costs.missing' as const, key: `costs.missing.${month}`, userId, payload: { month, resources: used } }));
}

/** The time-based notices due today, enqueued in one transaction (idempotent: their keys are per day or week). */
export function enqueueReminders(ctx: AppContext): void {
  const today = localDate(ctx.clock.now(), poleZone(ctx.sqlite));
  ctx.sqlite.transaction(() => notify(ctx, [...overdueNotices(ctx, today), ...missingCostNotices(ctx, today)]))();
}
