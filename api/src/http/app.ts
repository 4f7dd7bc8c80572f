// The Fastify app factory: one app for every runtime (container, Lambda, Azure Functions, Cloud Functions).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyServerOptions } from 'fastify';
import { parse as parseQueryString } from 'node:querystring';
import type { AppDependencies } from './dependencies';
import { schemaCompilers, validatorCompiler } from './validation';
import { registerErrorHandling } from './errors';
import { registerNulGuard } from './nul-guard';
import { registerAdminRoutes, type AdminRoute } from './admin-route';
import { registerSdkRoutes } from './sdk/routes';
import { registerSdkJsonParser } from './sdk/json-body';
import { fastPathServerFactory, sdkFastPath } from './sdk/fast-path';
import { registerOpenApi } from './openapi';
import { registerHealthRoutes } from './health';
import { registerAuthRoutes, authRoutes } from './admin/auth';
import { organisationRoutes } from './admin/organisations';
import { projectRoutes } from './admin/projects';
import { environmentRoutes } from './admin/environments';
import { featureRoutes } from './admin/features';
import { featureStateRoutes } from './admin/feature-states';
import { segmentRoutes } from './admin/segments';
import { identityRoutes } from './admin/identities';
import { auditRoutes } from './admin/audit';
import { groupRoutes } from './admin/groups';
import { roleRoutes } from './admin/roles';
import { permissionRoutes } from './admin/permissions';
import { registerSessionRoutes } from './auth/session-routes';
import { oidcAdminRoutes, registerOidcRoutes } from './auth/oidc-routes';
import { uiSettingsRoutes } from './ui/settings-routes';
import { registerUi } from './ui/static';
import { changeRequestRoutes } from './admin/change-requests';
import { samlAdminRoutes } from './admin/saml';
import { registerSamlRoutes } from './auth/saml-routes';
import { enableLdapLogin } from '../services/ldap/login';

/** Every admin route, in one table: the permission matrix test and the docs read it. */
export const ADMIN_ROUTES: AdminRoute[] = [
  ...authRoutes,
  ...organisationRoutes,
  ...projectRoutes,
  ...environmentRoutes,
  ...featureRoutes,
  ...featureStateRoutes,
  ...segmentRoutes,
  ...identityRoutes,
  ...auditRoutes,
  ...groupRoutes,
  ...roleRoutes,
  ...permissionRoutes,
  ...uiSettingsRoutes,
  ...changeRequestRoutes,
  ...samlAdminRoutes,
  ...oidcAdminRoutes,
];

export interface BuildAppOptions {
  logger?: FastifyServerOptions['logger'];
  trustProxy?: boolean;
  version?: string;
  /** Folder of the built admin UI (default: dist/ui beside the sources or the bundle). */
  uiDir?: string;
}

/** Log redaction: credentials never reach the logs (AUTH-NOTES.md §5). */
export const LOG_REDACT = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-environment-key"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.key',
  '*.SAMLResponse',
];

export async function buildApp(deps: AppDependencies, options: BuildAppOptions = {}): Promise<FastifyInstance> {
  // GET /api/v1/flags/ of a fresh view, and GET /api/v1/identities/ of an identity fresh in the identity cache, are
  // answered by the listening server before Fastify's routing (sdk/fast-path.ts);
  // injected requests (tests, function runtimes) and everything else go through Fastify, which answers the same.
  let closing = false;
  const app = Fastify({
    serverFactory: fastPathServerFactory(sdkFastPath(deps.cache, () => closing)) as never,
    logger: options.logger ?? false,
    trustProxy: options.trustProxy ?? false,
    bodyLimit: 1024 * 1024,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
    // Request ids in logs let an operator follow one request.
    requestIdHeader: 'x-request-id',
    // Our validator, and Fastify's serializer compiler only if a route ever needs one: nothing loaded at start.
    schemaController: schemaCompilers(),
    // The router's own refusals get the same JSON bodies as every other error: a path segment longer than any id or
    // key is an unknown object, a malformed escape a bad request.
    frameworkErrors: (error, _req, res) => {
      const reply = res as unknown as FastifyReply;
      if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') return void reply.code(404).send({ detail: 'Not found.' });
      return void reply.code(400).send({ detail: error.code === 'FST_ERR_BAD_URL' ? 'Malformed URL.' : error.message });
    },
  });
  // While closing, Fastify answers 503 and closes kept-alive connections: the fast path steps aside.
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  app.setValidatorCompiler(validatorCompiler());
  // SDK clients may send identities as a form; admin routes then fail validation on types, as they should.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, parseQueryString(body as string));
  });
  registerErrorHandling(app);
  registerNulGuard(app);
  await registerOpenApi(app, options.version ?? '0.0.0');
  registerHealthRoutes(app, deps);
  // The SDK routes live in their own scope so their JSON parser (which keeps 5.0 a float) does not reach admin routes.
  await app.register(async (sdk) => {
    registerSdkJsonParser(sdk);
    registerSdkRoutes(sdk, deps);
  });
  // LDAP sign-in ({provider: "ldap"} on the token and session logins) when LDAP_AUTH_URL is set.
  if (deps.config?.ldap.enabled) enableLdapLogin(deps.store, deps.config.ldap);
  registerAuthRoutes(app, deps);
  registerAdminRoutes(app, deps, ADMIN_ROUTES);
  registerSessionRoutes(app, deps);
  registerOidcRoutes(app, deps);
  registerSamlRoutes(app, deps);
  await registerUi(app, deps, { uiDir: options.uiDir, version: options.version });
  return app;
}
