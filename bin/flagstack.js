#!/usr/bin/env node
// The `flagstack` command. In a checkout it runs the TypeScript sources through tsx (so `npm start` needs no build
// step); in a built image, where api/src is absent, it runs the bundled CLI. Both start with the AppDynamics
// preload of `serve` (cli/entry.ts imports it first).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const source = join(root, 'api', 'src', 'cli', 'entry.ts');
const bundle = join(root, 'dist', 'server', 'cli.js');

function run(mod) {
  mod.main(process.argv.slice(2)).then((code) => {
    if (code >= 0) process.exitCode = code;
  });
}

if (existsSync(source) && !process.env.FLAGSTACK_USE_BUNDLE) {
  require('tsx/cjs');
  run(require(source));
} else if (existsSync(bundle)) {
  run(require(bundle));
} else {
  process.stderr.write('flagstack: neither the sources (api/src) nor a build (dist/server/cli.js) were found\n');
  process.exit(1);
}
