#!/usr/bin/env node
// `npm start` runs this first (prestart): builds the admin UI into dist/ui when the build is missing or older than
// any file under api/ui, so a fresh clone serves the UI at http://localhost:8000/ after `npm ci && npm start`.
// Without Vite (an install with --omit=dev) an existing build is served as it is; with neither, the API still
// starts and / explains how to build the UI.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const source = join(root, 'api', 'ui');
const built = join(root, 'dist', 'ui', 'index.html');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function main() {
  if (!existsSync(source)) return 0;
  const stale = !existsSync(built) || newestMtime(source) > statSync(built).mtimeMs;
  if (!stale) return 0;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!existsSync(vite)) {
    console.error(`[ui] ${existsSync(built) ? 'the UI build is older than api/ui' : 'the UI is not built'} and Vite is not installed (npm ci installs it); serving ${existsSync(built) ? 'the existing build' : 'no UI'}`);
    return 0;
  }
  const started = Date.now();
  console.log('[ui] building the admin UI (npm run build:ui)…');
  const result = spawnSync(process.execPath, [vite, 'build', '--config', join(source, 'vite.config.mts')], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('[ui] the UI build failed; the API starts anyway');
    return 0;
  }
  console.log(`[ui] built dist/ui in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return 0;
}

process.exitCode = main();
