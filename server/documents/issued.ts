import { einvoiceBuildable } from '../einvoice/completeness';
import { renderFacturX, type FacturXSource } from '../einvoice/facturx';
import { renderInvoicePdf } from './invoice';

/** An issued invoice or credit note as sealed in the database: what its document is rendered from. */
export type SealedDocument = FacturXSource & { sellerMemberId: number; buyerMemberId: number };

export interface IssuedFiles {
  format: 'facturx' | 'pdf';
  pdf: Buffer;
  /** The CII XML embedded in a Factur-X PDF, kept beside it. */
  xml?: Buffer;
}

/**
 * The one rendering of an issued document: its Factur-X PDF/A-3b when both parties' data make a valid
 * e-invoice (the close preview's `einvoice.incomplete_party` check, a missing IBAN aside), the plain PDF
 * otherwise. Payment
 * status is never an input: only the sealed document and the pole's name are.
 */
export async function renderIssuedDocument(sealed: SealedDocument, poleName: string): Promise<IssuedFiles> {
  if (einvoiceBuildable(sealed)) {
    const { pdf, xml } = await renderFacturX(sealed, poleName);
    return { format: 'facturx', pdf, xml };
  }
  return { format: 'pdf', pdf: await renderInvoicePdf(sealed, poleName) };
}
