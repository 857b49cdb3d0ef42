import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The single-page app: built into client/dist, which the server serves from the same origin. */
export default defineConfig({
  root,
  plugins: [preact({ devToolsEnabled: false, prefreshEnabled: true })],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
    chunkSizeWarningLimit: 400,
  },
  server: {
    // `npx vite --config client/vite.config.ts` against a server started on PORT (default 3000).
    proxy: { '/api': `http://127.0.0.1:${process.env.API_PORT ?? 3000}`, '/ical': `http://127.0.0.1:${process.env.API_PORT ?? 3000}` },
  },
});
