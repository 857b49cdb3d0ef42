import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden } from '../shared/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Compares hosts after URL normalisation, so that `http://localhost:80` matches `Host: localhost:80`. */
function sameHost(origin: string, hostHeader: string | undefined): boolean {
  if (!hostHeader) return false;
  try {
    const from = new URL(origin);
    return from.host === new URL(`${from.protocol}//${hostHeader}`).host;
  } catch {
    return false;
  }
}

/**
 * Refuses state-changing requests that a browser sends from another site (CSRF): by Sec-Fetch-Site when
 * the browser sends it, else by comparing Origin with Host. Requests without either (curl, scripts) pass:
 * they carry no ambient cookie from another site. Also sets conservative security headers.
 */
function security(app: FastifyInstance) {
  app.addHook('onRequest', async (request) => {
    if (SAFE_METHODS.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
      throw forbidden('Cross-site requests are refused', 'request.cross_origin');
    }
    const origin = request.headers.origin;
    if (typeof origin === 'string') {
      if (!sameHost(origin, request.headers.host)) {
        throw forbidden('Cross-origin requests are refused', 'request.cross_origin');
      }
    }
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('x-frame-options', 'DENY');
    reply.header('referrer-policy', 'same-origin');
    reply.header('cross-origin-opener-policy', 'same-origin');
    return payload;
  });
}

export default fp(security, { name: 'security' });
