import cookie from '@fastify/cookie';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { openStore, type Store } from '../db/index';
import { defaultConfig, type AppConfig } from './config';
import type { AppContext } from './context';
import { systemClock, type Clock } from './shared/clock';
import { logRequest } from './feeds/log';
import accessPlugin from './plugins/access';
import auditScopePlugin from './plugins/audit-scope';
import clientPlugin from './plugins/client';
import closingGuardPlugin from './plugins/closing-guard';
import contextPlugin from './plugins/context';
import errorHandlerPlugin from './plugins/error-handler';
import openapiPlugin from './plugins/openapi';
import securityPlugin from './plugins/security';
import validationPlugin from './plugins/validation';
import accountRoutes from './accounts/routes';
import authRoutes from './auth/routes';
import poleRoutes from './pole/routes';
import { ensurePole } from './pole/repository';
import memberRoutes from './members/routes';
import userRoutes from './users/routes';
import resourceRoutes from './resources/routes';
import bookingRoutes from './bookings/routes';
import nextSlotsRoutes from './bookings/next-slots-routes';
import feedRoutes from './feeds/routes';
import icalRoutes from './feeds/ical-routes';
import costRoutes from './costs/routes';
import closingRoutes from './closing/routes';
import adjustmentRoutes from './closing/adjustments-routes';
import invoiceRoutes from './invoices/routes';
import settlementRoutes from './settlements/routes';
import paymentRoutes from './payments/routes';
import documentRoutes from './documents/routes';
import accountingRoutes from './accounting/routes';
import revenueTitleRoutes from './revenue-titles/routes';
import exportRoutes from './accounting/export-routes';
import einvoiceRoutes from './einvoice/routes';
import staffRoutes from './staff/routes';
import timesheetRoutes from './staff/timesheet-routes';
import healthRoutes from './health/routes';
import auditRoutes from './audit/routes';
import notificationRoutes from './notifications/routes';

export interface BuildAppOptions {
  config?: Partial<AppConfig>;
  clock?: Clock;
  /** An already open store (tests, scripts); otherwise one is opened at `config.dbPath` and closed with the app. */
  store?: Store;
  logger?: FastifyServerOptions['logger'];
}

/**
 * Builds the whole application as a Fastify instance, ready to `inject` or `listen`. Listening, signals and
 * process concerns live in main.ts.
 */
export async function buildApp(options: BuildAppOptions = {}): Promise<FastifyInstance> {
  const config: AppConfig = { ...defaultConfig, ...options.config };
  const store = options.store ?? openStore(config.dbPath);
  const ctx: AppContext = { store, db: store.db, sqlite: store.sqlite, clock: options.clock ?? systemClock, config };
  store.audit.clock = ctx.clock; // audit rows are stamped by the app's clock, in requests and out
  ensurePole(ctx);

  const app = Fastify({
    // Request logs never carry a feed's secret token, whoever builds the app with a logger.
    logger: typeof options.logger === 'object' && options.logger !== null ? { serializers: { req: logRequest }, ...options.logger } : (options.logger ?? false),
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy as boolean | string[], // a hop count is supported too (Fastify's types omit it)
    return503OnClosing: false, // the closing-guard plugin answers 503 in the API's error shape
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
    // The router's own refusals (a broken %-escape, an over-long path parameter) in the API's error shape.
    frameworkErrors: (error, _request, reply: FastifyReply) => {
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      void reply.status(tooLong ? 414 : 400).send({ error: { code: tooLong ? 'request.param_too_long' : 'request.bad_url', message: error.message } });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  await app.register(contextPlugin, { ctx, closeStore: options.store === undefined });
  await app.register(auditScopePlugin);
  await app.register(validationPlugin);
  await app.register(errorHandlerPlugin);
  await app.register(closingGuardPlugin);
  await app.register(cookie);
  await app.register(securityPlugin);
  await app.register(accessPlugin);
  await app.register(openapiPlugin);

  await app.register(
    async (api) => {
      await api.register(authRoutes);
      await api.register(poleRoutes);
      await api.register(memberRoutes);
      await api.register(userRoutes);
      await api.register(accountRoutes);
      await api.register(resourceRoutes);
      await api.register(bookingRoutes);
      await api.register(nextSlotsRoutes);
      await api.register(feedRoutes);
      await api.register(costRoutes);
      await api.register(closingRoutes);
      await api.register(adjustmentRoutes);
      await api.register(invoiceRoutes);
      await api.register(paymentRoutes);
      await api.register(settlementRoutes);
      await api.register(documentRoutes);
      await api.register(accountingRoutes);
      await api.register(revenueTitleRoutes);
      await api.register(exportRoutes);
      await api.register(einvoiceRoutes);
      await api.register(auditRoutes);
      await api.register(notificationRoutes);
      await api.register(staffRoutes);
      await api.register(timesheetRoutes);
    },
    { prefix: '/api' },
  );
  await app.register(healthRoutes);
  await app.register(icalRoutes);
  await app.register(clientPlugin);
  return app;
}
