import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { parseRange } from '../bookings/input';
import { errors, Id } from '../shared/schemas';
import { listPayroll, putPayroll } from './payroll';
import { decideTimesheet, getTimesheet, putTimesheet, scheduleFor } from './timesheet-service';
import { TimesheetSchema, Params, LinesBody, Decision, Payroll, PayrollSchema, ScheduleItem } from './timesheet-schemas';

/** Timesheets (the employee's own account may use them), the employee's schedule and its payroll figures. */
const timesheetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['staff'];
  app.get(
    '/employees/:id/timesheets/:month',
    {
      config: { access: 'staff' },
      schema: { tags, description: 'The month’s actual hours (a user member’s users see their own lines).', params: Params, response: { 200: TimesheetSchema, ...errors(400, 401, 403, 404) } },
    },
    async (request) => getTimesheet(app.ctx, app.requireActor(request), request.params.id, request.params.month),
  );
  app.put(
    '/employees/:id/timesheets/:month',
    {
      config: { access: 'staff' },
      schema: { tags, description: 'Replaces the month’s lines: the employee itself or a coordinator.', params: Params, body: LinesBody, response: { 200: TimesheetSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request) => putTimesheet(app.ctx, app.requireActor(request), request.params.id, request.params.month, request.body.lines.map((l) => ({ ...l, memberId: l.memberId ?? null }))),
  );
  app.post(
    '/employees/:id/timesheets/:month/decision',
    {
      config: { access: 'admin' },
      schema: { tags, description: 'The user member’s admin approves its month, or disputes days with a comment.', params: Params, body: Decision, response: { 200: TimesheetSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request) => decideTimesheet(app.ctx, app.requireActor(request), request.params.id, request.params.month, request.body),
  );
  app.get(
    '/employees/:id/schedule',
    {
      config: { access: 'staff' },
      schema: {
        tags,
        description: 'Bookings of the employee’s time over [from, to): for the employee itself, its employer and coordinators.',
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        querystring: Type.Object({ from: Type.String({ maxLength: 40 }), to: Type.String({ maxLength: 40 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(ScheduleItem) }), ...errors(400, 401, 403, 404, 422) },
      },
    },
    async (request) => {
      const { from, to } = parseRange(request.query.from, request.query.to);
      return { items: scheduleFor(app.ctx, app.requireActor(request), request.params.id, from, to) };
    },
  );
  app.put(
    '/employees/:id/payroll/:month',
    {
      config: { access: 'coordinator' },
      schema: { tags, description: 'The month’s payroll figures; they become the staff resource’s costs (replacing earlier ones).', params: Params, body: Payroll, response: { 200: PayrollSchema, ...errors(400, 401, 403, 404, 409, 422) } },
    },
    async (request) => putPayroll(app.ctx, app.requireActor(request), request.params.id, request.params.month, request.body),
  );
  app.get(
    '/employees/:id/payroll',
    {
      config: { access: 'admin' },
      schema: { tags, params: Type.Object({ id: Id }, { additionalProperties: false }), response: { 200: Type.Object({ items: Type.Array(PayrollSchema) }), ...errors(400, 401, 403, 404) } },
    },
    async (request) => ({ items: listPayroll(app.ctx, app.requireActor(request), request.params.id) }),
  );
};

export default timesheetRoutes;
