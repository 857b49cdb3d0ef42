import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams, Items, NoContent } from '../shared/schemas';
import { CarryForwardBody, CarryForwardRunSchema, CostCreate, CostPatch, CostQuery, CostSchema } from './schemas';
import { carryForwardLog } from './auto-carry';
import { carryForward, createCost, deleteCost, getCost, listCosts, patchCost } from './service';

const costRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['costs'];
  app.get(
    '/costs',
    { config: { access: 'user' }, schema: { tags, querystring: CostQuery, response: { 200: Items(CostSchema), ...errors(400, 401) } } },
    async (request) => ({ items: listCosts(app.ctx, app.requireActor(request), request.query) }),
  );
  app.post(
    '/costs',
    {
      config: { access: 'coordinator' },
      schema: { tags, body: CostCreate, response: { 201: CostSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request, reply) => reply.status(201).send(createCost(app.ctx, app.requireActor(request), request.body)),
  );
  app.post(
    '/costs/carry-forward',
    {
      config: { access: 'coordinator' },
      schema: { tags, body: CarryForwardBody, response: { 201: Items(CostSchema), ...errors(400, 401, 403, 409, 422) } },
    },
    async (request, reply) => reply.status(201).send({ items: carryForward(app.ctx, app.requireActor(request), request.body) }),
  );
  app.get(
    '/costs/carry-forward/log',
    { config: { access: 'coordinator' }, schema: { tags, response: { 200: Items(CarryForwardRunSchema), ...errors(401, 403) } } },
    async () => ({ items: carryForwardLog(app.ctx) }),
  );
  app.get(
    '/costs/:id',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: CostSchema, ...errors(400, 401, 404) } } },
    async (request) => getCost(app.ctx, app.requireActor(request), request.params.id),
  );
  app.patch(
    '/costs/:id',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: IdParams, body: CostPatch, response: { 200: CostSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request) => patchCost(app.ctx, app.requireActor(request), request.params.id, request.body),
  );
  app.delete(
    '/costs/:id',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: IdParams, response: { 204: NoContent, ...errors(400, 401, 403, 404, 409) } },
    },
    async (request, reply) => {
      deleteCost(app.ctx, app.requireActor(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
};

export default costRoutes;
