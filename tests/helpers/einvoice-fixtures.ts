import type { Mentions } from '../../server/invoices/document';
import type { CiiSource } from '../../server/einvoice/cii';
import type { SourceLine, SourceParty } from '../../server/einvoice/contract';

/**
 * Sealed documents in the shape of the cross-team contract (VAT category per line, postal and e-invoicing
 * fields per party), for the e-invoice unit tests. Amounts are consistent as a close would seal them.
 */

export const smac: SourceParty = {
  name: 'Le Ferrailleur — Scène de musiques actuelles',
  legalForm: 'association',
  siren: '423456789',
  siret: '42345678900019',
  address: '21 quai des Antilles',
  postalCode: '44200',
  city: 'Nantes',
  countryCode: 'FR',
  vatRegime: 'assujetti',
  vatStatus: 'assujetti',
  vatNumber: 'FR45423456789',
  billingEmail: 'compta@ferrailleur.example',
  iban: 'FR7630006000011234567890189',
  bic: 'AGRIFRPP',
  einvoiceAddress: null,
};

export const scop: SourceParty = {
  name: 'Atelier Graphique Coopératif SCOP',
  legalForm: 'scop',
  siren: '800123457',
  siret: '80012345700015',
  address: '17 rue de Strasbourg',
  postalCode: '44000',
  city: 'Nantes',
  countryCode: 'FR',
  vatRegime: 'assujetti',
  vatStatus: 'assujetti',
  vatNumber: 'FR12800123457',
  billingEmail: 'factures@agc.example',
  iban: 'FR7610107001011234567890129',
  shareCapitalCents: 15_000_00,
  rcsCity: 'Nantes',
  einvoiceAddress: '800123457_FACTURES',
};

export const pole: SourceParty = {
  name: 'Association Pôle Culture Rives de Loire',
  legalForm: 'association',
  siren: '812345676',
  siret: '81234567600017',
  address: '12 quai de la Fosse',
  postalCode: '44000',
  city: 'Nantes',
  vatRegime: 'exonere_261B',
  vatStatus: 'assujetti',
  vatNumber: null,
  billingEmail: 'pole@rivesdeloire.example',
  iban: 'FR7630004000031234567890143',
};

export const theatre: SourceParty = {
  name: 'Compagnie du Théâtre Éphémère',
  legalForm: 'association',
  siren: '512345679',
  siret: '51234567900017',
  address: '3 rue Racine',
  postalCode: '44000',
  city: 'Nantes',
  vatRegime: 'franchise_293B',
  vatStatus: 'franchise_293B',
  vatNumber: null,
  billingEmail: 'theatre@ephemere.example',
  iban: 'FR7612548029981234567890161',
};

export const radio: SourceParty = {
  name: 'Radio Prun’ — radio associative',
  legalForm: 'association',
  siren: '398765438',
  siret: '39876543800013',
  address: '8 rue Kervégan',
  postalCode: '44000',
  city: 'Nantes',
  vatRegime: 'non_assujetti',
  vatStatus: 'non_assujetti',
  vatNumber: null,
  billingEmail: 'radio@prun.example',
  iban: 'FR7614410000011234567890163',
};

export const city: SourceParty = {
  name: 'Commune de Saint-Herblain — Service culturel',
  legalForm: 'local_authority',
  siren: '214401622',
  siret: '21440162200011',
  address: '2 rue de l’Hôtel de Ville',
  postalCode: '44800',
  city: 'Saint-Herblain',
  vatRegime: 'non_assujetti',
  vatStatus: 'non_assujetti',
  vatNumber: null,
  billingEmail: 'culture@saint-herblain.example',
  publicBody: true,
  chorusServiceCode: 'CULTURE',
  chorusEngagement: 'EJ-2026-00042',
};

/** A member as old snapshots carry it: the whole address on one line, no postal or e-invoicing fields. */
export const school = (): SourceParty => ({
  name: 'École de musique Cœur de Loire',
  legalForm: 'association',
  siren: '444555668',
  siret: '44455566800011',
  address: '45 boulevard Guist’hau, 44000 Nantes',
  vatRegime: 'exonere_261B',
  vatNumber: null,
  billingEmail: 'ecole@coeurdeloire.example',
});

