import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { auditScope } from '../audit/scope';

/**
 * Serves every request inside an audit scope, so the audit triggers know who writes, from where and through
 * which route. Registered before the access plugin: the actor it resolves is read when a write happens.
 */
function auditScopePlugin(app: FastifyInstance) {
  app.addHook('onRequest', (request, _reply, done) => {
    auditScope.run(
      {
        userId: () => request.actor?.userId ?? null,
        ip: request.ip,
        route: request.routeOptions.url === undefined ? null : `${request.method} ${request.routeOptions.url}`,
      },
      done,
    );
  });
}

export default fp(auditScopePlugin, { name: 'audit-scope', dependencies: ['context'] });
