// Admin routes are declared, not hand-wired: each names its method, path, schemas, the permission it needs and how
// to find the organisation/project/environment that permission is checked against. Registration adds
// authentication and the access check around every handler, so no route can skip them, and the route table can be
// enumerated (the OpenAPI document and the permission matrix test both read it).
import type { TSchema } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../domain/actor';
import type { Permission } from '../domain/permissions';
import { checkAccess } from '../services/access';
import type { ServiceContext } from '../services/context';
import { resolveScope, type ResolvedScope, type ScopeRef } from '../services/scope';
import { authenticate } from '../services/users';
import type { AppDependencies } from './dependencies';
import { enforceCsrf, readRequestSession, sessionPolicyOf } from './auth/session-http';

/** `AUTHENTICATED`: any signed-in actor; the handler itself limits what it returns (e.g. lists of own organisations). */
export type RoutePermission = Permission | 'AUTHENTICATED';

export interface AdminRequest<B = any, Q = any, P = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  body: B;
  query: Q;
  params: P;
  headers: FastifyRequest['headers'];
  path: string;
  actor: Actor;
  scope: ResolvedScope;
  ctx: ServiceContext;
  deps: AppDependencies;
}

export interface AdminRoute<B = any, Q = any, P = any> { // eslint-disable-line @typescript-eslint/no-explicit-any
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  summary: string;
  tag: string;
  permission: RoutePermission;
  /** Where the permission applies; required unless the permission is AUTHENTICATED or INSTANCE_ADMIN. */
  scope?: (req: { params: P; body: B; query: Q }) => ScopeRef;
  schema?: { body?: TSchema; querystring?: TSchema; params?: TSchema };
  /** Success status; 204 sends no body. */
  status?: number;
  handler: (req: AdminRequest<B, Q, P>) => Promise<unknown>;
}

export function defineRoutes(routes: AdminRoute[]): AdminRoute[] {
  return routes;
}

/** The actor each admin request authenticated as, set in onRequest and read by the handler. */
const actors = new WeakMap<FastifyRequest, Actor>();

export function registerAdminRoutes(app: FastifyInstance, deps: AppDependencies, routes: AdminRoute[]): void {
  for (const route of routes) {
    if (!route.scope && route.permission !== 'AUTHENTICATED' && route.permission !== 'INSTANCE_ADMIN') {
      throw new Error(`admin route ${route.method} ${route.url} needs a scope for permission ${route.permission}`);
    }
    app.route({
      method: route.method,
      url: route.url,
      schema: {
        ...route.schema,
        summary: route.summary,
        tags: [route.tag],
        security: [{ Token: [] }, { ApiKey: [] }],
        'x-permission': route.permission,
      } as never,
      // Credentials are checked first, before the body is parsed or validated, so an anonymous caller learns
      // nothing about the route's schema: 401 before any 400.
      onRequest: async (req) => {
        // An Authorization header wins and is exempt from CSRF; otherwise a session cookie may sign the request in,
        // and then an unsafe method must pass the CSRF check (AUTH-NOTES.md §5).
        const session = req.headers.authorization ? undefined : readRequestSession(req);
        const actor = await authenticate(deps.store, req.headers.authorization, session && { secret: session.secret, policy: sessionPolicyOf(deps) });
        if (session) enforceCsrf(req, session, deps);
        actors.set(req, actor);
      },
      handler: async (req, reply) => {
        const actor = actors.get(req)!;
        const ctx: ServiceContext = { store: deps.store, actor, meta: { ip: req.ip } };
        const input = { params: req.params as never, body: req.body as never, query: req.query as never };
        const scope: ResolvedScope = route.scope ? await resolveScope(deps.store, route.scope(input)) : { organisationId: 0 };
        if (route.permission !== 'AUTHENTICATED') await checkAccess(deps.store, actor, route.permission, route.scope ? scope : null);
        const result = await route.handler({ ...input, headers: req.headers, path: req.url.split('?')[0]!, actor, scope, ctx, deps });
        const status = route.status ?? (route.method === 'POST' ? 201 : 200);
        if (status === 204) return reply.code(204).send();
        return reply.code(status).send(result);
      },
    });
  }
}
