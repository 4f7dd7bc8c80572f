// Jest on Node 20 cannot load ESM-only packages from node_modules (light-my-request's `cookie`): this transformer
// turns such a file into CommonJS with esbuild, the bundler the project already uses.
'use strict';
const { transformSync } = require('esbuild');

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, { format: 'cjs', loader: 'js', target: 'node20', sourcemap: 'inline', sourcefile: filename });
    return { code, map };
  },
};
