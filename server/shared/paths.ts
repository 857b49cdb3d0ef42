import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Defined (true) by scripts/build.mjs in the bundles under dist/; undeclared when running the sources. */
declare const __MUTUALISE_BUNDLE__: boolean | undefined;

export const BUNDLED = typeof __MUTUALISE_BUNDLE__ !== 'undefined';

// In a bundle every module shares its entry's URL (dist/server/main.js, dist/scripts/x.js): the root is one up.
const here = dirname(fileURLToPath(import.meta.url));

/** The repository (running the sources) or dist/ (running the build). */
export const APP_ROOT = BUNDLED ? join(here, '..') : join(here, '..', '..');

/** The committed drizzle-kit migrations: db/migrations, copied to dist/db/migrations by the build. */
export const MIGRATIONS_FOLDER = join(APP_ROOT, 'db', 'migrations');

/** The built single-page app: client/dist from the sources (Vite's output), dist/client in the build. */
export const CLIENT_DIST = BUNDLED ? join(APP_ROOT, 'client') : join(APP_ROOT, 'client', 'dist');

/** DejaVu TTFs: dist/fonts in the build; the dejavu-fonts-ttf package otherwise (null: resolve it). */
export const BUNDLED_FONTS: string | null = BUNDLED ? join(APP_ROOT, 'fonts') : null;
