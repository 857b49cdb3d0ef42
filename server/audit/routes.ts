import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { toCsv } from '../accounting/tabular';
import { errors, Id, LocalDate } from '../shared/schemas';
import { auditTable, listAudit } from './service';

const AuditQuery = Type.Object(
  {
    objectType: Type.Optional(Type.String({ pattern: '^[a-z_]{1,40}$' })),
    objectId: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    userId: Type.Optional(Id),
    memberId: Type.Optional(Id),
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    beforeId: Type.Optional(Id),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false, description: 'objectType + objectId (one object’s history), userId (who), from/to (days in the pole’s zone, included), beforeId (next page)' },
);

const AuditEntrySchema = Type.Object({
  id: Id,
  at: Type.String(),
  userId: Type.Union([Id, Type.Null()]),
  userName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  objectType: Type.String(),
  objectId: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  ip: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  route: Type.Union([Type.String(), Type.Null()]),
});

/** The audit trail (under /api): coordinators read it all, a member_admin its own structure's rows. */
const auditRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['audit'];
  app.get(
    '/audit',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        querystring: AuditQuery,
        response: { 200: Type.Object({ items: Type.Array(AuditEntrySchema), nextBeforeId: Type.Union([Id, Type.Null()]) }), ...errors(400, 401, 403) },
      },
    },
    async (request) => listAudit(app.ctx, app.requireActor(request), request.query),
  );
  app.get(
    '/audit.csv',
    { config: { access: 'admin' }, schema: { tags, querystring: AuditQuery, response: { 200: Type.Unknown({ description: 'text/csv; charset=utf-8' }), ...errors(400, 401, 403) } } },
    async (request, reply) => {
      const table = auditTable(app.ctx, app.requireActor(request), request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${table.name}.csv"`)
        .header('cache-control', 'private, no-cache')
        .send(toCsv(table));
    },
  );
};

export default auditRoutes;
