import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { SECURE_SESSION_COOKIE, SESSION_COOKIE } from '../plugins/access';
import { errors } from '../shared/schemas';
import rateLimit from '@fastify/rate-limit';
import { DEVICE_COOKIE, DEVICE_COOKIE_MAX_AGE_S } from './device';
import { addressKey } from './ip';
import { MeSchema } from './schemas';
import { createAuthService } from './service';
import { tooManyRequests } from '../shared/errors';

const LoginBody = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 254 }), password: Type.String({ minLength: 1, maxLength: 1024 }) },
  { additionalProperties: false },
);

const LOCAL_HOSTS = /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

/**
 * Secure over HTTPS (as the trusted proxy reports the scheme) and on any host but localhost; a Secure cookie
 * is `__Host-`-prefixed, so the browser refuses it from plain http, a sibling subdomain or another path.
 */
function sessionCookie(request: FastifyRequest, setting: 'auto' | boolean) {
  const secure = setting !== 'auto' ? setting : request.protocol === 'https' || !LOCAL_HOSTS.test(request.host ?? '');
  return { name: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE, options: { path: '/', httpOnly: true, sameSite: 'lax' as const, secure } };
}

const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const auth = createAuthService(app.ctx, app.sessions);

  const clearCookie = (request: FastifyRequest, reply: FastifyReply) => {
    const { name, options } = sessionCookie(request, app.ctx.config.cookieSecure);
    reply.clearCookie(name, options);
  };

  // A coarse cap per address (IPv6: per /64) in front of the password checks, which cost ~11 ms of CPU each.
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => addressKey(request.ip),
    errorResponseBuilder: (_request, context) =>
      tooManyRequests('Too many login attempts from this address, try again in a minute', { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });

  app.post(
    '/auth/login',
    {
      config: { access: 'public', rateLimit: { max: app.ctx.config.loginBurstPerMinute, timeWindow: 60_000 } },
      schema: { tags: ['auth'], body: LoginBody, response: { 200: MeSchema, ...errors(400, 401, 429) } },
    },
    async (request, reply) => {
      const { user, session, deviceCookie } = await auth.login({ ...request.body, ip: request.ip, deviceCookie: request.cookies[DEVICE_COOKIE] });
      // The session the browser came with ends only once the new one exists: a failed attempt logs nobody out.
      if (request.actor) app.sessions.invalidate(request.actor.sessionId);
      const { name, options } = sessionCookie(request, app.ctx.config.cookieSecure);
      reply.setCookie(name, session.token, { ...options, maxAge: Math.floor(app.ctx.config.sessionAbsoluteMs / 1000) });
      reply.setCookie(DEVICE_COOKIE, deviceCookie, { ...options, path: '/api/auth/login', maxAge: DEVICE_COOKIE_MAX_AGE_S });
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
    { config: { access: 'staff' }, schema: { tags: ['auth'], response: { 200: MeSchema, ...errors(401) } } },
    async (request) => {
      const actor = app.requireActor(request);
      return { id: actor.userId, email: actor.email, name: actor.name, role: actor.role, memberId: actor.memberId };
    },
  );
};

export default authRoutes;
