import type { CostNature } from '../../db/schema/enums';
import { de } from '../notifications/messages';
import type { Cents } from '../shared/money';
import { costSharingInvoice, type PairInvoice } from '../invoices/close-drafts';
import { lineVat, vatKey } from '../invoices/vat-lines';
import type { InvoiceDraft, InvoiceLine, Mentions } from '../invoices/document';
import type { CostSum } from './repository';

/**
 * Pure rules of an adjustment to a closed month (no I/O): the resource's cost entries after a late or
 * corrected cost, what each (seller, buyer, resource, nature, VAT) was billed for the month and what the same
 * allocation rules bill now, and the supplementary invoices and credit notes that carry the difference. The
 * shares themselves come from the close's own allocation and drafting (service.ts allocateMonth,
 * invoices/close-drafts.ts buildCloseDrafts), so an adjustment can never split a cost differently from a close.
 */

export class AdjustmentError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A resource's cost entry of the month as shared after adjustments: a stored cost (`costId`) or a late one (null). */
export interface CostEntry {
  costId: number | null;
  label: string;
  nature: CostNature;
  amountCents: Cents;
  vatRateBp: number;
  inputVatCents: Cents;
  paidHoursHundredths: number | null;
}

/** A cost item of an adjustment, its rate and hours already checked and converted. */
export interface CostItem {
  /** Corrects this stored cost entry; absent: a late cost entry. */
  costId?: number;
  label?: string;
  nature?: CostNature;
  amountCents: Cents;
  vatRateBp?: number;
  inputVatCents?: Cents;
  /** undefined keeps a corrected entry's hours; null removes them. */
  paidHoursHundredths?: number | null;
}

/** The entries after an adjustment's items: corrections replace their entry's fields, late costs are added. */
export function applyCostItems(entries: readonly CostEntry[], items: readonly CostItem[], vatOf: (cents: Cents, bp: number) => Cents): CostEntry[] {
  const out = entries.map((e) => ({ ...e }));
  const corrected = new Set<number>();
  for (const item of items) {
    if (item.costId !== undefined) {
      if (corrected.has(item.costId)) throw new AdjustmentError(400, 'adjustment.duplicate_cost', `Cost ${item.costId} is corrected twice`);
      corrected.add(item.costId);
      const i = out.findIndex((e) => e.costId === item.costId);
      if (i < 0) throw new AdjustmentError(404, 'cost.not_found', `No cost with id ${item.costId} for this resource and month`);
      const e = out[i]!;
      const bp = item.vatRateBp ?? e.vatRateBp;
      const rederive = item.amountCents !== e.amountCents || bp !== e.vatRateBp;
      out[i] = {
        costId: e.costId,
        label: item.label?.trim() ?? e.label,
        nature: item.nature ?? e.nature,
        amountCents: item.amountCents,
        vatRateBp: bp,
        inputVatCents: item.inputVatCents ?? (rederive ? vatOf(item.amountCents, bp) : e.inputVatCents),
        paidHoursHundredths: item.paidHoursHundredths === undefined ? e.paidHoursHundredths : item.paidHoursHundredths,
      };
    } else {
      if (!item.label?.trim() || !item.nature) throw new AdjustmentError(400, 'adjustment.cost_incomplete', 'A late cost needs its label and nature');
      if (item.amountCents <= 0) throw new AdjustmentError(422, 'adjustment.invalid_amount', 'A late cost must be a positive number of cents');
      const bp = item.vatRateBp ?? 0;
      out.push({
        costId: null,
        label: item.label.trim(),
        nature: item.nature,
        amountCents: item.amountCents,
        vatRateBp: bp,
        inputVatCents: item.inputVatCents ?? vatOf(item.amountCents, bp),
        paidHoursHundredths: item.paidHoursHundredths ?? null,
      });
    }
  }
  return out;
}

/** Entries summed by nature, as the close reads the costs table (repository.costSums). */
export function costSumsOf(resourceId: number, entries: readonly CostEntry[]): CostSum[] {
  const byNature = new Map<CostNature, CostSum>();
  for (const e of entries) {
    const s = byNature.get(e.nature) ?? { resourceId, nature: e.nature, amountCents: 0, inputVatCents: 0, paidHoursHundredths: 0 };
    s.amountCents += e.amountCents;
    s.inputVatCents += e.inputVatCents;
    s.paidHoursHundredths += e.paidHoursHundredths ?? 0;
    byNature.set(e.nature, s);
  }
  return [...byNature.values()].sort((a, b) => a.nature.localeCompare(b.nature));
}

/** « Régularisation d’octobre 2026 », « Régularisation de novembre 2026 » (the month label is in lower case). */
export const adjustmentLabel = (monthLabel: string) => `Régularisation ${de(monthLabel)}`;

