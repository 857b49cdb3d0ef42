import type { Sqlite } from '../../db/index';
import type { Role } from '../../db/schema/enums';
import { referenceCache } from '../shared/reference-cache';

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
}

type SessionUser = SessionWithUser['user'];

/**
 * Prepared statements: session lookup runs on every authenticated request. It is one primary-key read of the
 * session (with its secret's hash); the user (role, member, active) comes from the reference cache, which any
 * write to users invalidates.
 */
export function createSessionRepository(sqlite: Sqlite) {
  const insert = sqlite.prepare(
    'INSERT INTO sessions (id, secret_hash, user_id, created_at, last_verified_at) VALUES (@id, @secretHash, @userId, @createdAt, @lastVerifiedAt)',
  );
  const find = sqlite.prepare<[string], SessionRow>('SELECT id, secret_hash, created_at, last_verified_at, user_id FROM sessions WHERE id = ?');
  const findUser = sqlite.prepare<[number], { id: number; email: string; name: string; role: Role; memberId: number | null; active: number }>(
    'SELECT id, email, name, role, member_id AS memberId, active FROM users WHERE id = ?',
  );
  const userOf = (id: number): SessionUser | undefined =>
    referenceCache(sqlite).get('user.session', id, () => {
      const u = findUser.get(id);
      return u && { id: u.id, email: u.email, name: u.name, role: u.role, memberId: u.memberId, active: u.active === 1 };
    });
  const touch = sqlite.prepare('UPDATE sessions SET last_verified_at = ? WHERE id = ?');
  const remove = sqlite.prepare('DELETE FROM sessions WHERE id = ?');
  const removeForUser = sqlite.prepare('DELETE FROM sessions WHERE user_id = ?');
  const removeOthersForUser = sqlite.prepare('DELETE FROM sessions WHERE user_id = ? AND id <> ?');
  const listForUser = sqlite.prepare<[number], { id: string; createdAt: number; lastVerifiedAt: number }>(
    'SELECT id, created_at AS createdAt, last_verified_at AS lastVerifiedAt FROM sessions WHERE user_id = ? ORDER BY last_verified_at DESC',
  );

  return {
    insert(row: { id: string; secretHash: Buffer; userId: number; createdAt: number; lastVerifiedAt: number }) {
      insert.run(row);
    },
    findWithUser(id: string): SessionWithUser | null {
      const row = find.get(id);
      if (!row) return null;
      const user = userOf(row.user_id);
      if (!user) return null;
      return { id: row.id, secretHash: row.secret_hash, createdAt: row.created_at, lastVerifiedAt: row.last_verified_at, user };
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
    listForUser(userId: number) {
      return listForUser.all(userId);
    },
  };
}

export type SessionRepository = ReturnType<typeof createSessionRepository>;
