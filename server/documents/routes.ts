import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errors, Id, IdParams, LocalDate, Month } from '../shared/schemas';
import { accountPdf } from './account';
import { exportMonth } from './export';
import { invoicePdf, type RenderedFile } from './service';
import { currentStatementPdf, currentSummaryPdf, listMonthVersions, monthVersionPdf } from './versions';

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
    '/members/:id/account.pdf',
    {
      config: { access: 'user' },
      schema: {
        tags,
        params: IdParams,
        querystring: Type.Object({ from: Type.Optional(LocalDate), to: Type.Optional(LocalDate) }, { additionalProperties: false }),
        response: { 200: Binary('application/pdf: the member’s account statement (invoices, credit notes, payments, open balance)'), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => sendFile(reply, await accountPdf(app.ctx, app.requireActor(request), request.params.id, request.query)),
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
    async (request, reply) => sendFile(reply, await currentStatementPdf(app.ctx, app.requireActor(request), request.params.month, request.params.memberId)),
  );
  app.get(
    '/closings/:month/pdf',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: Type.Object({ month: Month }, { additionalProperties: false }), response: { 200: Binary('application/pdf'), ...errors(400, 401, 403) } },
    },
    async (request, reply) => sendFile(reply, await currentSummaryPdf(app.ctx, request.params.month)),
  );
  const MonthParams = Type.Object({ month: Month }, { additionalProperties: false });
  const VersionItem = Type.Object({
    month: Type.String(),
    kind: Type.Union([Type.Literal('summary'), Type.Literal('statement')]),
    memberId: Type.Union([Id, Type.Null()]),
    version: Type.Integer({ minimum: 1 }),
    reason: Type.Union([Type.Literal('close'), Type.Literal('credit_note'), Type.Literal('adjustment'), Type.Literal('first_use')]),
    reference: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String({ description: 'when this version was made (pole time zone, ISO 8601)' }),
    sha256: Type.String(),
  });
  const Version = Type.Integer({ minimum: 1, maximum: 1_000_000 });
  app.get(
    '/closings/:month/versions',
    {
      config: { access: 'user' },
      schema: { tags, params: MonthParams, response: { 200: Type.Object({ items: Type.Array(VersionItem) }), ...errors(400, 401) } },
    },
    async (request) => ({ items: listMonthVersions(app.ctx, app.requireActor(request), request.params.month) }),
  );
  app.get(
    '/closings/:month/versions/:version/pdf',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: Type.Object({ month: Month, version: Version }, { additionalProperties: false }), response: { 200: Binary('application/pdf: that version of the pole summary'), ...errors(400, 401, 403, 404) } },
    },
    async (request, reply) => sendFile(reply, monthVersionPdf(app.ctx, app.requireActor(request), request.params.month, 'summary', 0, request.params.version)),
  );
  app.get(
    '/statements/:month/:memberId/versions/:version/pdf',
    {
      config: { access: 'user' },
      schema: {
        tags,
        params: Type.Object({ month: Month, memberId: Id, version: Version }, { additionalProperties: false }),
        response: { 200: Binary('application/pdf: that version of the member’s statement'), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) =>
      sendFile(reply, monthVersionPdf(app.ctx, app.requireActor(request), request.params.month, 'statement', request.params.memberId, request.params.version)),
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
