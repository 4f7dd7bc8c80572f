// Builds the admin UI into dist/ui: hashed file names under assets/ (served with a one-year immutable cache), no
// inline scripts (the CSP allows none), JSX compiled for Preact by Vite's own transformer (no Babel plugin needed).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root: here,
  base: '/',
  publicDir: false,
  logLevel: 'warn',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(here, '../../dist/ui'),
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2020',
    sourcemap: false,
    reportCompressedSize: true,
    // No polyfill: it would be inlined in the entry and every supported browser has modulepreload.
    modulePreload: { polyfill: false },
    // Keep the icon a file, not a data: URL.
    assetsInlineLimit: 0,
  },
});
