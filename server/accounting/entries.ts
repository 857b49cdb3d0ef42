import type { CostNature, ResourceKind } from '../../db/schema/enums';
import { allocate, toBp, type Cents } from '../shared/money';
import { signedLine, type EntryLine, type JournalEntry } from './fec';
import { accountFor, accountLabel, type AccountMapping } from './mapping';

/**
 * A member's journal entries for a period (pure): its issued invoices in the sales journal, the invoices it
 * received in the purchases journal, credit notes reversed in the same journals, payments in the bank
 * journal, lettered with the invoices they settle. Built only from sealed documents and recorded payments.
 */

/** What the entries read of a party snapshot (older snapshots lack the newer VAT fields). */
export interface PartyRef {
  name: string;
  siren: string;
  vatRegime?: string;
  vatStatus?: string;
  eligible261B?: boolean;
}

export interface SourceLine {
  description: string;
  resourceId: number | null;
  nature: CostNature | null;
  vatRate: number;
  totalExclVatCents: Cents;
}

/** A sealed invoice or credit note, as stored. */
export interface SourceDocument {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  sellerMemberId: number;
  buyerMemberId: number;
  month: string;
  issueDate: string;
  seller: PartyRef;
  buyer: PartyRef;
  lines: SourceLine[];
  vatBreakdown: { vatRate: number; vatCents: Cents }[];
  totalExclVatCents: Cents;
  totalVatCents: Cents;
  totalInclVatCents: Cents;
  creditedInvoiceId: number | null;
}

/** A payment received or made on an invoice (the bank journal's source). */
export interface PaymentRecord {
  id: string;
  invoiceId: number;
  amountCents: Cents;
  /** YYYY-MM-DD */
  date: string;
  reference: string | null;
  /** A recorded settlement that made this payment with others (its transfers net what the parties owe). */
  settlementId?: number | null;
}

export interface EntriesInput {
  memberId: number;
  from: string;
  to: string;
  /** Every document where the member is seller or buyer, whatever its date (lettering looks back). */
  documents: readonly SourceDocument[];
  /** Every payment on those documents, whatever its date. */
  payments: readonly PaymentRecord[];
  mapping: AccountMapping;
  /** Resource kinds, to choose an account for lines whose nature does not decide it. */
  resourceKinds: ReadonlyMap<number, ResourceKind>;
}

const MONTHS_FR = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];
export const monthLabelFr = (month: string) => `${MONTHS_FR[Number(month.slice(5, 7)) - 1] ?? month.slice(5, 7)} ${month.slice(0, 4)}`;

/** The resource's name as printed at the start of every line description (`Name — …`). */
export const resourceNameOf = (line: SourceLine) => line.description.replace(/^Avoir — /, '').split(' — ')[0]!.trim();

/** A buyer recovers VAT when liable to it and not a 261 B member (whose activity is exempt). */
export function recoversVat(party: PartyRef, setting: AccountMapping['recoverVat']): boolean {
  if (setting !== 'auto') return setting === 'yes';
  if (party.vatStatus !== undefined) return party.vatStatus === 'assujetti' && party.eligible261B !== true;
  return party.vatRegime === 'assujetti';
}

/** A stable lettering code per invoice, the same in every export: 1 → AAA, 2 → AAB… */
export function letterCode(invoiceId: number): string {
  let n = invoiceId - 1;
  let code = '';
  for (let i = 0; i < 3 || n > 0; i++) {
    code = String.fromCharCode(65 + (n % 26)) + code;
    n = Math.floor(n / 26);
  }
  return code;
}

export interface Lettering {
  letter: string;
  /** The date of the last settlement (credit note or payment) up to the period's end. */
  date: string;
  /** Fully settled: invoice = credit notes + payments, to the cent. */
  complete: boolean;
}

/**
 * Each invoice's lettering as of `to`: its credit notes and payments up to then. A settled invoice's code is
 * in capitals; a partly settled one's in lower case (partial lettering, as accounting software shows it).
 */
