import type { LegalForm } from '../../db/schema/enums';
import { formatEuros } from '../shared/money';
import type { InvoiceLine, Mentions, PartySnapshot } from './document';
import { frDate, fullAddress, percentFr } from './wording';

/**
 * The legal mentions a French invoice between members must carry (no I/O): CGI ann. II art. 242 nonies A;
 * C. com. L441-9, D441-5; Code de la commande publique for public buyers.
 */

export const RECOVERY_INDEMNITY_CENTS = 40_00;
const RECOVERY_INDEMNITY_TEXT = `Indemnité forfaitaire pour frais de recouvrement due en cas de retard : ${formatEuros(RECOVERY_INDEMNITY_CENTS)} (art. L441-10 et D441-5 du Code de commerce).`;

/**
 * The €40 recovery indemnity applies to professional buyers (C. com. L441-10, D441-5) and to public buyers
 * (C. commande publique D2192-35): every member of a pole is a legal structure buying for its activity.
 */
export function isProfessionalBuyer(_legalForm: LegalForm): boolean {
  return true;
}

const PUBLIC_LATE_PENALTY =
  'Retard de paiement : intérêts moratoires au taux de la Banque centrale européenne à son opération principale de refinancement la plus récente, majoré de huit points, dus de plein droit dès le lendemain de l’échéance (art. L2192-13 et R2192-31 du Code de la commande publique).';
const PUBLIC_RECOVERY_INDEMNITY = `Indemnité forfaitaire pour frais de recouvrement due en cas de retard : ${formatEuros(RECOVERY_INDEMNITY_CENTS)} (art. D2192-35 du Code de la commande publique).`;

/**
 * The legal mentions of an invoice: the exemption texts of its lines (never a bare 0 %), the four mentions of
 * the e-invoicing reform (buyer SIREN is in the party block; delivery address when it differs; « Prestations de
 * services »; the debit option), payment details, discount terms, late penalties with the €40 indemnity of the
 * Code de commerce — or, for a public buyer, the Code de la commande publique's wording and its Chorus Pro
 * references —, and the billing mandate under which the pole issues in the seller's name.
 */
export function mentionsFor(
  seller: PartySnapshot,
  buyer: PartySnapshot,
  terms: { latePenaltyRateBp: number; poleName?: string },
  extra: Partial<Mentions> = {},
  lines: readonly Pick<InvoiceLine, 'vatRate' | 'vatCategory' | 'exemptionText'>[] = [],
): Mentions {
  const publicBuyer = buyer.publicBody === true;
  const texts = [...new Set(lines.map((l) => l.exemptionText).filter((t): t is string => !!t))];
  const taxed = lines.some((l) => l.vatCategory === 'S');
  const chorus = [
    buyer.chorusServiceCode ? `code service ${buyer.chorusServiceCode}` : null,
    buyer.chorusEngagement ? `n° d’engagement ${buyer.chorusEngagement}` : null,
  ].filter(Boolean);
  const delivery = buyer.deliveryAddress && buyer.deliveryAddress.trim() !== fullAddress(buyer) ? buyer.deliveryAddress.trim() : null;
  return {
    vat: texts.length ? texts.join(' — ') : null,
    operation: 'Prestations de services',
    latePenalty: publicBuyer
      ? PUBLIC_LATE_PENALTY
      : `Pénalités de retard : taux annuel de ${percentFr(terms.latePenaltyRateBp / 100)}, exigibles dès le lendemain de la date d’échéance (art. L441-10 du Code de commerce).`,
    recoveryIndemnity: publicBuyer ? PUBLIC_RECOVERY_INDEMNITY : isProfessionalBuyer(buyer.legalForm) ? RECOVERY_INDEMNITY_TEXT : null,
    discount: 'Pas d’escompte pour paiement anticipé.',
    costSharing: null,
    staffLending: null,
    creditNote: null,
    vatOnDebits: seller.vatOnDebits && taxed ? 'Option pour le paiement de la taxe d’après les débits.' : null,
    deliveryAddress: delivery ? `Adresse de livraison : ${delivery}` : null,
    payment: seller.iban ? `Règlement par virement — IBAN ${seller.iban.replace(/(.{4})/g, '$1 ').trim()}${seller.bic ? ` — BIC ${seller.bic}` : ''}` : null,
    billingMandate: terms.poleName
      ? `Facture émise par ${terms.poleName} au nom et pour le compte de ${seller.name}${seller.billingMandateSince ? `, en vertu du mandat de facturation du ${frDate(seller.billingMandateSince)}` : ''}.`
      : null,
    publicProcurement: publicBuyer
      ? `Facture destinée à une entité publique, transmise par Chorus Pro (destinataire : SIRET ${buyer.siret}${chorus.length ? `, ${chorus.join(', ')}` : ''}).`
      : null,
    ...extra,
  };
}

export const STAFF_LENDING_TEXT =
  'Mise à disposition de personnel à but non lucratif (art. L8241-1 du Code du travail) : seuls les salaires versés, les charges sociales afférentes et les frais professionnels remboursés pour le temps mis à disposition sont refacturés, par nature.';
export const STAFF_LENDING_FEES_TEXT = ' Les frais de gestion facturés sont ceux que prévoit la convention de mise à disposition.';