/** What a billed amount is keyed by: the pair, the resource, the cost nature and the line's VAT. */
export const billingKey = (sellerMemberId: number, buyerMemberId: number, line: Pick<InvoiceLine, 'resourceId' | 'nature' | 'vatRate'> & Partial<InvoiceLine>, mentions?: Pick<Mentions, 'vat'> | null) =>
  `${sellerMemberId}>${buyerMemberId}|${line.resourceId ?? ''}|${line.nature ?? ''}|${vatKey(lineVat(line, mentions))}`;

export interface BilledDocument {
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  lines: readonly InvoiceLine[];
  mentions: Mentions;
}

/**
 * What the allocation billed for one resource, per key: the close's invoices plus the adjustments' invoices
 * less their credit notes. Credit notes issued by hand (a dispute, a cancellation) are not a change of the
 * allocation, so an adjustment never bills them again.
 */
export function billedByKey(documents: readonly BilledDocument[], resourceId: number): Map<string, Cents> {
  const out = new Map<string, Cents>();
  for (const d of documents) {
    const sign = d.kind === 'credit_note' ? -1 : 1;
    for (const line of d.lines) {
      if (line.resourceId !== resourceId) continue;
      const key = billingKey(d.sellerMemberId, d.buyerMemberId, line, d.mentions);
      out.set(key, (out.get(key) ?? 0) + sign * line.totalExclVatCents);
    }
  }
  return out;
}

/** target − billed per key, zeros left out, in key order (deterministic documents). */
export function differences(billed: ReadonlyMap<string, Cents>, target: ReadonlyMap<string, Cents>): Map<string, Cents> {
  const keys = [...new Set([...billed.keys(), ...target.keys()])].sort();
  const out = new Map<string, Cents>();
  for (const k of keys) {
    const d = (target.get(k) ?? 0) - (billed.get(k) ?? 0);
    if (d !== 0) out.set(k, d);
  }
  return out;
}

/** The line a positive difference adds: the target line's VAT, resource, nature and basis, for the difference. */
export function supplementLine(template: InvoiceLine, cents: Cents): InvoiceLine {
  const { creditedLine: _c, ...line } = template;
  return { ...line, description: `Complément — ${template.description}`, quantity: 1, unit: 'forfait', unitPriceExclVatCents: cents, totalExclVatCents: cents };
}

/** A supplementary invoice of the adjusted month, issued now with the parties as they are now. */
export function supplementDraft(input: PairInvoice & { reason?: string | undefined }): InvoiceDraft {
  const { reason, ...invoice } = input;
  const label = adjustmentLabel(input.terms.monthLabel);
  const motive = reason ? ` Motif : ${reason.trim()}` : '';
  return costSharingInvoice({
    ...invoice,
    costSharing: `${label} : facture complémentaire, refacturation à l’euro près des coûts réels mutualisés du pôle pour ${input.terms.monthLabel}, selon la clé de répartition de chaque ressource.${motive}`,
  });
}

/** An invoice a negative difference may be credited on, with what remains creditable on each of its lines. */
export interface CreditCandidate {
  invoiceId: number;
  sellerMemberId: number;
  buyerMemberId: number;
  lines: readonly InvoiceLine[];
  mentions: Mentions;
  remaining: readonly Cents[];
}

/**
 * Where each negative difference is credited: on the lines with the same key, in the order of the candidates
 * (the close's invoice first, then the supplementary ones), never more than a line has left. A credit note
 * thus always names its lines; nothing is spread over lines of another resource, nature or VAT.
 */
export function planCredits(negatives: ReadonlyMap<string, Cents>, candidates: readonly CreditCandidate[]): Map<number, { line: number; amountCents: Cents }[]> {
  const out = new Map<number, { line: number; amountCents: Cents }[]>();
  for (const [key, diff] of negatives) {
    let left = -diff;
    for (const c of candidates) {
      c.lines.forEach((line, i) => {
        if (left <= 0 || billingKey(c.sellerMemberId, c.buyerMemberId, line, c.mentions) !== key) return;
        const take = Math.min(left, Math.max(0, c.remaining[i] ?? 0));
        if (take <= 0) return;
        out.set(c.invoiceId, [...(out.get(c.invoiceId) ?? []), { line: i, amountCents: take }]);
        left -= take;
      });
    }
    if (left > 0) {
      throw new AdjustmentError(422, 'adjustment.exceeds_creditable', `${left} cents of the correction find no invoice line left to credit (already credited by hand?)`, { key, cents: left });
    }
  }
  for (const lines of out.values()) lines.sort((a, b) => a.line - b.line);
  return out;
}
