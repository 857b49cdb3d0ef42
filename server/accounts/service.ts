import type { AppContext } from '../context';
import { hashPassword } from '../auth/passwords';
import type { SessionManager } from '../auth/sessions';
import { createWindowCounter } from '../auth/rate-limit';
import { hashSecret, randomToken, secretMatches } from '../auth/tokens';
import { notify } from '../notifications/enqueue';
import type { PasswordResetPayload } from '../notifications/kinds';
import { outboxRepository } from '../notifications/repository';
import { poleZone } from '../pole/repository';
import { findUser, findUserByEmail } from '../users/repository';
import { getUserFor } from '../users/service';
import type { Actor } from '../shared/actor';
import { AppError, forbidden } from '../shared/errors';
import { accountTokenRepository, type AccountTokenRow } from './repository';

export const INVITATION_TTL_MS = 7 * 86_400_000;
export const RESET_TTL_MS = 60 * 60_000;

/** One answer for a link that is unknown, forged, used, replaced or expired: nothing to learn from which. */
const invalidLink = () => new AppError(404, 'account.link_invalid', 'This link is no longer valid: ask for a new one');

function issue(ctx: AppContext, userId: number, purpose: AccountTokenRow['purpose'], createdBy: number | null) {
  const id = randomToken(15);
  const secret = randomToken(20);
  const now = ctx.clock.now();
  const expiresAt = now + (purpose === 'invitation' ? INVITATION_TTL_MS : RESET_TTL_MS);
  ctx.sqlite.transaction(() =>
    accountTokenRepository(ctx.sqlite).replace({ id, secretHash: Buffer.from(hashSecret(secret)), userId, purpose, createdAt: now, expiresAt, createdBy }),
  )();
  return { id, secret, expiresAt };
}

const linkOf = (ctx: AppContext, link: { id: string; secret: string; expiresAt: number }) => ({
  url: new URL(`/set-password#${link.id}.${link.secret}`, ctx.config.publicUrl).toString(),
  expiresAt: new Date(link.expiresAt).toISOString(),
});

/**
 * `POST /api/users/:id/invitation`: a link for the user to set its password, for its admin to pass on (the
 * outbox mails it once notifications are configured). Only who may administer the user makes one.
 */
export function inviteUser(ctx: AppContext, actor: Actor, userId: number) {
  const user = getUserFor(ctx, actor, userId);
  const adminOfUser = actor.role === 'coordinator' || (actor.role === 'member_admin' && user.memberId === actor.memberId);
  if (!adminOfUser) throw forbidden('Only an administrator of this user invites it');
  if (!user.active) throw new AppError(422, 'account.user_inactive', 'Enable this user before inviting it');
  return linkOf(ctx, issue(ctx, user.id, 'invitation', actor.userId));
}

/** A mailbox gets at most this many reset mails an hour, whoever asks: nobody floods it, or spends its links. */
export const RESETS_PER_EMAIL_PER_HOUR = 3;

/**
 * `POST /api/auth/password-reset`, the part that happens after the answer (which is the same whatever the
 * address): for an active user, a reset link (it replaces any earlier unused link) and its mail, in one
 * transaction. The mail goes to the address at once, whatever the user's notification settings; its link's
 * secret lives in the outbox only until the mail is delivered. Unknown, inactive and over-limit addresses
 * change nothing.
 */
export function createPasswordResets(ctx: AppContext) {
  const perEmail = createWindowCounter(RESETS_PER_EMAIL_PER_HOUR, 3_600_000);
  return function requestPasswordReset(email: string): void {
    const key = email.trim().toLowerCase();
    const now = ctx.clock.now();
    if (perEmail.retryAfterSeconds(key, now) > 0) return;
    perEmail.hit(key, now);
    const user = findUserByEmail(ctx.db, key);
    if (!user || !user.active) return;
    ctx.sqlite.transaction(() => {
      const link = issue(ctx, user.id, 'reset', null);
      const lang = outboxRepository(ctx.sqlite).recipient(user.id)?.lang ?? 'fr';
      const payload: PasswordResetPayload = { name: user.name, email: user.email, tokenId: link.id, secret: link.secret, expiresAtMs: link.expiresAt, zone: poleZone(ctx.sqlite) };
      notify(ctx, [{ kind: 'account.password_reset', key: `account.password_reset.${link.id}`, address: user.email, lang, memberId: user.memberId, payload }]);
    })();
  };
}

function validToken(ctx: AppContext, token: string): AccountTokenRow {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 200) throw invalidLink();
  const row = accountTokenRepository(ctx.sqlite).find(token.slice(0, dot));
  if (!row || !secretMatches(token.slice(dot + 1), row.secretHash) || row.usedAt !== null || row.expiresAt <= ctx.clock.now()) throw invalidLink();
  return row;
}

/** `GET /api/auth/account-link`: whose link it is, for the page that sets the password. */
export function describeLink(ctx: AppContext, token: string) {
  const row = validToken(ctx, token);
  const user = findUser(ctx.db, row.userId);
  if (!user || !user.active) throw invalidLink();
  return { purpose: row.purpose, email: user.email, name: user.name, expiresAt: new Date(row.expiresAt).toISOString() };
}

/** `POST /api/auth/set-password`: once per link; every session of the user ends (whoever held one). */
export async function setPasswordWithLink(ctx: AppContext, sessions: SessionManager, token: string, password: string) {
  const row = validToken(ctx, token);
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  const done = ctx.sqlite.transaction(() => {
    const repo = accountTokenRepository(ctx.sqlite);
    if (!repo.use(row.id, now)) return false;
    repo.setPassword(row.userId, passwordHash);
    return true;
  })();
  // Two submissions of the same link: the second finds it used, inside the write transaction.
  if (!done) throw invalidLink();
  sessions.invalidateAllForUser(row.userId);
}
