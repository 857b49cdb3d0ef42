import { recordAuditEvent } from '../audit/triggers';
import { isMonthClosed } from '../closing/freeze';
import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import { formatInstant, monthOf, shiftMonth } from '../shared/time';
import { carryRecurring } from './service';

/**
 * Recurring costs (rent, leases, subscriptions) are carried into the new month by the server itself, once per
 * month, at its first pass on or after the 1st in the pole's time zone. Each run is an audit row (the visible
 * log, hash-chained with the rest): a coordinator who then deletes a carried cost does not see it come back,
 * because the month's run already happened, and a cost already entered by hand that month (same resource,
 * nature and label) is not doubled. The manual « Reporter » stays for anything else.
 */
export const AUTO_CARRY_ACTION = 'costs.auto_carry_forward';

export interface AutoCarryRun {
  month: string;
  fromMonth: string;
  /** When the server carried them (ms). */
  at: number;
  costIds: number[];
}


const ranFor = (ctx: AppContext, month: string) =>
  ctx.sqlite.prepare('SELECT 1 FROM audit_log WHERE action = ? AND object_type = ? AND object_id = ? LIMIT 1').get(AUTO_CARRY_ACTION, 'month', month) !== undefined;

/** The run due now, if any: carries last month's recurring costs into this month and logs it. Null when already done. */
export function autoCarryForward(ctx: AppContext): AutoCarryRun | null {
  const month = monthOf(ctx.clock.now(), poleZone(ctx));
  const fromMonth = shiftMonth(month, -1);
  return ctx.sqlite
    .transaction((): AutoCarryRun | null => {
      if (ranFor(ctx, month) || isMonthClosed(ctx.sqlite, month)) return null;
      const costIds = carryRecurring(ctx, fromMonth, month, null, true);
      recordAuditEvent(ctx.sqlite, { action: AUTO_CARRY_ACTION, objectType: 'month', objectId: month, userId: null, after: { fromMonth, costIds } });
      return { month, fromMonth, at: ctx.clock.now(), costIds };
    })
    .immediate();
}

/** The server's runs, newest first (`GET /api/costs/carry-forward/log`). */
export function autoCarryLog(ctx: AppContext, limit = 24): AutoCarryRun[] {
  const rows = ctx.sqlite
    .prepare('SELECT at, object_id AS month, after FROM audit_log WHERE action = ? ORDER BY id DESC LIMIT ?')
    .all(AUTO_CARRY_ACTION, limit) as { at: number; month: string; after: string }[];
  return rows.map((r) => {
    const after = JSON.parse(r.after) as { fromMonth: string; costIds: number[] };
    return { month: r.month, fromMonth: after.fromMonth, at: r.at, costIds: after.costIds };
  });
}

/** The log as the API shows it: instants in the pole's zone. */
export function carryForwardLog(ctx: AppContext): (Omit<AutoCarryRun, 'at'> & { at: string })[] {
  const zone = poleZone(ctx);
  return autoCarryLog(ctx).map((run) => ({ ...run, at: formatInstant(run.at, zone) }));
}
