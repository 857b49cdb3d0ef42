import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { sendFile } from '../documents/routes';
import { errors, IdParams, Items } from '../shared/schemas';
import { draftConventionPdf } from './documents';
import { staffStatementPdf } from './releve';
import {
  AgreementCreate,
  AgreementListQuery,
  AgreementPatch,
  AgreementSchema,
  EmployeeCreate,
  EmployeeListQuery,
  EmployeePatch,
  EmployeeSchema,
  SignedPdfUpload,
} from './schemas';
import {
  createAgreement,
  createEmployee,
  getAgreementFor,
  listAgreementsFor,
  listEmployeesFor,
  patchAgreement,
  patchEmployee,
  signedPdfFor,
  toEmployeeView,
  uploadSignedPdf,
  visibleEmployee,
} from './service';

const Binary = (description: string) => Type.Unknown({ description });

/** Employees lent at cost and their lending agreements (C. trav. L8241-2). */
const staffRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['staff'];
  app.get(
    '/employees',
    {
      config: { access: 'staff' },
      schema: { tags, description: 'Coordinators: every employee; members: those they employ or have an agreement for; an employee’s own account: itself.', querystring: EmployeeListQuery, response: { 200: Items(EmployeeSchema), ...errors(400, 401) } },
    },
    async (request) => {
      const items = listEmployeesFor(app.ctx, app.requireActor(request));
      const memberId = request.query.memberId;
      return { items: memberId === undefined ? items : items.filter((e) => e.employerMemberId === memberId) };
    },
  );
  app.post(
    '/employees',
    { config: { access: 'coordinator' }, schema: { tags, body: EmployeeCreate, response: { 201: EmployeeSchema, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (request, reply) => reply.status(201).send(createEmployee(app.ctx, app.requireActor(request), request.body)),
  );
  app.get(
    '/employees/:id',
    { config: { access: 'staff' }, schema: { tags, params: IdParams, response: { 200: EmployeeSchema, ...errors(400, 401, 404) } } },
    async (request) => toEmployeeView(visibleEmployee(app.ctx, app.requireActor(request), request.params.id)),
  );
  app.patch(
    '/employees/:id',
    { config: { access: 'coordinator' }, schema: { tags, params: IdParams, body: EmployeePatch, response: { 200: EmployeeSchema, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (request) => patchEmployee(app.ctx, app.requireActor(request), request.params.id, request.body),
  );

  app.get(
    '/lending-agreements',
    {
      config: { access: 'user' },
      schema: { tags, description: 'The agreements the caller’s structure is a party to (every one for coordinators).', querystring: AgreementListQuery, response: { 200: Items(AgreementSchema), ...errors(400, 401) } },
    },
    async (request) => ({ items: listAgreementsFor(app.ctx, app.requireActor(request), request.query) }),
  );
  app.post(
    '/lending-agreements',
    { config: { access: 'coordinator' }, schema: { tags, body: AgreementCreate, response: { 201: AgreementSchema, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (request, reply) => reply.status(201).send(createAgreement(app.ctx, app.requireActor(request), request.body)),
  );
  app.get(
    '/lending-agreements/:id',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: AgreementSchema, ...errors(400, 401, 404) } } },
    async (request) => getAgreementFor(app.ctx, app.requireActor(request), request.params.id),
  );
  app.patch(
    '/lending-agreements/:id',
    { config: { access: 'coordinator' }, schema: { tags, params: IdParams, body: AgreementPatch, response: { 200: AgreementSchema, ...errors(400, 401, 403, 404, 409, 422) } } },
    async (request) => patchAgreement(app.ctx, app.requireActor(request), request.params.id, request.body),
  );
  app.put(
    '/lending-agreements/:id/signed-pdf',
    {
      config: { access: 'coordinator' },
      bodyLimit: 15 * 1024 * 1024,
      schema: { tags, description: 'Stores the signed convention (PDF, base64), replacing an earlier one.', params: IdParams, body: SignedPdfUpload, response: { 200: AgreementSchema, ...errors(400, 401, 403, 404, 413, 422) } },
    },
    async (request) => uploadSignedPdf(app.ctx, app.requireActor(request), request.params.id, request.body.pdfBase64),
  );
  app.get(
    '/lending-agreements/:id/signed-pdf',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: Binary('application/pdf'), ...errors(400, 401, 404) } } },
    async (request, reply) => {
      const body = signedPdfFor(app.ctx, app.requireActor(request), request.params.id);
      return sendFile(reply, { body, contentType: 'application/pdf', filename: `convention-${request.params.id}-signee.pdf` });
    },
  );
  app.get(
    '/lending-agreements/:id/draft.pdf',
    {
      config: { access: 'user' },
      schema: { tags, description: 'The draft convention with every clause L8241-2 asks for, generated from the agreement.', params: IdParams, response: { 200: Binary('application/pdf'), ...errors(400, 401, 404) } },
    },
    async (request, reply) => sendFile(reply, await draftConventionPdf(app.ctx, app.requireActor(request), request.params.id)),
  );
  app.get(
    '/invoices/:id/staff-statement.pdf',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description: 'The relevé de mise à disposition attached to an invoice billing shared staff: days, hours, hourly cost by nature, total.',
        params: IdParams,
        response: { 200: Binary('application/pdf'), ...errors(400, 401, 404) },
      },
    },
    async (request, reply) => sendFile(reply, await staffStatementPdf(app.ctx, app.requireActor(request), request.params.id)),
  );
};

export default staffRoutes;
