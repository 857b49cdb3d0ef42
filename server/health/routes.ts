import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { migrationStatus } from '../../db/index';

const Health = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  database: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  migrations: Type.Object({ applied: Type.Integer(), known: Type.Integer(), current: Type.Boolean() }),
  uptimeSeconds: Type.Integer(),
});

/**
 * For the reverse proxy and monitoring: 200 when the process answers, the database answers a query and its
 * schema is this build's; 503 otherwise. Says nothing about the pole's data, so it needs no session.
 */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    { config: { access: 'public' }, logLevel: 'warn', schema: { tags: ['health'], response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      let database: 'ok' | 'failing' = 'ok';
      let migrations = { applied: 0, known: 0, current: false };
      try {
        app.ctx.sqlite.prepare('SELECT 1').get();
        migrations = migrationStatus(app.ctx.sqlite);
      } catch {
        database = 'failing';
      }
      const ok = database === 'ok' && migrations.current;
      reply.header('cache-control', 'no-store');
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'failing', database, migrations, uptimeSeconds: Math.floor(process.uptime()) });
    },
  );
};

export default healthRoutes;
