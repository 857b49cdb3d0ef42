import { DateTime } from 'luxon';
import type { AppContext } from '../context';
import { invoiceRepository } from '../invoices/repository';
import { poleZone } from '../pole/service';
import { notFound } from '../shared/errors';
import { monthAdjustments, type AdjustmentSummary } from './adjustments';
import { adjustmentRepository } from './adjustments-repository';
import { reconcile, type ReconciliationLine } from './reconciliation';
import { closingRepository } from './repository';
import { assertMonth } from '../shared/time';

/** `GET /api/closings/:month`: a closed month, its documents' totals and its reconciliation (what the pole summary prints). */

export interface ClosedMonthView {
  month: string;
  closedAt: string;
  invoiceCount: number;
  creditNoteCount: number;
  reconciliation: { resources: ReconciliationLine[]; total: ReconciliationLine };
  /** Late or corrected costs and shares issued after the close, oldest first. */
  adjustments: AdjustmentSummary[];
}

/** The reconciliation of a closed month, from its allocation snapshot and its stored documents; null while open. */
export function monthReconciliation(ctx: AppContext, month: string): ClosedMonthView['reconciliation'] | null {
  const repo = closingRepository(ctx.sqlite);
  if (!repo.closing(month)) return null;
  const snapshot = repo.snapshot(month);
  const docs = invoiceRepository(ctx.sqlite).list({ month });
  const adjusting = adjustmentRepository(ctx.sqlite).documentIds(month);
  return reconcile({
    resources: snapshot.resources,
    rows: snapshot.rows,
    revenueTitleBearers: new Set(repo.members().filter((m) => m.publicBody).map((m) => m.id)),
    // The snapshot is the close's: what adjustments issued since is netted out as adjustments.
    documents: docs.map((d) => ({ kind: d.kind, adjustment: adjusting.has(d.id), lines: d.lines })),
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
      adjustments: monthAdjustments(ctx, month),
    };
  })();
}
