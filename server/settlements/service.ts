import type { AppContext } from '../context';
import type { Actor } from '../shared/actor';
import { isMonthClosed } from '../closing/freeze';
import { assertMonth } from '../shared/time';
import { invoiceRepository } from '../invoices/repository';
import { settle, type Pair, type Position, type Transfer } from './rules';

export interface Settlement {
  month: string;
  /** The month is closed: its invoices are issued (an open month has none yet). */
  final: boolean;
  positions: Position[];
  pairs: Pair[];
  transfers: Transfer[];
}

/**
 * The month's settlement from its issued invoices (incl. VAT) less their credit notes. Coordinators see the
 * whole pole; a member's users see their own position and the pairs and transfers involving their structure.
 */
export function getSettlement(ctx: AppContext, actor: Actor | null, month: string): Settlement {
  assertMonth(month);
  const docs = invoiceRepository(ctx.sqlite).list({ month });
  const flows = docs.map((d) => ({
    sellerMemberId: d.sellerMemberId,
    buyerMemberId: d.buyerMemberId,
    amountCents: d.kind === 'credit_note' ? -d.totalInclVatCents : d.totalInclVatCents,
  }));
  const publicBodies = new Set(ctx.sqlite.prepare('SELECT id FROM members WHERE public_body = 1').pluck().all() as number[]);
  const result = settle(flows, publicBodies);
  const final = isMonthClosed(ctx.sqlite, month);
  if (!actor || actor.role === 'coordinator') return { month, final, ...result };
  const mine = actor.memberId;
  return {
    month,
    final,
    positions: result.positions.filter((p) => p.memberId === mine),
    pairs: result.pairs.filter((p) => p.fromMemberId === mine || p.toMemberId === mine),
    transfers: result.transfers.filter((t) => t.fromMemberId === mine || t.toMemberId === mine),
  };
}
