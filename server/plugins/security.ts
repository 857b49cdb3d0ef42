import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isLoopbackHost } from '../config';
import { AppError, forbidden } from '../shared/errors';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = /^(localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|\[::1\])(:\d+)?$/i;

/** `scheme://host[:port]` as a browser writes it in Origin: lower case, the scheme's default port left out. */
function normaliseOrigin(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/**
 * The hosts this server answers to: the public URL's, MUTUALISE_ALLOWED_HOSTS, and loopback names for
 * connections that come from this machine itself (the local proxy rewriting Host, a health probe, a developer).
 * Anything else gets 421: a DNS-rebinding page (Host: attacker.example) cannot reach even a loopback-only
 * instance, and no link is ever built from an unchecked Host.
 */
function hostChecker(publicUrl: URL, extra: string[]) {
  const allowed = new Set([publicUrl.host.toLowerCase(), ...extra]);
  return (request: FastifyRequest): boolean => {
    const host = request.host?.toLowerCase();
    if (!host) return false;
    if (allowed.has(host)) return true;
    return LOOPBACK_NAMES.test(host) && isLoopbackHost(request.socket.remoteAddress ?? '');
  };
}

/**
 * Refuses state-changing requests that a browser sends from another site (CSRF): by Sec-Fetch-Site when the
 * browser sends it, and by comparing Origin, scheme, host and port, with the public URL or with the origin the
 * request reached (scheme and host as the trusted proxy reports them). Requests without either (curl,
 * scripts) pass: they carry no ambient cookie from another site. Headers: @fastify/helmet (CSP, HSTS, …).
 */
async function security(app: FastifyInstance) {
  const { config } = app.ctx;
  const publicUrl = new URL(config.publicUrl);
  const hostAllowed = hostChecker(publicUrl, config.allowedHosts);

  app.addHook('onRequest', async (request) => {
    if (!hostAllowed(request)) {
      throw new AppError(421, 'request.unknown_host', 'This server does not answer to that host name');
    }
    if (SAFE_METHODS.has(request.method)) return;
    const site = request.headers['sec-fetch-site'];
    if (typeof site === 'string' && site !== 'same-origin' && site !== 'none') {
      throw forbidden('Cross-site requests are refused', 'request.cross_origin');
    }
    const origin = request.headers.origin;
    if (typeof origin === 'string') {
      const given = normaliseOrigin(origin);
      const reached = normaliseOrigin(`${request.protocol}://${request.host}`);
      if (given === null || (given !== publicUrl.origin && given !== reached)) {
        throw forbidden('Cross-origin requests are refused', 'request.cross_origin');
      }
    }
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // FullCalendar injects its stylesheet in a <style> element at run time; scripts stay 'self' only.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'], // FullCalendar's icon font is a data: URL
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(publicUrl.protocol === 'https:' ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // HSTS only where the pole is served over HTTPS: on plain http it would be ignored or, on a shared
    // host name, pin other services to HTTPS.
    strictTransportSecurity: publicUrl.protocol === 'https:' ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
  });
}

export default fp(security, { name: 'security', dependencies: ['context'] });
