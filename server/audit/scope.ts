import { AsyncLocalStorage } from 'node:async_hooks';

/** Who is acting, as the audit triggers ask it during a write: the request being served, if any. */
export interface AuditScope {
  userId(): number | null;
  ip: string | null;
  /** `PATCH /api/members/:id` */
  route: string | null;
}

/** Entered for every HTTP request (server/plugins/audit-scope.ts); outside it, writes are the system's. */
export const auditScope = new AsyncLocalStorage<AuditScope>();
