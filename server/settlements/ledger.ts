import type { AppContext } from '../context';
import { paymentRepository } from '../payments/repository';
import { balancesOf, invoiceBalances, planTransfers, type Balance, type PaymentMethod, type PlannedTransfer, type SettlementMode } from '../payments/rules';
import { toPaymentView, type PaymentView } from '../payments/service';
import { poleZone } from '../pole/service';
import type { Actor } from '../shared/actor';
import { conflict, unprocessable } from '../shared/errors';
import { localDate, parseLocalDate } from '../shared/time';

/**
 * Balances and settlements on open balances (what was issued, less credit notes and payments), as of a day:
 * what each member owes each other member, a plan of transfers (bilateral by default, multilateral only among
 * members with a netting agreement, public bodies never netted), and recording a plan's transfers as the
 * payments of the invoices they settle, in one transaction.
 */

function day(ctx: AppContext, value: string | undefined, what: string): string {
  if (value === undefined) return localDate(ctx.clock.now(), poleZone(ctx));
  if (!parseLocalDate(value)) throw unprocessable('settlement.invalid_date', `${what} ${value} is not a date`);
  return value;
}

function ledgerAt(ctx: AppContext, asOf: string) {
  const repo = paymentRepository(ctx.sqlite);
  const docs = repo.documents();
  const byInvoice = invoiceBalances(docs, repo.activePayments(), asOf);
  const balances = balancesOf(docs, byInvoice);
  const members = repo.members();
  const netting = new Set(members.filter((m) => m.nettingAgreement && !m.publicBody && (m.nettingAgreementSince === null || m.nettingAgreementSince <= asOf)).map((m) => m.id));
  const publicBodies = new Set(members.filter((m) => m.publicBody).map((m) => m.id));
  return { docs, byInvoice, balances, netting, publicBodies };
}

const involves = (actor: Actor | null, t: { fromMemberId: number; toMemberId: number }) =>
  !actor || actor.role === 'coordinator' || t.fromMemberId === actor.memberId || t.toMemberId === actor.memberId;

/** `GET /api/balances?asOf=`: coordinators see every pair; a member's users the pairs of their structure. */
export function getBalances(ctx: AppContext, actor: Actor | null, asOf?: string): { asOf: string; items: Balance[] } {
  const at = day(ctx, asOf, 'asOf');
  return { asOf: at, items: ledgerAt(ctx, at).balances.filter((b) => involves(actor, b)) };
}

export interface PlanPosition {
  memberId: number;
  receivableCents: number;
  payableCents: number;
  netCents: number;
}

export interface SettlementPlan {
  asOf: string;
  mode: SettlementMode;
  positions: PlanPosition[];
  transfers: PlannedTransfer[];
}

function positionsOf(balances: readonly Balance[]): PlanPosition[] {
  const map = new Map<number, PlanPosition>();
  const at = (id: number) => map.get(id) ?? (map.set(id, { memberId: id, receivableCents: 0, payableCents: 0, netCents: 0 }), map.get(id)!);
  for (const b of balances) {
    at(b.fromMemberId).payableCents += b.openCents;
    at(b.toMemberId).receivableCents += b.openCents;
  }
  for (const p of map.values()) p.netCents = p.receivableCents - p.payableCents;
  return [...map.values()].sort((a, b) => a.memberId - b.memberId);
}

/** `GET /api/settlements?asOf=&mode=`: the plan on open balances. */
export function getSettlementPlan(ctx: AppContext, actor: Actor | null, query: { asOf?: string; mode?: SettlementMode }): SettlementPlan {
  const asOf = day(ctx, query.asOf, 'asOf');
  const mode = query.mode ?? 'bilateral';
  const l = ledgerAt(ctx, asOf);
  const transfers = planTransfers(l.balances, mode, { netting: l.netting, publicBodies: l.publicBodies });
  const positions = positionsOf(l.balances);
  if (!actor || actor.role === 'coordinator') return { asOf, mode, positions, transfers };
  return { asOf, mode, positions: positions.filter((p) => p.memberId === actor.memberId), transfers: transfers.filter((t) => involves(actor, t)) };
}

export interface TransferInput {
  fromMemberId: number;
  toMemberId: number;
  amountCents: number;
  invoiceIds: number[];
}

export interface RecordTransfersInput {
  paidOn: string;
  asOf?: string;
  mode?: SettlementMode;
  method?: PaymentMethod;
  reference?: string | null;
  transfers: TransferInput[];
}

