import type { AppContext } from '../context';
import { NATURE_LABELS } from '../closing/invoicing';
import { euros, frDate, frMonth, frNumber, hours } from '../documents/format';
import { PdfWriter } from '../documents/layout';
import type { RenderedFile } from '../documents/service';
import { getInvoice } from '../invoices/service';
import { getPole } from '../pole/repository';
import type { Actor } from '../shared/actor';
import { notFound } from '../shared/errors';
import * as repo from './repository';
import * as sheets from './timesheet-repository';

/**
 * The relevé de mise à disposition attached to an invoice: for each employee lent to the buyer that month, the
 * days and hours approved, the hourly cost by nature (the month's payroll figure ÷ paid hours) and the amounts
 * the invoice bills, with their total. Read from frozen data: the issued invoice, the closed month's approved
 * timesheet and payroll figures (neither can change once the month is closed).
 */
export async function staffStatementPdf(ctx: AppContext, actor: Actor, invoiceId: number): Promise<RenderedFile> {
  const invoice = getInvoice(ctx, actor, invoiceId);
  const byResource = new Map<number, typeof invoice.lines>();
  for (const line of invoice.lines) {
    if (line.resourceId === null || !repo.employeeOfResource(ctx.db, line.resourceId)) continue;
    byResource.set(line.resourceId, [...(byResource.get(line.resourceId) ?? []), line]);
  }
  if (byResource.size === 0) throw notFound('staff_statement', invoiceId);
  const pdf = new PdfWriter({ title: `Relevé de mise à disposition — facture ${invoice.number}`, poleName: getPole(ctx.db).name, date: new Date(`${invoice.issueDate}T00:00:00Z`) });
  pdf.title('Relevé de mise à disposition de personnel', `${frMonth(invoice.month)} — joint à la facture n° ${invoice.number} du ${frDate(invoice.issueDate)}`);
  pdf.blocks([
    { title: 'Employeur prêteur', lines: [invoice.seller.name, `SIRET ${invoice.seller.siret}`] },
    { title: 'Entreprise utilisatrice', lines: [invoice.buyer.name, `SIRET ${invoice.buyer.siret}`] },
  ]);
  for (const [resourceId, lines] of byResource) {
    const employee = repo.employeeOfResource(ctx.db, resourceId)!;
    const payroll = sheets.findPayroll(ctx.db, employee.id, invoice.month);
    const days = sheets.monthLines(ctx.db, employee.id, invoice.month).filter((l) => l.kind === 'made_available' && l.memberId === invoice.buyerMemberId && l.status === 'approved');
    const minutes = days.reduce((a, d) => a + d.minutes, 0);
    pdf.heading(`${employee.name} — ${employee.qualification}`);
    pdf.table(
      [
        { header: 'Jour', width: 2 },
        { header: 'Heures mises à disposition', width: 2, align: 'right' },
      ],
      [...days.map((d) => [frDate(d.date), hours(d.minutes)]), { cells: ['Total', hours(minutes)], bold: true }],
    );
    const paid = payroll?.paidHoursHundredths ?? 0;
    const monthCost: Record<string, number> = payroll
      ? { salary: payroll.grossSalaryCents, social_charges: payroll.employerChargesCents, reimbursed_expenses: payroll.reimbursedExpensesCents }
      : {};
    const hourly = (cents: number) => (paid > 0 ? Math.round((cents * 100) / paid) : 0);
    pdf.paragraph(`Heures payées du mois : ${frNumber(paid / 100)} h. Coût horaire = coût du mois ÷ heures payées ; montant = heures mises à disposition × coût horaire.`);
    pdf.table(
      [
        { header: 'Nature', width: 3 },
        { header: 'Coût du mois', width: 2, align: 'right' },
        { header: 'Coût horaire', width: 2, align: 'right' },
        { header: 'Montant facturé HT', width: 2, align: 'right' },
      ],
      [
        ...lines.map((l) => {
          const nature = l.nature ?? 'other';
          const cost = monthCost[nature];
          return [NATURE_LABELS[nature], cost === undefined ? '—' : euros(cost), cost === undefined ? '—' : euros(hourly(cost)), euros(l.totalExclVatCents)];
        }),
        { cells: ['Total', '', '', euros(lines.reduce((a, l) => a + l.totalExclVatCents, 0))], bold: true },
      ],
    );
  }
  return { filename: `releve-mise-a-disposition-${invoice.number}.pdf`, contentType: 'application/pdf', body: await pdf.finish() };
}
