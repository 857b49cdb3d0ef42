import { FACTURX_FILENAME, facturxXmp, infoXmp } from './xmp';

/**
 * Turns a pdfkit document opened with `pdfVersion: '1.7'` and `subset: 'PDF/A-3b'` into a Factur-X PDF:
 * the CII XML embedded as factur-x.xml (MIME text/xml, /AFRelationship /Data, listed in the catalog's /AF and
 * the EmbeddedFiles name tree), and the Factur-X XMP. pdfkit itself adds the sRGB OutputIntent and
 * pdfaid:part 3 / conformance B when the document ends. Call it just before `doc.end()`.
 */

/** pdfkit's PDF/A options for a Factur-X document. */
export const PDFA3B = { pdfVersion: '1.7', subset: 'PDF/A-3b' } as const;

interface MetadataDoc {
  info: Record<string, unknown>;
  appendXML(xml: string, newline?: boolean): void;
  _addInfo?: () => void;
}

export function embedFacturX(doc: PDFKit.PDFDocument, xml: Buffer, date: Date): void {
  // pdfkit 0.20 writes /AFRelationship from `relationship` (its type definitions do not know it yet).
  const options: PDFKit.Mixins.PDFAttachmentOptions & { relationship: 'Data' } = {
    name: FACTURX_FILENAME,
    type: 'text/xml',
    relationship: 'Data',
    description: 'Factur-X invoice (CII, EN 16931)',
    creationDate: date,
    modifiedDate: date,
  };
  doc.file(xml, options);
  const meta = doc as unknown as MetadataDoc;
  meta.appendXML(facturxXmp());
  // pdfkit's own info writer does not escape; this one does (see infoXmp).
  meta._addInfo = function (this: MetadataDoc) {
    this.appendXML(infoXmp(this.info));
  };
}
