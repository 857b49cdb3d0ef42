import type { CostNature, LegalForm } from '../../db/schema/enums';
import { formatEuros } from '../shared/money';
import type { AllocationNote, Basis } from '../closing/allocation';
import type { PartySnapshot } from './document';

/** French wording printed on invoices, statements and summaries (no I/O): bases, notes, natures, parties. */

export const NATURE_LABELS: Record<CostNature, string> = {
  salary: 'salaires',
  social_charges: 'charges sociales',
  reimbursed_expenses: 'frais professionnels remboursés',
  rent_or_lease: 'loyer ou location',
  subscription: 'abonnement',
  other: 'autres frais',
  management_fees: 'frais de gestion (convention de mise à disposition)',
};

export const percentFr = (p: number) => `${p.toFixed(2).replace('.', ',')} %`;
export const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** 750 → "12 h 30", 60 → "1 h". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${String(m).padStart(2, '0')}`;
}

/** The basis of a share in words (French, as printed on invoices and statements). */
export function describeBasis(basis: Basis): string {
  const key = describeKey(basis);
  return basis.inputVatIncludedCents ? `${key} ; coût TTC : TVA non récupérable par le porteur (${formatEuros(basis.inputVatIncludedCents)}) incluse` : key;
}

function describeKey(basis: Basis): string {
  const pct = basis.percent === undefined ? '' : ` (${percentFr(basis.percent)})`;
  const weights = basis.totalWeight === undefined ? '' : `poids ${basis.weight ?? 0} sur ${basis.totalWeight}`;
  switch (basis.method) {
    case 'usage':
      return `usage : ${formatMinutes(basis.minutes ?? 0)} sur ${formatMinutes(basis.totalMinutes ?? 0)}${pct}`;
    case 'weights':
      return `${basis.fallback ? 'aucun usage ce mois, réparti selon les poids : ' : 'clé par poids : '}${weights}${pct}`;
    case 'equal':
      return `${basis.fallback ? 'réparti à parts égales faute d’autre clé : ' : 'parts égales : '}1 sur ${basis.totalWeight ?? 0} membres actifs${pct}`;
    case 'rate':
      return `${formatMinutes(basis.minutes ?? 0)} × ${formatEuros(basis.rateCents ?? 0)} HT de l’heure`;
    case 'bearer':
      return 'supporté par le porteur de la charge';
    case 'staff':
      return `${formatMinutes(basis.minutes ?? 0)} mis à disposition × ${formatEuros(basis.hourlyCostCents ?? 0)} de coût horaire (coût du mois ÷ ${String(basis.paidHours ?? 0).replace('.', ',')} h payées)`;
    case 'usage_over_allowance': {
      const over = basis.overrunMinutes ? `, dépassement : ${formatMinutes(basis.overrunMinutes)} au-delà de ${formatMinutes(basis.includedMinutes ?? 0)} inclus (${formatEuros(basis.usageCents ?? 0)})` : '';
      return `forfait par poids : ${weights || 'aucun poids'} (${formatEuros(basis.fixedCents ?? 0)})${over}${pct}`;
    }
    case 'mixed': {
      const fixed = `${basis.fixedPercent ?? 0} % par poids (${weights || 'aucun poids'})`;
      const used =
        basis.usageFallback === undefined
          ? `${100 - (basis.fixedPercent ?? 0)} % à l’usage (${formatMinutes(basis.minutes ?? 0)} sur ${formatMinutes(basis.totalMinutes ?? 0)})`
          : `${100 - (basis.fixedPercent ?? 0)} % à l’usage, aucun usage ce mois : réparti par ${basis.usageFallback === 'weights' ? 'poids' : 'parts égales'}`;
      return `clé mixte : ${fixed} + ${used}${pct}`;
    }
  }
}

const KEY_FR: Record<'weights' | 'equal', string> = { weights: 'réparti selon les pondérations', equal: 'réparti à parts égales' };

/**
 * A resource's allocation note in words (French, as printed on statements and the pole summary). Notes of
 * snapshots written before notes were structured are English sentences (`text`) and print as they are.
 */
export function describeNote(note: AllocationNote): string {
  switch (note.code) {
    case 'no_rate':
      return 'Aucun tarif horaire défini : rien n’est refacturé, le porteur garde tout le coût';
    case 'no_paid_hours':
      return 'Aucune heure payée saisie pour ce mois : pas de coût horaire, rien n’est refacturé, l’employeur garde tout le coût';
    case 'staff_remainder':
      return `Non mis à disposition : ${formatEuros(note.remainderCents)} restent à la charge de l’employeur`;
    case 'staff_overbooked':
      return `Heures réservées (${formatMinutes(note.bookedMinutes)}) au-delà des heures payées (${String(note.paidHours).replace('.', ',')} h) : le coût est réparti au prorata des heures`;
    case 'text':
      return note.text;
    case 'fallback': {
      if (note.part === 'usage') {
        return note.fallback === 'bearer'
          ? 'Aucun usage ce mois : la part à l’usage reste au porteur'
          : `Aucun usage ce mois : la part à l’usage est ${KEY_FR[note.fallback].replace('réparti', 'répartie')}`;
      }
      if (note.fallback === 'bearer') return 'Aucune structure ne peut partager ce coût ce mois : le porteur le garde';
      if (note.rule === 'usage') {
        return note.fallback === 'weights' ? `Aucun usage ce mois : ${KEY_FR.weights}` : `Aucun usage ni pondération positive ce mois : ${KEY_FR.equal}`;
      }
      return `Aucune pondération positive : ${KEY_FR[note.fallback]}`;
    }
  }
}

const euroAmount = (cents: number) => formatEuros(cents);
const spacedSiren = (siren: string) => siren.replace(/^(\d{3})(\d{3})(\d{3})$/, '$1 $2 $3');

const FORM_WORDING: Partial<Record<LegalForm, string>> = {
  scop: 'SCOP à capital variable',
  scic: 'SCIC à capital variable',
  company: 'Société',
};

/**
 * The legal form as a company must print it (C. com. R123-237): form, share capital and RCS city with the
 * SIREN, e.g. « SCOP à capital variable au capital de 15 000,00 € — RCS Nantes 800 123 457 ». Null for
 * structures that have neither capital nor RCS registration (associations, public bodies).
 */
export function legalFormWording(p: Pick<PartySnapshot, 'legalForm' | 'shareCapitalCents' | 'rcsCity' | 'siren'>): string | null {
  const form = FORM_WORDING[p.legalForm];
  if (!form) return null;
  const capital = p.shareCapitalCents === null || p.shareCapitalCents === undefined ? '' : ` au capital de ${euroAmount(p.shareCapitalCents)}`;
  const rcs = p.rcsCity ? ` — RCS ${p.rcsCity} ${spacedSiren(p.siren)}` : '';
  return `${form}${capital}${rcs}`;
}

/** The full postal address of a snapshot on one line (old snapshots kept it in `address`). */
export function fullAddress(p: Pick<PartySnapshot, 'address' | 'postalCode' | 'city' | 'countryCode'>): string {
  const town = [p.postalCode, p.city].filter(Boolean).join(' ');
  const country = p.countryCode && p.countryCode !== 'FR' ? p.countryCode : '';
  return [p.address, town, country].filter(Boolean).join(', ');
}
