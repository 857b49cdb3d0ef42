import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { createWindowCounter } from '../auth/rate-limit';
import { errors, IdParams, Items } from '../shared/schemas';
import { UserCreate, UserListQuery, UserPatch, UserSchema } from './schemas';
import { createUser, getUserFor, listUsersFor, patchUser } from './service';

const userRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['users'];
  const guesses = createWindowCounter(app.ctx.config.loginMaxFailuresPerAccount, app.ctx.config.loginWindowMs);
  app.get(
    '/users',
    { config: { access: 'user' }, schema: { tags, querystring: UserListQuery, response: { 200: Items(UserSchema), ...errors(400, 401, 404) } } },
    async (request) => ({ items: listUsersFor(app.ctx, app.requireActor(request), request.query.memberId) }),
  );
  app.post(
    '/users',
    { config: { access: 'admin' }, schema: { tags, body: UserCreate, response: { 201: UserSchema, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (request, reply) => reply.status(201).send(await createUser(app.ctx, app.requireActor(request), request.body)),
  );
  app.get(
    '/users/:id',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: UserSchema, ...errors(400, 401, 404) } } },
    async (request) => getUserFor(app.ctx, app.requireActor(request), request.params.id),
  );
  app.patch(
    '/users/:id',
    {
      config: { access: 'user' },
      schema: { tags, params: IdParams, body: UserPatch, response: { 200: UserSchema, ...errors(400, 401, 403, 404, 409, 422, 429) } },
    },
    async (request) => patchUser(app.ctx, app.sessions, guesses, app.requireActor(request), request.params.id, request.body),
  );
};

export default userRoutes;
