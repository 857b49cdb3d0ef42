import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

// Placeholder while the capability is being written.
const routes: FastifyPluginAsyncTypebox = async () => {};
export default routes;
