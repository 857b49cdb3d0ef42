import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import rateLimit from '@fastify/rate-limit';
import { Type } from 'typebox';
import { addressKey } from '../auth/ip';
import { tooManyRequests } from '../shared/errors';
import { Email, errors, IdParams } from '../shared/schemas';
import { Password } from '../users/schemas';
import { createPasswordResets, describeLink, inviteUser, setPasswordWithLink } from './service';

const Token = Type.String({ minLength: 3, maxLength: 200, description: 'the part of the link after « # »' });
const LinkSchema = Type.Object({ url: Type.String({ description: 'the link to pass on; it works once' }), expiresAt: Type.String() });
const SessionInfo = Type.Object({ current: Type.Boolean(), createdAt: Type.String(), lastUsedAt: Type.String() });
/** The one answer to a reset request, whatever the address: nothing to learn from it. */
const RESET_ANSWER = { message: 'If an active account uses this address, a link to choose a new password was mailed to it' } as const;
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
  // « Mot de passe oublié »: answered before anything depends on the address, the work done right after, so that
  // neither the answer nor its time tells whether the address has an account.
  const requestPasswordReset = createPasswordResets(app.ctx);
  const queued = new Map<NodeJS.Immediate, () => void>();
  app.addHook('onClose', async () => {
    for (const [handle, work] of queued) {
      clearImmediate(handle);
      work();
    }
    queued.clear();
  });
  app.post(
    '/auth/password-reset',
    {
      config: { access: 'public', rateLimit: limited },
      schema: {
        tags,
        description: 'mails a link to choose a new password to the address, if an active account uses it; the same answer in any case',
        body: Type.Object({ email: Email }, { additionalProperties: false }),
        response: { 202: Type.Object({ message: Type.String() }), ...errors(400, 429) },
      },
    },
    async (request, reply) => {
      const email = request.body.email;
      const work = () => {
        queued.delete(handle);
        try {
          requestPasswordReset(email);
        } catch (err) {
          request.log.error({ err }, 'password reset request failed');
        }
      };
      const handle = setImmediate(work);
      queued.set(handle, work);
      return reply.status(202).send(RESET_ANSWER);
    },
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
