import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { availabilityFor, callerAllowance } from '../bookings/availability';
import { Type } from 'typebox';
import { errors, IdParams, Items, Month } from '../shared/schemas';
import { memberAllowances } from './allowance-service';
import { AllowanceStandingSchema, AvailabilityQuery, AvailabilitySchema, ResourceCreate, ResourcePatch, ResourceSchema } from './schemas';
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
          'Free units over [from, to) as consecutive segments of constant value; 0 where the resource cannot be booked (closed, blackout, beyond the horizon, inactive; before now for members). `allowance`: what is left this month of the caller’s structure’s allowance.',
        params: IdParams,
        querystring: AvailabilityQuery,
        response: { 200: AvailabilitySchema, ...errors(400, 401, 404, 422) },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      const items = availabilityFor(app.ctx, actor, request.params.id, request.query.from, request.query.to);
      return { items, allowance: callerAllowance(app.ctx, actor, request.params.id) };
    },
  );
  app.get(
    '/members/:id/allowances',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description: 'What the structure has left this month (or `month`) of each active resource’s allowance: its own users and coordinators.',
        params: IdParams,
        querystring: Type.Object({ month: Type.Optional(Month) }, { additionalProperties: false }),
        response: { 200: Items(Type.Object({ resourceId: Type.Integer(), resourceName: Type.String(), ...AllowanceStandingSchema.properties })), ...errors(400, 401, 404) },
      },
    },
    async (request) => ({ items: memberAllowances(app.ctx, app.requireActor(request), request.params.id, request.query.month) }),
  );
};

export default resourceRoutes;
