import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { redactFeedToken } from '../feeds/log';
import { constraintConflict } from '../shared/constraints';
import { isAppError } from '../shared/errors';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'request.too_large' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'request.unsupported_media_type' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'request.invalid_content_length' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'request.empty_body' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'request.malformed_json' },
};

/**
 * The one place errors become HTTP: typed AppErrors keep their status and code, schema failures become
 * 400 validation.failed with the offending path, any other 4xx keeps its status, and a 5xx is logged with
 * its context but answers only "Internal error".
 */
function errorHandler(app: FastifyInstance) {
  app.setErrorHandler((raw: FastifyError, request, reply) => {
    let status: number;
    let body: ErrorBody;
    const error = (constraintConflict(raw) ?? raw) as FastifyError;
    if (isAppError(error)) {
      status = error.status;
      body = { error: { code: error.code, message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } };
      const retry = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
      if (status === 429 && retry) reply.header('retry-after', String(retry));
    } else if (error.validation) {
      status = 400;
      body = {
        error: {
          code: 'validation.failed',
          message: `Invalid ${error.validationContext ?? 'request'}: ${error.message}`,
          details: error.validation.map((v) => ({ path: v.instancePath, message: v.message, keyword: v.keyword, params: v.params })),
        },
      };
    } else if (error.code && FASTIFY_CODES[error.code]) {
      const known = FASTIFY_CODES[error.code]!;
      status = known.status;
      body = { error: { code: known.code, message: error.message } };
    } else if (error instanceof SyntaxError || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
      status = error.statusCode && error.statusCode < 500 ? error.statusCode : 400;
      body = { error: { code: status === 400 ? 'request.invalid' : `http.${status}`, message: error.message } };
    } else {
      status = 500;
      request.log.error({ err: error, url: redactFeedToken(request.url), method: request.method }, 'unhandled error');
      body = { error: { code: 'internal', message: 'Internal error' } };
    }
    if (status >= 400 && status < 500) request.log.info({ code: body.error.code, url: redactFeedToken(request.url) }, 'request refused');
    return reply.status(status).type('application/json; charset=utf-8').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const isPage = request.method === 'GET' && !path.startsWith('/api/') && !path.startsWith('/ical/');
    // The page differs by session (its preload hints): never shared by a cache, always revalidated.
    if (isPage && app.servesClient) return reply.type('text/html; charset=utf-8').header('cache-control', 'private, no-cache').send(app.clientPage(path, request.actor));
    return reply.status(404).send({ error: { code: 'route.not_found', message: `No route ${request.method} ${path}` } });
  });
}

export default fp(errorHandler, { name: 'error-handler' });
