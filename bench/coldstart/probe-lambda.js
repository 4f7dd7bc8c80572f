// One cold start of the Lambda bundle: load it, answer GET /api/v1/flags/ from an API Gateway v2 event, print the
// status and exit. Usage: node probe-lambda.js <bundle dir> <environment key>
'use strict';
/** CPU time (user + system) this process has used since it started, in ms. */
const cpuMs = () => {
  const u = process.cpuUsage();
  return ((u.user + u.system) / 1000).toFixed(1);
};
const bundle = require(require('node:path').join(process.argv[2], 'index.js'));
const event = {
  version: '2.0',
  routeKey: '$default',
  rawPath: '/api/v1/flags/',
  rawQueryString: '',
  headers: { accept: 'application/json', host: 'bench.execute-api.local', 'x-environment-key': process.argv[3] },
  requestContext: { http: { method: 'GET', path: '/api/v1/flags/', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1' }, stage: '$default' },
  isBase64Encoded: false,
};
bundle.handler(event, { functionName: 'bench' }).then(
  (res) => {
    process.stdout.write(`${res.statusCode} ${cpuMs()}\n`);
    process.exit(res.statusCode === 200 ? 0 : 1);
  },
  (error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
