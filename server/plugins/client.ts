import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_DIST } from '../shared/paths';

export { CLIENT_DIST };

declare module 'fastify' {
  interface FastifyInstance {
    /** True when the built client is served: unknown page paths then get its index.html. */
    servesClient: boolean;
    /** The app's index.html for a page path, with hints to fetch at once what that page will ask for next. */
    clientPage(path: string, signedIn: { role: string } | null): string;
  }
}

/**
 * Preload hints for a page opened directly (a link from a mail, a bookmark): a signed-in browser's session and pole
 * start loading with the page's code instead of after it, and a calendar link brings its chunk and its resource
 * too. The app's boot asks for the same URLs (App.tsx bootPrefetch) and gets the preloaded answers.
 */
export function pageHints(path: string, signedIn: { role: string } | null, calendarChunk: string | null): string[] {
  if (!signedIn) return [];
  const fetchHint = (url: string) => `<link rel="preload" href="${url}" as="fetch" crossorigin>`;
  const hints = [fetchHint('/api/me')];
  if (signedIn.role === 'staff') return hints;
  hints.push(fetchHint('/api/pole'), fetchHint('/api/members'));
  const calendar = /^\/resources\/(\d+)\/?$/.exec(path);
  if (calendar) {
    if (calendarChunk) hints.push(`<link rel="modulepreload" href="/assets/${calendarChunk}" crossorigin>`);
    hints.push(fetchHint(`/api/resources/${calendar[1]}`));
  }
  return hints;
}

/** Serves the built single-page app (client/dist, or dist/client in the build) from the same origin. */
async function client(app: FastifyInstance) {
  const enabled = app.ctx.config.serveClient && existsSync(join(CLIENT_DIST, 'index.html'));
  app.decorate('servesClient', enabled);
  const indexHtml = enabled ? readFileSync(join(CLIENT_DIST, 'index.html'), 'utf8') : '';
  const calendarChunk = enabled ? (readdirSync(join(CLIENT_DIST, 'assets')).find((f) => /^Calendar-[\w-]+\.js$/.test(f)) ?? null) : null;
  app.decorate('clientPage', (path: string, signedIn: { role: string } | null) => {
    const hints = pageHints(path, signedIn, calendarChunk);
    return hints.length ? indexHtml.replace('</head>', `    ${hints.join('\n    ')}\n  </head>`) : indexHtml;
  });
  if (!enabled) return;
  await app.register(fastifyStatic, {
    root: CLIENT_DIST,
    wildcard: true,
    // The build writes .br and .gz beside each asset: sent as they are to browsers that accept them.
    preCompressed: true,
    cacheControl: false,
    setHeaders(reply, path) {
      // Hashed file names change with their content: cached for a year; the page itself is revalidated.
      const immutable = /[\\/]assets[\\/]/.test(path);
      void reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}

export default fp(client, { name: 'client', dependencies: ['context'] });
