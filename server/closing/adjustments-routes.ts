import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { freezeIssued } from '../documents/frozen';
import { recordMonthVersions } from '../documents/versions';
import { withDocumentDigests } from '../invoices/service';
import { errors, Month } from '../shared/schemas';
import { issueAdjustment, previewAdjustment } from './adjustments';
import { AdjustmentBody, AdjustmentSchema } from './schemas';

const MonthParams = Type.Object({ month: Month }, { additionalProperties: false });

const adjustmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['closing'];
  app.post(
    '/closings/:month/adjustments/preview',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: MonthParams, body: AdjustmentBody, response: { 200: AdjustmentSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request) => previewAdjustment(app.ctx, request.params.month, request.body),
  );
  app.post(
    '/closings/:month/adjustments',
    {
      config: { access: 'coordinator' },
      schema: { tags, params: MonthParams, body: AdjustmentBody, response: { 201: AdjustmentSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request, reply) => {
      const adjustment = issueAdjustment(app.ctx, app.requireActor(request), request.params.month, request.body);
      // Frozen and versioned after the commit, as at the close: rendering never holds the database.
      await freezeIssued(app.ctx, adjustment.documents.map((d) => d.id));
      const members = [...new Set(adjustment.documents.flatMap((d) => [d.sellerMemberId, d.buyerMemberId]))];
      await recordMonthVersions(app.ctx, adjustment.month, { reason: 'adjustment', reference: adjustment.documents.map((d) => d.number).join(', ') }, { summary: true, memberIds: members });
      return reply.status(201).send({ ...adjustment, documents: withDocumentDigests(app.ctx, adjustment.documents) });
    },
  );
};

export default adjustmentRoutes;
