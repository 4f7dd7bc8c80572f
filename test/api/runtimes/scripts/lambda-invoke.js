// Runs in a fresh Node process: loads the BUILT Lambda bundle and calls its handler with API Gateway v2, REST v1
// and ALB events (from the fixtures), then prints one JSON line with every response. Also calls migrate and
// scheduler when asked. Usage: node lambda-invoke.js <bundle dir> <fixtures dir> <environment key> [steps]
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const [bundleDir, fixturesDir, key, stepsArg = 'http'] = process.argv.slice(2);
const steps = stepsArg.split(',');
const fixture = (name) => JSON.parse(readFileSync(join(fixturesDir, name), 'utf8').replaceAll('__ENVIRONMENT_KEY__', key));
const identity = JSON.stringify({ identifier: 'lambda-user', traits: [{ trait_key: 'plan', trait_value: 'pro' }] });
const context = { functionName: 'flagstack', awsRequestId: 'test', getRemainingTimeInMillis: () => 30000 };

function v2Post() {
  const e = fixture('apigw-v2-get-flags.json');
  e.rawPath = '/api/v1/identities/';
  e.requestContext.http.method = 'POST';
  e.requestContext.http.path = '/api/v1/identities/';
  e.headers['content-type'] = 'application/json';
  delete e.headers['content-length'];
  // HTTP APIs may hand the body over base64-encoded.
  e.body = Buffer.from(identity).toString('base64');
  e.isBase64Encoded = true;
  return e;
}

function v1Post() {
  const e = fixture('apigw-v1-get-flags.json');
  e.httpMethod = 'POST';
  e.path = '/api/v1/identities/';
  e.pathParameters = { proxy: 'api/v1/identities/' };
  e.requestContext.httpMethod = 'POST';
  e.requestContext.path = '/prod/api/v1/identities/';
  e.headers['Content-Type'] = 'application/json';
  e.multiValueHeaders['Content-Type'] = ['application/json'];
  e.body = identity;
  return e;
}

function albPost() {
  const e = fixture('alb-get-flags.json');
  e.httpMethod = 'POST';
  e.path = '/api/v1/identities/';
  e.headers['content-type'] = 'application/json';
  e.body = identity;
  return e;
}

/** An ALB target group with multi-value headers enabled sends only the multi-value forms. */
function albMultiValue() {
  const e = fixture('alb-get-flags.json');
  e.multiValueHeaders = Object.fromEntries(Object.entries(e.headers).map(([k, v]) => [k, [v]]));
  e.multiValueQueryStringParameters = {};
  delete e.headers;
  delete e.queryStringParameters;
  return e;
}

async function main() {
  const started = Date.now();
  const bundle = require(join(bundleDir, 'index.js'));
  const out = { exports: Object.keys(bundle).sort(), loadMs: Date.now() - started, node: process.version };
  if (steps.includes('migrate')) {
    out.migrate = await bundle.migrate({ RequestType: 'Create' });
    out.migrateAgain = await bundle.migrate({ RequestType: 'Update', PhysicalResourceId: out.migrate.PhysicalResourceId });
    out.migrateDelete = await bundle.migrate({ RequestType: 'Delete', PhysicalResourceId: 'kept' });
  }
  if (steps.includes('scheduler')) {
    // What EventBridge Scheduler delivers: the schedule's input as the event (lib/aws/scheduled-jobs.ts); and an
    // EventBridge rule's scheduled event, which names no job.
    out.scheduler = await bundle.scheduler({ job: 'scheduled-changes' });
    out.schedulerRuleEvent = await bundle.scheduler({ version: '0', id: 'e0a1', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', time: '2026-11-25T10:00:00Z', region: 'eu-west-1', resources: [], detail: {} });
    out.schedulerLdapSync = await bundle.scheduler({ job: 'ldap-sync' });
  }
  if (steps.includes('http')) {
    const events = {
      v2Get: fixture('apigw-v2-get-flags.json'),
      v2Post: v2Post(),
      v1Get: fixture('apigw-v1-get-flags.json'),
      v1Post: v1Post(),
      albGet: fixture('alb-get-flags.json'),
      albPost: albPost(),
      albMultiValueGet: albMultiValue(),
    };
    out.responses = {};
    for (const [name, event] of Object.entries(events)) {
      try {
        out.responses[name] = await bundle.handler(event, context);
      } catch (error) {
        out.responses[name] = { error: error.message };
      }
    }
  }
  if (steps.includes('flags-only')) {
    try {
      out.flags = await bundle.handler(fixture('apigw-v2-get-flags.json'), context);
    } catch (error) {
      out.error = error.message;
    }
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  process.exit(0); // the environment cache's poll timer would keep the process alive, as it does between invocations
}

main().catch((error) => {
  process.stdout.write(`${JSON.stringify({ fatal: error.message })}\n`);
  process.exit(1);
});
