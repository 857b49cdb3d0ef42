import type { CloseWarning } from '../closing/warnings';
import { lineVat, resolveParty, type EParty, type SourceLine, type SourceParty } from './contract';
import type { Mentions } from '../invoices/document';

/**
 * Whether a party's data can make a valid e-invoice (EN 16931 and the French rules), before anything is
 * issued: the close preview lists every member that cannot (`einvoice.incomplete_party`). Pure.
 */

export type MissingField = 'siren' | 'siret' | 'address' | 'postalCode' | 'city' | 'countryCode' | 'einvoiceAddress' | 'iban' | 'vatNumber';

export function missingFields(p: EParty, role: 'seller' | 'buyer', options: { charged: boolean }): MissingField[] {
  const missing: MissingField[] = [];
  if (!/^\d{9}$/.test(p.siren)) missing.push('siren');
  if (p.siret !== null && !(/^\d{14}$/.test(p.siret) && p.siret.startsWith(p.siren))) missing.push('siret');
  if (!p.street) missing.push('address');
  if (!p.postalCode) missing.push('postalCode');
  if (!p.city) missing.push('city');
  if (!/^[A-Z]{2}$/.test(p.countryCode)) missing.push('countryCode');
  // BR-FR-21/23/25: a SIREN-based address of the directory, in the allowed characters.
  if (!/^[A-Za-z0-9+\-_.]{1,125}$/.test(p.electronicAddress) || !p.electronicAddress.startsWith(p.siren)) missing.push('einvoiceAddress');
  if (role === 'seller' && !p.iban) missing.push('iban');
  // BR-S-02: a seller charging VAT states its VAT number.
  if (role === 'seller' && options.charged && !p.vatNumber) missing.push('vatNumber');
  return missing;
}

export interface PlannedDocument {
  sellerMemberId: number;
  buyerMemberId: number;
  seller: SourceParty;
  buyer: SourceParty;
  lines: SourceLine[];
  mentions: Mentions;
}

/** One warning per member and role whose data would make an invalid e-invoice, in the documents' order. */
export function einvoiceWarnings(documents: readonly PlannedDocument[]): CloseWarning[] {
  const seen = new Set<string>();
  const out: CloseWarning[] = [];
  for (const doc of documents) {
    const charged = doc.lines.some((l) => lineVat(l, doc.mentions, doc.seller).category === 'S');
    for (const [role, memberId, party] of [['seller', doc.sellerMemberId, doc.seller], ['buyer', doc.buyerMemberId, doc.buyer]] as const) {
      const key = `${role}:${memberId}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const missing = missingFields(resolveParty(party), role, { charged });
      if (missing.length === 0) continue;
      out.push({
        code: 'einvoice.incomplete_party',
        message: `${party.name} cannot ${role === 'seller' ? 'issue' : 'receive'} a valid e-invoice: missing or invalid ${missing.join(', ')}`,
        params: { memberId, member: party.name, role, missing: missing.join(',') },
      });
    }
  }
  return out;
}

/**
 * Whether a sealed document makes a valid Factur-X: the preview's checks, less the seller's IBAN — without
 * one the XML simply carries no payment instructions (BR-CO-27) and still validates.
 */
export function einvoiceBuildable(doc: PlannedDocument): boolean {
  return einvoiceWarnings([doc]).every((w) => String(w.params?.missing ?? '').split(',').every((f) => f === 'iban'));
}
