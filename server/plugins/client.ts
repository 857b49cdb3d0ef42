import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_DIST } from '../shared/paths';

export { CLIENT_DIST };

declare module 'fastify' {
  interface FastifyInstance {
    /** True when the built client is served: unknown page paths then get its index.html. */
    servesClient: boolean;
  }
}

/** Serves the built single-page app (client/dist, or dist/client in the build) from the same origin. */
async function client(app: FastifyInstance) {
  const enabled = app.ctx.config.serveClient && existsSync(join(CLIENT_DIST, 'index.html'));
  app.decorate('servesClient', enabled);
  if (!enabled) return;
  await app.register(fastifyStatic, {
    root: CLIENT_DIST,
    wildcard: true,
    // The build writes .br and .gz beside each asset: sent as they are to browsers that accept them.
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      // Hashed file names change with their content: cached for a year; the page itself is revalidated.
      const immutable = /[\\/]assets[\\/]/.test(path);
      void reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

export default fp(client, { name: 'client', dependencies: ['context'] });
