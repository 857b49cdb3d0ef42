import type { Clock } from '../shared/clock';
import type { SessionRepository, SessionWithUser } from './repository';
import { hashSecret, randomToken, secretMatches } from './tokens';

/**
 * Sessions as Lucia's guide (lucia-auth.com, "Sessions") now describes them, built on @oslojs: the token
 * handed to the browser is `${id}.${secret}`; the id is a lookup key and only SHA-256(secret) is stored,
 * so a leaked database holds no usable token. A session ends after `idleMs` without use or `absoluteMs`
 * after login, whichever comes first.
 */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

/** Refresh last-use at most this often, so that reads do not turn into writes on every request. */
const ACTIVITY_WRITE_INTERVAL_MS = 60_000;

export function createSessionManager(repo: SessionRepository, clock: Clock, policy: SessionPolicy) {
  return {
    create(userId: number): { token: string; id: string; expiresAt: number } {
      const id = randomToken(15);
      const secret = randomToken(20); // 160 bits
      const now = clock.now();
      repo.insert({ id, secretHash: Buffer.from(hashSecret(secret)), userId, createdAt: now, lastVerifiedAt: now });
      return { id, token: `${id}.${secret}`, expiresAt: Math.min(now + policy.idleMs, now + policy.absoluteMs) };
    },

    /** The session and its user, or null when the token is unknown, forged, expired or the user disabled. */
    validate(token: string | undefined): SessionWithUser | null {
      if (!token) return null;
      const dot = token.indexOf('.');
      if (dot <= 0 || token.length > 200) return null;
      const id = token.slice(0, dot);
      const secret = token.slice(dot + 1);
      const found = repo.findWithUser(id);
      if (!found) return null;
      if (!secretMatches(secret, found.secretHash)) return null;
      const now = clock.now();
      if (now - found.createdAt >= policy.absoluteMs || now - found.lastVerifiedAt >= policy.idleMs || !found.user.active) {
        repo.delete(id);
        return null;
      }
      if (now - found.lastVerifiedAt >= ACTIVITY_WRITE_INTERVAL_MS) {
        repo.touch(id, now);
        found.lastVerifiedAt = now;
      }
      return found;
    },

    invalidate(id: string): void {
      repo.delete(id);
    },

    invalidateAllForUser(userId: number): void {
      repo.deleteForUser(userId);
    },

    /** The user's sessions (their ids are lookup keys, not secrets), most recently used first. */
    listForUser(userId: number) {
      return repo.listForUser(userId);
    },

    /** After a password change: every other device must sign in again, the one that changed it stays. */
    invalidateOthersForUser(userId: number, keptSessionId: string): void {
      repo.deleteOthersForUser(userId, keptSessionId);
    },
  };
}

export type SessionManager = ReturnType<typeof createSessionManager>;
