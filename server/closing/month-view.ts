import { DateTime } from 'luxon';
import type { AppContext } from '../context';
import { invoiceRepository } from '../invoices/repository';
import { poleZone } from '../pole/service';
import { notFound } from '../shared/errors';
import { reconcile, type ReconciliationLine } from './reconciliation';
import { closingRepository } from './repository';
import { assertMonth } from './service';

/** `GET /api/closings/:month`: a closed month, its documents' totals and its reconciliation (what the pole summary prints). */

export interface ClosedMonthView {
  month: string;
  closedAt: string;
  invoiceCount: number;
  creditNoteCount: number;
  reconciliation: { resources: ReconciliationLine[]; total: ReconciliationLine };
}

/** The reconciliation of a closed month, from its allocation snapshot and its stored documents; null while open. */
export function monthReconciliation(ctx: AppContext, month: string): ClosedMonthView['reconciliation'] | null {
  const repo = closingRepository(ctx.sqlite);
  if (!repo.closing(month)) return null;
  const snapshot = repo.snapshot(month);
  const docs = invoiceRepository(ctx.sqlite).list({ month });
  return reconcile({
    resources: snapshot.resources,
    rows: snapshot.rows,
    revenueTitleBearers: new Set(repo.members().filter((m) => m.publicBody).map((m) => m.id)),
    // Adjustments to a closed month are not issued yet: every document here is the close's or a correction.
    documents: docs.map((d) => ({ kind: d.kind, adjustment: false, lines: d.lines })),
  });
}

export function getClosedMonth(ctx: AppContext, month: string): ClosedMonthView {
  assertMonth(month);
  return ctx.sqlite.transaction(() => {
    const closing = closingRepository(ctx.sqlite).closing(month);
    const reconciliation = monthReconciliation(ctx, month);
    if (!closing || !reconciliation) throw notFound('closing', month);
    const docs = invoiceRepository(ctx.sqlite).list({ month });
    return {
      month,
      closedAt: DateTime.fromMillis(closing.closedAt, { zone: poleZone(ctx) }).toISO({ suppressMilliseconds: true })!,
      invoiceCount: docs.filter((d) => d.kind === 'invoice').length,
      creditNoteCount: docs.filter((d) => d.kind === 'credit_note').length,
      reconciliation,
    };
  })();
}
