import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NewPaymentBody, PaymentSchema } from '../invoices/schemas';
import { errors, IdParams, Items } from '../shared/schemas';
import { addPayment, deletePayment, listPayments } from './service';

/** The payments ledger of invoices (under /api). */
const paymentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['payments'];
  app.get(
    '/invoices/:id/payments',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: Items(PaymentSchema), ...errors(400, 401, 404) } } },
    async (request) => ({ items: listPayments(app.ctx, app.requireActor(request), request.params.id) }),
  );
  app.post(
    '/invoices/:id/payments',
    {
      config: { access: 'admin' },
      schema: { tags, params: IdParams, body: NewPaymentBody, response: { 201: PaymentSchema, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request, reply) => reply.status(201).send(addPayment(app.ctx, app.requireActor(request), request.params.id, request.body)),
  );
  app.delete(
    '/payments/:id',
    { config: { access: 'admin' }, schema: { tags, params: IdParams, response: { 200: PaymentSchema, ...errors(400, 401, 403, 404, 409) } } },
    async (request) => deletePayment(app.ctx, app.requireActor(request), request.params.id),
  );
};

export default paymentRoutes;
