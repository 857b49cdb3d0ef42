import type { Sqlite } from '../../db/index';
import type { StoredAuditRow } from './chain';

export interface AuditFilter {
  objectType?: string;
  objectId?: string;
  userId?: number;
  /** Rows naming this structure (a member_admin's own, always). */
  memberId?: number;
  /** Instants, ms: from inclusive, to exclusive. */
  from?: number;
  to?: number;
  /** Rows with an id below this one (the next page). */
  beforeId?: number;
  limit: number;
}

export interface AuditListRow extends StoredAuditRow {
  userName: string | null;
  userEmail: string | null;
}

const COLUMNS = `a.id, a.at, a.user_id AS userId, a.member_ids AS memberIds, a.action, a.object_type AS objectType, a.object_id AS objectId,
  a.before, a.after, a.ip, a.route, a.prev_hash AS prevHash, a.hash`;

export function auditRepository(sqlite: Sqlite) {
  return {
    /** Newest first. */
    list(f: AuditFilter): AuditListRow[] {
      const where: string[] = [];
      const args: (string | number)[] = [];
      const add = (clause: string, ...values: (string | number)[]) => {
        where.push(clause);
        args.push(...values);
      };
      if (f.objectType !== undefined) add('a.object_type = ?', f.objectType);
      if (f.objectId !== undefined) add('a.object_id = ?', f.objectId);
      if (f.userId !== undefined) add('a.user_id = ?', f.userId);
      if (f.memberId !== undefined) add("instr(a.member_ids, ',' || ? || ',') > 0", String(f.memberId));
      if (f.from !== undefined) add('a.at >= ?', f.from);
      if (f.to !== undefined) add('a.at < ?', f.to);
      if (f.beforeId !== undefined) add('a.id < ?', f.beforeId);
      return sqlite
        .prepare(
          `SELECT ${COLUMNS}, u.name AS userName, u.email AS userEmail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id
           ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.id DESC LIMIT ?`,
        )
        .all(...args, f.limit) as AuditListRow[];
    },

    /** Every row in chain order, for the integrity check. */
    all(): StoredAuditRow[] {
      return sqlite.prepare(`SELECT ${COLUMNS} FROM audit_log a ORDER BY a.id`).all() as StoredAuditRow[];
    },

    /** The last id AUTOINCREMENT gave (0 when none): rows deleted at the end leave it above the last row. */
    lastIdGiven(): number {
      return (sqlite.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'").pluck().get() as number | undefined) ?? 0;
    },
  };
}
