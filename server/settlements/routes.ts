import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, Id, Month } from '../shared/schemas';
import { getSettlement } from './service';

const Transfer = Type.Object({ fromMemberId: Id, toMemberId: Id, amountCents: Type.Integer() });
const SettlementSchema = Type.Object({
  month: Type.String(),
  final: Type.Boolean(),
  positions: Type.Array(Type.Object({ memberId: Id, netCents: Type.Integer(), receivableCents: Type.Integer(), payableCents: Type.Integer() })),
  pairs: Type.Array(Type.Object({ fromMemberId: Id, toMemberId: Id, amountCents: Type.Integer(), owedCents: Type.Integer(), offsetCents: Type.Integer() })),
  transfers: Type.Array(Transfer),
});

const settlementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/settlements',
    {
      config: { access: 'user' },
      schema: {
        tags: ['settlements'],
        querystring: Type.Object({ month: Month }, { additionalProperties: false }),
        response: { 200: SettlementSchema, ...errors(400, 401) },
      },
    },
    async (request) => getSettlement(app.ctx, app.requireActor(request), request.query.month),
  );
};

export default settlementRoutes;
