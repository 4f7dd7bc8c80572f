// The SAML endpoints a browser and an IdP use (Flagsmith's paths):
//   GET      /api/v1/auth/saml/{name}/metadata/   SP metadata XML (?format=json or Accept: application/json →
//                                                 {entity_id, response_url, metadata_xml})
//   GET|POST /api/v1/auth/saml/{name}/request/    starts sign-in: 302 to the IdP (POST with Accept: application/json
//                                                 answers 200 {redirect_url} with the same Location header)
//   POST     /api/v1/auth/saml/{name}/response/   the ACS: validates the SAMLResponse, sets the session cookies and
//                                                 302s to the configuration's frontend_url
// The ACS is a cross-site form POST from the IdP: no CSRF token can be expected there. What protects it is the
// AuthnRequest id it must answer (kept server-side, consumed once) and, over TLS, a SameSite=None cookie set when the
// request started, so a response only completes a sign-in in the browser that began it.
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canUseSecureCookies, parseCookies, sessionCookies } from '../../auth/sessions';
import { SamlRejection } from '../../auth/saml/errors';
import { publicBase } from '../../auth/saml/urls';
import { MAX_SAML_RESPONSE_BASE64 } from '../../auth/saml/xml';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import { SignInRefusedError } from '../../services/sign-in/external-users';
import { LoginLockedError } from '../../services/sign-in/login-lock';
import { finishSamlLogin, serviceProviderMetadata, startSamlLogin } from '../../services/saml/login';
import { REQUEST_TTL_MS } from '../../auth/saml/options';
import type { AppDependencies } from '../dependencies';
import { SamlName } from '../admin/saml';
import { strictObject } from '../admin/schemas';
import { cookieNamesOf, loginPolicyOf, readRequestSession } from './session-http';

const NameParam = strictObject({ name: SamlName });
const MetadataQuery = strictObject({ format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('xml')])) });
const RequestInput = Type.Object({ next: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: true });
// Form fields as the IdP posts them; other fields (some IdPs add their own) are ignored, not refused.
const AcsBody = Type.Object(
  { SAMLResponse: Type.String({ minLength: 1, maxLength: MAX_SAML_RESPONSE_BASE64 }), RelayState: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: true },
);

/** The body a posted SAMLResponse may have at most: the response cap plus room for RelayState and encoding. */
const ACS_BODY_LIMIT = MAX_SAML_RESPONSE_BASE64 * 2;

/** The browser-binding cookie: SameSite=None so the IdP's cross-site POST carries it; Secure, so only over TLS. */
const BINDING_COOKIE = '__Host-flagstack-saml';

function bindingCookie(value: string, maxAgeSeconds: number): string {
  return `${BINDING_COOKIE}=${value}; Path=/; SameSite=None; Max-Age=${maxAgeSeconds}; HttpOnly; Secure`;
}

function baseOf(req: FastifyRequest, deps: AppDependencies): string {
  return publicBase({ protocol: req.protocol, host: req.host }, { apiUrl: deps.config?.ui.apiUrl, forceSsl: deps.config?.auth.samlForceSsl ?? false });
}

function wantsJson(req: FastifyRequest): boolean {
  return /\bapplication\/json\b/.test(req.headers.accept ?? '');
}

/** A browser navigation (a form post or a link): its Accept names text/html and not JSON. */
function isBrowserNavigation(req: FastifyRequest): boolean {
  const accept = req.headers.accept ?? '';
  return /\btext\/html\b/.test(accept) && !wantsJson(req);
}

/** A refusal's stable code and status: SAML's own checks, the login lock, and the shared account refusals. */
function refusalOf(error: unknown): { code: string; status: number; detail: string } | undefined {
  if (error instanceof SamlRejection) return { code: error.code, status: error.status, detail: error.message };
  if (error instanceof LoginLockedError) return { code: 'login_locked', status: 403, detail: error.message };
  if (error instanceof SignInRefusedError) return { code: error.reason, status: 403, detail: error.message };
  if (error instanceof ForbiddenError) return { code: 'saml_forbidden', status: 403, detail: error.message };
  if (error instanceof ValidationError) return { code: 'saml_unusable_identity', status: 400, detail: Object.values(error.fields).flat().join(' ') };
  return undefined;
}

/** A refused SAML response is a failed login: audited with its code (never the response itself). */
async function auditRefusal(deps: AppDependencies, name: string, code: string, ip: string): Promise<void> {
  await deps.store.write({ type: 'system', name: 'saml-login' }, async (w) => {
    w.audit({ action: 'login_failed', resourceType: 'user', resourceId: null, log: `Failed SAML login through ${name}: ${code}` });
  }, { ip });
}