const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && [...a].sort((x, y) => x - y).every((id, i) => id === [...b].sort((x, y) => x - y)[i]);

/**
 * `POST /api/settlements/transfers`: records transfers of the plan as of `asOf` (default: the payment day) as
 * payments of the invoices each settles, all in one IMMEDIATE transaction. A transfer that is not (or no
 * longer) in the plan, or an invoice paid since, refuses the whole request (409 settlement.stale_plan); a
 * multilateral clearing is recorded whole or not at all (422 settlement.partial_clearing). Each invoice gets
 * one payment of its open balance: by the transfer's method when its buyer pays it, as a set-off (`other`)
 * otherwise; a negative balance (credited after payment) gets a refund.
 */
export function recordTransfers(ctx: AppContext, actor: Actor, input: RecordTransfersInput): { settlementId: number; payments: PaymentView[] } {
  const paidOn = day(ctx, input.paidOn, 'paidOn');
  const asOf = day(ctx, input.asOf ?? input.paidOn, 'asOf');
  const today = localDate(ctx.clock.now(), poleZone(ctx));
  if (paidOn > today) throw unprocessable('payment.in_future', `${paidOn} is in the future`, { today, paidOn });
  if (asOf > paidOn) throw unprocessable('settlement.as_of_after_payment', `A plan as of ${asOf} cannot be paid on ${paidOn}`);
  const mode = input.mode ?? 'bilateral';
  const repo = paymentRepository(ctx.sqlite);
  const ids = ctx.sqlite
    .transaction(() => {
      const l = ledgerAt(ctx, asOf);
      const plan = planTransfers(l.balances, mode, { netting: l.netting, publicBodies: l.publicBodies });
      const chosen: PlannedTransfer[] = [];
      for (const t of input.transfers) {
        const planned = plan.find((p) => p.fromMemberId === t.fromMemberId && p.toMemberId === t.toMemberId && p.amountCents === t.amountCents && sameIds(p.invoiceIds, t.invoiceIds));
        if (!planned) throw conflict('settlement.stale_plan', `No transfer of ${t.amountCents} cents from member ${t.fromMemberId} to ${t.toMemberId} on those invoices in the ${mode} plan as of ${asOf}`, { transfer: t, asOf, mode });
        if (chosen.includes(planned)) throw unprocessable('settlement.duplicate_transfer', 'The same transfer is listed twice', { transfer: t });
        chosen.push(planned);
      }
      const legs = plan.filter((p) => p.basis === 'multilateral');
      if (chosen.some((c) => c.basis === 'multilateral') && !legs.every((leg) => chosen.includes(leg))) {
        throw unprocessable('settlement.partial_clearing', 'A multilateral clearing is recorded with all its transfers at once', { transfers: legs.length });
      }
      // Payments recorded after asOf would make the plan pay twice.
      const current = invoiceBalances(l.docs, repo.activePayments());
      for (const id of chosen.flatMap((c) => c.invoiceIds)) {
        if (current.get(id)?.openCents !== l.byInvoice.get(id)?.openCents) throw conflict('settlement.stale_plan', `Invoice ${id} was paid or credited after ${asOf}`, { invoiceId: id, asOf });
      }
      const now = ctx.clock.now();
      const settlementId = repo.insertSettlement({ mode, asOf, paidOn, reference: input.reference?.trim() || null, transfers: chosen, recordedAt: now, recordedByUserId: actor.userId });
      const buyerOf = new Map(l.docs.map((d) => [d.id, d.buyerMemberId]));
      const made: number[] = [];
      for (const t of chosen) {
        for (const invoiceId of t.invoiceIds) {
          const open = l.byInvoice.get(invoiceId)!.openCents;
          if (open === 0) continue;
          const direct = t.basis !== 'multilateral' && (t.basis === 'gross' || buyerOf.get(invoiceId) === t.fromMemberId) && open > 0;
          const reference = `${open < 0 ? 'Remboursement' : direct ? 'Virement' : 'Compensation'} — règlement n° ${settlementId}${input.reference?.trim() ? ` (${input.reference.trim()})` : ''}`;
          made.push(
            repo.insert({ invoiceId, amountCents: open, paidOn, method: direct ? (input.method ?? 'transfer') : 'other', reference, settlementId, recordedAt: now, recordedByUserId: actor.userId }),
          );
        }
      }
      return { settlementId, made };
    })
    .immediate();
  return { settlementId: ids.settlementId, payments: ids.made.map((id) => toPaymentView(repo.find(id)!)) };
}
