import type { AppContext } from '../context';
import { sha256Hex } from '../invoices/chain';
import { invoiceRepository } from '../invoices/repository';
import { poleZone } from '../pole/service';
import { assertAdminOf, canActFor, type Actor } from '../shared/actor';
import { notFound, unprocessable } from '../shared/errors';
import { localDate, parseLocalDate } from '../shared/time';
import { buildEntries, type PaymentRecord, type SourceDocument } from './entries';
import { fecFilename, numberEntries, serializeFec } from './fec';
import { defaultMapping, chartOf, effectiveMapping, mappingProblems, type AccountMapping, type MappingOverrides } from './mapping';
import { paymentRepository } from '../payments/repository';
import { accountingRepository, type MemberIdentity } from './repository';

/** A member's accounts: its mapping, and its entries for a period as a FEC file, recorded with the mapping used. */

/** A member the actor may act for; another structure's answers 404, like the other member routes. */
function visibleMember(ctx: AppContext, actor: Actor | null, memberId: number): MemberIdentity {
  const member = accountingRepository(ctx.sqlite).member(memberId);
  if (!member || (actor && !canActFor(actor, memberId))) throw notFound('member', memberId);
  return member;
}

export interface MappingView {
  memberId: number;
  chart: AccountMapping['chart'];
  mapping: AccountMapping;
  defaults: AccountMapping;
  overrides: MappingOverrides;
  updatedAt: string | null;
}

function mappingView(ctx: AppContext, member: MemberIdentity): MappingView {
  const row = accountingRepository(ctx.sqlite).mapping(member.id);
  const overrides = row?.overrides ?? {};
  const mapping = effectiveMapping(member.legalForm, overrides);
  return {
    memberId: member.id,
    chart: mapping.chart,
    mapping,
    defaults: defaultMapping(overrides.chart ?? chartOf(member.legalForm)),
    overrides,
    updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
  };
}

export function getMapping(ctx: AppContext, actor: Actor, memberId: number): MappingView {
  return mappingView(ctx, visibleMember(ctx, actor, memberId));
}

/** Replaces the member's overrides (an empty object restores the defaults); refuses a mapping with problems. */
export function putMapping(ctx: AppContext, actor: Actor, memberId: number, overrides: MappingOverrides): MappingView {
  const member = visibleMember(ctx, actor, memberId);
  assertAdminOf(actor, memberId);
  const problems = mappingProblems(effectiveMapping(member.legalForm, overrides));
  if (problems.length) throw unprocessable('accounting.invalid_mapping', problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems });
  accountingRepository(ctx.sqlite).saveMapping(memberId, overrides, ctx.clock.now(), actor.userId);
  return mappingView(ctx, member);
}

export interface Period {
  from: string;
  to: string;
}

/** The period asked, or by default the current calendar year up to today (the pole's zone). */
export function resolvePeriod(ctx: AppContext, query: { from?: string; to?: string }): Period {
  const today = localDate(ctx.clock.now(), poleZone(ctx));
  const to = query.to ?? today;
  const from = query.from ?? `${to.slice(0, 4)}-01-01`;
  for (const [name, value] of [['from', from], ['to', to]] as const) {
    if (!parseLocalDate(value)) throw unprocessable('accounting.invalid_date', `${name} ${value} is not a date (YYYY-MM-DD)`);
  }
  if (from > to) throw unprocessable('accounting.invalid_period', `from ${from} is after to ${to}`);
  if (Number(to.slice(0, 4)) - Number(from.slice(0, 4)) > 2) throw unprocessable('accounting.period_too_long', 'A FEC file covers at most three calendar years');
  return { from, to };
}

/** The payments the bank journal books: the payments ledger's payments (not deleted) of these documents. */
export function paymentsOf(ctx: AppContext, documents: readonly SourceDocument[]): PaymentRecord[] {
  const repo = paymentRepository(ctx.sqlite);
  return documents
    .filter((d) => d.kind === 'invoice')
    .flatMap((d) => repo.ofInvoice(d.id))
    .filter((p) => p.deletedAt === null)
    .map((p) => ({ id: `payment-${p.id}`, invoiceId: p.invoiceId, amountCents: p.amountCents, date: p.paidOn, reference: p.reference, settlementId: p.settlementId }));
}

export interface FecFile {
  filename: string;
  body: string;
  sha256: string;
  entryCount: number;
  exportId: number;
  mapping: AccountMapping;
}

/** The member's entries of the period as a FEC file (pure build over the stored documents and payments). */
export function buildFec(ctx: AppContext, member: MemberIdentity, period: Period, mapping: AccountMapping) {
  const documents = invoiceRepository(ctx.sqlite).list({ memberId: member.id });
  const entries = numberEntries(
    buildEntries({
      memberId: member.id,
      ...period,
      documents,
      payments: paymentsOf(ctx, documents),
      mapping,
      resourceKinds: accountingRepository(ctx.sqlite).resourceKinds(),
    }),
    [mapping.journals.sales.code, mapping.journals.purchases.code, mapping.journals.bank.code, mapping.journals.misc.code],
  );
  const body = serializeFec(entries);
  return { filename: fecFilename(member.siren, period.to), body, sha256: sha256Hex(body), entryCount: entries.length };
}

/**
 * `GET /api/members/:id/entries.fec`: builds the file and records it with the mapping used (a new record only
 * when the file differs from the last one of the same period), so that it can be handed out again as it was.
 */
export function memberFec(ctx: AppContext, actor: Actor | null, memberId: number, query: { from?: string; to?: string }): FecFile {
  const member = visibleMember(ctx, actor, memberId);
  const period = resolvePeriod(ctx, query);
  const { mapping } = mappingView(ctx, member);
  const file = buildFec(ctx, member, period, mapping);
  const repo = accountingRepository(ctx.sqlite);
  const last = repo.latestExport(member.id, period.from, period.to);
  const exportId =
    last && last.sha256 === file.sha256
      ? last.id
      : repo.insertExport({ memberId: member.id, ...period, mapping, ...file, createdAt: ctx.clock.now(), createdByUserId: actor?.userId ?? null });
  return { ...file, exportId, mapping };
}

/** A recorded export, byte for byte as it was handed out. */
export function recordedFec(ctx: AppContext, actor: Actor, memberId: number, exportId: number): FecFile {
  visibleMember(ctx, actor, memberId);
  const e = accountingRepository(ctx.sqlite).exportWithBody(exportId, memberId);
  if (!e) throw notFound('accounting_export', exportId);
  return { filename: e.filename, body: e.body, sha256: e.sha256, entryCount: e.entryCount, exportId: e.id, mapping: e.mapping };
}

export function listExports(ctx: AppContext, actor: Actor, memberId: number) {
  visibleMember(ctx, actor, memberId);
  return accountingRepository(ctx.sqlite)
    .exportsOf(memberId)
    .map((e) => ({ ...e, createdAt: new Date(e.createdAt).toISOString() }));
}