export function letterings(documents: readonly SourceDocument[], payments: readonly PaymentRecord[], to: string): Map<number, Lettering> {
  const result = new Map<number, Lettering>();
  const invoices = new Map(documents.filter((d) => d.kind === 'invoice').map((d) => [d.id, d]));
  const settled = new Map<number, { cents: Cents; date: string }>();
  const add = (invoiceId: number, cents: Cents, date: string) => {
    if (date > to || !invoices.has(invoiceId)) return;
    const s = settled.get(invoiceId) ?? { cents: 0, date };
    settled.set(invoiceId, { cents: s.cents + cents, date: date > s.date ? date : s.date });
  };
  for (const d of documents) if (d.kind === 'credit_note' && d.creditedInvoiceId !== null) add(d.creditedInvoiceId, d.totalInclVatCents, d.issueDate);
  for (const p of payments) add(p.invoiceId, p.amountCents, p.date);
  for (const [id, s] of settled) {
    const invoice = invoices.get(id)!;
    if (invoice.issueDate > to) continue;
    const complete = s.cents === invoice.totalInclVatCents;
    const code = letterCode(id);
    result.set(id, { letter: complete ? code : code.toLowerCase(), date: s.date, complete });
  }
  return result;
}

interface Grouped {
  account: string;
  label: string;
  cents: Cents;
}

/** Sums line amounts per (account, label), in first-seen order. */
function group(items: readonly Grouped[]): Grouped[] {
  const map = new Map<string, Grouped>();
  for (const it of items) {
    const key = `${it.account}\u0000${it.label}`;
    const g = map.get(key);
    if (g) g.cents += it.cents;
    else map.set(key, { ...it });
  }
  return [...map.values()].filter((g) => g.cents !== 0);
}

/** Each line's share of the VAT at its rate (largest remainder), so a non-recovering buyer expenses it. */
function vatPerLine(doc: SourceDocument): Cents[] {
  const out = doc.lines.map(() => 0);
  const byRate = new Map<number, Cents>();
  for (const v of doc.vatBreakdown) byRate.set(toBp(v.vatRate), (byRate.get(toBp(v.vatRate)) ?? 0) + v.vatCents);
  for (const [bp, vat] of byRate) {
    if (vat === 0) continue;
    const idx = doc.lines.map((l, i) => (toBp(l.vatRate) === bp ? i : -1)).filter((i) => i >= 0);
    const weights = idx.map((i) => Math.abs(doc.lines[i]!.totalExclVatCents));
    if (idx.length === 0 || weights.every((w) => w === 0)) throw new Error(`${doc.number}: VAT at ${bp / 100} % without a line at that rate`);
    allocate(vat, weights).forEach((c, j) => (out[idx[j]!]! += c));
  }
  return out;
}

