import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SESSION_COOKIE } from '../plugins/access';
import { errors, Id } from '../shared/schemas';
import { createAuthService } from './service';

export const MeSchema = Type.Object({
  id: Id,
  email: Type.String(),
  name: Type.String(),
  role: Type.String(),
  memberId: Type.Union([Id, Type.Null()]),
});

const LoginBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

const LOCAL_HOSTS = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

function cookieIsSecure(request: FastifyRequest, setting: 'auto' | boolean): boolean {
  if (setting !== 'auto') return setting;
  return !LOCAL_HOSTS.test(request.headers.host ?? '');
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = createAuthService(app.ctx, app.sessions);

  const clearCookie = (request: FastifyRequest, reply: FastifyReply) =>
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookieIsSecure(request, app.ctx.config.cookieSecure) });

  app.post(
    '/auth/login',
    {
      config: { access: 'public' },
      schema: { tags: ['auth'], body: LoginBody, response: { 200: MeSchema, ...errors(400, 401, 429) } },
    },
    async (request, reply) => {
      const { user, session } = await auth.login({ ...request.body, ip: request.ip });
      // The session the browser came with ends only once the new one exists: a failed attempt logs nobody out.
      if (request.actor) app.sessions.invalidate(request.actor.sessionId);
      reply.setCookie(SESSION_COOKIE, session.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: cookieIsSecure(request, app.ctx.config.cookieSecure),
        maxAge: Math.floor(app.ctx.config.sessionAbsoluteMs / 1000),
      });
      return { id: user.id, email: user.email, name: user.name, role: user.role, memberId: user.memberId };
    },
  );

  app.post(
    '/auth/logout',
    { config: { access: 'public' }, schema: { tags: ['auth'], response: { 204: Type.Null() } } },
    async (request, reply) => {
      if (request.actor) app.sessions.invalidate(request.actor.sessionId);
      clearCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    { config: { access: 'user' }, schema: { tags: ['auth'], response: { 200: MeSchema, ...errors(401) } } },
    async (request) => {
      const actor = app.requireActor(request);
      return { id: actor.userId, email: actor.email, name: actor.name, role: actor.role, memberId: actor.memberId };
    },
  );
};

export default authRoutes;
