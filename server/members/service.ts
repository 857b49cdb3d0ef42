import type { AppContext } from '../context';
import { poleZone } from '../pole/service';
import { assertAdminOf, assertCoordinator, canActFor, type Actor } from '../shared/actor';
import { conflict, forbidden, notFound, unprocessable } from '../shared/errors';
import { localDate, parseLocalDate } from '../shared/time';
import * as repo from './repository';
import { MEMBER_ADMIN_FIELDS, type MemberCreate, type MemberPatch } from './schemas';
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

export function createMember(ctx: AppContext, actor: Actor, input: MemberCreate) {
  assertCoordinator(actor);
  const siret = normaliseDigits(input.siret);
  const siren = input.siren ? normaliseDigits(input.siren) : siret.slice(0, 9);
  checkIdentity(siren, siret);
  const zone = poleZone(ctx);
  const joinedOn = input.joinedOn ?? localDate(ctx.clock.now(), zone);
  checkDates(joinedOn, input.leftOn);
  if (repo.findMemberBySiren(ctx.db, siren)) throw conflict('member.siren_taken', `A member with SIREN ${siren} exists`);
  if (input.invoicePrefix) assertPrefixFree(ctx, input.invoicePrefix);
  return repo.insertMember(ctx.db, {
    name: input.name.trim(),
    legalForm: input.legalForm,
    siren,
    siret,
    address: input.address.trim(),
    billingEmail: input.billingEmail.toLowerCase(),
    vatRegime: input.vatRegime,
    vatNumber: input.vatNumber ?? null,
    weight: input.weight ?? 1,
    invoicePrefix: input.invoicePrefix ?? derivePrefix(ctx, input.name),
    joinedOn,
    leftOn: input.leftOn ?? null,
    createdAt: ctx.clock.now(),
  });
}

export function patchMember(ctx: AppContext, actor: Actor, id: number, patch: MemberPatch) {
  const current = getMemberFor(ctx, actor, id);
  assertAdminOf(actor, id);
  if (actor.role !== 'coordinator') {
    const refused = Object.keys(patch).filter((k) => !MEMBER_ADMIN_FIELDS.has(k as keyof MemberPatch));
    if (refused.length) throw forbidden(`Only coordinators may change ${refused.join(', ')}`);
  }
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
  return repo.updateMember(ctx.db, id, {
    ...patch,
    ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
    siren,
    siret,
    ...(patch.billingEmail ? { billingEmail: patch.billingEmail.toLowerCase() } : {}),
  });
}
