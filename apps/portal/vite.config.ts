/// <reference types="vitest/config" />
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = path.dirname(new URL(import.meta.url).pathname);

// `npm run build` writes the portal to dist/portal, which the gateway serves at `/`. Hashed file names
// under assets/ let the gateway mark them immutable; index.html itself is revalidated on every load.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: path.resolve(root, '../../dist/portal'),
    emptyOutDir: true,
    // No inline script or style is emitted, so the gateway's CSP can refuse 'unsafe-inline'.
    assetsInlineLimit: 0,
    // React, the router, TanStack Query, i18next and zod in one file: about 180 kB gzipped.
    chunkSizeWarningLimit: 800,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's sources carry a /* @__PURE__ */ where Rollup cannot use it; harmless, and not ours.
        if (warning.code === 'INVALID_ANNOTATION') {
          return;
        }
        warn(warning);
      },
    },
  },
  server: {
    // `vite` during development: the API of a gateway started by `npm start`.
    proxy: { '/api': 'http://localhost:3000' },
  },
  test: {
    root,
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    setupFiles: ['src/test/setup.ts'],
    // Two cores shared by many: one worker is enough for a handful of component tests.
    maxWorkers: 1,
  },
});
