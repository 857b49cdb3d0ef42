import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Me, Member, Pole } from './types';

export interface Session {
  me: Me;
  pole: Pole;
  /** Members the user may see (all for coordinators, its own structure otherwise). */
  members: Member[];
  memberName(id: number | null | undefined): string;
  isCoordinator: boolean;
  isAdmin: boolean;
  /** An employee's own account: its timesheet and schedule only. */
  isStaff: boolean;
  reloadMembers(): void;
  reloadPole(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in page');
  return session;
}

/** `staff`: the employee's own account (its timesheet and schedule); every other page refuses it. */
export type Access = 'user' | 'admin' | 'coordinator' | 'staff';

/** Which pages a role sees; the server enforces the same rules on every route. */
export function allowed(access: Access, me: Me): boolean {
  if (access === 'staff') return me.role === 'staff';
  if (me.role === 'staff') return false;
  if (access === 'user') return true;
  if (access === 'admin') return me.role === 'coordinator' || me.role === 'member_admin';
  return me.role === 'coordinator';
}

/** The page a role lands on after signing in. */
export const homePath = (me: Me) => (me.role === 'staff' ? '/timesheet' : '/resources');
