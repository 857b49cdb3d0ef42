import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams, Items } from '../shared/schemas';
import { MemberCreate, MemberPatch, MemberSchema } from './schemas';
import { createMember, getMemberFor, listMembersFor, patchMember } from './service';

const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['members'];
  app.get(
    '/members',
    { config: { access: 'user' }, schema: { tags, response: { 200: Items(MemberSchema), ...errors(401) } } },
    async (request) => ({ items: listMembersFor(app.ctx, app.requireActor(request)) }),
  );
  app.post(
    '/members',
    {
      config: { access: 'coordinator' },
      schema: { tags, body: MemberCreate, response: { 201: MemberSchema, ...errors(400, 401, 403, 409, 422) } },
    },
    async (request, reply) => reply.status(201).send(createMember(app.ctx, app.requireActor(request), request.body)),
  );
  app.get(
    '/members/:id',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: MemberSchema, ...errors(400, 401, 404) } } },
    async (request) => getMemberFor(app.ctx, app.requireActor(request), request.params.id),
  );
  app.patch(
    '/members/:id',
    {
      config: { access: 'admin' },
      schema: { tags, params: IdParams, body: MemberPatch, response: { 200: MemberSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request) => patchMember(app.ctx, app.requireActor(request), request.params.id, request.body),
  );
};

export default memberRoutes;
