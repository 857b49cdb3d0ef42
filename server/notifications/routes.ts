import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Email, errors, Id, IdParams, Items } from '../shared/schemas';
import { NOTIFICATION_KINDS } from './kinds';
import { getMailSettings, getPreferences, listOutbox, outboxEml, retryDeadLetter, setMailSettings, setPreferences } from './service';

const Lang = Type.Enum(['fr', 'en'] as const);
const Mode = Type.Enum(['immediate', 'digest'] as const);
const Kind = Type.Enum(NOTIFICATION_KINDS);
const PreferencesSchema = Type.Object({ lang: Lang, mode: Mode, disabled: Type.Array(Kind), kinds: Type.Array(Kind) });
const PreferencesBody = Type.Object({ lang: Lang, mode: Mode, disabled: Type.Array(Kind, { maxItems: 20 }) }, { additionalProperties: false });
const MailSettingsSchema = Type.Object({ memberId: Id, billingEmail: Type.Union([Type.String(), Type.Null()]), accountantEmail: Type.Union([Type.String(), Type.Null()]) });
const MailSettingsBody = Type.Object({ accountantEmail: Type.Union([Email, Type.Null()]) }, { additionalProperties: false });
const Status = Type.Enum(['pending', 'sent', 'dead'] as const);
const OutboxSchema = Type.Object({
  id: Id,
  kind: Type.String(),
  subject: Type.String(),
  toAddress: Type.String(),
  ccAddress: Type.Union([Type.String(), Type.Null()]),
  status: Status,
  digest: Type.Boolean(),
  attempts: Type.Integer(),
  nextAttemptAt: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  sentAt: Type.Union([Type.String(), Type.Null()]),
  eml: Type.Boolean({ description: 'an .eml file was written for it (no SMTP configured): GET /api/outbox/:id/eml' }),
});

/** Mail settings of users and structures, and the outbox for coordinators (under /api). */
const notificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['notifications'];
  // A user's own settings only: another user's answer 404, as elsewhere.
  app.get(
    '/users/:id/notifications',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: PreferencesSchema, ...errors(400, 401, 404) } } },
    async (request) => getPreferences(app.ctx, app.requireActor(request), request.params.id),
  );
  app.put(
    '/users/:id/notifications',
    { config: { access: 'user' }, schema: { tags, params: IdParams, body: PreferencesBody, response: { 200: PreferencesSchema, ...errors(400, 401, 404, 422) } } },
    async (request) => setPreferences(app.ctx, app.requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/members/:id/mail-settings',
    { config: { access: 'admin' }, schema: { tags, params: IdParams, response: { 200: MailSettingsSchema, ...errors(400, 401, 403, 404) } } },
    async (request) => getMailSettings(app.ctx, app.requireActor(request), request.params.id),
  );
  app.put(
    '/members/:id/mail-settings',
    { config: { access: 'admin' }, schema: { tags, params: IdParams, body: MailSettingsBody, response: { 200: MailSettingsSchema, ...errors(400, 401, 403, 404) } } },
    async (request) => setMailSettings(app.ctx, app.requireActor(request), request.params.id, request.body),
  );
  app.get(
    '/outbox',
    {
      config: { access: 'coordinator' },
      schema: {
        tags,
        querystring: Type.Object({ status: Type.Optional(Status), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) }, { additionalProperties: false }),
        response: { 200: Items(OutboxSchema), ...errors(400, 401, 403) },
      },
    },
    async (request) => ({ items: listOutbox(app.ctx, request.query) }),
  );
  app.get(
    '/outbox/:id/eml',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: IdParams, description: 'the mail as written to its .eml file (without SMTP)', response: { 200: Type.Unknown({ description: 'message/rfc822' }), ...errors(400, 401, 403, 404) } },
    },
    async (request, reply) => {
      const { filename, body } = outboxEml(app.ctx, request.params.id);
      return reply.header('content-type', 'message/rfc822').header('content-disposition', `attachment; filename="${filename}"`).send(body);
    },
  );
  app.post(
    '/outbox/retry',
    {
      config: { access: 'coordinator' },
      schema: { tags, body: Type.Object({ id: Id }, { additionalProperties: false }), response: { 200: OutboxSchema, ...errors(400, 401, 403, 404, 409) } },
    },
    async (request) => retryDeadLetter(app.ctx, app.requireActor(request), request.body.id),
  );
};

export default notificationRoutes;
