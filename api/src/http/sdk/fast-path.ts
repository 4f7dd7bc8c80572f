// GET /api/v1/flags/ answered beneath Fastify (docs/performance.md §1, §6). The listening server's 'request' listener
// looks at the request first: a plain `GET /api/v1/flags/` whose X-Environment-Key names a view that is fresh in memory
// is answered right there with the view's cached bytes and headers, exactly what the Fastify route sends (the test
// test/api/cache/fast-path.test.ts compares the two byte for byte); everything else — another path or method, a query
// string, a missing or unknown key, a view to rebuild, an organisation that stopped serving flags, a server that is
// closing — goes to Fastify untouched, which answers it as before (errors, 403 bodies, 503 while closing, logs).
//
// Fastify's request pipeline (request and reply objects, the router, the hook runner, the logger stand-in) cost about
// as much CPU as the answer itself; the fast path skips it for the one request SDKs make most. It is an optimisation
// only: the function runtimes inject requests into Fastify and never reach it, and Fastify's route serves the same
// answer. Counters are the cache's (peek() counts stale and database-down serves the same way for both).
import { createServer, type IncomingMessage, type RequestListener, type Server, type ServerOptions, type ServerResponse } from 'node:http';
import type { EnvironmentCache } from '../../services/sdk/environment-cache';
import type { CachedBody } from '../../services/sdk/environment-view';
import { cachedIdentityAnswer } from '../../services/sdk/identify';

/** The answer to a request for a fresh view, when the fast path can give it; false sends it on to Fastify. */
export type FastPath = (req: IncomingMessage, res: ServerResponse) => boolean;

export function flagsFastPath(cache: EnvironmentCache, isClosing: () => boolean): FastPath {
  return (req, res) => {
    const url = req.url;
    // Only the exact path (Fastify's router also takes it without the trailing slash); any query goes to Fastify.
    if ((url !== '/api/v1/flags/' && url !== '/api/v1/flags') || req.method !== 'GET') return false;
    const key = req.headers['x-environment-key'];
    if (typeof key !== 'string' || key === '' || isClosing()) return false;
    const hit = cache.peek(key);
    if (hit === undefined || hit.view.organisation.stop_serving_flags) return false;
    send(req, res, hit.view.flagsBody(hit.kind));
    cache.fastPathServes++;
    return true;
  };
}

const IDENTITIES = '/api/v1/identities/?identifier=';
const IDENTITIES_NO_SLASH = '/api/v1/identities?identifier=';
/**
 * Identifiers the fast path takes from the query string as they are: characters that Fastify's query parser leaves
 * unchanged (no percent-encoding, no `+`, no `&`, `=` or `#`). Any other identifier goes to Fastify, which decodes it.
 */
const PLAIN_IDENTIFIER = /^[A-Za-z0-9._~@:-]{1,2000}$/;

/**
 * GET /api/v1/identities/?identifier=<plain identifier> and nothing else in the query, when the view is fresh and the
 * identity is fresh in the identity cache: the answer's bytes kept on the cache entry, with the route's headers
 * (the same function builds them for both). Anything else — a missing or expired identity, which needs the database —
 * goes to Fastify.
 */
export function identitiesFastPath(cache: EnvironmentCache, isClosing: () => boolean): FastPath {
  return (req, res) => {
    const url = req.url;
    if (url === undefined || req.method !== 'GET') return false;
    let identifier: string;
    if (url.startsWith(IDENTITIES)) identifier = url.slice(IDENTITIES.length);
    else if (url.startsWith(IDENTITIES_NO_SLASH)) identifier = url.slice(IDENTITIES_NO_SLASH.length);
    else return false;
    if (!PLAIN_IDENTIFIER.test(identifier)) return false;
    const key = req.headers['x-environment-key'];
    if (typeof key !== 'string' || key === '' || isClosing()) return false;
    const hit = cache.peek(key);
    if (hit === undefined || hit.view.organisation.stop_serving_flags) return false;
    // Synchronous: the identity's answer as kept on its cache entry (serialized there on first use under this view).
    const answer = cachedIdentityAnswer(cache.identities, hit.view, hit.kind, identifier);
    if (answer === undefined) return false;
    res.writeHead(200, answer.headers);
    res.end(answer.body);
    cache.identityFastPathServes++;
    return true;
  };
}

/** Both fast paths: /flags/ first (the most frequent), then /identities/. */
export function sdkFastPath(cache: EnvironmentCache, isClosing: () => boolean): FastPath {
  const flags = flagsFastPath(cache, isClosing);
  const identities = identitiesFastPath(cache, isClosing);
  return (req, res) => flags(req, res) || identities(req, res);
}

function send(req: IncomingMessage, res: ServerResponse, cached: CachedBody): void {
  if (req.headers['if-none-match'] === cached.etag) {
    res.writeHead(304, cached.notModifiedHeaders);
    res.end();
  } else {
    res.writeHead(200, cached.okHeaders);
    res.end(cached.body);
  }
}

/** Fastify's HTTP/1 server options that its own server factory applies (fastify/lib/server.js). */
interface FastifyServerSettings {
  http?: ServerOptions | null;
  keepAliveTimeout: number;
  requestTimeout: number;
  connectionTimeout: number;
  maxRequestsPerSocket: number;
}

/**
 * A Fastify `serverFactory`: the same HTTP/1 server Fastify would create, with the fast path in front of Fastify's
 * handler.
 */
export function fastPathServerFactory(fastPath: FastPath) {
  return (handler: RequestListener, options: FastifyServerSettings): Server => {
    const server = createServer(options.http ?? {}, (req, res) => {
      if (!fastPath(req, res)) handler(req, res);
    });
    server.keepAliveTimeout = options.keepAliveTimeout;
    server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout);
    if (options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket;
    return server;
  };
}
