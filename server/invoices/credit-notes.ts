import { allocate, type Cents } from '../shared/money';
import type { InvoiceDraft, InvoiceLine, Mentions, PartySnapshot, VatLine } from './document';
import { lineVat, totalsOf, vatBreakdown, vatKey, vatLineOf } from './vat-lines';
import { frDate } from './wording';

/** Credit notes (no I/O): what remains creditable on an invoice, and the credit note a request gives. */

/** What a credit note asks: the whole remainder, an amount spread over the lines, or chosen lines. */
export type CreditRequest =
  | { mode: 'whole' }
  | { mode: 'amount'; amountCents: Cents }
  | { mode: 'lines'; lines: { line: number; amountCents?: Cents }[] };

export interface CreditableInvoice {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  month: string;
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  sellerMemberId: number;
  buyerMemberId: number;
  seller: PartySnapshot;
  buyer: PartySnapshot;
  lines: InvoiceLine[];
  vatBreakdown: VatLine[];
  mentions: Mentions;
  paymentTermsDays: number;
  latePenaltyRateBp: number;
}

export class CreditError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Per line of the invoice: what remains creditable after the credit notes already issued. */
export function remainingByLine(invoice: Pick<CreditableInvoice, 'lines'>, previous: readonly { lines: InvoiceLine[] }[]): Cents[] {
  const remaining = invoice.lines.map((l) => l.totalExclVatCents);
  for (const note of previous) {
    for (const line of note.lines) {
      if (line.creditedLine !== undefined && remaining[line.creditedLine] !== undefined) remaining[line.creditedLine]! -= line.totalExclVatCents;
    }
  }
  return remaining;
}

/**
 * A credit note against an invoice, never exceeding what remains creditable. Amounts are positive (the
 * document is an *avoir*). VAT per rate is half-up on the credited base, and the credit note that brings a
 * rate's base to zero takes exactly the VAT left at that rate, so credits always cancel the invoice's VAT.
 */
export function buildCreditNoteDraft(
  invoice: CreditableInvoice,
  previous: readonly { lines: InvoiceLine[]; vatBreakdown: VatLine[] }[],
  request: CreditRequest,
  dates: { issueDate: string },
): InvoiceDraft {
  if (invoice.kind !== 'invoice') throw new CreditError('credit_note.not_an_invoice', 'Only an invoice can be credited');
  const remaining = remainingByLine(invoice, previous);
  const totalRemaining = remaining.reduce((a, r) => a + r, 0);
  if (totalRemaining <= 0) throw new CreditError('credit_note.nothing_left', `Invoice ${invoice.number} is already fully credited`);
  let amounts: Cents[];
  if (request.mode === 'whole') amounts = remaining;
  else if (request.mode === 'amount') {
    if (!Number.isSafeInteger(request.amountCents) || request.amountCents <= 0) throw new CreditError('credit_note.invalid_amount', 'The amount must be a positive number of cents');
    if (request.amountCents > totalRemaining) {
      throw new CreditError('credit_note.exceeds_remaining', `Only ${totalRemaining} cents remain creditable on ${invoice.number}`, { remainingCents: totalRemaining });
    }
    amounts = allocate(request.amountCents, remaining.map((r) => Math.max(0, r)));
  } else {
    amounts = remaining.map(() => 0);
    const seen = new Set<number>();
    for (const { line, amountCents } of request.lines) {
      if (!Number.isInteger(line) || line < 0 || line >= invoice.lines.length) throw new CreditError('credit_note.unknown_line', `Invoice ${invoice.number} has no line ${line}`);
      if (seen.has(line)) throw new CreditError('credit_note.duplicate_line', `Line ${line} is listed twice`);
      seen.add(line);
      const amount = amountCents ?? remaining[line]!;
      if (!Number.isSafeInteger(amount) || amount <= 0) throw new CreditError('credit_note.invalid_amount', `The amount for line ${line} must be a positive number of cents`);
      if (amount > remaining[line]!) {
        throw new CreditError('credit_note.exceeds_remaining', `Only ${remaining[line]} cents remain creditable on line ${line}`, { line, remainingCents: remaining[line] });
      }
      amounts[line] = amount;
    }
  }
  const lines: InvoiceLine[] = invoice.lines.flatMap((line, i) => {
    const cents = amounts[i]!;
    if (cents <= 0) return [];
    const vat = lineVat(line, invoice.mentions);
    return [{ ...line, ...vat, description: `Avoir — ${line.description}`, quantity: 1, unit: 'forfait', unitPriceExclVatCents: cents, totalExclVatCents: cents, creditedLine: i }];
  });
  if (lines.length === 0) throw new CreditError('credit_note.invalid_amount', 'Nothing to credit');

  const invoiced = invoice.vatBreakdown.map((x) => vatLineOf(x, invoice.mentions));
  const creditedBefore = previous.flatMap((p) => p.vatBreakdown.map((x) => vatLineOf(x, invoice.mentions)));
  const breakdown = vatBreakdown(lines).map((v) => {
    const key = vatKey(v);
    const at = invoiced.find((x) => vatKey(x) === key) ?? { baseCents: 0, vatCents: 0 };
    const before = creditedBefore.filter((x) => vatKey(x) === key);
    const baseLeft = at.baseCents - before.reduce((a, x) => a + x.baseCents, 0);
    const vatLeft = at.vatCents - before.reduce((a, x) => a + x.vatCents, 0);
    const vatCents = v.baseCents === baseLeft ? vatLeft : Math.min(v.vatCents, vatLeft);
    return { ...v, vatCents };
  });
  const totals = totalsOf(lines, breakdown);
  return {
    kind: 'credit_note',
    sellerMemberId: invoice.sellerMemberId,
    buyerMemberId: invoice.buyerMemberId,
    month: invoice.month,
    issueDate: dates.issueDate,
    periodStart: invoice.periodStart,
    periodEnd: invoice.periodEnd,
    dueDate: dates.issueDate,
    currency: invoice.currency,
    seller: invoice.seller,
    buyer: invoice.buyer,
    lines,
    vatBreakdown: breakdown,
    ...totals,
    mentions: {
      ...invoice.mentions,
      latePenalty: null,
      recoveryIndemnity: null,
      discount: null,
      creditNote: `Avoir sur la facture n° ${invoice.number} du ${frDate(invoice.issueDate)}, à déduire de son montant.`,
    },
    paymentTermsDays: 0,
    latePenaltyRateBp: invoice.latePenaltyRateBp,
    recoveryIndemnityCents: null,
    creditedInvoiceId: invoice.id,
  };
}
