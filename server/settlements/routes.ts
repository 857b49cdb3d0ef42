import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { SETTLEMENT_MODES } from '../../db/schema/enums';
import { PaymentSchema } from '../invoices/schemas';
import { errors, Id, LocalDate, Month } from '../shared/schemas';
import { getBalances, getSettlementPlan, recordTransfers } from './ledger';
import { getSettlement } from './service';
import { SettlementSchema, BalancesSchema, TransfersBody } from './schemas';

const settlementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['settlements'];
  app.get(
    '/settlements',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description:
          'With `month`: the netting of that month’s documents as issued (informative). Otherwise: the plan of transfers on open balances as of `asOf` (default today), bilateral by default, multilateral only among members with a netting agreement; public bodies are never netted.',
        querystring: Type.Object(
          { month: Type.Optional(Month), asOf: Type.Optional(LocalDate), mode: Type.Optional(Type.Enum(SETTLEMENT_MODES)) },
          { additionalProperties: false },
        ),
        response: { 200: SettlementSchema, ...errors(400, 401, 422) },
      },
    },
    async (request) => {
      const actor = app.requireActor(request);
      const { month, asOf, mode } = request.query;
      return month !== undefined && asOf === undefined && mode === undefined ? getSettlement(app.ctx, actor, month) : getSettlementPlan(app.ctx, actor, { asOf, mode });
    },
  );
  app.get(
    '/balances',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description: 'What each member still owes each other member as of a day: issued − credited − paid, per pair, with the invoices.',
        querystring: Type.Object({ asOf: Type.Optional(LocalDate) }, { additionalProperties: false }),
        response: { 200: BalancesSchema, ...errors(400, 401, 422) },
      },
    },
    async (request) => getBalances(app.ctx, app.requireActor(request), request.query.asOf),
  );
  app.post(
    '/settlements/transfers',
    {
      config: { access: 'coordinator' },
      schema: {
        tags,
        body: TransfersBody,
        response: { 201: Type.Object({ settlementId: Id, payments: Type.Array(PaymentSchema) }), ...errors(400, 401, 403, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(recordTransfers(app.ctx, app.requireActor(request), request.body)),
  );
};

export default settlementRoutes;
