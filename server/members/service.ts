import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import { assertAdminOf, assertCoordinator, canActFor, type Actor } from '../shared/actor';
import { conflict, forbidden, notFound, unprocessable } from '../shared/errors';
import { localDate, parseLocalDate } from '../shared/time';
import * as repo from './repository';
import { MEMBER_ADMIN_FIELDS, type MemberCreate, type MemberPatch } from './schemas';
import { checkBic, checkCompanyMentions, checkIban, checkPostalCode, checkVatNumber, fromLegacyRegime, splitAddress } from './rules';
import { isValidSiren, isValidSiret, normaliseDigits } from './siret';

export function listMembersFor(ctx: AppContext, actor: Actor) {
  const all = repo.listMembers(ctx.db);
  return actor.role === 'coordinator' ? all : all.filter((m) => m.id === actor.memberId);
}

/** Another structure's record answers 404, so that ids reveal nothing. */
export function getMemberFor(ctx: AppContext, actor: Actor, id: number) {
  const member = repo.findMember(ctx.db, id);
  if (!member || !canActFor(actor, id)) throw notFound('member', id);
  return member;
}

function checkIdentity(siren: string, siret: string) {
  if (!isValidSiren(siren)) throw unprocessable('member.invalid_siren', `SIREN ${siren} is not valid (9 digits, Luhn key)`);
  if (!isValidSiret(siret)) throw unprocessable('member.invalid_siret', `SIRET ${siret} is not valid (14 digits, Luhn key)`);
  if (!siret.startsWith(siren)) throw unprocessable('member.siret_mismatch', 'The SIRET must start with the SIREN');
}

function checkDates(joinedOn: string, leftOn: string | null | undefined) {
  if (!parseLocalDate(joinedOn)) throw unprocessable('member.invalid_date', `joinedOn ${joinedOn} is not a date`);
  if (leftOn) {
    if (!parseLocalDate(leftOn)) throw unprocessable('member.invalid_date', `leftOn ${leftOn} is not a date`);
    if (leftOn < joinedOn) throw unprocessable('member.invalid_dates', 'leftOn is before joinedOn');
  }
}

function assertPrefixFree(ctx: AppContext, prefix: string) {
  if (repo.findMemberByPrefix(ctx.db, prefix) || repo.prefixInIssuedNumbers(ctx.db, prefix)) {
    throw conflict('member.prefix_taken', `Invoice prefix ${prefix} is taken`);
  }
}

/** A readable, unique prefix for the member's invoice series: letters of its name, then a number if taken. */
function derivePrefix(ctx: AppContext, name: string): string {
  const base =
    name
      .normalize('NFD')
      .replace(/[^A-Za-z0-9]/g, '')
      .toUpperCase()
      .slice(0, 6) || 'MBR';
  let prefix = base.length >= 2 ? base : `${base}X`;
  for (let n = 2; repo.findMemberByPrefix(ctx.db, prefix) || repo.prefixInIssuedNumbers(ctx.db, prefix); n++) prefix = `${base.slice(0, 5)}${n}`;
  return prefix;
}

const trimOrNull = (v: string | null | undefined) => (v === null || v === undefined || v.trim() === '' ? null : v.trim());

function checkDate(field: string, value: string | null | undefined) {
  if (value && !parseLocalDate(value)) throw unprocessable('member.invalid_date', `${field} ${value} is not a date`);
}

export function createMember(ctx: AppContext, actor: Actor, input: MemberCreate) {
  assertCoordinator(actor);
  const siret = normaliseDigits(input.siret);
  const siren = input.siren ? normaliseDigits(input.siren) : siret.slice(0, 9);
  checkIdentity(siren, siret);
  const zone = poleZone(ctx);
  const joinedOn = input.joinedOn ?? localDate(ctx.clock.now(), zone);
  checkDates(joinedOn, input.leftOn);
  for (const f of ['eligible261BSince', 'billingMandateSince', 'nettingAgreementSince'] as const) checkDate(f, input[f]);
  const legacy = input.vatRegime ? fromLegacyRegime(input.vatRegime) : null;
  const vatStatus = input.vatStatus ?? legacy?.vatStatus;
  if (!vatStatus) throw unprocessable('member.vat_status_required', 'vatStatus is required: assujetti, franchise_293B or non_assujetti');
  const countryCode = input.countryCode ?? 'FR';
  // An address typed on one line ("…, 44000 Nantes") is split when no postal code is given apart.
  const parts = input.postalCode === undefined && input.city === undefined ? splitAddress(input.address) : { address: input.address.trim(), postalCode: input.postalCode ?? null, city: input.city ?? null };
  const shareCapitalCents = input.shareCapitalCents ?? null;
  const rcsCity = trimOrNull(input.rcsCity);
  checkCompanyMentions({ legalForm: input.legalForm, shareCapitalCents, rcsCity });
  const row = {
    name: input.name.trim(),
    legalForm: input.legalForm,
    siren,
    siret,
    address: parts.address,
    postalCode: checkPostalCode(parts.postalCode, countryCode),
    city: trimOrNull(parts.city),
    countryCode,
    deliveryAddress: trimOrNull(input.deliveryAddress),
    billingEmail: input.billingEmail.toLowerCase(),
    vatStatus,
    eligible261B: input.eligible261B ?? legacy?.eligible261B ?? false,
    eligible261BSince: input.eligible261BSince ?? null,
    vatOnDebits: input.vatOnDebits ?? false,
    vatNumber: checkVatNumber(input.vatNumber ?? null, siren, countryCode),
    publicBody: input.publicBody ?? input.legalForm === 'local_authority',
    chorusServiceCode: trimOrNull(input.chorusServiceCode),
    chorusEngagement: trimOrNull(input.chorusEngagement),
    shareCapitalCents,
    rcsCity,
    iban: checkIban(input.iban ?? null),
    bic: checkBic(input.bic ?? null),
    einvoiceAddress: trimOrNull(input.einvoiceAddress),
    billingMandateSince: input.billingMandateSince ?? null,
    nettingAgreement: input.nettingAgreement ?? false,
    nettingAgreementSince: input.nettingAgreementSince ?? null,
  };
  if (repo.findMemberBySiren(ctx.db, siren)) throw conflict('member.siren_taken', `A member with SIREN ${siren} exists`);
  if (input.invoicePrefix) assertPrefixFree(ctx, input.invoicePrefix);
  return repo.insertMember(ctx.db, {
    ...row,
    weight: input.weight ?? 1,
    invoicePrefix: input.invoicePrefix ?? derivePrefix(ctx, input.name),
    joinedOn,
    leftOn: input.leftOn ?? null,
    createdAt: ctx.clock.now(),
  });
}

