// A reference target, not a baseline of the protocol: Fastify alone (no plugins, no logger) answering GET
// /api/v1/flags/ with the same bytes, headers and header check as baseline-server.js. It separates what Fastify
// itself costs from what flagstack's own read path adds (BENCH-PROTOCOL.md measured Fastify ≈ 0.86× bare node:http).
//   node bench/fastify-server.js <port> <body-file> <environment-key> <etag>
'use strict';
const Fastify = require('fastify');
const { readFileSync } = require('node:fs');

const [port, bodyFile, key, etag] = process.argv.slice(2);
const body = readFileSync(bodyFile);
const headers = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Flagsmith-Document-Updated-At, ETag, Retry-After',
  'content-type': 'application/json; charset=utf-8',
  etag,
};
const app = Fastify({ logger: false });
app.get('/api/v1/flags/', (req, reply) => {
  if (req.headers['x-environment-key'] !== key) return void reply.code(403).send({ detail: 'Invalid or missing Environment Key' });
  if (req.headers['if-none-match'] === etag) return void reply.code(304).headers(headers).send();
  void reply.code(200).headers(headers).send(body);
});
app.listen({ port: Number(port), host: '127.0.0.1' }).then(() => process.stdout.write(`fastify reference listening on ${port}\n`));
process.on('SIGTERM', () => process.exit(0));
