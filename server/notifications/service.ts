import type { AppContext } from '../context';
import { recordAuditEvent } from '../audit/triggers';
import { assertAdminOf, type Actor } from '../shared/actor';
import { AppError, conflict, notFound, unprocessable } from '../shared/errors';
import { NOTIFICATION_KINDS, type MailKind, type NotificationKind } from './kinds';
import { messageText } from './messages';
import { emlFilesOf, outboxDirOf, readEml } from './eml-files';
import { outboxRepository, type OutboxRow } from './repository';

export interface Preferences {
  lang: 'fr' | 'en';
  mode: 'immediate' | 'digest';
  disabled: NotificationKind[];
  kinds: NotificationKind[];
}

/** One's own settings (coordinators may read anyone's, to help); anyone else's answer 404. */
function assertSelf(actor: Actor, userId: number, reading = false) {
  if (actor.userId === userId || (reading && actor.role === 'coordinator')) return;
  throw notFound('user', userId);
}

export function getPreferences(ctx: AppContext, actor: Actor, userId: number): Preferences {
  assertSelf(actor, userId, true);
  if (actor.userId !== userId && !ctx.sqlite.prepare('SELECT 1 FROM users WHERE id = ?').get(userId)) throw notFound('user', userId);
  const row = ctx.sqlite.prepare('SELECT lang, mode, disabled FROM notification_preferences WHERE user_id = ?').get(actor.userId) as
    | { lang: 'fr' | 'en'; mode: 'immediate' | 'digest'; disabled: string }
    | undefined;
  return { lang: row?.lang ?? 'fr', mode: row?.mode ?? 'immediate', disabled: row ? (JSON.parse(row.disabled) as NotificationKind[]) : [], kinds: [...NOTIFICATION_KINDS] };
}

export function setPreferences(ctx: AppContext, actor: Actor, userId: number, input: { lang: 'fr' | 'en'; mode: 'immediate' | 'digest'; disabled: string[] }): Preferences {
  assertSelf(actor, userId);
  const unknown = input.disabled.filter((k) => !(NOTIFICATION_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw unprocessable('notification.unknown_kind', `Unknown notification kind(s): ${unknown.join(', ')}`, { kinds: unknown });
  const disabled = [...new Set(input.disabled)].sort();
  ctx.sqlite
    .prepare(
      `INSERT INTO notification_preferences (user_id, lang, mode, disabled, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET lang = excluded.lang, mode = excluded.mode, disabled = excluded.disabled, updated_at = excluded.updated_at`,
    )
    .run(actor.userId, input.lang, input.mode, JSON.stringify(disabled), ctx.clock.now());
  return getPreferences(ctx, actor, userId);
}

export function getMailSettings(ctx: AppContext, actor: Actor, memberId: number): { memberId: number; billingEmail: string | null; accountantEmail: string | null } {
  assertAdminOf(actor, memberId);
  const row = ctx.sqlite
    .prepare('SELECT m.billing_email AS billingEmail, s.accountant_email AS accountantEmail FROM members m LEFT JOIN member_mail_settings s ON s.member_id = m.id WHERE m.id = ?')
    .get(memberId) as { billingEmail: string | null; accountantEmail: string | null } | undefined;
  if (!row) throw notFound('member', memberId);
  return { memberId, ...row };
}

export function setMailSettings(ctx: AppContext, actor: Actor, memberId: number, input: { accountantEmail: string | null }) {
  getMailSettings(ctx, actor, memberId);
  const email = input.accountantEmail?.trim().toLowerCase() || null;
  ctx.sqlite
    .prepare(
      `INSERT INTO member_mail_settings (member_id, accountant_email, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (member_id) DO UPDATE SET accountant_email = excluded.accountant_email, updated_at = excluded.updated_at`,
    )
    .run(memberId, email, ctx.clock.now());
  return getMailSettings(ctx, actor, memberId);
}

export interface OutboxView {
  id: number;
  kind: string;
  subject: string;
  toAddress: string;
  ccAddress: string | null;
  status: 'pending' | 'sent' | 'dead';
  digest: boolean;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Written as an .eml file (no SMTP) that `GET /api/outbox/:id/eml` serves. */
  eml: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

function viewOf(row: OutboxRow, eml = false): OutboxView {
  let subject: string = row.kind;
  try {
    subject = messageText(row.kind as MailKind, JSON.parse(row.payload), row.lang).subject;
  } catch {
    // a payload this version cannot read: its kind stands for it
  }
  return {
    id: row.id,
    kind: row.kind,
    subject,
    toAddress: row.toAddress,
    ccAddress: row.ccAddress,
    status: row.status,
    digest: row.digest,
    attempts: row.attempts,
    nextAttemptAt: iso(row.nextAttemptAt),
    lastError: row.lastError,
    createdAt: iso(row.createdAt),
    sentAt: row.sentAt === null ? null : iso(row.sentAt),
    eml,
  };
}

/** Without SMTP, the .eml files of these rows (one listing of the outbox directory); over SMTP none is kept. */
const emlFiles = (ctx: AppContext, rows: readonly OutboxRow[]) => (ctx.config.smtpUrl ? new Map<number, string>() : emlFilesOf(outboxDirOf(ctx.config), rows));

/** Coordinators: the outbox, newest first, optionally one status (`dead`: the dead letters). */
export function listOutbox(ctx: AppContext, q: { status?: 'pending' | 'sent' | 'dead'; limit?: number }): OutboxView[] {
  const rows = outboxRepository(ctx.sqlite).list({ ...(q.status ? { status: q.status } : {}), limit: q.limit ?? 100 });
  const files = emlFiles(ctx, rows);
  return rows.map((row) => viewOf(row, files.has(row.id)));
}

/**
 * Coordinators: the .eml file a mail was written to without SMTP (a digest row's: the digest's), as written. The
 * file is found from the row (never from a name the caller gives) and read only inside the outbox directory.
 */
export function outboxEml(ctx: AppContext, id: number): { filename: string; body: Buffer } {
  const row = outboxRepository(ctx.sqlite).find(id);
  if (!row) throw notFound('outbox', id);
  const name = emlFiles(ctx, [row]).get(id);
  if (!name) throw new AppError(404, 'outbox.no_file', row.status === 'sent' ? 'This mail left over SMTP or its file was removed: there is no .eml to download' : 'This mail is not sent yet: it has no .eml file');
  return { filename: name, body: readEml(outboxDirOf(ctx.config), name) };
}

/** A dead letter sent again (due now, attempts counted afresh); recorded in the audit trail. */
export function retryDeadLetter(ctx: AppContext, actor: Actor, id: number): OutboxView {
  const repo = outboxRepository(ctx.sqlite);
  return ctx.sqlite.transaction(() => {
    const row = repo.find(id);
    if (!row) throw notFound('outbox', id);
    if (row.status !== 'dead') throw conflict('outbox.not_dead', `Only a dead letter can be sent again; this one is ${row.status}`, { status: row.status });
    if (row.kind === 'account.password_reset') throw conflict('outbox.link_erased', 'A password link is never sent again: its owner asks for a new one', {});
    repo.revive(id, ctx.clock.now());
    recordAuditEvent(ctx.sqlite, { action: 'outbox.retry', objectType: 'outbox', objectId: String(id), userId: actor.userId, after: { messageId: row.messageId, to: row.toAddress } });
    return viewOf(repo.find(id)!);
  })();
}
