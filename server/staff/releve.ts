import type { AppContext } from '../context';
import { NATURE_LABELS } from '../invoices/wording';
import { hourlyCostCents } from '../closing/staff';
import { euros, frDate, frMonth, frNumber, hours } from '../documents/format';
import { PdfWriter } from '../documents/layout';
import type { RenderedFile } from '../documents/service';
import { getInvoice } from '../invoices/service';
import type { InvoiceView } from '../invoices/view';
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
/** What the relevé of one invoice shows, read synchronously (inside the caller's transaction when it has one). */
export interface StaffStatementData {
  invoice: StatementInvoice;
  poleName: string;
  employees: {
    name: string;
    qualification: string;
    days: { date: string; minutes: number }[];
    payroll: { paidHoursHundredths: number; monthCost: Record<string, number> } | null;
    lines: StatementInvoice['lines'];
  }[];
}

type StatementInvoice = Pick<InvoiceView, 'number' | 'issueDate' | 'month' | 'buyerMemberId'> & {
  seller: Pick<InvoiceView['seller'], 'name' | 'siret'>;
  buyer: Pick<InvoiceView['buyer'], 'name' | 'siret'>;
  lines: Pick<InvoiceView['lines'][number], 'resourceId' | 'nature' | 'totalExclVatCents'>[];
};

/** The relevé's data for an invoice, or null when it bills no employee's time (a credit note, or no shared staff). */
export function staffStatementData(ctx: AppContext, invoice: StatementInvoice): StaffStatementData | null {
  const byResource = new Map<number, StatementInvoice['lines']>();
  for (const line of invoice.lines) {
    if (line.resourceId === null || !repo.employeeOfResource(ctx.db, line.resourceId)) continue;
    byResource.set(line.resourceId, [...(byResource.get(line.resourceId) ?? []), line]);
  }
  if (byResource.size === 0) return null;
  const employees = [...byResource].map(([resourceId, lines]) => {
    const employee = repo.employeeOfResource(ctx.db, resourceId)!;
    const payroll = sheets.findPayroll(ctx.db, employee.id, invoice.month);
    const days = sheets
      .monthLines(ctx.db, employee.id, invoice.month)
      .filter((l) => l.kind === 'made_available' && l.memberId === invoice.buyerMemberId && l.status === 'approved')
      .map((l) => ({ date: l.date, minutes: l.minutes }));
    return {
      name: employee.name,
      qualification: employee.qualification,
      days,
      payroll: payroll
        ? {
            paidHoursHundredths: payroll.paidHoursHundredths,
            monthCost: { salary: payroll.grossSalaryCents, social_charges: payroll.employerChargesCents, reimbursed_expenses: payroll.reimbursedExpensesCents },
          }
        : null,
      lines,
    };
  });
  return { invoice, poleName: getPole(ctx.db).name, employees };
}

export function staffStatementName(invoiceNumber: string): string {
  return `releve-mise-a-disposition-${invoiceNumber}.pdf`;
}

export async function staffStatementPdf(ctx: AppContext, actor: Actor, invoiceId: number): Promise<RenderedFile> {
  const data = staffStatementData(ctx, getInvoice(ctx, actor, invoiceId));
  if (!data) throw notFound('staff_statement', invoiceId);
  return { filename: staffStatementName(data.invoice.number), contentType: 'application/pdf', body: await renderStaffStatement(data) };
}

export async function renderStaffStatement(data: StaffStatementData): Promise<Buffer> {
  const { invoice } = data;
  const pdf = new PdfWriter({ title: `Relevé de mise à disposition — facture ${invoice.number}`, poleName: data.poleName, date: new Date(`${invoice.issueDate}T00:00:00Z`) });
  pdf.title('Relevé de mise à disposition de personnel', `${frMonth(invoice.month)} — joint à la facture n° ${invoice.number} du ${frDate(invoice.issueDate)}`);
  pdf.blocks([
    { title: 'Employeur prêteur', lines: [invoice.seller.name, `SIRET ${invoice.seller.siret}`] },
    { title: 'Entreprise utilisatrice', lines: [invoice.buyer.name, `SIRET ${invoice.buyer.siret}`] },
  ]);
  for (const employee of data.employees) {
    const { days, lines } = employee;
    const minutes = days.reduce((a, d) => a + d.minutes, 0);
    pdf.heading(`${employee.name} — ${employee.qualification}`);
    pdf.table(
      [
        { header: 'Jour', width: 2 },
        { header: 'Heures mises à disposition', width: 2, align: 'right' },
      ],
      [...days.map((d) => [frDate(d.date), hours(d.minutes)]), { cells: ['Total', hours(minutes)], bold: true }],
    );
    const paid = employee.payroll?.paidHoursHundredths ?? 0;
    const monthCost = employee.payroll?.monthCost ?? {};
    const hourly = (cents: number) => hourlyCostCents(cents, paid);
    pdf.paragraph(`Heures payées du mois : ${frNumber(paid / 100)} h. Coût horaire = coût du mois ÷ heures payées (arrondi au centime) ; montant = heures mises à disposition × coût du mois ÷ heures payées, pour les seules natures que la convention refacture, frais de gestion convenus en sus.`);
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
        // Natures of the payslip the agreement does not bill: they stay with the employer.
        ...Object.entries(monthCost)
          .filter(([nature, cost]) => cost > 0 && !lines.some((l) => l.nature === nature))
          .map(([nature, cost]) => [NATURE_LABELS[nature as keyof typeof NATURE_LABELS], euros(cost), euros(hourly(cost)), 'non refacturé']),
        { cells: ['Total', '', '', euros(lines.reduce((a, l) => a + l.totalExclVatCents, 0))], bold: true },
      ],
    );
  }
  return pdf.finish();
}
