import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { createSessionRepository } from '../auth/repository';
import { createSessionManager, type SessionManager } from '../auth/sessions';
import type { Actor } from '../shared/actor';
import { forbidden, unauthenticated } from '../shared/errors';

/**
 * Who may call a route, declared on every route as `config: { access }`:
 * - `public`: anyone (login, feeds behind their own secret token, health);
 * - `user`: any signed-in user (object-level checks happen in the service);
 * - `admin`: coordinators and member_admins;
 * - `coordinator`: coordinators only;
 * - `staff`: any signed-in user including an employee's `staff` account, which every other rule refuses
 *   (an employee sees its own timesheet and schedule, nothing of its employer's data).
 * A route without a declared rule refuses to register, so a new route cannot escape the guard.
 */
export const ACCESS_RULES = ['public', 'user', 'admin', 'coordinator', 'staff'] as const;
export type AccessRule = (typeof ACCESS_RULES)[number];

export const SESSION_COOKIE = 'mutualise_session';
/** The name over HTTPS: the browser keeps a `__Host-` cookie only if Secure, host-only and for path /. */
export const SECURE_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

/** Third-party plugin routes (API docs UI, built client) that are public by nature. */
const THIRD_PARTY_PUBLIC = [/^\/api\/docs(\/|$)/, /^\/(\*|assets\/\*)?$/];

export interface RouteEntry {
  method: string;
  url: string;
  access: AccessRule;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
  interface FastifyRequest {
    actor: Actor | null;
  }
  interface FastifyInstance {
    sessions: SessionManager;
    routeCatalog: RouteEntry[];
    /** The signed-in actor; throws 401 when there is none (only reachable on non-public routes). */
    requireActor(request: FastifyRequest): Actor;
  }
}

function access(app: FastifyInstance) {
  const { sqlite, clock, config } = app.ctx;
  const sessions = createSessionManager(createSessionRepository(sqlite), clock, {
    idleMs: config.sessionIdleMs,
    absoluteMs: config.sessionAbsoluteMs,
  });
  app.decorate('sessions', sessions);
  app.decorate('routeCatalog', [] as RouteEntry[]);
  app.decorateRequest('actor', null);
  app.decorate('requireActor', (request: FastifyRequest) => {
    if (!request.actor) throw unauthenticated();
    return request.actor;
  });

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    let rule = route.config?.access;
    if (!rule && THIRD_PARTY_PUBLIC.some((re) => re.test(route.url))) {
      rule = 'public';
      route.config = { ...route.config, access: rule };
    }
    if (!rule || !ACCESS_RULES.includes(rule)) {
      throw new Error(`Route ${methods.join(',')} ${route.url} declares no access rule`);
    }
    for (const method of methods) {
      if (method !== 'HEAD') app.routeCatalog.push({ method, url: route.url, access: rule });
    }
  });

  app.addHook('onRequest', async (request) => {
    const rule = request.routeOptions.config?.access;
    const token = request.cookies[SECURE_SESSION_COOKIE] ?? request.cookies[SESSION_COOKIE];
    if (token) {
      const session = sessions.validate(token);
      if (session) {
        request.actor = {
          userId: session.user.id,
          role: session.user.role,
          memberId: session.user.memberId,
          email: session.user.email,
          name: session.user.name,
          sessionId: session.id,
        };
      }
    }
    if (rule === 'public' || rule === undefined) return; // undefined: the 404 handler
    if (!request.actor) throw unauthenticated();
    if (request.actor.role === 'staff' && rule !== 'staff') throw forbidden('An employee account sees only its own timesheet and schedule', 'access.staff_only');
    if (rule === 'admin' && (request.actor.role === 'member' || request.actor.role === 'staff')) throw forbidden('Only administrators may do this');
    if (rule === 'coordinator' && request.actor.role !== 'coordinator') throw forbidden('Only coordinators may do this');
  });
}

export default fp(access, { name: 'access', dependencies: ['context', '@fastify/cookie'] });