/**
 * Refusals never echo the SAMLResponse; the log gets the code only. A browser (the IdP's auto-submitted form, or a
 * sign-in button) is sent back to the login screen with the code, which the UI words; a client asking for JSON gets
 * `{detail, code}` with the status.
 */
function refuse(req: FastifyRequest, reply: FastifyReply, name: string, error: unknown): FastifyReply {
  const refusal = refusalOf(error);
  if (!refusal) throw error;
  req.log.warn({ samlConfiguration: name, code: refusal.code }, 'SAML sign-in refused');
  if (!isBrowserNavigation(req)) return reply.code(refusal.status).send({ detail: refusal.detail, code: refusal.code });
  return reply.code(302).header('cache-control', 'no-store').header('location', `/login?error=${encodeURIComponent(refusal.code)}`).send();
}

export function registerSamlRoutes(app: FastifyInstance, deps: AppDependencies): void {
  app.get('/api/v1/auth/saml/:name/metadata/', {
    schema: { summary: 'Service provider metadata of a SAML configuration (give it, or its URL, to the IdP)', tags: ['saml'], params: NameParam, querystring: MetadataQuery },
    handler: async (req, reply) => {
      const { name } = req.params as { name: string };
      try {
        const { urls, xml } = await serviceProviderMetadata(deps.store, name, baseOf(req, deps));
        const format = (req.query as { format?: string }).format;
        if (format === 'json' || (format !== 'xml' && wantsJson(req))) return reply.send({ entity_id: urls.entityId, response_url: urls.acsUrl, metadata_xml: xml });
        return reply.type('application/samlmetadata+xml; charset=utf-8').send(xml);
      } catch (error) {
        return refuse(req, reply, name, error);
      }
    },
  });

  const start = async (req: FastifyRequest, reply: FastifyReply) => {
    const { name } = req.params as { name: string };
    const input = { ...(req.query as object), ...((req.body as object | undefined) ?? {}) } as { next?: unknown };
    try {
      const bindBrowser = canUseSecureCookies(req.protocol, req.host);
      const started = await startSamlLogin(deps.store, name, baseOf(req, deps), { next: input.next, bindBrowser, lockTo: loginPolicyOf(deps).lockTo });
      reply.header('cache-control', 'no-store').header('location', started.redirectUrl);
      if (started.bindingSecret) reply.header('set-cookie', bindingCookie(started.bindingSecret, Math.floor(REQUEST_TTL_MS / 1000)));
      if (req.method === 'POST' && wantsJson(req)) return reply.code(200).send({ redirect_url: started.redirectUrl });
      return reply.code(302).send();
    } catch (error) {
      return refuse(req, reply, name, error);
    }
  };
  app.get('/api/v1/auth/saml/:name/request/', {
    schema: { summary: 'Start SAML sign-in: redirects to the identity provider', tags: ['saml'], params: NameParam, querystring: RequestInput },
    handler: start,
  });
  app.post('/api/v1/auth/saml/:name/request/', {
    schema: { summary: 'Start SAML sign-in: the IdP URL in Location (302, or 200 with JSON when asked for)', tags: ['saml'], params: NameParam, querystring: RequestInput },
    bodyLimit: 16 * 1024,
    handler: start,
  });

  app.post('/api/v1/auth/saml/:name/response/', {
    schema: { summary: 'SAML assertion consumer service (the IdP posts the SAMLResponse here)', tags: ['saml'], params: NameParam, body: AcsBody },
    bodyLimit: ACS_BODY_LIMIT,
    handler: async (req, reply) => {
      const { name } = req.params as { name: string };
      const body = req.body as { SAMLResponse: string; RelayState?: string };
      const secure = canUseSecureCookies(req.protocol, req.host);
      // The binding cookie has done its job whatever happens next.
      const cleared = secure ? [bindingCookie('', 0)] : [];
      reply.header('cache-control', 'no-store');
      try {
        const done = await finishSamlLogin(
          deps.store,
          name,
          baseOf(req, deps),
          {
            samlResponse: body.SAMLResponse,
            relayState: body.RelayState,
            bindingSecret: secure ? parseCookies(req.headers.cookie).get(BINDING_COOKIE) : undefined,
            previousSession: readRequestSession(req)?.secret,
          },
          loginPolicyOf(deps),
          { ip: req.ip, userAgent: req.headers['user-agent'] },
        );
        const cookies = [...cleared, ...sessionCookies(cookieNamesOf(req), done.session.secret, done.session.maxAgeSeconds)];
        return reply.code(302).header('set-cookie', cookies).header('location', done.redirectTo).send();
      } catch (error) {
        if (cleared.length > 0) reply.header('set-cookie', cleared);
        const refusal = refusalOf(error);
        if (refusal) await auditRefusal(deps, name, refusal.code, req.ip);
        return refuse(req, reply, name, error);
      }
    },
  });
}
