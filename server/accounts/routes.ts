import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import { Type } from 'typebox';
import { addressKey } from '../auth/ip';
import { tooManyRequests } from '../shared/errors';
import { errors, IdParams } from '../shared/schemas';
import { Password } from '../users/schemas';
import { describeLink, inviteUser, setPasswordWithLink } from './service';

const Token = Type.String({ minLength: 3, maxLength: 200, description: 'the part of the link after « # »' });
const LinkSchema = Type.Object({ url: Type.String({ description: 'the link to pass on; it works once' }), expiresAt: Type.String() });
const SessionInfo = Type.Object({ current: Type.Boolean(), createdAt: Type.String(), lastUsedAt: Type.String() });
const LinkInfo = Type.Object({ purpose: Type.Union([Type.Literal('invitation'), Type.Literal('reset')]), email: Type.String(), name: Type.String(), expiresAt: Type.String() });

/** Invitations and password links (the token travels in bodies, never in a URL a log would keep). */
const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['accounts'];
  await app.register(rateLimit, {
    global: false,
    keyGenerator: (request) => addressKey(request.ip),
    errorResponseBuilder: (_request, context) => tooManyRequests('Too many attempts from this address, try again in a minute', { retryAfterSeconds: Math.ceil(context.ttl / 1000) }),
  });
  const limited = { max: app.ctx.config.loginBurstPerMinute, timeWindow: 60_000 };

  app.post(
    '/users/:id/invitation',
    { config: { access: 'admin' }, schema: { tags, params: IdParams, response: { 201: LinkSchema, ...errors(401, 403, 404, 422) } } },
    async (request, reply) => reply.status(201).send(inviteUser(app.ctx, app.requireActor(request), request.params.id)),
  );
  app.post(
    '/auth/account-link',
    {
      config: { access: 'public', rateLimit: limited },
      schema: { tags, body: Type.Object({ token: Token }, { additionalProperties: false }), response: { 200: LinkInfo, ...errors(400, 404, 429) } },
    },
    async (request) => describeLink(app.ctx, request.body.token),
  );
  app.post(
    '/auth/set-password',
    {
      config: { access: 'public', rateLimit: limited },
      schema: { tags, body: Type.Object({ token: Token, password: Password }, { additionalProperties: false }), response: { 204: Type.Null(), ...errors(400, 404, 429) } },
    },
    async (request, reply) => {
      await setPasswordWithLink(app.ctx, app.sessions, request.body.token, request.body.password);
      return reply.status(204).send(null);
    },
  );
  app.get(
    '/me/sessions',
    { config: { access: 'user' }, schema: { tags, response: { 200: Type.Object({ items: Type.Array(SessionInfo) }), ...errors(401) } } },
    async (request) => {
      const actor = app.requireActor(request);
      const iso = (ms: number) => new Date(ms).toISOString();
      return {
        items: app.sessions.listForUser(actor.userId).map((s) => ({ current: s.id === actor.sessionId, createdAt: iso(s.createdAt), lastUsedAt: iso(s.lastVerifiedAt) })),
      };
    },
  );
  app.delete(
    '/me/sessions',
    { config: { access: 'user' }, schema: { tags, description: 'signs out every other browser of the account', response: { 204: Type.Null(), ...errors(401) } } },
    async (request, reply) => {
      const actor = app.requireActor(request);
      app.sessions.invalidateOthersForUser(actor.userId, actor.sessionId);
      return reply.status(204).send(null);
    },
  );
};

export default accountRoutes;
