import type { Mentions } from '../invoices/document';
import { lineVat, resolveParty, type EParty, type LineVat, type SourceLine, type SourceParty, type SourceVatLine } from './contract';
import { documentNotes } from './notes';
import { amount, date102, el, percent, quantity, txt } from './xml';

/**
 * The UN/CEFACT CII D22B invoice (Factur-X 1.09, EN 16931 profile) of a sealed invoice or credit note. Built
 * only from what was sealed at issue (parties, lines, VAT, totals and mentions are snapshots), so the XML of a
 * document never changes. Pure: no I/O, no clock.
 */

/** The sealed fields the XML is made of, plus the invoice a credit note corrects (BG-3). */
export interface CiiSource {
  number: string;
  kind: 'invoice' | 'credit_note';
  issueDate: string;
  periodStart: string;
  periodEnd: string;
  dueDate: string;
  currency: string;
  seller: SourceParty;
  buyer: SourceParty;
  lines: SourceLine[];
  vatBreakdown: SourceVatLine[];
  totalExclVatCents: number;
  totalVatCents: number;
  totalInclVatCents: number;
  mentions: Mentions;
  paymentTermsDays: number;
  /** Credit notes: number and issue date of the invoice they correct. */
  preceding: { number: string; issueDate: string } | null;
}

export const FACTURX_PROFILE = 'urn:cen.eu:en16931:2017';
/** BT-23, French billing framework: S1 = services, invoice submitted (dépôt d'une facture). */
export const BILLING_FRAMEWORK = 'S1';

const NS = {
  'xmlns:rsm': 'urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100',
  'xmlns:ram': 'urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100',
  'xmlns:qdt': 'urn:un:unece:uncefact:data:standard:QualifiedDataType:100',
  'xmlns:udt': 'urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100',
};

/** UN/ECE Rec. 20 unit codes of the units the lines use. */
const UNIT_CODES: Record<string, string> = { h: 'HUR', heure: 'HUR', heures: 'HUR', forfait: 'LS', jour: 'DAY', mois: 'MON', unité: 'C62' };
export const unitCode = (unit: string) => UNIT_CODES[unit.trim().toLowerCase()] ?? 'C62';

const dateTime = (name: string, iso: string, type: 'udt' | 'qdt' = 'udt') => el(name, null, el(`${type}:DateTimeString`, { format: '102' }, date102(iso)));

export function buildCii(doc: CiiSource): string {
  const seller = resolveParty(doc.seller);
  const buyer = resolveParty(doc.buyer);
  const vats = doc.lines.map((l) => lineVat(l, doc.mentions, doc.seller));
  // BR-O-02: an invoice with "not subject to VAT" lines names no VAT identifier of either party.
  const outOfScope = vats.some((v) => v.category === 'O');
  const hasExempt = vats.some((v) => v.category === 'E');
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    el(
      'rsm:CrossIndustryInvoice',
      NS,
      el(
        'rsm:ExchangedDocumentContext',
        null,
        el('ram:BusinessProcessSpecifiedDocumentContextParameter', null, txt('ram:ID', BILLING_FRAMEWORK)),
        el('ram:GuidelineSpecifiedDocumentContextParameter', null, txt('ram:ID', FACTURX_PROFILE)),
      ),
      el(
        'rsm:ExchangedDocument',
        null,
        txt('ram:ID', doc.number),
        txt('ram:TypeCode', doc.kind === 'credit_note' ? '381' : '380'),
        dateTime('ram:IssueDateTime', doc.issueDate),
        ...documentNotes({ kind: doc.kind, mentions: doc.mentions, seller }).map((n) => el('ram:IncludedNote', null, txt('ram:Content', n.content), txt('ram:SubjectCode', n.subject))),
      ),
      el(
        'rsm:SupplyChainTradeTransaction',
        null,
        ...doc.lines.map((line, i) => lineItem(line, vats[i]!, i + 1)),
        el(
          'ram:ApplicableHeaderTradeAgreement',
          null,
          // BT-10: a public buyer's Chorus Pro service code routes the invoice to its service.
          txt('ram:BuyerReference', buyer.publicBody ? buyer.serviceCode : null),
          tradeParty('ram:SellerTradeParty', seller, { vat: !outOfScope, taxRegistration: !outOfScope && hasExempt }),
          tradeParty('ram:BuyerTradeParty', buyer, { vat: !outOfScope, taxRegistration: false }),
          // BT-13: the public buyer's engagement (commitment) number.
          buyer.publicBody && buyer.engagement ? el('ram:BuyerOrderReferencedDocument', null, txt('ram:IssuerAssignedID', buyer.engagement)) : '',
        ),
        el('ram:ApplicableHeaderTradeDelivery', null, delivery(buyer), deliveryDate(doc)),
        settlement(doc, seller, vats),
      ),
    )
  );
}