export function patchMember(ctx: AppContext, actor: Actor, id: number, input: MemberPatch) {
  const current = getMemberFor(ctx, actor, id);
  assertAdminOf(actor, id);
  if (actor.role !== 'coordinator') {
    const refused = Object.keys(input).filter((k) => !MEMBER_ADMIN_FIELDS.has(k as keyof MemberPatch));
    if (refused.length) throw forbidden(`Only coordinators may change ${refused.join(', ')}`);
  }
  const { vatRegime, ...patch } = input;
  if (vatRegime) Object.assign(patch, { ...fromLegacyRegime(vatRegime), ...(patch.vatStatus ? { vatStatus: patch.vatStatus } : {}), ...(patch.eligible261B !== undefined ? { eligible261B: patch.eligible261B } : {}) });
  const siret = patch.siret ? normaliseDigits(patch.siret) : current.siret;
  const siren = patch.siren ? normaliseDigits(patch.siren) : patch.siret ? siret.slice(0, 9) : current.siren;
  if (patch.siren !== undefined || patch.siret !== undefined) {
    checkIdentity(siren, siret);
    const other = repo.findMemberBySiren(ctx.db, siren);
    if (other && other.id !== id) throw conflict('member.siren_taken', `A member with SIREN ${siren} exists`);
  }
  if (patch.invoicePrefix && patch.invoicePrefix !== current.invoicePrefix) {
    // A series keeps its prefix once it has issued documents, and an old prefix is never handed to another
    // member: either would break "one unbroken series per issuer" or collide on numbers.
    if (repo.hasIssuedDocuments(ctx.db, id)) {
      throw conflict('member.prefix_locked', 'This member has issued documents: its invoice prefix can no longer change');
    }
    assertPrefixFree(ctx, patch.invoicePrefix);
  }
  checkDates(patch.joinedOn ?? current.joinedOn, patch.leftOn === undefined ? current.leftOn : patch.leftOn);
  for (const f of ['eligible261BSince', 'billingMandateSince', 'nettingAgreementSince'] as const) checkDate(f, patch[f]);
  const countryCode = patch.countryCode ?? current.countryCode;
  const checked: Partial<repo.NewMemberRow> = {};
  // The VAT number is checked whenever it or the SIREN it derives from changes.
  if (patch.vatNumber !== undefined || siren !== current.siren || patch.countryCode !== undefined) {
    checked.vatNumber = checkVatNumber(patch.vatNumber === undefined ? current.vatNumber : patch.vatNumber, siren, countryCode);
  }
  if (patch.iban !== undefined) checked.iban = checkIban(patch.iban);
  if (patch.bic !== undefined) checked.bic = checkBic(patch.bic);
  if (patch.postalCode !== undefined || patch.countryCode !== undefined) {
    checked.postalCode = checkPostalCode(patch.postalCode === undefined ? current.postalCode : patch.postalCode, countryCode);
  }
  for (const f of ['city', 'deliveryAddress', 'chorusServiceCode', 'chorusEngagement', 'rcsCity', 'einvoiceAddress'] as const) {
    if (patch[f] !== undefined) checked[f] = trimOrNull(patch[f]);
  }
  if (patch.legalForm !== undefined || patch.shareCapitalCents !== undefined || patch.rcsCity !== undefined) {
    checkCompanyMentions({
      legalForm: patch.legalForm ?? current.legalForm,
      shareCapitalCents: patch.shareCapitalCents === undefined ? current.shareCapitalCents : patch.shareCapitalCents,
      rcsCity: checked.rcsCity === undefined ? current.rcsCity : checked.rcsCity,
    });
  }
  return repo.updateMember(ctx.db, id, {
    ...patch,
    ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
    ...checked,
    siren,
    siret,
    ...(patch.address ? { address: patch.address.trim() } : {}),
    ...(patch.billingEmail ? { billingEmail: patch.billingEmail.toLowerCase() } : {}),
  });
}
