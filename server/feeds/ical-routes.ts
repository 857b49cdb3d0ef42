import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../shared/schemas';
import { FeedTokenParams, FeedWindowQuery } from './schemas';
import { feedVersion } from './service';

/** True when the client's validators show it already holds this version (RFC 9110 §13.1.2 and §13.1.3). */
export function notModified(headers: { 'if-none-match'?: string; 'if-modified-since'?: string }, etag: string, lastModifiedMs: number): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    // Weak comparison: W/"x" matches "x". If-None-Match, when present, decides alone.
    const strip = (tag: string) => tag.trim().replace(/^W\//, '');
    return inm.trim() === '*' || inm.split(',').some((tag) => strip(tag) === strip(etag));
  }
  const ims = headers['if-modified-since'];
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(lastModifiedMs / 1000) * 1000 <= since;
}

/**
 * `GET /ical/<token>.ics`, outside /api: calendar clients subscribe without a session, the secret token is
 * the credential (access 'public'). Unknown or revoked tokens answer 404. ETag and Last-Modified let
 * polling clients get 304 Not Modified.
 */
const icalRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/ical/:token.ics',
    {
      config: { access: 'public' },
      schema: {
        tags: ['feeds'],
        params: FeedTokenParams,
        querystring: FeedWindowQuery,
        response: {
          200: Type.String({ description: 'text/calendar (RFC 5545)' }),
          304: Type.Null(),
          ...errors(400, 404),
        },
      },
    },
    async (request, reply) => {
      const feed = feedVersion(app.ctx, request.params.token, request.query);
      reply
        .header('etag', feed.etag)
        .header('last-modified', new Date(feed.lastModifiedMs).toUTCString())
        .header('cache-control', 'private, no-cache');
      if (notModified(request.headers, feed.etag, feed.lastModifiedMs)) return reply.status(304).send(null);
      return reply
        .type('text/calendar; charset=utf-8')
        .header('content-disposition', 'inline; filename="mutualise.ics"')
        .send(feed.render());
    },
  );
};

export default icalRoutes;
