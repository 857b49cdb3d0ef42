import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendFile } from '../documents/routes';
import { errors, IdParams, LocalDate } from '../shared/schemas';
import { invoiceXml, memberOutbox } from './service';

const Binary = (description: string) => Type.Unknown({ description });

/** Factur-X e-invoices: an issued document's CII XML, and a member's outbox for its platform (under /api). */
const einvoiceRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['documents'];
  app.get(
    '/invoices/:id/facturx.xml',
    {
      config: { access: 'user' },
      schema: { tags, params: IdParams, response: { 200: Binary('application/xml: the CII invoice (EN 16931) the PDF carries, as stored at issue'), ...errors(400, 401, 404, 409) } },
    },
    async (request, reply) => sendFile(reply, await invoiceXml(app.ctx, app.requireActor(request), request.params.id)),
  );
  app.get(
    '/members/:id/einvoices.zip',
    {
      config: { access: 'user' },
      schema: {
        tags,
        params: IdParams,
        querystring: Type.Object({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate) }, { additionalProperties: false }),
        response: { 200: Binary('application/zip: issued (emises/) and received (recues/) Factur-X PDFs and XML'), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => sendFile(reply, await memberOutbox(app.ctx, app.requireActor(request), request.params.id, request.query), 'attachment'),
  );
};

export default einvoiceRoutes;
