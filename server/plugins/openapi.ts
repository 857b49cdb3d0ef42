import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The OpenAPI document, built from the route schemas, and its UI under /api/docs (JSON at /api/docs/json). */
async function openapi(app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      info: { title: 'Mutualise API', version: '0.1.0', description: 'Shared back office of a PTCE' },
      components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'mutualise_session' } } },
      security: [{ session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });
}

export default fp(openapi, { name: 'openapi' });
