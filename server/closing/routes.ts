import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors, Items, Month } from '../shared/schemas';
import { getClosedMonth } from './month-view';
import { AllocationSchema, CloseBody, ClosedMonthSchema, ClosingListItem, ClosingSchema, IntegritySchema, MonthQuery } from './schemas';
import { freezeIssued } from '../documents/frozen';
import { recordMonthVersions } from '../documents/versions';
import { withDocumentDigests } from '../invoices/service';
import { checkIntegrity } from './integrity';
import { closeMonth, listClosings, previewClose } from './service';
import { getAllocations } from './month-allocation';

const closingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/allocations',
    {
      config: { access: 'user' },
      schema: { tags: ['closing'], querystring: MonthQuery, response: { 200: AllocationSchema, ...errors(400, 401) } },
    },
    async (request) => getAllocations(app.ctx, app.requireActor(request), request.query.month),
  );
  app.get(
    '/closings',
    { config: { access: 'user' }, schema: { tags: ['closing'], response: { 200: Items(ClosingListItem), ...errors(401) } } },
    async () => ({ items: listClosings(app.ctx) }),
  );
  app.post(
    '/closings',
    {
      config: { access: 'coordinator' },
      schema: { tags: ['closing'], body: CloseBody, response: { 201: ClosingSchema, ...errors(400, 401, 403, 409, 422) } },
    },
    async (request, reply) => {
      const closed = closeMonth(app.ctx, { month: request.body.month, engagements: request.body.engagements, actor: app.requireActor(request) });
      await freezeIssued(app.ctx, closed.invoices.map((i) => i.id));
      await recordMonthVersions(app.ctx, closed.month, { reason: 'close' });
      return reply.status(201).send({ ...closed, invoices: withDocumentDigests(app.ctx, closed.invoices) });
    },
  );
  app.get(
    '/closings/:month',
    {
      config: { access: 'coordinator' },
      schema: { tags: ['closing'], params: Type.Object({ month: Month }, { additionalProperties: false }), response: { 200: ClosedMonthSchema, ...errors(400, 401, 403, 404) } },
    },
    async (request) => getClosedMonth(app.ctx, request.params.month),
  );
  app.post(
    '/closings/preview',
    {
      config: { access: 'coordinator' },
      schema: { tags: ['closing'], body: CloseBody, response: { 200: ClosingSchema, ...errors(400, 401, 403, 409, 422) } },
    },
    async (request) => previewClose(app.ctx, request.body.month, request.body.engagements),
  );
  app.get(
    '/integrity',
    { config: { access: 'coordinator' }, schema: { tags: ['closing'], response: { 200: IntegritySchema, ...errors(401, 403) } } },
    async () => checkIntegrity(app.ctx),
  );
};

export default closingRoutes;
