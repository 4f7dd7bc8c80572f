// One cold start of the Azure Functions app: load it as the worker does (package.json main, with the stand-in
// worker module on NODE_PATH), call the registered HTTP handler with GET /api/v1/flags/, print the status, exit.
// Usage: node probe-azure.js <app dir> <environment key>
'use strict';
/** CPU time (user + system) this process has used since it started, in ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return ((u.user + u.system) / 1000).toFixed(1);
};
const { join } = require('node:path');
const core = require('@azure/functions-core');
const dir = process.argv[2];
require(join(dir, require(join(dir, 'package.json')).main));
const http = core.registrations.find((r) => r.metadata.name === 'flagstack');
// What the handler reads of an HttpRequest (the worker builds the real one before calling it).
const request = {
  method: 'GET',
  url: 'https://bench.azurewebsites.net/api/v1/flags/',
  headers: new Headers({ accept: 'application/json', 'x-environment-key': process.argv[3] }),
  arrayBuffer: async () => new ArrayBuffer(0),
};
const context = { log() {}, error: (m) => process.stderr.write(`${m}\n`) };
http.callback(request, context).then(
  (res) => {
    process.stdout.write(`${res.status} ${cpuMs()}\n`);
    process.exit(res.status === 200 ? 0 : 1);
  },
  (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
