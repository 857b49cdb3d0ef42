import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../shared/errors';

/**
 * While the app closes, requests still arriving on open keep-alive connections get a 503 in the API's error
 * shape (Fastify's own return503OnClosing answers in its format) and are told to close the connection.
 */
function closingGuard(app: FastifyInstance) {
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onRequest', async (_request, reply) => {
    if (!closing) return;
    reply.header('connection', 'close');
    throw new AppError(503, 'server.closing', 'The server is shutting down; try again in a moment');
  });
}

export default fp(closingGuard, { name: 'closing-guard' });
