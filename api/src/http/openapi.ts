// The OpenAPI document, generated from the route schemas, at /api/v1/docs/openapi.json, and a docs page at
// /api/v1/docs/. Both are built on first use, not when the app starts: @fastify/swagger, @fastify/swagger-ui and what
// they bring (@fastify/static, send, mime, glob, yaml: ~330 KB minified) are loaded by a dynamic import of
// ./docs/docs-app, which the function builds keep in a file of their own (scripts/build.ts, LAZY_CHUNKS), so a cold
// start neither loads nor parses them. Until then the app only records each route's options as it is declared.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type RouteOptions } from 'fastify';
import type { DocsApp } from './docs/docs-app';

export const DOCS_PREFIX = '/api/v1/docs';

/** The document's fixed parts; the paths come from the routes. */
export function openApiInfo(version: string) {
  return {
    info: {
      title: 'flagstack API',
      version,
      description:
        'Admin API (Flagsmith-compatible paths; `Authorization: Token <key>` from POST /api/v1/auth/login/, or `Api-Key <key>`). ' +
        'The SDK endpoints (/api/v1/flags/, /api/v1/identities/, /api/v1/environment-document/, traits, analytics) follow the Flagsmith wire protocol.',
    },
    components: {
      securitySchemes: {
        Token: { type: 'apiKey' as const, in: 'header', name: 'Authorization', description: 'Token <key>' },
        ApiKey: { type: 'apiKey' as const, in: 'header', name: 'Authorization', description: 'Api-Key <key>' },
      },
    },
  };
}

const hidden = { schema: { hide: true } as never };
/** Response headers the docs app sets that the forwarding reply must not copy (Fastify sets its own). */
const HOP_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'date', 'keep-alive']);

/** Call before any route is declared: every route declared afterwards, in any plugin, is recorded for the document. */
export function registerOpenApi(app: FastifyInstance, version: string): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  let docs: Promise<DocsApp> | undefined;
  const docsApp = (): Promise<DocsApp> => {
    docs ??= import('./docs/docs-app')
      .then((m) => m.buildDocsApp(Fastify as never, routes, { openapi: openApiInfo(version), routePrefix: DOCS_PREFIX }))
      .catch((error) => {
        docs = undefined; // a failure is not cached: the next request tries again
        throw error;
      });
    return docs;
  };

  app.get(`${DOCS_PREFIX}/openapi.json`, hidden, async () => (await docsApp()).document());
  const forward = async (request: FastifyRequest, reply: FastifyReply) => {
    const response = await (await docsApp()).inject(request.method, request.url, request.headers);
    reply.code(response.statusCode);
    for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && !HOP_HEADERS.has(name)) reply.header(name, value);
    return reply.send(response.rawPayload);
  };
  app.route({ method: ['GET', 'HEAD'], url: DOCS_PREFIX, ...hidden, exposeHeadRoute: false, handler: forward });
  app.route({ method: ['GET', 'HEAD'], url: `${DOCS_PREFIX}/*`, ...hidden, exposeHeadRoute: false, handler: forward });
}
