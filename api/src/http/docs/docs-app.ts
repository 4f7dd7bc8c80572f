// The docs stack, loaded on the first request to /api/v1/docs (http/openapi.ts): a Fastify instance of its own with
// @fastify/swagger and @fastify/swagger-ui, into which the API's routes are declared again (same method, URL, schema
// and config, a handler that is never called), so the document is what @fastify/swagger would have made inside the
// API itself. The function builds bundle this module into lazy/docs.js (scripts/build.ts).
import type { FastifyInstance, FastifyServerOptions, RouteOptions } from 'fastify';
import swagger, { type FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { IncomingHttpHeaders } from 'node:http';
import type { Response as InjectResponse } from 'light-my-request';

export interface DocsApp {
  /** The OpenAPI document (an object, serialized by the caller). */
  document(): unknown;
  /** A request to the docs page or its assets, answered by swagger-ui. */
  inject(method: string, url: string, headers: IncomingHttpHeaders): Promise<InjectResponse>;
}

export interface DocsOptions {
  openapi: NonNullable<FastifyDynamicSwaggerOptions['openapi']>;
  routePrefix: string;
}

const methodsOf = (route: RouteOptions): string[] => (Array.isArray(route.method) ? route.method : [route.method]);

/** Fastify itself, passed in by the API (which has it loaded already), so this module's bundle does not carry a copy. */
export type FastifyFactory = (options: FastifyServerOptions) => FastifyInstance;

export async function buildDocsApp(fastify: FastifyFactory, routes: readonly RouteOptions[], options: DocsOptions): Promise<DocsApp> {
  const app = fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 }, exposeHeadRoutes: false });
  // Schemas are only read for the document here, never compiled into validators or serializers.
  app.setValidatorCompiler(() => () => true);
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  await app.register(swagger, { openapi: options.openapi });
  await app.register(swaggerUi, { routePrefix: options.routePrefix, staticCSP: true });
  const gets = new Set(routes.filter((r) => methodsOf(r).includes('GET')).map((r) => r.url));
  const notFound = async () => {
    throw new Error('the docs app does not serve API routes');
  };
  for (const route of routes) {
    // The docs routes themselves are swagger-ui's here; HEAD twins of GET routes are Fastify's own (and not documented).
    if (route.url === options.routePrefix || route.url.startsWith(`${options.routePrefix}/`)) continue;
    const methods = methodsOf(route).filter((m) => !(m === 'HEAD' && gets.has(route.url)));
    if (methods.length === 0) continue;
    app.route({ method: methods as RouteOptions['method'], url: route.url, schema: route.schema, config: route.config, handler: notFound });
  }
  await app.ready();
  return {
    document: () => app.swagger(),
    inject: (method, url, headers) => app.inject({ method: method as never, url, headers }),
  };
}
