import type { Sqlite } from '../../db/index';

export interface AccountTokenRow {
  id: string;
  secretHash: Buffer;
  userId: number;
  purpose: 'invitation' | 'reset';
  expiresAt: number;
  usedAt: number | null;
}

export function accountTokenRepository(sqlite: Sqlite) {
  return {
    /** A new link for the user; its earlier unused links stop working (only the latest one is valid). */
    replace(row: Omit<AccountTokenRow, 'usedAt'> & { createdAt: number; createdBy: number | null }) {
      sqlite.prepare('UPDATE account_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL').run(row.createdAt, row.userId);
      sqlite
        .prepare(
          'INSERT INTO account_tokens (id, secret_hash, user_id, purpose, created_at, expires_at, created_by) VALUES (@id, @secretHash, @userId, @purpose, @createdAt, @expiresAt, @createdBy)',
        )
        .run(row);
    },
    find(id: string): AccountTokenRow | undefined {
      return sqlite
        .prepare('SELECT id, secret_hash AS secretHash, user_id AS userId, purpose, expires_at AS expiresAt, used_at AS usedAt FROM account_tokens WHERE id = ?')
        .get(id) as AccountTokenRow | undefined;
    },
    /** Marks the link used; false when it was used (or replaced) meanwhile. */
    use(id: string, at: number): boolean {
      return sqlite.prepare('UPDATE account_tokens SET used_at = ? WHERE id = ? AND used_at IS NULL AND expires_at > ?').run(at, id, at).changes === 1;
    },
    setPassword(userId: number, passwordHash: string) {
      sqlite.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(passwordHash, userId);
    },
  };
}
