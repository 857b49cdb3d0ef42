import type { AllocationRuleName, LegalForm, ResourceKind, VatStatus } from '../../db/schema/enums';

/** French labels printed on documents. */

export const LEGAL_FORM_LABELS: Record<LegalForm, string> = {
  association: 'Association',
  scop: 'SCOP',
  scic: 'SCIC',
  company: 'Société',
  local_authority: 'Collectivité territoriale',
  research_body: 'Organisme de recherche',
  training_body: 'Organisme de formation',
  other: 'Autre',
};

export const VAT_STATUS_LABELS: Record<VatStatus, string> = {
  assujetti: 'assujetti à la TVA',
  franchise_293B: 'franchise en base de TVA (art. 293 B du CGI)',
  non_assujetti: 'non assujetti à la TVA',
};

export const RULE_LABELS: Record<AllocationRuleName, string> = {
  usage: 'au prorata de l’usage',
  weights: 'par poids',
  equal: 'à parts égales',
  mixed: 'mixte (poids + usage)',
  rate: 'tarif horaire',
  usage_over_allowance: 'forfait par poids + dépassements à l’usage',
};

export const KIND_LABELS: Record<ResourceKind, string> = {
  service: 'service',
  equipment: 'équipement',
  room: 'salle',
  staff: 'personnel partagé',
};

/** A file-name-safe slug: "Compagnie du Théâtre Éphémère" → "compagnie-du-theatre-ephemere". */
export function slug(text: string, max = 48): string {
  return (
    text
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
      .replace(/œ/gi, 'oe')
      .replace(/æ/gi, 'ae')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, max)
      .replace(/-+$/, '') || 'document'
  );
}
