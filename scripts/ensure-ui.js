#!/usr/bin/env node
// `npm start` runs this first (prestart): builds the admin UI into dist/ui when the build is missing or older than
// any file under api/ui, so a fresh clone serves the UI at http://localhost:8000/ after `npm ci && npm start`.
// Without Vite (an install with --omit=dev) an existing build is served as it is; with neither, the API still
// starts and / explains how to build the UI.
'use strict';
const { existsSync, mkdirSync, readdirSync, rmSync, statSync } = require('node:fs');
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

const lock = join(root, 'dist', '.ui-build.lock');
const LOCK_STALE_MS = 5 * 60_000;

/**
 * One build at a time: test files run in parallel, and a second Vite build would empty dist/ui under the first.
 * The lock is a directory (mkdir is atomic); a lock older than five minutes is a crashed build's and is taken over.
 */
function acquireLock() {
  mkdirSync(join(root, 'dist'), { recursive: true });
  const until = Date.now() + 2 * LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      return true;
    } catch {
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > until) return false;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    }
  }
}

function isStale() {
  return !existsSync(built) || newestMtime(source) > statSync(built).mtimeMs;
}

function main() {
  if (!existsSync(source)) return 0;
  if (!isStale()) return 0;
  if (!acquireLock()) {
    console.error('[ui] another UI build holds dist/.ui-build.lock; serving what is there');
    return 0;
  }
  try {
    // Another process may have built it while this one waited for the lock.
    return isStale() ? build() : 0;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build() {
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