/** The entry of one document in the member's books: sales when it issued it, purchases when it received it. */
export function documentEntry(doc: SourceDocument, memberId: number, input: Pick<EntriesInput, 'mapping' | 'resourceKinds'>, lettering: Lettering | undefined): JournalEntry {
  const m = input.mapping;
  const selling = doc.sellerMemberId === memberId;
  const counterpart = selling ? doc.buyer : doc.seller;
  // An invoice debits the customer (credits the supplier); a credit note the other way round.
  const sign = doc.kind === 'invoice' ? 1 : -1;
  const month = monthLabelFr(doc.month);
  const what = doc.kind === 'invoice' ? 'Facture' : 'Avoir';
  const thirdParty: Omit<EntryLine, 'debitCents' | 'creditCents'> = {
    account: selling ? m.customers : m.suppliers,
    accountLabel: accountLabel(selling ? m.customers : m.suppliers),
    auxAccount: `${selling ? m.customerAuxPrefix : m.supplierAuxPrefix}${counterpart.siren}`,
    auxLabel: counterpart.name,
    label: `${what} ${doc.number} — ${month} — ${counterpart.name}`,
    letter: lettering?.letter ?? null,
    letterDate: lettering ? lettering.date : null,
  };
  const kindOf = (l: SourceLine) => (l.resourceId === null ? null : (input.resourceKinds.get(l.resourceId) ?? null));
  const lineLabel = (l: SourceLine) => `${doc.kind === 'credit_note' ? 'Avoir — ' : ''}${resourceNameOf(l)} — ${month} — ${counterpart.name}`;
  const plain = (account: string, label: string, amount: Cents): EntryLine =>
    signedLine({ account, accountLabel: accountLabel(account), auxAccount: null, auxLabel: null, label, letter: null, letterDate: null }, amount);

  const lines: EntryLine[] = [];
  if (selling) {
    lines.push(signedLine(thirdParty, sign * doc.totalInclVatCents));
    const revenue = group(doc.lines.map((l) => ({ account: accountFor(m.sales, l.nature, kindOf(l)), label: lineLabel(l), cents: l.totalExclVatCents })));
    for (const g of revenue) lines.push(plain(g.account, g.label, -sign * g.cents));
    for (const v of doc.vatBreakdown) {
      if (v.vatCents !== 0) lines.push(plain(m.vatCollected, `TVA collectée ${String(v.vatRate).replace('.', ',')} % — ${doc.number} — ${counterpart.name}`, -sign * v.vatCents));
    }
  } else {
    const recovers = recoversVat(doc.buyer, m.recoverVat);
    const vat = recovers ? doc.lines.map(() => 0) : vatPerLine(doc);
    const expense = group(doc.lines.map((l, i) => ({ account: accountFor(m.expenses, l.nature, kindOf(l)), label: lineLabel(l), cents: l.totalExclVatCents + vat[i]! })));
    for (const g of expense) lines.push(plain(g.account, g.label, sign * g.cents));
    if (recovers) {
      for (const v of doc.vatBreakdown) {
        if (v.vatCents !== 0) lines.push(plain(m.vatDeductible, `TVA déductible ${String(v.vatRate).replace('.', ',')} % — ${doc.number} — ${counterpart.name}`, sign * v.vatCents));
      }
    }
    lines.push(signedLine(thirdParty, -sign * doc.totalInclVatCents));
  }
  const journal = selling ? m.journals.sales : m.journals.purchases;
  return { journalCode: journal.code, journalLabel: journal.label, number: '', date: doc.issueDate, pieceRef: doc.number, pieceDate: doc.issueDate, validDate: doc.issueDate, lines };
}

/** The two sides of a payment: the bank line and the customer's (received) or supplier's (paid) line. */
function paymentLines(payment: PaymentRecord, invoice: SourceDocument, memberId: number, mapping: AccountMapping, lettering: Lettering | undefined): [EntryLine, EntryLine] {
  const received = invoice.sellerMemberId === memberId;
  const counterpart = received ? invoice.buyer : invoice.seller;
  const month = monthLabelFr(invoice.month);
  const label = `Règlement ${invoice.number} — ${month} — ${counterpart.name}${payment.reference ? ` — réf. ${payment.reference}` : ''}`;
  const thirdAccount = received ? mapping.customers : mapping.suppliers;
  const third = signedLine(
    {
      account: thirdAccount,
      accountLabel: accountLabel(thirdAccount),
      auxAccount: `${received ? mapping.customerAuxPrefix : mapping.supplierAuxPrefix}${counterpart.siren}`,
      auxLabel: counterpart.name,
      label,
      letter: lettering?.letter ?? null,
      letterDate: lettering?.date ?? null,
    },
    received ? -payment.amountCents : payment.amountCents,
  );
  const bank = signedLine(
    { account: mapping.bank, accountLabel: accountLabel(mapping.bank), auxAccount: null, auxLabel: null, label, letter: null, letterDate: null },
    received ? payment.amountCents : -payment.amountCents,
  );
  return [bank, third];
}

