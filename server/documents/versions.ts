import type { Statement } from 'better-sqlite3';
import { DateTime } from 'luxon';
import type { Sqlite } from '../../db/index';
import type { AppContext } from '../context';
import { isMonthClosed } from '../closing/freeze';
import { assertMonth } from '../shared/time';
import { poleZone } from '../pole/service';
import { canActFor, type Actor } from '../shared/actor';
import { notFound } from '../shared/errors';
import { sha256Bytes } from './frozen-chain';
import { findMember } from '../members/repository';
import { renderMonthDocuments, statementName, statementPdf, summaryPdf, type MonthDocumentKind, type RenderedFile } from './service';

/**
 * Versions of a closed month's pole summary and members' statements: v1 at the close, a new version (with its
 * date and cause) after each credit note of the month; every version stays downloadable and the month's
 * routes serve the latest. A month closed before versions existed gets its v1 on first use.
 */

export type VersionReason = 'close' | 'credit_note' | 'adjustment' | 'first_use';

export interface MonthVersion {
  month: string;
  kind: MonthDocumentKind;
  /** null for the pole summary. */
  memberId: number | null;
  version: number;
  reason: VersionReason;
  reference: string | null;
  createdAt: string;
  sha256: string;
}

interface Row {
  id: number;
  month: string;
  kind: MonthDocumentKind;
  scope: number;
  version: number;
  reason: VersionReason;
  reference: string | null;
  createdAt: number;
  sha256: string;
}

const COLUMNS = 'id, month, kind, scope, version, reason, reference, created_at AS createdAt, sha256';

function prepare(sqlite: Sqlite) {
  return {
    list: sqlite.prepare(`SELECT ${COLUMNS} FROM month_documents WHERE month = ? ORDER BY kind DESC, scope, version`) as Statement<[string], Row>,
    latest: sqlite.prepare('SELECT max(version) FROM month_documents WHERE month = ? AND kind = ? AND scope = ?').pluck() as Statement<[string, string, number], number | null>,
    pdf: sqlite.prepare('SELECT pdf FROM month_documents WHERE month = ? AND kind = ? AND scope = ? AND version = ?').pluck() as Statement<[string, string, number, number], Buffer>,
    insert: sqlite.prepare(
      `INSERT INTO month_documents (month, kind, scope, version, reason, reference, created_at, pdf, sha256)
       VALUES (@month, @kind, @scope, @version, @reason, @reference, @createdAt, @pdf, @sha256)`,
    ),
  };
}
const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
const sql = (sqlite: Sqlite) => {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
};

/**
 * Records a new version of the month's summary and of the statements of `targets.memberIds` (every member
 * concerned when 'all'), rendered now outside any transaction and stored in one. Does nothing for an open
 * month. A version someone else recorded meanwhile under the same number wins (its bytes stay).
 */
export async function recordMonthVersions(
  ctx: AppContext,
  month: string,
  cause: { reason: VersionReason; reference?: string | null },
  targets: { summary: boolean; memberIds: readonly number[] | 'all' } = { summary: true, memberIds: 'all' },
): Promise<void> {
  if (!isMonthClosed(ctx.sqlite, month)) return;
  const s = sql(ctx.sqlite);
  const createdAt = ctx.clock.now();
  const next = (kind: MonthDocumentKind, scope: number) => (s.latest.get(month, kind, scope) ?? 0) + 1;
  const files = await renderMonthDocuments(ctx, month, targets, (kind, scope) => ({ number: next(kind, scope), date: createdAt }));
  const planned = files.map((f) => ({ ...f, version: next(f.kind, f.scope) }));
  ctx.sqlite
    .transaction(() => {
      for (const f of planned) {
        if (next(f.kind, f.scope) !== f.version) continue;
        s.insert.run({ month, kind: f.kind, scope: f.scope, version: f.version, reason: cause.reason, reference: cause.reference ?? null, createdAt, pdf: f.file.body, sha256: sha256Bytes(f.file.body) });
      }
    })
    .immediate();
}

/** The latest stored version of a closed month's document (recording v1 on first use); undefined for an open month. */
export async function latestMonthDocument(ctx: AppContext, month: string, kind: MonthDocumentKind, scope: number): Promise<Buffer | undefined> {
  if (!isMonthClosed(ctx.sqlite, month)) return undefined;
  const s = sql(ctx.sqlite);
  if (s.latest.get(month, kind, scope) === null) {
    await recordMonthVersions(ctx, month, { reason: 'first_use' }, kind === 'summary' ? { summary: true, memberIds: [] } : { summary: false, memberIds: [scope] });
  }
  const version = s.latest.get(month, kind, scope);
  return version === null || version === undefined ? undefined : s.pdf.get(month, kind, scope, version);
}

/** `GET /api/statements/:month/:memberId/pdf`: the latest version once the month is closed, provisional before. */
export async function currentStatementPdf(ctx: AppContext, actor: Actor, month: string, memberId: number): Promise<RenderedFile> {
  assertMonth(month);
  if (!canActFor(actor, memberId)) throw notFound('member', memberId);
  const member = findMember(ctx.db, memberId);
  if (!member) throw notFound('member', memberId);
  const body = await latestMonthDocument(ctx, month, 'statement', memberId);
  return body ? { filename: statementName(month, member), contentType: 'application/pdf', body } : statementPdf(ctx, actor, month, memberId);
}

/** `GET /api/closings/:month/pdf`: the latest version once the month is closed, provisional before. */
export async function currentSummaryPdf(ctx: AppContext, month: string): Promise<RenderedFile> {
  assertMonth(month);
  const body = await latestMonthDocument(ctx, month, 'summary', 0);
  return body ? { filename: `synthese-${month}.pdf`, contentType: 'application/pdf', body } : summaryPdf(ctx, month);
}

/** `GET /api/closings/:month/versions`: every stored version; a member's users see only their statements'. */
export function listMonthVersions(ctx: AppContext, actor: Actor, month: string): MonthVersion[] {
  assertMonth(month);
  const zone = poleZone(ctx);
  return sql(ctx.sqlite)
    .list.all(month)
    .filter((r) => actor.role === 'coordinator' || (r.kind === 'statement' && canActFor(actor, r.scope)))
    .map((r) => ({
      month: r.month,
      kind: r.kind,
      memberId: r.kind === 'statement' ? r.scope : null,
      version: r.version,
      reason: r.reason,
      reference: r.reference,
      createdAt: DateTime.fromMillis(r.createdAt, { zone }).toISO({ suppressMilliseconds: true })!,
      sha256: r.sha256,
    }));
}

/** One stored version's PDF; a statement of another structure, or a version that does not exist, answers 404. */
export function monthVersionPdf(ctx: AppContext, actor: Actor, month: string, kind: MonthDocumentKind, scope: number, version: number): RenderedFile {
  assertMonth(month);
  if (kind === 'statement' && !canActFor(actor, scope)) throw notFound('member', scope);
  const body = sql(ctx.sqlite).pdf.get(month, kind, scope, version);
  if (!body) throw notFound('document_version', `${month}/${kind}/${scope}/v${version}`);
  const name = kind === 'summary' ? `synthese-${month}-v${version}.pdf` : `releve-${month}-${scope}-v${version}.pdf`;
  return { filename: name, contentType: 'application/pdf', body };
}
