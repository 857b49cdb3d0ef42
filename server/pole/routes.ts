import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, Id, Name, ShortText } from '../shared/schemas';
import { PoleSchema } from './schemas';
import { getPoleSettings, updatePoleSettings } from './service';

const PolePatch = Type.Object(
  {
    name: Type.Optional(Name(200)),
    carrierMemberId: Type.Optional(Type.Union([Id, Type.Null()])),
    groupingMemberId: Type.Optional(Type.Union([Id, Type.Null()])),
    timeZone: Type.Optional(ShortText(64)),
    paymentTermsDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 60 })),
    latePenaltyRateBp: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);

const poleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/pole',
    { config: { access: 'user' }, schema: { tags: ['pole'], response: { 200: PoleSchema, ...errors(401) } } },
    async () => getPoleSettings(app.ctx),
  );
  app.patch(
    '/pole',
    {
      config: { access: 'coordinator' },
      schema: { tags: ['pole'], body: PolePatch, response: { 200: PoleSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request) => updatePoleSettings(app.ctx, request.body),
  );
};

export default poleRoutes;
