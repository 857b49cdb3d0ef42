import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams, Items } from '../shared/schemas';
import { CreditNoteBody, InvoiceQuery, InvoiceSchema, PaymentBody } from './schemas';
import { freezeIssued } from '../documents/frozen';
import { recordMonthVersions } from '../documents/versions';
import { getInvoice, issueCreditNote, listInvoices, recordPayment, withDocumentDigests } from './service';

const invoiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['invoices'];
  app.get(
    '/invoices',
    { config: { access: 'user' }, schema: { tags, querystring: InvoiceQuery, response: { 200: Items(InvoiceSchema), ...errors(400, 401) } } },
    async (request) => ({ items: listInvoices(app.ctx, app.requireActor(request), request.query) }),
  );
  app.get(
    '/invoices/:id',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: InvoiceSchema, ...errors(400, 401, 404) } } },
    async (request) => getInvoice(app.ctx, app.requireActor(request), request.params.id),
  );
  app.post(
    '/invoices/:id/credit-note',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: IdParams, body: CreditNoteBody, response: { 201: InvoiceSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request, reply) => {
      const note = issueCreditNote(app.ctx, app.requireActor(request), request.params.id, request.body ?? {});
      await freezeIssued(app.ctx, [note.id]);
      await recordMonthVersions(app.ctx, note.month, { reason: 'credit_note', reference: note.number }, { summary: true, memberIds: [note.sellerMemberId, note.buyerMemberId] });
      return reply.status(201).send(withDocumentDigests(app.ctx, [note])[0]!);
    },
  );
  app.post(
    '/invoices/:id/payment',
    {
      config: { access: 'admin' },
      schema: { tags, params: IdParams, body: PaymentBody, response: { 200: InvoiceSchema, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => recordPayment(app.ctx, app.requireActor(request), request.params.id, request.body.paidOn),
  );
};

export default invoiceRoutes;
