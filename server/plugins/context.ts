import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AppContext } from '../context';

declare module 'fastify' {
  interface FastifyInstance {
    ctx: AppContext;
  }
}

/** Makes the store, clock and config available to every route plugin; closes the store with the app. */
function context(app: FastifyInstance, opts: { ctx: AppContext; closeStore: boolean }) {
  app.decorate('ctx', opts.ctx);
  app.addHook('onClose', async () => {
    if (opts.closeStore) opts.ctx.store.close();
  });
}

export default fp(context, { name: 'context' });
