import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';
import { errors, Id, LocalDate, Month } from '../shared/schemas';
import { allocationsTable, balancesTable, invoicesTable } from './exports';
import { toCsv, type Table } from './tabular';
import { toXlsx } from './xlsx';

const FORMATS = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;
type Format = keyof typeof FORMATS;

async function sendTable(reply: FastifyReply, table: Table, format: Format, now: number) {
  const body = format === 'csv' ? toCsv(table) : await toXlsx(table, new Date(now));
  return reply
    .type(FORMATS[format])
    .header('content-disposition', `attachment; filename="${table.name}.${format}"`)
    .header('cache-control', 'private, no-cache')
    .send(body);
}

const MonthQuery = Type.Object({ month: Month }, { additionalProperties: false });
const AsOfQuery = Type.Object({ asOf: Type.Optional(LocalDate) }, { additionalProperties: false });
const InvoicesQuery = Type.Object(
  {
    from: Type.Optional(LocalDate),
    to: Type.Optional(LocalDate),
    month: Type.Optional(Month),
    memberId: Type.Optional(Id),
  },
  { additionalProperties: false, description: 'issued from/to (issue dates), month (the service month), memberId (seller or buyer)' },
);

/** Spreadsheet exports (CSV for French Excel, .xlsx) of the tables the client shows. */
const exportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['exports'];
  for (const format of Object.keys(FORMATS) as Format[]) {
    const response = { 200: Type.Unknown({ description: FORMATS[format] }), ...errors(400, 401, 422) };
    app.get(
      `/allocations.${format}`,
      { config: { access: 'user' }, schema: { tags, description: 'A month’s allocation rows the caller may see, as GET /api/allocations.', querystring: MonthQuery, response } },
      async (request, reply) => sendTable(reply, allocationsTable(app.ctx, app.requireActor(request), request.query.month), format, app.ctx.clock.now()),
    );
    app.get(
      `/invoices.${format}`,
      { config: { access: 'user' }, schema: { tags, description: 'Invoices and credit notes the caller may see, issued in the period and/or of a service month.', querystring: InvoicesQuery, response } },
      async (request, reply) => sendTable(reply, invoicesTable(app.ctx, app.requireActor(request), request.query), format, app.ctx.clock.now()),
    );
    app.get(
      `/balances.${format}`,
      {
        config: { access: 'user' },
        schema: { tags, description: 'What each member still owes each other member as of a day, as GET /api/balances.', querystring: AsOfQuery, response },
      },
      async (request, reply) => sendTable(reply, balancesTable(app.ctx, app.requireActor(request), request.query.asOf), format, app.ctx.clock.now()),
    );
  }
};

export default exportRoutes;
