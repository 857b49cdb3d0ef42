import type { FastifyRequest } from 'fastify';

/** A feed URL carries its secret token: logs get `/ical/…ics` instead. */
export function redactFeedToken(url: string): string {
  return url.replace(/^\/ical\/[^/?#]*\.ics/, '/ical/….ics');
}

/**
 * The request as logged (Fastify's default fields) with feed tokens redacted: the database keeps only their
 * SHA-256, logs must not keep the tokens themselves.
 */
export function logRequest(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactFeedToken(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}
