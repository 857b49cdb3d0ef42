import type { FastifyRequest } from 'fastify';

/** The path as a server or proxy may come to read it: %-escapes decoded (twice over), lower case, `//` collapsed. */
function normalisedPath(url: string): string {
  let path = url.split(/[?#]/, 1)[0] ?? '';
  for (let i = 0; i < 3; i++) {
    try {
      const decoded = decodeURIComponent(path);
      if (decoded === path) break;
      path = decoded;
    } catch {
      path = path.replace(/%(?![0-9a-f]{2})/gi, '%25');
    }
  }
  return path.replace(/[\\/]+/g, '/').toLowerCase();
}

/**
 * A feed URL carries its secret token: logs get `/ical/….ics` instead, whatever spelling reached the server
 * (`/ical/<token>%2Eics`, `/%69cal/…`, `.ICS`, `//ical/…`): the decision is taken on the decoded, normalised
 * path, and the whole path and query are replaced, so no form of the token is ever logged.
 */
export function redactFeedToken(url: string): string {
  return /^\/ical(\/|$)/.test(normalisedPath(url)) ? '/ical/….ics' : url;
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