function tradeParty(name: string, p: EParty, options: { vat: boolean; taxRegistration: boolean }): string {
  const vatNumber = options.vat ? p.vatNumber : null;
  return el(
    name,
    null,
    txt('ram:GlobalID', p.siret, { schemeID: '0009' }),
    txt('ram:Name', p.name),
    el('ram:SpecifiedLegalOrganization', null, txt('ram:ID', p.siren, { schemeID: '0002' })),
    p.email ? el('ram:DefinedTradeContact', null, el('ram:EmailURIUniversalCommunication', null, txt('ram:URIID', p.email))) : '',
    el('ram:PostalTradeAddress', null, txt('ram:PostcodeCode', p.postalCode), txt('ram:LineOne', p.street), txt('ram:CityName', p.city), txt('ram:CountryID', p.countryCode)),
    el('ram:URIUniversalCommunication', null, txt('ram:URIID', p.electronicAddress, { schemeID: '0225' })),
    vatNumber ? el('ram:SpecifiedTaxRegistration', null, txt('ram:ID', vatNumber, { schemeID: 'VA' })) : '',
    // BR-E-02: an exempt seller without a VAT number is identified for tax purposes by its SIREN (BT-32).
    options.taxRegistration && !vatNumber ? el('ram:SpecifiedTaxRegistration', null, txt('ram:ID', p.siren, { schemeID: 'FC' })) : '',
  );
}

/** BT-70…BT-80: the delivery address when the buyer gave one that differs from its address. */
function delivery(buyer: EParty): string {
  if (!buyer.deliveryAddress) return '';
  return el(
    'ram:ShipToTradeParty',
    null,
    txt('ram:Name', buyer.name),
    el('ram:PostalTradeAddress', null, txt('ram:LineOne', buyer.deliveryAddress), txt('ram:CountryID', buyer.countryCode)),
  );
}

/** BT-72: the services were completed at the end of the billed period (and the element is never empty). */
const deliveryDate = (doc: CiiSource) => el('ram:ActualDeliverySupplyChainEvent', null, dateTime('ram:OccurrenceDateTime', doc.periodEnd));

function taxElement(v: LineVat): string {
  return el(
    'ram:ApplicableTradeTax',
    null,
    txt('ram:TypeCode', 'VAT'),
    txt('ram:CategoryCode', v.category),
    rateOf(v),
  );
}

/** BR-O-05, BR-O-10: "not subject to VAT" carries no rate at all. */
const rateOf = (v: LineVat) => (v.category === 'O' ? '' : txt('ram:RateApplicablePercent', percent(v.rate)));

function lineItem(line: SourceLine, vat: LineVat, id: number): string {
  const unit = unitCode(line.unit);
  return el(
    'ram:IncludedSupplyChainTradeLineItem',
    null,
    el(
      'ram:AssociatedDocumentLineDocument',
      null,
      txt('ram:LineID', String(id)),
      // BT-127: the line's exemption in words (its code is in the VAT breakdown, BT-121).
      vat.exemptionText ? el('ram:IncludedNote', null, txt('ram:Content', `${vat.exemptionText}${vat.exemptionCode ? ` (${vat.exemptionCode})` : ''}`)) : '',
    ),
    el('ram:SpecifiedTradeProduct', null, txt('ram:Name', line.description)),
    el('ram:SpecifiedLineTradeAgreement', null, el('ram:NetPriceProductTradePrice', null, txt('ram:ChargeAmount', amount(line.unitPriceExclVatCents)))),
    el('ram:SpecifiedLineTradeDelivery', null, txt('ram:BilledQuantity', quantity(line.quantity), { unitCode: unit })),
    el(
      'ram:SpecifiedLineTradeSettlement',
      null,
      taxElement(vat),
      el('ram:SpecifiedTradeSettlementLineMonetarySummation', null, txt('ram:LineTotalAmount', amount(line.totalExclVatCents))),
    ),
  );
}

