import type { Sqlite } from '../../db/index';
import type { MailKind } from './kinds';

export interface OutboxRow {
  id: number;
  messageId: string;
  kind: MailKind | 'digest';
  recipientUserId: number | null;
  memberId: number | null;
  toAddress: string;
  ccAddress: string | null;
  lang: 'fr' | 'en';
  payload: string;
  digest: boolean;
  status: 'pending' | 'sent' | 'dead';
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

export type NewOutboxRow = Pick<OutboxRow, 'messageId' | 'kind' | 'recipientUserId' | 'memberId' | 'toAddress' | 'ccAddress' | 'lang' | 'payload' | 'digest' | 'nextAttemptAt' | 'createdAt'>;

const COLUMNS = `id, message_id AS messageId, kind, recipient_user_id AS recipientUserId, member_id AS memberId, to_address AS toAddress,
  cc_address AS ccAddress, lang, payload, digest, status, attempts, next_attempt_at AS nextAttemptAt, last_error AS lastError,
  created_at AS createdAt, sent_at AS sentAt`;

/** The payload without its `secret` member (unchanged when it has none). */
const WITHOUT_SECRET = "CASE WHEN json_type(payload, '$.secret') IS NULL THEN payload ELSE json_remove(payload, '$.secret') END";

const fix = (r: OutboxRow): OutboxRow => ({ ...r, digest: Boolean(r.digest) });

export interface Recipient {
  userId: number;
  email: string;
  lang: 'fr' | 'en';
  mode: 'immediate' | 'digest';
  disabled: string[];
}

/** Prepared once per connection: enqueueing runs inside every booking's transaction. */
const cache = new WeakMap<Sqlite, ReturnType<typeof prepare>>();
function prepare(sqlite: Sqlite) {
  return {
    insert: sqlite.prepare(
      `INSERT INTO outbox (message_id, kind, recipient_user_id, member_id, to_address, cc_address, lang, payload, digest, next_attempt_at, created_at)
       VALUES (@messageId, @kind, @recipientUserId, @memberId, @toAddress, @ccAddress, @lang, @payload, @digest, @nextAttemptAt, @createdAt)
       ON CONFLICT (message_id) DO NOTHING`,
    ),
    recipient: sqlite.prepare(
      `SELECT u.id AS userId, u.email, coalesce(p.lang, 'fr') AS lang, coalesce(p.mode, 'immediate') AS mode, coalesce(p.disabled, '[]') AS disabled
         FROM users u LEFT JOIN notification_preferences p ON p.user_id = u.id WHERE u.id = ? AND u.active = 1`,
    ),
    coordinators: sqlite.prepare("SELECT id FROM users WHERE role = 'coordinator' AND active = 1 ORDER BY id").pluck(),
  };
}
const stmts = (sqlite: Sqlite) => {
  let s = cache.get(sqlite);
  if (!s) cache.set(sqlite, (s = prepare(sqlite)));
  return s;
};

const repositories = new WeakMap<Sqlite, ReturnType<typeof createOutboxRepository>>();
/** One repository per connection (enqueueing runs in every booking: no allocation per call). */
export function outboxRepository(sqlite: Sqlite) {
  let repo = repositories.get(sqlite);
  if (!repo) repositories.set(sqlite, (repo = createOutboxRepository(sqlite)));
  return repo;
}

function createOutboxRepository(sqlite: Sqlite) {
  const s = stmts(sqlite);
  return {
    /** A repeat of the same message id is ignored: enqueueing is idempotent. */
    insert(row: NewOutboxRow): void {
      s.insert.run({ ...row, digest: row.digest ? 1 : 0 });
    },
    recipient(userId: number): Recipient | null {
      const r = s.recipient.get(userId) as (Omit<Recipient, 'disabled'> & { disabled: string }) | undefined;
      return r ? { ...r, disabled: r.disabled === '[]' ? [] : (JSON.parse(r.disabled) as string[]) } : null;
    },
    coordinatorIds: () => s.coordinators.all() as number[],

    /** Due rows nobody is working on, oldest first, claimed until `claimUntil` in the same statement. */
    claimDue(now: number, claimUntil: number, limit: number): OutboxRow[] {
      return (
        sqlite
          .prepare(
            `UPDATE outbox SET claimed_until = ? WHERE id IN (
               SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
               ORDER BY next_attempt_at, id LIMIT ?)
             RETURNING ${COLUMNS}`,
          )
          .all(claimUntil, now, now, limit) as OutboxRow[]
      )
        .map(fix)
        .sort((a, b) => a.id - b.id);
    },
    /** The recipient's other digest rows due by `now`, claimed with it. */
    claimDigestGroup(recipientUserId: number, now: number, claimUntil: number): OutboxRow[] {
      return (
        sqlite
          .prepare(
            `UPDATE outbox SET claimed_until = ? WHERE status = 'pending' AND digest = 1 AND recipient_user_id = ? AND next_attempt_at <= ?
               AND (claimed_until IS NULL OR claimed_until <= ?) RETURNING ${COLUMNS}`,
          )
          .all(claimUntil, recipientUserId, now, now) as OutboxRow[]
      ).map(fix);
    },
    /** Sent: a payload's `secret` (a password link's) is erased in the same statement. */
    markSent(ids: number[], now: number): void {
      const stmt = sqlite.prepare(`UPDATE outbox SET status = 'sent', sent_at = ?, claimed_until = NULL, last_error = NULL, payload = ${WITHOUT_SECRET} WHERE id = ?`);
      sqlite.transaction(() => ids.forEach((id) => stmt.run(now, id)))();
    },
    markFailed(ids: number[], error: string, next: (attempts: number) => number | null): void {
      const get = sqlite.prepare('SELECT attempts FROM outbox WHERE id = ?').pluck();
      const stmt = sqlite.prepare("UPDATE outbox SET attempts = ?, status = ?, next_attempt_at = coalesce(?, next_attempt_at), last_error = ?, claimed_until = NULL WHERE id = ?");
      const bury = sqlite.prepare(`UPDATE outbox SET payload = ${WITHOUT_SECRET} WHERE id = ?`);
      sqlite.transaction(() => {
        for (const id of ids) {
          const attempts = (get.get(id) as number) + 1;
          const at = next(attempts);
          stmt.run(attempts, at === null ? 'dead' : 'pending', at, error.slice(0, 500), id);
          // A dead letter is not sent again by itself: its secret has no use left either.
          if (at === null) bury.run(id);
        }
      })();
    },
    list(filter: { status?: string; limit: number }): OutboxRow[] {
      const where = filter.status ? 'WHERE status = ?' : '';
      const args: (string | number)[] = filter.status ? [filter.status, filter.limit] : [filter.limit];
      return (sqlite.prepare(`SELECT ${COLUMNS} FROM outbox ${where} ORDER BY id DESC LIMIT ?`).all(...args) as OutboxRow[]).map(fix);
    },
    find(id: number): OutboxRow | null {
      const r = sqlite.prepare(`SELECT ${COLUMNS} FROM outbox WHERE id = ?`).get(id) as OutboxRow | undefined;
      return r ? fix(r) : null;
    },
    /** A dead letter back to pending, due now, with its attempts counted afresh. */
    revive(id: number, now: number): void {
      sqlite.prepare("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, claimed_until = NULL WHERE id = ?").run(now, id);
    },
  };
}
