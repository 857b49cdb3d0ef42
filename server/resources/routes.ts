import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { availabilityFor } from '../bookings/availability';
import { errors, IdParams, Items } from '../shared/schemas';
import { AvailabilityQuery, AvailabilitySchema, ResourceCreate, ResourcePatch, ResourceSchema } from './schemas';
import { createResource, getResourceFor, listResourcesFor, patchResource } from './service';

const resourceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['resources'];
  app.get(
    '/resources',
    {
      config: { access: 'user' },
      schema: { tags, description: 'Active resources (coordinators also see inactive ones).', response: { 200: Items(ResourceSchema), ...errors(401) } },
    },
    async (request) => ({ items: listResourcesFor(app.ctx, app.requireActor(request)) }),
  );
  app.post(
    '/resources',
    {
      config: { access: 'coordinator' },
      schema: { tags, body: ResourceCreate, response: { 201: ResourceSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request, reply) => reply.status(201).send(createResource(app.ctx, app.requireActor(request), request.body)),
  );
  app.get(
    '/resources/:id',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: ResourceSchema, ...errors(400, 401, 404) } } },
    async (request) => getResourceFor(app.ctx, app.requireActor(request), request.params.id),
  );
  app.patch(
    '/resources/:id',
    {
      config: { access: 'coordinator' },
      schema: {
        tags,
        description: 'Changes a resource. `allocation` (with optional `allocationFrom`, default this month) adds a rule and keeps the history.',
        params: IdParams,
        body: ResourcePatch,
        response: { 200: ResourceSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => patchResource(app.ctx, app.requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/resources/:id/availability',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description:
          'Free units over [from, to) as consecutive segments of constant value; 0 where the resource cannot be booked (closed, blackout, beyond the horizon, inactive; before now for members).',
        params: IdParams,
        querystring: AvailabilityQuery,
        response: { 200: AvailabilitySchema, ...errors(400, 401, 404, 422) },
      },
    },
    async (request) => ({ items: availabilityFor(app.ctx, app.requireActor(request), request.params.id, request.query.from, request.query.to) }),
  );
};

export default resourceRoutes;
