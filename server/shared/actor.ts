import type { Role } from '../../db/schema/enums';
import { forbidden } from './errors';

/** Who is calling: resolved from the session by the access plugin, passed to services. */
export interface Actor {
  userId: number;
  role: Role;
  /** The member structure of a member / member_admin; null for coordinators. */
  memberId: number | null;
  email: string;
  name: string;
  sessionId: string;
}

export const isCoordinator = (actor: Actor) => actor.role === 'coordinator';

/** True when the actor may act on data of `memberId`: coordinators on all, others on their own structure. */
export function canActFor(actor: Actor, memberId: number): boolean {
  return actor.role === 'coordinator' || actor.memberId === memberId;
}

export function assertCoordinator(actor: Actor): void {
  if (actor.role !== 'coordinator') throw forbidden('Only coordinators may do this');
}

/** Coordinators, or the member_admin of `memberId`. */
export function assertAdminOf(actor: Actor, memberId: number): void {
  if (actor.role === 'coordinator') return;
  if (actor.role === 'member_admin' && actor.memberId === memberId) return;
  throw forbidden('Only coordinators or this structure’s admins may do this');
}
