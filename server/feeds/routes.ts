import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams, Items, NoContent } from '../shared/schemas';
import { CreatedFeedSchema, FeedCreateBody, FeedSchema } from './schemas';
import { createFeed, listFeeds, revokeFeed } from './service';

/** Managing calendar feeds (under /api). The feeds themselves are served by ical-routes.ts. */
const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['feeds'];
  app.post(
    '/feeds',
    {
      config: { access: 'user' },
      schema: { tags, body: FeedCreateBody, response: { 201: CreatedFeedSchema, ...errors(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => reply.status(201).send(createFeed(app.ctx, app.requireActor(request), request.body)),
  );
  app.get(
    '/feeds',
    { config: { access: 'user' }, schema: { tags, response: { 200: Items(FeedSchema), ...errors(401) } } },
    async (request) => ({ items: listFeeds(app.ctx, app.requireActor(request)) }),
  );
  app.delete(
    '/feeds/:id',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 204: NoContent, ...errors(400, 401, 404) } } },
    async (request, reply) => {
      revokeFeed(app.ctx, app.requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

export default feedRoutes;
