import type Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { systemClock, type Clock } from '../shared/clock';
import { auditHash, GENESIS_HASH, type AuditContent } from './chain';
import { auditScope } from './scope';

/**
 * The audit trail is written by TEMP triggers that every connection installs on open (db/index.ts): AFTER
 * INSERT/UPDATE/DELETE on every table not listed below, so each change is recorded in its own transaction (a
 * rolled-back write leaves no row), a new table or a new column is audited without anyone remembering to, and
 * no service has to call anything. The triggers are built from the live schema (PRAGMA table_info), which is
 * why they are temporary rather than in a migration: a later migration adding a column cannot leave them stale.
 * Who and from where come from the request being served (scope.ts); when comes from the app's clock.
 */

/** Tables whose changes are not audited, and why. */
export const NOT_AUDITED: Readonly<Record<string, string>> = {
  audit_log: 'the trail itself',
  sessions: 'audited as login.success / session.end below; the last-use touch is no change',
  allocation_rows: 'computed by a close, which is audited through its closing row',
  allocation_resources: 'computed by a close, which is audited through its closing row',
  invoice_counters: 'follows the invoices, which are audited',
  reference_version: 'a cache stamp with no content',
  accounting_exports: 'a download journal, written by reads',
  outbox: 'mails are a log of their own; a coordinator’s retry is recorded as an outbox.retry event',
  notices: 'a booking change’s mails waiting to be addressed, deleted once in the outbox; the change itself is audited',
};

const REDACTED_COLUMN = /(^|_)(password_hash|secret_hash|token_hash|secret)$/;

const TYPE_OF_TABLE: Record<string, string> = { settlement_records: 'settlement', booking_series: 'booking_series', pole: 'pole' };
export const objectTypeOf = (table: string) => TYPE_OF_TABLE[table] ?? table.replace(/ies$/, 'y').replace(/s$/, '');

