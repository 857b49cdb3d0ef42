import type { AppContext } from '../context';
import type { Table } from '../accounting/tabular';
import { poleZone } from '../pole/repository';
import { assertCoordinator, type Actor } from '../shared/actor';
import { badRequest } from '../shared/errors';
import { instantOfLocal } from '../shared/zone';
import { parseLocalDate } from '../shared/time';
import { verifyAuditChain, type AuditProblem } from './chain';
import { auditRepository, type AuditFilter, type AuditListRow } from './repository';

export interface AuditQuery {
  objectType?: string;
  objectId?: string;
  userId?: number;
  memberId?: number;
  /** Days in the pole's time zone, both included. */
  from?: string;
  to?: string;
  beforeId?: number;
  limit?: number;
}

export interface AuditEntry {
  id: number;
  at: string;
  userId: number | null;
  userName: string | null;
  action: string;
  objectType: string;
  objectId: string | null;
  before: unknown;
  after: unknown;
  /** Coordinators only: a structure's admin does not see the addresses others acted from. */
  ip?: string | null;
  route: string | null;
}

function dayStart(ctx: AppContext, date: string, name: string, plusDays = 0): number {
  const d = parseLocalDate(date);
  if (!d) throw badRequest('audit.invalid_date', `${name} is not a valid date`);
  return instantOfLocal(poleZone(ctx.sqlite), d.year, d.month, d.day + plusDays);
}

/** Filters as asked, limited to the actor's structure unless a coordinator. */
function filterFor(ctx: AppContext, actor: Actor, q: AuditQuery, limit: number): AuditFilter {
  if (actor.role === 'member') assertCoordinator(actor); // the route is for admins; a plain member never gets here
  const f: AuditFilter = { limit };
  if (q.objectType !== undefined) f.objectType = q.objectType;
  if (q.objectId !== undefined) f.objectId = q.objectId;
  if (q.userId !== undefined) f.userId = q.userId;
  if (q.beforeId !== undefined) f.beforeId = q.beforeId;
  if (q.from !== undefined) f.from = dayStart(ctx, q.from, 'from');
  if (q.to !== undefined) f.to = dayStart(ctx, q.to, 'to', 1);
  if (f.from !== undefined && f.to !== undefined && f.from >= f.to) throw badRequest('audit.invalid_period', 'from must not be after to');
  if (actor.role === 'coordinator') {
    if (q.memberId !== undefined) f.memberId = q.memberId;
  } else {
    // A member_admin sees its own structure's rows, whatever memberId it asks for.
    f.memberId = actor.memberId ?? -1;
    if (q.memberId !== undefined && q.memberId !== actor.memberId) f.limit = 0;
  }
  return f;
}

const parse = (json: string | null): unknown => (json === null ? null : JSON.parse(json));

function entryOf(row: AuditListRow, coordinator: boolean): AuditEntry {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    userId: row.userId,
    userName: row.userName,
    action: row.action,
    objectType: row.objectType,
    objectId: row.objectId,
    before: parse(row.before),
    after: parse(row.after),
    ...(coordinator ? { ip: row.ip } : {}),
    route: row.route,
  };
}

export function listAudit(ctx: AppContext, actor: Actor, q: AuditQuery): { items: AuditEntry[]; nextBeforeId: number | null } {
  const limit = q.limit ?? 100;
  const rows = auditRepository(ctx.sqlite).list(filterFor(ctx, actor, q, limit));
  const items = rows.map((r) => entryOf(r, actor.role === 'coordinator'));
  return { items, nextBeforeId: rows.length === limit && rows.length > 0 ? rows.at(-1)!.id : null };
}

/** The same rows as a spreadsheet (at most 50 000, newest first). */
export function auditTable(ctx: AppContext, actor: Actor, q: AuditQuery): Table {
  const coordinator = actor.role === 'coordinator';
  const rows = auditRepository(ctx.sqlite).list(filterFor(ctx, actor, q, 50_000));
  return {
    name: 'journal-audit',
    title: 'Journal d’audit',
    columns: [
      { key: 'id', header: 'N°', type: 'integer' },
      { key: 'at', header: 'Date (UTC)', type: 'text', width: 24 },
      { key: 'user', header: 'Utilisateur', type: 'text', width: 28 },
      { key: 'action', header: 'Action', type: 'text', width: 20 },
      { key: 'objectType', header: 'Objet', type: 'text' },
      { key: 'objectId', header: 'Id objet', type: 'text' },
      { key: 'before', header: 'Avant', type: 'text', width: 60 },
      { key: 'after', header: 'Après', type: 'text', width: 60 },
      ...(coordinator ? [{ key: 'ip', header: 'Adresse IP', type: 'text' as const }] : []),
      { key: 'route', header: 'Route', type: 'text', width: 30 },
      { key: 'hash', header: 'Empreinte', type: 'text', width: 64 },
    ],
    rows: rows.map((r) => ({
      id: r.id,
      at: new Date(r.at).toISOString(),
      user: r.userEmail ?? (r.userId === null ? '' : `#${r.userId}`),
      action: r.action,
      objectType: r.objectType,
      objectId: r.objectId,
      before: r.before,
      after: r.after,
      ip: r.ip,
      route: r.route,
      hash: r.hash,
    })),
  };
}

export interface AuditIntegrity {
  rows: number;
  problems: AuditProblem[];
}

/** The audit trail's chain, recomputed (`GET /api/integrity`, `npm run verify`). */
export function checkAuditChain(ctx: AppContext): AuditIntegrity {
  const repo = auditRepository(ctx.sqlite);
  const rows = repo.all();
  return { rows: rows.length, problems: verifyAuditChain(rows, repo.lastIdGiven()) };
}
