import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, Id } from '../shared/schemas';
import { MAX_RESOURCES, nextFreeSlots } from './next-slots';

const NextSlotsQuery = Type.Object(
  {
    resourceIds: Type.String({ pattern: '^[1-9][0-9]{0,9}(,[1-9][0-9]{0,9}){0,19}$', maxLength: 240, description: `comma-separated resource ids (at most ${MAX_RESOURCES})` }),
    durationMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'ISO 8601 instant with offset; default now' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, description: 'default 5' })),
    quantity: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'units needed (default 1)' })),
  },
  { additionalProperties: false },
);

const FreeSlot = Type.Object({ resourceId: Id, start: Type.String(), end: Type.String() });

const nextSlotsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/availability/next',
    {
      config: { access: 'user' },
      schema: {
        tags: ['bookings'],
        description:
          'The next free slots of durationMinutes from `from` (default now) across the given resources, earliest first: slots the caller could book now (opening hours, steps, min/max length, blackouts, horizon, closed months, capacity).',
        querystring: NextSlotsQuery,
        response: { 200: Type.Object({ items: Type.Array(FreeSlot) }), ...errors(400, 401, 404, 422) },
      },
    },
    async (request) => ({ items: nextFreeSlots(app.ctx, app.requireActor(request), request.query) }),
  );
};

export default nextSlotsRoutes;
