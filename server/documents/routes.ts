import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errors, Id, IdParams, Month } from '../shared/schemas';
import { exportMonth, invoicePdf, statementPdf, summaryPdf, type RenderedFile } from './service';

const Binary = (description: string) => Type.Unknown({ description });

export function sendFile(reply: FastifyReply, file: RenderedFile, disposition: 'inline' | 'attachment' = 'inline') {
  return reply
    .type(file.contentType)
    .header('content-disposition', `${disposition}; filename="${file.filename}"`)
    .header('cache-control', 'private, no-cache')
    .send(file.body);
}

/** PDFs and the monthly ZIP export (under /api). */
const documentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['documents'];
  app.get(
    '/invoices/:id/pdf',
    {
      config: { access: 'user' },
      schema: { tags, params: IdParams, response: { 200: Binary('application/pdf'), ...errors(400, 401, 404) } },
    },
    async (request, reply) => sendFile(reply, await invoicePdf(app.ctx, app.requireActor(request), request.params.id)),
  );
  app.get(
    '/statements/:month/:memberId/pdf',
    {
      config: { access: 'user' },
      schema: {
        tags,
        params: Type.Object({ month: Month, memberId: Id }, { additionalProperties: false }),
        response: { 200: Binary('application/pdf'), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => sendFile(reply, await statementPdf(app.ctx, app.requireActor(request), request.params.month, request.params.memberId)),
  );
  app.get(
    '/closings/:month/pdf',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: Type.Object({ month: Month }, { additionalProperties: false }), response: { 200: Binary('application/pdf'), ...errors(400, 401, 403) } },
    },
    async (request, reply) => sendFile(reply, await summaryPdf(app.ctx, request.params.month)),
  );
  app.get(
    '/closings/:month/export.zip',
    {
      config: { access: 'coordinator' },
      schema: {
        tags,
        params: Type.Object({ month: Month }, { additionalProperties: false }),
        response: { 200: Binary('application/zip'), ...errors(400, 401, 403, 409) },
      },
    },
    async (request, reply) => sendFile(reply, await exportMonth(app.ctx, request.params.month), 'attachment'),
  );
};

export default documentRoutes;