interface BreakdownRow {
  vat: LineVat;
  baseCents: number;
  vatCents: number;
}

/**
 * The VAT breakdown (BG-23) as stored, one row per (category, rate). Documents sealed before categories
 * stored one row per rate; each takes the category of its lines (one per rate on those documents).
 */
export function breakdownRows(doc: Pick<CiiSource, 'vatBreakdown' | 'lines' | 'mentions' | 'seller'>, vats: readonly LineVat[]): BreakdownRow[] {
  return doc.vatBreakdown.map((v) => {
    const own = v.vatCategory ? lineVat(v, doc.mentions, doc.seller) : undefined;
    const fromLines = vats.find((l) => Math.round(l.rate * 100) === Math.round(v.vatRate * 100));
    return { vat: own ?? fromLines ?? lineVat(v, doc.mentions, doc.seller), baseCents: v.baseCents, vatCents: v.vatCents };
  });
}

function settlement(doc: CiiSource, seller: EParty, vats: readonly LineVat[]): string {
  const credit = doc.kind === 'credit_note';
  const rows = breakdownRows(doc, vats);
  return el(
    'ram:ApplicableHeaderTradeSettlement',
    null,
    txt('ram:PaymentReference', doc.number),
    txt('ram:InvoiceCurrencyCode', doc.currency),
    // BG-16/BG-17: payment by SEPA credit transfer to the seller's IBAN (BT-84). Without an IBAN (the close
    // preview lists such sellers) the document gives no payment instructions. A credit note is deducted, not paid.
    !credit && seller.iban
      ? el(
          'ram:SpecifiedTradeSettlementPaymentMeans',
          null,
          txt('ram:TypeCode', '58'),
          txt('ram:Information', 'Virement SEPA'),
          el('ram:PayeePartyCreditorFinancialAccount', null, txt('ram:IBANID', seller.iban)),
          seller.bic ? el('ram:PayeeSpecifiedCreditorFinancialInstitution', null, txt('ram:BICID', seller.bic)) : '',
        )
      : '',
    ...rows.map((r) =>
      el(
        'ram:ApplicableTradeTax',
        null,
        txt('ram:CalculatedAmount', amount(r.vatCents)),
        txt('ram:TypeCode', 'VAT'),
        txt('ram:ExemptionReason', r.vat.exemptionText),
        txt('ram:BasisAmount', amount(r.baseCents)),
        txt('ram:CategoryCode', r.vat.category),
        txt('ram:ExemptionReasonCode', r.vat.exemptionCode),
        // BT-8: VAT on services falls due on payment (72), or on the invoice date for a seller opting for debits (5).
        r.vat.category === 'S' ? txt('ram:DueDateTypeCode', seller.vatOnDebits ? '5' : '72') : '',
        rateOf(r.vat),
      ),
    ),
    el('ram:BillingSpecifiedPeriod', null, dateTime('ram:StartDateTime', doc.periodStart), dateTime('ram:EndDateTime', doc.periodEnd)),
    el(
      'ram:SpecifiedTradePaymentTerms',
      null,
      txt('ram:Description', credit ? `Avoir à déduire de la facture ${doc.preceding?.number ?? ''}`.trim() : `Paiement à ${doc.paymentTermsDays} jours par virement`),
      dateTime('ram:DueDateDateTime', doc.dueDate),
    ),
    el(
      'ram:SpecifiedTradeSettlementHeaderMonetarySummation',
      null,
      txt('ram:LineTotalAmount', amount(doc.lines.reduce((a, l) => a + l.totalExclVatCents, 0))),
      txt('ram:TaxBasisTotalAmount', amount(doc.totalExclVatCents)),
      txt('ram:TaxTotalAmount', amount(doc.totalVatCents), { currencyID: doc.currency }),
      txt('ram:GrandTotalAmount', amount(doc.totalInclVatCents)),
      txt('ram:DuePayableAmount', amount(doc.totalInclVatCents)),
    ),
    doc.preceding
      ? el('ram:InvoiceReferencedDocument', null, txt('ram:IssuerAssignedID', doc.preceding.number), dateTime('ram:FormattedIssueDateTime', doc.preceding.issueDate, 'qdt'))
      : '',
  );
}
