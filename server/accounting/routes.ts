import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, IdParams, Items } from '../shared/schemas';
import type { MappingOverrides } from './mapping';
import { ExportSchema, FecQuery, MappingOverridesBody, MappingViewSchema } from './schemas';
import { getMapping, listExports, memberFec, putMapping, recordedFec } from './service';

/** A member's accounts: the chart of accounts it maps to, its FEC files and their record. */
const accountingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['accounting'];
  app.get(
    '/members/:id/entries.fec',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description: 'The member’s entries of the period (default: the current year to date) in the FEC layout, tab-separated UTF-8.',
        params: IdParams,
        querystring: FecQuery,
        response: { 200: Type.String({ description: 'text/plain FEC file' }), ...errors(400, 401, 404, 422) },
      },
    },
    async (request, reply) => {
      const actor = app.requireActor(request);
      const { exportId, ...period } = request.query;
      const file = exportId === undefined ? memberFec(app.ctx, actor, request.params.id, period) : recordedFec(app.ctx, actor, request.params.id, exportId);
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('cache-control', 'private, no-cache')
        .header('x-accounting-export-id', String(file.exportId))
        .header('x-content-sha256', file.sha256)
        .send(file.body);
    },
  );
  app.get(
    '/members/:id/accounting',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: MappingViewSchema, ...errors(400, 401, 404) } } },
    async (request) => getMapping(app.ctx, app.requireActor(request), request.params.id),
  );
  app.put(
    '/members/:id/accounting',
    {
      config: { access: 'admin' },
      schema: { tags, params: IdParams, body: MappingOverridesBody, response: { 200: MappingViewSchema, ...errors(400, 401, 403, 404, 422) } },
    },
    async (request) => putMapping(app.ctx, app.requireActor(request), request.params.id, request.body as MappingOverrides),
  );
  app.get(
    '/members/:id/accounting/exports',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: Items(ExportSchema), ...errors(400, 401, 404) } } },
    async (request) => ({ items: listExports(app.ctx, app.requireActor(request), request.params.id) }),
  );
};

export default accountingRoutes;
