import type { Mentions } from '../invoices/document';
import type { EParty } from './contract';
import { euros } from '../documents/format';
import { LEGAL_FORM_LABELS } from '../documents/labels';

/**
 * The document notes (BG-1) of a French e-invoice: subject codes of UNTDID 4451 as the French rules read
 * them (BR-FR-05 wants PMT, PMD and AAB on every document; BR-FR-20 reads the BAR treatment). Pure.
 */
export interface Note {
  subject: string;
  content: string;
}

/** What the notes are written from: the sealed document's stored mentions and terms. */
export interface NotesSource {
  kind: 'invoice' | 'credit_note';
  mentions: Mentions;
  seller: EParty;
}

const CREDIT_NOTE_TERMS = 'Avoir à déduire de la facture d’origine : ';

export function documentNotes(doc: NotesSource): Note[] {
  const m = doc.mentions;
  const credit = doc.kind === 'credit_note';
  const notes: Note[] = [
    // Every member is a legal structure buying for its activity: B2B (public bodies included; their Chorus Pro
    // routing data — service code, engagement — travels in BT-10 and BT-13).
    { subject: 'BAR', content: 'B2B' },
    { subject: 'PMT', content: m.recoveryIndemnity ?? `${CREDIT_NOTE_TERMS}pas d’indemnité forfaitaire de recouvrement.` },
    { subject: 'PMD', content: m.latePenalty ?? `${CREDIT_NOTE_TERMS}pas de pénalités de retard.` },
    { subject: 'AAB', content: m.discount ?? (credit ? `${CREDIT_NOTE_TERMS}pas d’escompte.` : 'Pas d’escompte pour paiement anticipé.') },
  ];
  const tax = [m.vat, doc.seller.vatOnDebits ? 'Option pour le paiement de la taxe d’après les débits.' : null].filter((t): t is string => !!t);
  if (tax.length) notes.push({ subject: 'TXD', content: tax.join(' ') });
  notes.push({ subject: 'ABL', content: legalNote(doc.seller) });
  for (const text of [m.operation ? `Nature des opérations : ${m.operation}.` : null, m.creditNote, m.costSharing]) {
    if (text) notes.push({ subject: 'AAI', content: text });
  }
  if (m.staffLending) notes.push({ subject: 'REG', content: m.staffLending });
  return notes;
}

/** The seller's legal identity: legal form, share capital and RCS city when it has them (C. com. R123-237). */
export function legalNote(seller: EParty): string {
  const parts = [`${seller.name} — ${LEGAL_FORM_LABELS[seller.legalForm]}`];
  if (seller.shareCapitalCents !== null) parts.push(`au capital de ${euros(seller.shareCapitalCents).replace(/\u00a0/g, ' ')}`);
  if (seller.rcsCity) parts.push(`RCS ${seller.rcsCity} ${seller.siren}`);
  parts.push(`SIREN ${seller.siren}`);
  return parts.join(', ');
}