/** A payment on an invoice: the bank against the customer (received) or the supplier (paid). */
export function paymentEntry(payment: PaymentRecord, invoice: SourceDocument, memberId: number, mapping: AccountMapping, lettering: Lettering | undefined): JournalEntry {
  const [bank, third] = paymentLines(payment, invoice, memberId, mapping, lettering);
  const j = mapping.journals.bank;
  return {
    journalCode: j.code,
    journalLabel: j.label,
    number: '',
    date: payment.date,
    pieceRef: invoice.number,
    pieceDate: payment.date,
    validDate: payment.date,
    lines: invoice.sellerMemberId === memberId ? [bank, third] : [third, bank],
  };
}

/**
 * The payments one recorded settlement made on the member's invoices, as one entry: a line per invoice on
 * 411/401 (lettered with it) and one bank line for the net amount that actually moved. A set-off moves no
 * money, so a settlement that nets to zero for the member is booked in the miscellaneous journal, bankless.
 */
export function settlementEntry(
  settlementId: number,
  payments: readonly PaymentRecord[],
  invoices: ReadonlyMap<number, SourceDocument>,
  memberId: number,
  mapping: AccountMapping,
  letters: ReadonlyMap<number, Lettering>,
): JournalEntry {
  const thirdLines: EntryLine[] = [];
  const counterparts = new Set<string>();
  let net = 0;
  for (const p of payments) {
    const invoice = invoices.get(p.invoiceId)!;
    const [bank, third] = paymentLines(p, invoice, memberId, mapping, letters.get(invoice.id));
    net += bank.debitCents - bank.creditCents;
    thirdLines.push(third);
    counterparts.add(third.auxLabel ?? '');
  }
  const date = payments[0]!.date;
  const label = `Règlement n° ${settlementId} — ${[...counterparts].join(', ')}`;
  const journal = net === 0 ? mapping.journals.misc : mapping.journals.bank;
  const bank = signedLine({ account: mapping.bank, accountLabel: accountLabel(mapping.bank), auxAccount: null, auxLabel: null, label, letter: null, letterDate: null }, net);
  return {
    journalCode: journal.code,
    journalLabel: journal.label,
    number: '',
    date,
    pieceRef: `REG-${settlementId}`,
    pieceDate: date,
    validDate: date,
    lines: net === 0 ? thirdLines : [bank, ...thirdLines],
  };
}

/** Every entry of the member's period, unnumbered (see numberEntries). */
export function buildEntries(input: EntriesInput): JournalEntry[] {
  const { memberId, from, to } = input;
  const mine = input.documents.filter((d) => d.sellerMemberId === memberId || d.buyerMemberId === memberId);
  const byId = new Map(mine.map((d) => [d.id, d]));
  const letters = letterings(mine, input.payments, to);
  const letterOf = (d: SourceDocument) => letters.get(d.kind === 'invoice' ? d.id : (d.creditedInvoiceId ?? -1));
  const entries: JournalEntry[] = [];
  for (const d of mine) {
    if (d.issueDate >= from && d.issueDate <= to) entries.push(documentEntry(d, memberId, input, letterOf(d)));
  }
  const settlements = new Map<string, PaymentRecord[]>();
  for (const p of input.payments) {
    const invoice = byId.get(p.invoiceId);
    if (!invoice || p.date < from || p.date > to || p.amountCents === 0) continue;
    if (p.settlementId === undefined || p.settlementId === null) entries.push(paymentEntry(p, invoice, memberId, input.mapping, letters.get(invoice.id)));
    else settlements.set(`${p.settlementId}|${p.date}`, [...(settlements.get(`${p.settlementId}|${p.date}`) ?? []), p]);
  }
  for (const group of settlements.values()) entries.push(settlementEntry(group[0]!.settlementId!, group, byId, memberId, input.mapping, letters));
  return entries;
}
