import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { getPole } from '../pole/repository';
import { errors, Id, Month } from '../shared/schemas';
import { renderRevenueTitlesPdf } from './pdf';
import { revenueTitles } from './service';

const Params = Type.Object({ month: Month, memberId: Id }, { additionalProperties: false });
const Line = Type.Object({ description: Type.String(), resourceId: Type.Union([Id, Type.Null()]), nature: Type.Union([Type.String(), Type.Null()]), totalExclVatCents: Type.Integer() });
const RevenueTitlesSchema = Type.Object({
  month: Type.String(),
  final: Type.Boolean(),
  issuer: Type.Object({ memberId: Id, name: Type.String(), siren: Type.String(), siret: Type.String(), publicBody: Type.Boolean(), chorusServiceCode: Type.Union([Type.String(), Type.Null()]) }),
  debtors: Type.Array(
    Type.Object({
      memberId: Id,
      name: Type.String(),
      siren: Type.String(),
      siret: Type.String(),
      address: Type.String(),
      lines: Type.Array(Line),
      totalCents: Type.Integer(),
    }),
  ),
  totalCents: Type.Integer(),
});

/** A public body's relevé for its titres de recettes (issue #10): JSON and PDF. */
const revenueTitleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['closing'];
  app.get(
    '/closings/:month/revenue-titles/:memberId',
    { config: { access: 'user' }, schema: { tags, params: Params, response: { 200: RevenueTitlesSchema, ...errors(400, 401, 404, 422) } } },
    async (request) => revenueTitles(app.ctx, app.requireActor(request), request.params.month, request.params.memberId),
  );
  app.get(
    '/closings/:month/revenue-titles/:memberId/pdf',
    { config: { access: 'user' }, schema: { tags, params: Params, response: { 200: Type.Unknown({ description: 'application/pdf' }), ...errors(400, 401, 404, 422) } } },
    async (request, reply) => {
      const data = revenueTitles(app.ctx, app.requireActor(request), request.params.month, request.params.memberId);
      const body = await renderRevenueTitlesPdf(data, getPole(app.ctx.db).name);
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="titres-de-recettes-${data.month}-${data.issuer.memberId}.pdf"`)
        .header('cache-control', 'private, no-cache')
        .send(body);
    },
  );
};

export default revenueTitleRoutes;
