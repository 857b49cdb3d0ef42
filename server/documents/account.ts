import type { AppContext } from '../context';
import { invoiceRepository } from '../invoices/repository';
import { findMember } from '../members/repository';
import { paymentRepository } from '../payments/repository';
import { getPole } from '../pole/repository';
import { canActFor, type Actor } from '../shared/actor';
import { badRequest, notFound } from '../shared/errors';
import { localDate } from '../shared/time';
import { memberAccount, type Account, type MovementKind } from './account-rules';
import { euros, frDate, frDateTimeOf } from './format';
import { PdfWriter } from './layout';
import type { RenderedFile } from './service';

/**
 * `GET /api/members/:id/account.pdf?from=&to=`: a member's account statement (relevé de compte) — its
 * invoices and credit notes issued and received, the payments on them, the opening and closing balances
 * and what is still open either way. Payment status belongs here, never on an invoice.
 */

const KIND_WORDS: Record<MovementKind, string> = {
  invoice_issued: 'Facture émise',
  invoice_received: 'Facture reçue',
  credit_issued: 'Avoir émis',
  credit_received: 'Avoir reçu',
  payment_received: 'Paiement reçu',
  payment_made: 'Paiement versé',
};

export interface AccountStatementData {
  poleName: string;
  zone: string;
  generatedAt: number;
  member: { name: string; siren: string; address: string };
  from: string | null;
  to: string;
  account: Account;
}

const signedEuros = (cents: number) => (cents > 0 ? `+${euros(cents)}` : euros(cents));

export async function renderAccountPdf(d: AccountStatementData): Promise<Buffer> {
  const period = `${d.from ? `du ${frDate(d.from)} ` : 'depuis l’origine '}au ${frDate(d.to)}`;
  const pdf = new PdfWriter({ title: `Relevé de compte — ${d.member.name}`, poleName: d.poleName, subject: `Relevé de compte ${period}`, date: new Date(d.generatedAt) });
  pdf.title('RELEVÉ DE COMPTE', `${d.member.name} — ${period} — établi le ${frDateTimeOf(d.generatedAt, d.zone)}`);
  pdf.blocks([
    { title: 'Structure membre', lines: [d.member.name, d.member.address, `SIREN : ${d.member.siren}`] },
    { title: 'Lecture', lines: ['+ : dû à la structure', '− : dû par la structure', 'montants TTC'] },
  ]);
  const a = d.account;
  pdf.heading('Mouvements');
  pdf.table(
    [
      { header: 'Date', width: 1.2 },
      { header: 'Opération', width: 2 },
      { header: 'Pièce', width: 1.7 },
      { header: 'Contrepartie', width: 2.1 },
      { header: 'Montant TTC', width: 1.4, align: 'right' },
    ],
    [
      { cells: ['', 'Solde d’ouverture', '', '', signedEuros(a.openingCents)], bold: true },
      ...a.movements.map((m) => [frDate(m.date), KIND_WORDS[m.kind], m.number, m.counterparty, signedEuros(m.amountCents)]),
      { cells: ['', 'Solde de clôture', '', '', signedEuros(a.closingCents)], bold: true },
    ],
  );
  pdf.heading(`Solde ouvert au ${frDate(d.to)}`);
  pdf.pairs(
    [
      ['Reste à recevoir', euros(a.receivableCents)],
      ['Reste à payer', euros(a.payableCents)],
      ['Solde net', `${signedEuros(a.receivableCents - a.payableCents)} — ${a.receivableCents > a.payableCents ? 'créditeur' : a.receivableCents < a.payableCents ? 'débiteur' : 'soldé'}`],
    ],
    { labelShare: 0.3 },
  );
  pdf.paragraph('Les restes sont calculés facture par facture (avoirs et paiements imputés sur la facture qu’ils concernent) ; aucune compensation n’est faite entre structures.', { size: 7.5, color: '#555555' });
  return pdf.finish();
}

export async function accountPdf(ctx: AppContext, actor: Actor, memberId: number, range: { from?: string; to?: string }): Promise<RenderedFile> {
  if (range.from && range.to && range.from > range.to) throw badRequest('account.invalid_range', `from (${range.from}) is after to (${range.to})`, range);
  if (!canActFor(actor, memberId)) throw notFound('member', memberId);
  const data = ctx.sqlite.transaction((): AccountStatementData => {
    const member = findMember(ctx.db, memberId);
    if (!member) throw notFound('member', memberId);
    const pole = getPole(ctx.db);
    const now = ctx.clock.now();
    const to = range.to ?? localDate(now, pole.timeZone);
    const docs = invoiceRepository(ctx.sqlite)
      .list({ memberId })
      .map((r) => ({ ...r, sellerName: r.seller.name, buyerName: r.buyer.name }));
    const payments = paymentRepository(ctx.sqlite).activePayments();
    return {
      poleName: pole.name,
      zone: pole.timeZone,
      generatedAt: now,
      member: { name: member.name, siren: member.siren, address: member.address },
      from: range.from ?? null,
      to,
      account: memberAccount(memberId, docs, payments, range.from ?? null, to),
    };
  })();
  const file = `releve-compte-${memberId}-${data.from ?? 'origine'}-${data.to}.pdf`;
  return { filename: file, contentType: 'application/pdf', body: await renderAccountPdf(data) };
}
