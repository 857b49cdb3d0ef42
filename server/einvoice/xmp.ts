import { esc } from './xml';

/**
 * The XMP a Factur-X PDF/A-3 carries: the Factur-X properties (fx:) and the PDF/A extension schema that
 * declares them, as in the Factur-X 1.0 specification (the kit's xmp/Factur-X_extension_schema.xmp; a test
 * compares the two). Without the extension schema a PDF/A validator rejects the fx: properties.
 */
export const FACTURX_NAMESPACE = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
export const FACTURX_FILENAME = 'factur-x.xml';
export const FACTURX_CONFORMANCE = 'EN 16931';

export function facturxXmp(): string {
  return `
        <rdf:Description rdf:about="" xmlns:fx="${FACTURX_NAMESPACE}">
            <fx:DocumentType>INVOICE</fx:DocumentType>
            <fx:DocumentFileName>${FACTURX_FILENAME}</fx:DocumentFileName>
            <fx:Version>1.0</fx:Version>
            <fx:ConformanceLevel>${FACTURX_CONFORMANCE}</fx:ConformanceLevel>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
            <pdfaExtension:schemas>
                <rdf:Bag>
                    <rdf:li rdf:parseType="Resource">
                        <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
                        <pdfaSchema:namespaceURI>${FACTURX_NAMESPACE}</pdfaSchema:namespaceURI>
                        <pdfaSchema:prefix>fx</pdfaSchema:prefix>
                        <pdfaSchema:property>
                            <rdf:Seq>
${[
  ['DocumentFileName', 'name of the embedded XML invoice file'],
  ['DocumentType', 'INVOICE'],
  ['Version', 'The actual version of the Factur-X XML schema'],
  ['ConformanceLevel', 'The conformance level of the embedded Factur-X data'],
]
  .map(
    ([name, description]) => `                                <rdf:li rdf:parseType="Resource">
                                    <pdfaProperty:name>${name}</pdfaProperty:name>
                                    <pdfaProperty:valueType>Text</pdfaProperty:valueType>
                                    <pdfaProperty:category>external</pdfaProperty:category>
                                    <pdfaProperty:description>${description}</pdfaProperty:description>
                                </rdf:li>`,
  )
  .join('\n')}
                            </rdf:Seq>
                        </pdfaSchema:property>
                    </rdf:li>
                </rdf:Bag>
            </pdfaExtension:schemas>
        </rdf:Description>
        `;
}

interface InfoFields {
  Title?: string;
  Author?: string;
  Subject?: string;
  Creator?: string;
  Producer?: string;
  CreationDate?: Date;
  ModDate?: Date;
}

const xmpDate = (d: Date) => `${d.toISOString().split('.')[0]}Z`;

/**
 * The document information as XMP, escaped and complete (PDF/A wants the Info dictionary and the XMP to
 * agree: title, author, subject, dates, creator tool, producer). pdfkit writes these unescaped, so a name
 * with "&" would make the XMP unreadable; this replaces its writer for PDF/A documents.
 */
export function infoXmp(info: InfoFields): string {
  const date = info.CreationDate ?? new Date(0);
  const alt = (tag: string, text?: string) => (text ? `<${tag}><rdf:Alt><rdf:li xml:lang="x-default">${esc(text)}</rdf:li></rdf:Alt></${tag}>` : '');
  return `
        <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
            <xmp:CreateDate>${xmpDate(date)}</xmp:CreateDate>
            <xmp:ModifyDate>${xmpDate(info.ModDate ?? date)}</xmp:ModifyDate>
            <xmp:CreatorTool>${esc(info.Creator ?? '')}</xmp:CreatorTool>
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
            ${alt('dc:title', info.Title)}
            ${info.Author ? `<dc:creator><rdf:Seq><rdf:li>${esc(info.Author)}</rdf:li></rdf:Seq></dc:creator>` : ''}
            ${alt('dc:description', info.Subject)}
        </rdf:Description>
        <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
            <pdf:Producer>${esc(info.Producer ?? '')}</pdf:Producer>
        </rdf:Description>
        `;
}
