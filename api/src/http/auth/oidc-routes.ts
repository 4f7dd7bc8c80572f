// OIDC / OAuth2 sign-in (issue 6 item 3) and the admin API of database-configured providers.
//   GET  /api/v1/auth/oidc/{name}/login/     → 302 to the provider (code + PKCE S256 + state + nonce); sets the
//                                              browser-binding cookie. `?next=/path` picks where to land afterwards.
//   GET  /api/v1/auth/oidc/{name}/callback/  → the redirect URI: signs in, sets the session cookies, 302 to the UI;
//                                              failures 302 to /login?error=<code>.
//   Both answer JSON instead (`{authorization_url}`, the session, or `{error, detail}`) to a client that accepts JSON
//   and not HTML.
//   GET|POST /api/v1/auth/oidc/providers/, GET|PATCH|DELETE /api/v1/auth/oidc/providers/{name}/   (instance admins)
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canUseSecureCookies, parseCookies, serializeCookie, sessionCookies } from '../../auth/sessions';
import { describe } from '../../services/oidc/client';
import { FLOW_TTL_SECONDS, finishLogin, OidcLoginError, startLogin, type LoginContext } from '../../services/oidc/login';
import * as providers from '../../services/oidc/providers';
import { defineRoutes } from '../admin-route';
import { strictObject } from '../admin/schemas';
import type { AppDependencies } from '../dependencies';
import { cookieNamesOf, loginPolicyOf, readRequestSession } from './session-http';

/** The browser-binding cookie: `__Host-` where cookies can be Secure (as the session cookie's names are chosen). */
export function bindingCookieName(req: FastifyRequest): string {
  return canUseSecureCookies(req.protocol, req.host) ? '__Host-flagstack-oidc' : 'flagstack_oidc';
}

function wantsJson(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('application/json') && !accept.includes('text/html');
}

function contextOf(deps: AppDependencies): LoginContext {
  return { store: deps.store, config: deps.config, policy: loginPolicyOf(deps) };
}

const NameParam = strictObject({ name: Type.String({ minLength: 1, maxLength: 100 }) });

/** The callback's URL carries the authorization code: its log lines show the path only. */
const pathOnlyReq = (req: FastifyRequest) => ({ method: req.method, url: req.url.split('?')[0], host: req.host, remoteAddress: req.ip });

function refuse(req: FastifyRequest, reply: FastifyReply, name: string, error: unknown): FastifyReply {
  const known = error instanceof OidcLoginError ? error : undefined;
  const code = known?.code ?? 'server_error';
  if (known) req.log.warn({ provider: name, error: code, detail: known.logDetail ?? known.message }, 'OIDC sign-in refused');
  else req.log.error({ provider: name, error: code, detail: describe(error) }, 'OIDC sign-in failed');
  reply.header('cache-control', 'no-store');
  if (wantsJson(req)) {
    return reply.code(known?.status ?? 503).send({ error: code, detail: known?.message ?? 'Sign-in failed; try again later.' });
  }
  return reply.code(302).header('location', `/login?error=${encodeURIComponent(code)}`).send();
}

