// Runs in a fresh Node process: loads the BUILT Azure Functions app (dist/azure) the way the Functions worker
// does — its package.json `main` — with a stand-in for the worker's `@azure/functions-core` module (on NODE_PATH)
// that records each registerFunction call. Then invokes the registered HTTP handler with `@azure/functions`
// HttpRequest objects, as the worker does, and prints one JSON line.
// Usage: node azure-invoke.js <app dir> <environment key>
//        node azure-invoke.js <app dir> timers   (the registrations, and the LDAP-sync timer's run if registered)
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { HttpRequest, InvocationContext } = require('@azure/functions');

const [appDir, key] = process.argv.slice(2);

async function responseBody(init) {
  if (init.jsonBody !== undefined) return init.jsonBody;
  if (init.body === undefined || init.body === null) return null;
  return JSON.parse(Buffer.from(init.body).toString('utf8'));
}

async function main() {
  const core = require('@azure/functions-core');
  const pkg = JSON.parse(readFileSync(join(appDir, 'package.json'), 'utf8'));
  require(join(appDir, pkg.main));
  const registered = core.registrations.map((r) => ({
    name: r.metadata.name,
    bindings: Object.values(r.metadata.bindings).map((b) => ({ type: b.type, direction: b.direction, route: b.route, methods: b.methods, authLevel: b.authLevel, schedule: b.schedule })),
  }));
  if (key === 'timers') {
    const logs = [];
    const ldap = core.registrations.find((r) => r.metadata.name === 'flagstack-ldap-sync');
    if (ldap) {
      const context = new InvocationContext({ invocationId: 'timer', functionName: 'flagstack-ldap-sync', logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`) });
      await ldap.callback({ isPastDue: false, scheduleStatus: {} }, context);
    }
    process.stdout.write(`${JSON.stringify({ registered, ldapSyncLogs: logs })}\n`);
    process.exit(0);
  }
  const http = core.registrations.find((r) => r.metadata.name === 'flagstack');
  const context = () => new InvocationContext({ invocationId: 'test', functionName: 'flagstack' });
  const host = 'https://flagstack-fn.azurewebsites.net';
  const get = await http.callback(new HttpRequest({ method: 'GET', url: `${host}/api/v1/flags/`, headers: { 'x-environment-key': key, accept: 'application/json' } }), context());
  const post = await http.callback(
    new HttpRequest({
      method: 'POST',
      url: `${host}/api/v1/identities/`,
      headers: { 'x-environment-key': key, 'content-type': 'application/json' },
      body: { string: JSON.stringify({ identifier: 'azure-user', traits: [{ trait_key: 'plan', trait_value: 'pro' }] }) },
    }),
    context(),
  );
  const health = await http.callback(new HttpRequest({ method: 'GET', url: `${host}/health/readiness` }), context());
  const out = {
    programmingModel: core.programmingModel && core.programmingModel.name,
    registered,
    get: { status: get.status, headers: get.headers, body: await responseBody(get) },
    post: { status: post.status, body: await responseBody(post) },
    health: { status: health.status, body: await responseBody(health) },
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0);
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ fatal: error.stack })}\n`);
  process.exit(1);
});
