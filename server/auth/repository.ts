import type { Sqlite } from '../../db/index';
import type { Role } from '../../db/schema/enums';

export interface SessionWithUser {
  id: string;
  secretHash: Uint8Array;
  createdAt: number;
  lastVerifiedAt: number;
  user: { id: number; email: string; name: string; role: Role; memberId: number | null; active: boolean };
}

interface SessionRow {
  id: string;
  secret_hash: Buffer;
  created_at: number;
  last_verified_at: number;
  user_id: number;
  email: string;
  name: string;
  role: Role;
  member_id: number | null;
  active: number;
}

/** Prepared statements: session lookup runs on every authenticated request. */
export function createSessionRepository(sqlite: Sqlite) {
  const insert = sqlite.prepare(
    'INSERT INTO sessions (id, secret_hash, user_id, created_at, last_verified_at) VALUES (@id, @secretHash, @userId, @createdAt, @lastVerifiedAt)',
  );
  const find = sqlite.prepare<[string], SessionRow>(
    `SELECT s.id, s.secret_hash, s.created_at, s.last_verified_at, u.id AS user_id, u.email, u.name, u.role, u.member_id, u.active
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
  );
  const touch = sqlite.prepare('UPDATE sessions SET last_verified_at = ? WHERE id = ?');
  const remove = sqlite.prepare('DELETE FROM sessions WHERE id = ?');
  const removeForUser = sqlite.prepare('DELETE FROM sessions WHERE user_id = ?');
  const removeOthersForUser = sqlite.prepare('DELETE FROM sessions WHERE user_id = ? AND id <> ?');

  return {
    insert(row: { id: string; secretHash: Buffer; userId: number; createdAt: number; lastVerifiedAt: number }) {
      insert.run(row);
    },
    findWithUser(id: string): SessionWithUser | null {
      const row = find.get(id);
      if (!row) return null;
      return {
        id: row.id,
        secretHash: new Uint8Array(row.secret_hash),
        createdAt: row.created_at,
        lastVerifiedAt: row.last_verified_at,
        user: { id: row.user_id, email: row.email, name: row.name, role: row.role, memberId: row.member_id, active: row.active === 1 },
      };
    },
    touch(id: string, at: number) {
      touch.run(at, id);
    },
    delete(id: string) {
      remove.run(id);
    },
    deleteForUser(userId: number) {
      removeForUser.run(userId);
    },
    deleteOthersForUser(userId: number, keptSessionId: string) {
      removeOthersForUser.run(userId, keptSessionId);
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
