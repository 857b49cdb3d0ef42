import type { InvoiceRecord } from '../invoices/repository';
import { renderInvoicePdf, type InvoiceDocument } from '../documents/invoice';
import { buildCii, type CiiSource } from './cii';
import { embedFacturX, PDFA3B } from './pdfa';

/**
 * A Factur-X e-invoice: the invoice PDF a person reads (unchanged), as a PDF/A-3b carrying the CII XML that
 * is the legal data. Both are made from the sealed document alone, so rendering twice gives the same bytes.
 */

export type FacturXSource = CiiSource & InvoiceDocument;

export interface FacturX {
  pdf: Buffer;
  xml: Buffer;
}

export const ciiXml = (doc: CiiSource): Buffer => Buffer.from(buildCii(doc), 'utf8');

export async function renderFacturX(doc: FacturXSource, poleName: string): Promise<FacturX> {
  const xml = ciiXml(doc);
  const date = new Date(`${doc.issueDate}T12:00:00Z`);
  const pdf = await renderInvoicePdf(doc, poleName, { pdfa: PDFA3B, beforeEnd: (d) => embedFacturX(d, xml, date) });
  return { pdf, xml };
}

/** A stored document as the e-invoice sees it: with the number and date of the invoice a credit note corrects. */
export function facturxSource(record: InvoiceRecord, find: (id: number) => InvoiceRecord | undefined): FacturXSource & InvoiceRecord {
  const credited = record.creditedInvoiceId === null ? undefined : find(record.creditedInvoiceId);
  return {
    ...record,
    creditedInvoiceNumber: credited?.number ?? null,
    preceding: credited ? { number: credited.number, issueDate: credited.issueDate } : null,
  };
}