export function registerOidcRoutes(app: FastifyInstance, deps: AppDependencies): void {
  app.get('/api/v1/auth/oidc/:name/login/', {
    schema: {
      summary: 'Start an OIDC / OAuth sign-in: redirects to the provider',
      tags: ['auth'],
      params: NameParam,
      querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2000 })) }),
    },
    handler: async (req, reply) => {
      const { name } = req.params as { name: string };
      try {
        const started = await startLogin(contextOf(deps), name, {
          origin: `${req.protocol}://${req.host}`,
          returnTo: (req.query as { next?: string }).next,
          binding: parseCookies(req.headers.cookie).get(bindingCookieName(req)),
        });
        const secure = canUseSecureCookies(req.protocol, req.host);
        reply.header('cache-control', 'no-store').header('set-cookie', serializeCookie(bindingCookieName(req), started.binding, { httpOnly: true, secure, maxAge: FLOW_TTL_SECONDS }));
        if (wantsJson(req)) return reply.send({ authorization_url: started.authorizationUrl });
        return reply.code(302).header('location', started.authorizationUrl).send();
      } catch (error) {
        return refuse(req, reply, name, error);
      }
    },
  });

  app.get('/api/v1/auth/oidc/:name/callback/', {
    schema: { summary: 'OIDC / OAuth redirect URI: finishes the sign-in and opens a session', tags: ['auth'], params: NameParam },
    logSerializers: { req: pathOnlyReq as never },
    handler: async (req, reply) => {
      const { name } = req.params as { name: string };
      try {
        const query = new URLSearchParams(req.url.includes('?') ? req.url.slice(req.url.indexOf('?') + 1) : '');
        const done = await finishLogin(contextOf(deps), name, {
          query,
          binding: parseCookies(req.headers.cookie).get(bindingCookieName(req)),
          meta: { ip: req.ip, userAgent: req.headers['user-agent'] },
          previousSession: readRequestSession(req)?.secret,
        });
        const cookies = sessionCookies(cookieNamesOf(req), done.session.secret, done.session.maxAgeSeconds);
        reply.header('cache-control', 'no-store').header('set-cookie', cookies);
        if (wantsJson(req)) return reply.send({ ...done.session.view, return_to: done.returnTo });
        return reply.code(302).header('location', done.returnTo).send();
      } catch (error) {
        return refuse(req, reply, name, error);
      }
    },
  });
}

// -- admin API ---------------------------------------------------------------------------------------------------

const tag = 'auth';
const base = '/api/v1/auth/oidc/providers/';
const ClaimName = Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S+$' });
const fields = {
  kind: Type.Optional(Type.Union([Type.Literal('oidc'), Type.Literal('github')])),
  issuer: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  client_id: Type.String({ minLength: 1, maxLength: 255 }),
  client_secret: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 1000 }), Type.Null()])),
  scopes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 30 })),
  email_claim: Type.Optional(ClaimName),
  first_name_claim: Type.Optional(ClaimName),
  last_name_claim: Type.Optional(ClaimName),
  groups_claim: Type.Optional(Type.Union([ClaimName, Type.Null()])),
  organisation: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  allow_signup: Type.Optional(Type.Boolean()),
};
const ProviderCreate = strictObject({ name: Type.String({ minLength: 1, maxLength: 50, pattern: '^[a-z0-9][a-z0-9_-]*$' }), ...fields });
const ProviderPatch = Type.Partial(ProviderCreate, { additionalProperties: false });
const permission = 'INSTANCE_ADMIN' as const;

export const oidcAdminRoutes = defineRoutes([
  {
    method: 'GET', url: base, tag, permission, summary: 'OIDC / OAuth providers added through the API (client secrets never shown)',
    handler: async (r) => providers.listProviders(r.ctx),
  },
  {
    method: 'POST', url: base, tag, permission, summary: 'Add an OIDC / OAuth login provider (the client secret is stored encrypted)', schema: { body: ProviderCreate },
    handler: async (r) => providers.createProvider(r.ctx, r.deps.config, r.body),
  },
  {
    method: 'GET', url: `${base}:name/`, tag, permission, summary: 'One OIDC / OAuth provider', schema: { params: NameParam },
    handler: async (r) => providers.getProvider(r.ctx, r.params.name),
  },
  {
    method: 'PATCH', url: `${base}:name/`, tag, permission, summary: 'Change an OIDC / OAuth provider (client_secret: a new one, or null to remove it)', schema: { params: NameParam, body: ProviderPatch },
    handler: async (r) => providers.updateProvider(r.ctx, r.deps.config, r.params.name, r.body),
  },
  {
    method: 'DELETE', url: `${base}:name/`, tag, permission, summary: 'Remove an OIDC / OAuth provider (and the account links made through it)', schema: { params: NameParam }, status: 204,
    handler: async (r) => providers.deleteProvider(r.ctx, r.params.name),
  },
]);