export const mentions = (extra: Partial<Mentions> = {}): Mentions => ({
  vat: null,
  operation: 'Prestations de services',
  latePenalty: 'Pénalités de retard : taux annuel de 12,00 %, exigibles dès le lendemain de la date d’échéance (art. L441-10 du Code de commerce).',
  recoveryIndemnity: 'Indemnité forfaitaire pour frais de recouvrement due en cas de retard : 40,00 € (art. L441-10 et D441-5 du Code de commerce).',
  discount: 'Pas d’escompte pour paiement anticipé.',
  costSharing: 'Refacturation à l’euro près des coûts réels mutualisés du pôle pour janvier 2026, selon la clé de répartition de chaque ressource.',
  staffLending: null,
  creditNote: null,
  ...extra,
});

export const line = (description: string, totalExclVatCents: number, vat: Pick<SourceLine, 'vatRate' | 'vatCategory' | 'exemptionCode' | 'exemptionText'>, qty?: { quantity: number; unit: string; unitPriceExclVatCents: number }): SourceLine => ({
  description,
  quantity: qty?.quantity ?? 1,
  unit: qty?.unit ?? 'forfait',
  unitPriceExclVatCents: qty?.unitPriceExclVatCents ?? totalExclVatCents,
  totalExclVatCents,
  ...vat,
});

export const S20 = { vatCategory: 'S', vatRate: 20, exemptionCode: null, exemptionText: null } as const;
export const S55 = { vatCategory: 'S', vatRate: 5.5, exemptionCode: null, exemptionText: null } as const;
export const E261B = { vatCategory: 'E', vatRate: 0, exemptionCode: 'VATEX-EU-132-1F', exemptionText: 'Exonération de TVA, art. 261 B du CGI' } as const;
export const E293B = { vatCategory: 'E', vatRate: 0, exemptionCode: 'VATEX-FR-FRANCHISE', exemptionText: 'TVA non applicable, art. 293 B du CGI' } as const;
export const O = { vatCategory: 'O', vatRate: 0, exemptionCode: 'VATEX-EU-O', exemptionText: 'Opération non soumise à la TVA' } as const;

const vatOf = (base: number, rate: number) => Math.round((base * rate) / 100);

/** A sealed document from its lines: breakdown per (category, rate) and totals as the close computes them. */
export function sealed(seller: SourceParty, buyer: SourceParty, lines: SourceLine[], extra: Partial<CiiSource> = {}): CiiSource {
  const rows = new Map<string, { vatCategory: 'S' | 'E' | 'O'; vatRate: number; exemptionCode: string | null; exemptionText: string | null; baseCents: number; vatCents: number }>();
  for (const l of lines) {
    const key = `${l.vatCategory}|${l.vatRate}`;
    const r = rows.get(key) ?? { vatCategory: l.vatCategory!, vatRate: l.vatRate, exemptionCode: l.exemptionCode ?? null, exemptionText: l.exemptionText ?? null, baseCents: 0, vatCents: 0 };
    r.baseCents += l.totalExclVatCents;
    rows.set(key, r);
  }
  const vatBreakdown = [...rows.values()].map((r) => ({ ...r, vatCents: vatOf(r.baseCents, r.vatRate) }));
  const totalExclVatCents = lines.reduce((a, l) => a + l.totalExclVatCents, 0);
  const totalVatCents = vatBreakdown.reduce((a, r) => a + r.vatCents, 0);
  return {
    number: 'SMAC-2026-0001',
    kind: 'invoice',
    issueDate: '2026-02-02',
    periodStart: '2026-01-01',
    periodEnd: '2026-01-31',
    dueDate: '2026-03-04',
    currency: 'EUR',
    seller,
    buyer,
    lines,
    vatBreakdown,
    totalExclVatCents,
    totalVatCents,
    totalInclVatCents: totalExclVatCents + totalVatCents,
    mentions: mentions(),
    paymentTermsDays: 30,
    preceding: null,
    ...extra,
  };
}
