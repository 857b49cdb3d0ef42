import type { AppContext } from '../context';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { SessionManager } from '../auth/sessions';
import { findMember } from '../members/repository';
import { assertAdminOf, canActFor, type Actor } from '../shared/actor';
import type { createWindowCounter } from '../auth/rate-limit';
import { badRequest, conflict, forbidden, notFound, tooManyRequests, unprocessable } from '../shared/errors';
import * as repo from './repository';
import type { UserCreate, UserPatch } from './schemas';

export function listUsersFor(ctx: AppContext, actor: Actor, memberId?: number) {
  if (actor.role === 'coordinator') return repo.listUsers(ctx.db, memberId);
  if (memberId !== undefined && memberId !== actor.memberId) throw notFound('member', memberId);
  return repo.listUsers(ctx.db, actor.memberId!);
}

export function getUserFor(ctx: AppContext, actor: Actor, id: number) {
  const user = repo.findUser(ctx.db, id);
  const visible = user && (actor.role === 'coordinator' || (user.memberId !== null && canActFor(actor, user.memberId)));
  if (!visible) throw notFound('user', id);
  return user;
}

function checkRoleAndMember(ctx: AppContext, actor: Actor, role: UserCreate['role'], memberId: number | null) {
  if (role === 'coordinator') {
    if (actor.role !== 'coordinator') throw forbidden('Only coordinators may create coordinators');
    if (memberId !== null) throw unprocessable('user.coordinator_has_no_member', 'A coordinator belongs to the whole pole, not to a member');
    return;
  }
  if (memberId === null) throw unprocessable('user.member_required', 'A member user needs a memberId');
  if (!findMember(ctx.db, memberId)) throw notFound('member', memberId);
  // An employee's account (its own timesheet and schedule) is opened by the coordinators who manage employees.
  if (role === 'staff' && actor.role !== 'coordinator') throw forbidden('Only coordinators open employee (staff) accounts');
  assertAdminOf(actor, memberId);
}

export async function createUser(ctx: AppContext, actor: Actor, input: UserCreate) {
  const memberId = input.role === 'coordinator' ? (input.memberId ?? null) : (input.memberId ?? (actor.role === 'coordinator' ? null : actor.memberId));
  checkRoleAndMember(ctx, actor, input.role, memberId);
  const email = input.email.trim().toLowerCase();
  if (repo.findUserByEmail(ctx.db, email)) throw conflict('user.email_taken', `A user with e-mail ${email} exists`);
  const passwordHash = await hashPassword(input.password);
  // Checked again after the await: another request may have taken the e-mail meanwhile.
  if (repo.findUserByEmail(ctx.db, email)) throw conflict('user.email_taken', `A user with e-mail ${email} exists`);
  return repo.insertUser(ctx.db, {
    email,
    name: input.name.trim(),
    role: input.role,
    memberId,
    passwordHash,
    active: true,
    createdAt: ctx.clock.now(),
  });
}

/**
 * Admins change their structure's users; anyone may change their own name and password (giving the current
 * one). Disabling a user, or changing its password, ends all its sessions; disabling also revokes its feeds.
 */
/**
 * Wrong current passwords per user, within the login window: a stolen session must not become a way to guess
 * the password (which would open the account's other sessions and its e-mail's reuse elsewhere).
 */
export type PasswordGuesses = ReturnType<typeof createWindowCounter>;

export async function patchUser(ctx: AppContext, sessions: SessionManager, guesses: PasswordGuesses, actor: Actor, id: number, patch: UserPatch) {
  const user = getUserFor(ctx, actor, id);
  const self = user.id === actor.userId;
  const adminOfUser = actor.role === 'coordinator' || (actor.role === 'member_admin' && user.memberId === actor.memberId);
  const selfOnly = Object.keys(patch).every((k) => k === 'name' || k === 'password' || k === 'currentPassword');
  if (!adminOfUser && !(self && selfOnly)) throw forbidden('You may not change this user');
  if (self && (patch.active === false || (patch.role !== undefined && patch.role !== user.role))) {
    throw unprocessable('user.cannot_demote_self', 'You cannot disable yourself or change your own role');
  }
  if (patch.role !== undefined && patch.role !== user.role) checkRoleAndMember(ctx, actor, patch.role, user.memberId);
  const email = patch.email?.trim().toLowerCase();
  if (email && email !== user.email && repo.findUserByEmail(ctx.db, email)) {
    throw conflict('user.email_taken', `A user with e-mail ${email} exists`);
  }
  if (patch.currentPassword !== undefined && !(self && patch.password)) {
    throw badRequest('user.current_password_unexpected', 'currentPassword goes only with a change of one’s own password');
  }
  if (self && patch.password) {
    if (patch.currentPassword === undefined) throw badRequest('user.current_password_required', 'Give your current password to change it');
    const key = String(user.id);
    const now = ctx.clock.now();
    const wait = guesses.retryAfterSeconds(key, now);
    if (wait > 0) throw tooManyRequests('Too many wrong current passwords, try again later', { retryAfterSeconds: wait });
    guesses.hit(key, now);
    if (!(await verifyPassword(user.passwordHash, patch.currentPassword))) {
      throw forbidden('The current password is not correct', 'user.current_password_wrong');
    }
    guesses.release(key);
  }
  const passwordHash = patch.password ? await hashPassword(patch.password) : undefined;
  const updated = repo.updateUser(ctx.db, id, {
    ...(email ? { email } : {}),
    ...(patch.name ? { name: patch.name.trim() } : {}),
    ...(patch.role ? { role: patch.role } : {}),
    ...(patch.active !== undefined ? { active: patch.active } : {}),
    ...(passwordHash ? { passwordHash } : {}),
  });
  if (patch.active === false && user.active) repo.revokeFeedsOf(ctx.db, id, ctx.clock.now());
  if (patch.active === false || (passwordHash && !self)) sessions.invalidateAllForUser(id);
  else if (passwordHash && self) sessions.invalidateOthersForUser(id, actor.sessionId);
  return updated;
}
