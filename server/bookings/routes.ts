import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errors, IdParams, Items } from '../shared/schemas';
import { BookingCreate, BookingListItem, BookingListQuery, BookingPatch, BookingResult, BookingSchema, CancelQuery } from './schemas';
import { cancelBooking, createBooking, getBookingFor, listBookingsFor, patchBooking } from './service';

const bookingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['bookings'];
  app.get(
    '/bookings',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description:
          'Bookings overlapping [from, to). Your structure’s bookings in full (busy: false); other structures’ pending or confirmed bookings as busy time only, without member, user or note (busy: true).',
        querystring: BookingListQuery,
        response: { 200: Items(BookingListItem), ...errors(400, 401, 404, 422) },
      },
    },
    async (request) => ({ items: listBookingsFor(app.ctx, app.requireActor(request), request.query) }),
  );
  app.post(
    '/bookings',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description:
          'Books a resource (or a recurring series, all or nothing). 409 booking.conflict lists in details.conflicts every refused occurrence with its reason.',
        body: BookingCreate,
        response: { 201: BookingResult, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => reply.status(201).send(createBooking(app.ctx, app.requireActor(request), request.body)),
  );
  app.get(
    '/bookings/:id',
    { config: { access: 'user' }, schema: { tags, params: IdParams, response: { 200: BookingSchema, ...errors(400, 401, 404) } } },
    async (request) => getBookingFor(app.ctx, app.requireActor(request), request.params.id),
  );
  app.patch(
    '/bookings/:id',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description: 'Moves, resizes or annotates a booking; coordinators set status confirmed or rejected on a pending one.',
        params: IdParams,
        body: BookingPatch,
        response: { 200: BookingSchema, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => patchBooking(app.ctx, app.requireActor(request), request.params.id, request.body),
  );
  app.delete(
    '/bookings/:id',
    {
      config: { access: 'user' },
      schema: {
        tags,
        description: 'Cancels a booking (kept as cancelled). scope=series cancels every future pending or confirmed occurrence of its series.',
        params: IdParams,
        querystring: CancelQuery,
        response: { 200: BookingResult, ...errors(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => cancelBooking(app.ctx, app.requireActor(request), request.params.id, request.query.scope),
  );
};

export default bookingRoutes;
