import { DateTime } from 'luxon';
import type { PoleSettings } from '../pole/repository';
import { localDate } from '../shared/time';
import type { DocumentTerms, PartySnapshot } from '../invoices/document';
import type { MemberRecord } from './repository';

/** The party as printed and hashed on a document issued now (its id, weight and series prefix aside). */
export function snapshotParty(m: MemberRecord): PartySnapshot {
  return {
    id: m.id,
    name: m.name,
    legalForm: m.legalForm,
    siren: m.siren,
    siret: m.siret,
    address: m.address,
    postalCode: m.postalCode,
    city: m.city,
    countryCode: m.countryCode,
    deliveryAddress: m.deliveryAddress,
    vatStatus: m.vatStatus,
    eligible261B: m.eligible261B,
    eligible261BSince: m.eligible261BSince,
    vatOnDebits: m.vatOnDebits,
    vatNumber: m.vatNumber,
    billingEmail: m.billingEmail,
    publicBody: m.publicBody,
    chorusServiceCode: m.chorusServiceCode,
    chorusEngagement: m.chorusEngagement,
    shareCapitalCents: m.shareCapitalCents,
    rcsCity: m.rcsCity,
    iban: m.iban,
    bic: m.bic,
    einvoiceAddress: m.einvoiceAddress ?? m.siren,
    billingMandateSince: m.billingMandateSince,
    nettingAgreement: m.nettingAgreement,
    nettingAgreementSince: m.nettingAgreementSince,
  };
}

/** Issue date (the close instant's local date), period, due date and month label of a close. */
export function closeTerms(pole: PoleSettings, month: string, now: number): DocumentTerms {
  const zone = pole.timeZone;
  const first = DateTime.fromISO(`${month}-01`, { zone });
  const issueDate = localDate(now, zone);
  return {
    month,
    monthLabel: first.setLocale('fr').toFormat('LLLL yyyy'),
    issueDate,
    periodStart: first.toISODate()!,
    periodEnd: first.endOf('month').toISODate()!,
    dueDate: DateTime.fromISO(issueDate, { zone: 'UTC' }).plus({ days: pole.paymentTermsDays }).toISODate()!,
    currency: pole.currency,
    paymentTermsDays: pole.paymentTermsDays,
    latePenaltyRateBp: pole.latePenaltyRateBp,
    poleName: pole.name,
  };
}