interface Column {
  name: string;
  type: string;
  pk: number;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

function rowJson(columns: Column[], row: 'NEW' | 'OLD'): string {
  if (columns.length > 63) throw new Error('audit: json_object takes at most 127 arguments; split the row');
  const parts = columns.map((c) => {
    const v = `${row}.${q(c.name)}`;
    if (REDACTED_COLUMN.test(c.name)) return `'${c.name}', CASE WHEN ${v} IS NULL THEN NULL ELSE '[redacted]' END`;
    if (/blob/i.test(c.type)) return `'${c.name}', CASE WHEN ${v} IS NULL THEN NULL ELSE 'sha256:' || mutualise_sha256(${v}) END`;
    return `'${c.name}', ${v}`;
  });
  return `json_object(${parts.join(', ')})`;
}

/** The structures a row belongs to, for a member_admin's view: `,3,7,`. */
function memberExprs(table: string, columns: Column[], row: 'NEW' | 'OLD'): string[] {
  if (table === 'members') return [`${row}.id`];
  if (table === 'pole') return []; // pole-wide settings, though they name the carrier and grouping members
  if (table === 'payments') {
    return ['seller_member_id', 'buyer_member_id'].map((c) => `(SELECT ${c} FROM main.invoices WHERE id = ${row}.invoice_id)`);
  }
  return columns.filter((c) => c.name === 'member_id' || c.name.endsWith('_member_id')).map((c) => `${row}.${q(c.name)}`);
}

const memberList = (exprs: string[]) => (exprs.length ? `',' || ${exprs.map((e) => `coalesce(${e}, '')`).join(` || ',' || `)} || ','` : 'NULL');

function idExpr(columns: Column[], row: 'NEW' | 'OLD'): string {
  const pk = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  if (!pk.length) return `CAST(${row}.rowid AS TEXT)`;
  return pk.map((c) => `CAST(${row}.${q(c.name)} AS TEXT)`).join(` || ':' || `);
}

interface RowValues {
  action: string;
  objectType: string;
  objectId: string;
  members: string;
  before: string;
  after: string;
  /** SQL giving the acting user when the request has none (or always, when `forceUser`). */
  user?: string;
  forceUser?: boolean;
}

/** One INSERT of an audit row; the row's content and hash come from mutualise_audit_row in one call. */
function insertAudit(v: RowValues): string {
  const fields: (keyof AuditContent | 'hash')[] = ['at', 'userId', 'memberIds', 'action', 'objectType', 'objectId', 'before', 'after', 'ip', 'route', 'prevHash', 'hash'];
  return `INSERT INTO main.audit_log (at, user_id, member_ids, action, object_type, object_id, before, after, ip, route, prev_hash, hash)
  SELECT ${fields.map((f) => `json_extract(r, '$.${f}')`).join(', ')}
  FROM (SELECT mutualise_audit_row(${v.action}, ${v.objectType}, ${v.objectId}, ${v.members}, ${v.before}, ${v.after},
    (SELECT hash FROM main.audit_log ORDER BY id DESC LIMIT 1), ${v.user ?? 'NULL'}, ${v.forceUser ? 1 : 0}) AS r);`;
}

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function tableTriggers(table: string, columns: Column[]): string[] {
  const type = objectTypeOf(table);
  const t = q(table);
  const out: string[] = [];
  const make = (op: 'INSERT' | 'UPDATE' | 'DELETE', body: string, when = '') =>
    out.push(`CREATE TEMP TRIGGER ${q(`audit_${table}_${op.toLowerCase()}`)} AFTER ${op} ON main.${t}${when ? ` WHEN ${when}` : ''} BEGIN ${body} END;`);
  const common = { objectType: lit(type) };
  make('INSERT', insertAudit({ ...common, action: lit(`${type}.create`), objectId: idExpr(columns, 'NEW'), members: memberList(memberExprs(table, columns, 'NEW')), before: 'NULL', after: rowJson(columns, 'NEW') }));
  make(
    'UPDATE',
    insertAudit({
      ...common,
      action: lit(`${type}.update`),
      objectId: idExpr(columns, 'NEW'),
      members: memberList([...memberExprs(table, columns, 'OLD'), ...memberExprs(table, columns, 'NEW')]),
      before: rowJson(columns, 'OLD'),
      after: rowJson(columns, 'NEW'),
    }),
    `${rowJson(columns, 'OLD')} IS NOT ${rowJson(columns, 'NEW')}`,
  );
  make('DELETE', insertAudit({ ...common, action: lit(`${type}.delete`), objectId: idExpr(columns, 'OLD'), members: memberList(memberExprs(table, columns, 'OLD')), before: rowJson(columns, 'OLD'), after: 'NULL' }));
  return out;
}

/** A login is a session created, a logout or expiry a session deleted; the object is the user. */
function sessionTriggers(): string[] {
  const members = (row: string) => memberList([`(SELECT member_id FROM main.users WHERE id = ${row}.user_id)`]);
  return [
    `CREATE TEMP TRIGGER "audit_sessions_insert" AFTER INSERT ON main.sessions BEGIN ${insertAudit({
      action: "'login.success'",
      objectType: "'user'",
      objectId: 'CAST(NEW.user_id AS TEXT)',
      members: members('NEW'),
      before: 'NULL',
      after: "json_object('sessionCreatedAt', NEW.created_at)",
      user: 'NEW.user_id',
      forceUser: true,
    })} END;`,
    `CREATE TEMP TRIGGER "audit_sessions_delete" AFTER DELETE ON main.sessions BEGIN ${insertAudit({
      action: "'session.end'",
      objectType: "'user'",
      objectId: 'CAST(OLD.user_id AS TEXT)',
      members: members('OLD'),
      before: "json_object('sessionCreatedAt', OLD.created_at, 'lastVerifiedAt', OLD.last_verified_at)",
      after: 'NULL',
      user: 'OLD.user_id',
    })} END;`,
  ];
}

/** `,,3,3,7,` (nulls and repeats, as the triggers concatenate them) → `,3,7,`; none → null. */
function normaliseMembers(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const ids = [...new Set(raw.split(',').filter(Boolean))].sort((a, b) => Number(a) - Number(b));
  return ids.length ? `,${ids.join(',')},` : null;
}

export interface AuditHooks {
  /** The app's clock (buildApp sets it); the system clock for scripts. */
  clock: Clock;
}

/** Registers the functions the triggers call and (re)creates the triggers on this connection. */
export function installAudit(sqlite: Database.Database): AuditHooks {
  const hooks: AuditHooks = { clock: systemClock };
  sqlite.function('mutualise_sha256', { deterministic: true }, (value: unknown) =>
    createHash('sha256').update(value as Buffer).digest('hex'),
  );
  sqlite.function(
    'mutualise_audit_row',
    { deterministic: false },
    (action: unknown, objectType: unknown, objectId: unknown, memberIds: unknown, before: unknown, after: unknown, prev: unknown, user: unknown, force: unknown) => {
      const scope = auditScope.getStore();
      const fallback = typeof user === 'number' ? user : null;
      const content: AuditContent = {
        at: hooks.clock.now(),
        userId: force ? fallback : (scope?.userId() ?? fallback),
        memberIds: normaliseMembers(memberIds),
        action: action as string,
        objectType: objectType as string,
        objectId: objectId === null ? null : String(objectId),
        before: (before as string | null) ?? null,
        after: (after as string | null) ?? null,
        ip: scope?.ip ?? null,
        route: scope?.route ?? null,
        prevHash: (prev as string | null) ?? GENESIS_HASH,
      };
      return JSON.stringify({ ...content, hash: auditHash(content) });
    },
  );
  const hasTrail = sqlite.prepare("SELECT 1 FROM main.sqlite_master WHERE type = 'table' AND name = 'audit_log'").get();
  if (!hasTrail) return hooks; // a database older than the trail (restoring, migrating): nothing to install
  const tables = sqlite
    .prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name")
    .pluck()
    .all() as string[];
  const statements = [...sessionTriggers()];
  for (const table of tables) {
    if (table in NOT_AUDITED) continue;
    statements.push(...tableTriggers(table, sqlite.prepare(`PRAGMA main.table_info(${q(table)})`).all() as Column[]));
  }
  const existing = sqlite.prepare("SELECT name FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'audit\\_%' ESCAPE '\\'").pluck().all() as string[];
  sqlite.transaction(() => {
    for (const name of existing) sqlite.exec(`DROP TRIGGER temp.${q(name)}`);
    for (const s of statements) sqlite.exec(s);
  })();
  return hooks;
}

/** An audit row for an event that changes no audited table (a failed login, a lockout), through the same chain. */
export function recordAuditEvent(
  sqlite: Database.Database,
  e: { action: string; objectType: string; objectId: string | null; memberIds?: number[]; userId: number | null; after?: unknown },
): void {
  const members = e.memberIds?.length ? `,${e.memberIds.join(',')},` : null;
  sqlite
    .prepare(
      insertAudit({ action: '?', objectType: '?', objectId: '?', members: '?', before: 'NULL', after: '?', user: '?', forceUser: true }).replace(/;$/, ''),
    )
    .run(e.action, e.objectType, e.objectId, members, e.after === undefined ? null : JSON.stringify(e.after), e.userId);
}
