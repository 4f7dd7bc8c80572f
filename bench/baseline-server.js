// The protocol's baseline (../shared/BENCH-PROTOCOL.md): a bare node:http server returning the same flags bytes and
// headers as flagstack's GET /api/v1/flags/, with the same check of the X-Environment-Key header. Plain JavaScript,
// run by node directly, so nothing but node:http stands between wrk and the bytes.
//   node bench/baseline-server.js <port> <body-file> <environment-key> <etag>
'use strict';
const http = require('node:http');
const { readFileSync } = require('node:fs');

const [port, bodyFile, key, etag] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const headers = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Flagsmith-Document-Updated-At, ETag, Retry-After',
  'content-type': 'application/json; charset=utf-8',
  etag,
  'content-length': body.length,
};
const forbidden = Buffer.from('{"detail":"Invalid or missing Environment Key"}');

http
  .createServer((req, res) => {
    if (req.headers['x-environment-key'] !== key) {
      res.writeHead(403, { 'content-type': 'application/json; charset=utf-8', 'content-length': forbidden.length });
      res.end(forbidden);
      return;
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    res.writeHead(200, headers);
    res.end(body);
  })
  .listen(Number(port), '127.0.0.1', () => process.stdout.write(`baseline listening on ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
