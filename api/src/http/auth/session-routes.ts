// Cookie sessions for the admin UI (AUTH-NOTES.md §5) and the list of login providers the login screen offers.
//   POST   /api/v1/auth/session/    credentials → Set-Cookie session (HttpOnly) + CSRF cookie; the old session ends
//   GET    /api/v1/auth/session/    who is signed in, and the CSRF token to echo in X-CSRF-Token
//   DELETE /api/v1/auth/session/    sign out (CSRF token required, like every unsafe cookie request)
//   GET    /api/v1/auth/providers/  which sign-in methods this instance offers
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { clearedSessionCookies, sessionCookies } from '../../auth/sessions';
import type { AppConfig } from '../../config';
import { UnauthenticatedError } from '../../domain/errors';
import { describeSession, endSession, startSession, type SessionLoginInput } from '../../services/sessions';
import type { AppDependencies } from '../dependencies';
import { samlLoginNames } from '../../services/saml/login';
import { listLoginProviderNames } from '../../services/oidc/providers';
import type { Store } from '../../store/store';
import { strictObject } from '../admin/schemas';
import { cookieNamesOf, enforceCsrf, enforceOrigin, loginPolicyOf, readRequestSession, sessionPolicyOf } from './session-http';

const SessionLogin = strictObject({
  provider: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
  username: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
  password: Type.String({ minLength: 1, maxLength: 1024 }),
});

const OIDC_LABELS: Record<string, string> = { okta: 'Okta', adfs: 'AD FS', azure_ad: 'Microsoft Entra ID', google: 'Google', github: 'GitHub' };

export interface LoginProviderView {
  id: string;
  type: 'password' | 'ldap' | 'oidc' | 'saml';
  label: string;
  /** Where an SSO button sends the browser (the SSO flows serve these paths). */
  login_url?: string;
}

export interface ProvidersView {
  providers: LoginProviderView[];
  /** LOCK_LOGIN_TO, when set. */
  locked_to: string | null;
  /** When locked to another provider, instance superusers may still sign in with a password. */
  break_glass_password: boolean;
}

/**
 * The sign-in methods of an instance: its configuration, and the OIDC providers added through the admin API (when a
 * store is given); with a store also each SAML configuration that has IdP metadata, as `saml:<name>`.
 */
export async function loginProviders(config: AppConfig | undefined, store?: Store): Promise<ProvidersView> {
  const all: LoginProviderView[] = [{ id: 'password', type: 'password', label: 'Email and password' }];
  if (config?.ldap.enabled) all.push({ id: 'ldap', type: 'ldap', label: 'LDAP directory' });
  const oidc = store ? await listLoginProviderNames(store, config) : Object.keys(config?.auth.oidc ?? {}).map((name) => ({ name, source: 'env' }));
  for (const { name, source } of oidc) {
    const label = source === 'env' ? (OIDC_LABELS[name] ?? name) : name;
    all.push({ id: `oidc:${name}`, type: 'oidc', label, login_url: `/api/v1/auth/oidc/${name}/login/` });
  }
  if (store) {
    for (const name of await samlLoginNames(store)) all.push({ id: `saml:${name}`, type: 'saml', label: name, login_url: `/api/v1/auth/saml/${name}/request/` });
  }
  const lock = config?.auth.lockLoginToProvider ?? null;
  if (!lock) return { providers: all, locked_to: null, break_glass_password: false };
  return { providers: all.filter((p) => p.id === lock || p.type === lock), locked_to: lock, break_glass_password: lock !== 'password' };
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-store');
}

export function registerSessionRoutes(app: FastifyInstance, deps: AppDependencies): void {
  app.post('/api/v1/auth/session/', {
    schema: {
      summary: 'Sign in to the admin UI: sets the session cookie (HttpOnly, SameSite=Lax) and the CSRF cookie',
      tags: ['auth'],
      body: SessionLogin,
    },
    handler: async (req, reply) => {
      enforceOrigin(req, deps);
      const previous = readRequestSession(req);
      const started = await startSession(
        deps.store,
        req.body as SessionLoginInput,
        loginPolicyOf(deps),
        { ip: req.ip, userAgent: req.headers['user-agent'] },
        previous?.secret,
      );
      return noStore(reply).header('set-cookie', sessionCookies(cookieNamesOf(req), started.secret, started.maxAgeSeconds)).send(started.view);
    },
  });

  app.get('/api/v1/auth/session/', {
    schema: { summary: 'The signed-in user of this browser session, and its CSRF token', tags: ['auth'] },
    handler: async (req, reply) => {
      const session = readRequestSession(req);
      try {
        return noStore(reply).send(await describeSession(deps.store, session?.secret, sessionPolicyOf(deps)));
      } catch (error) {
        if (error instanceof UnauthenticatedError && session) reply.header('set-cookie', clearedSessionCookies(session.names));
        throw error;
      }
    },
  });

  app.delete('/api/v1/auth/session/', {
    schema: { summary: 'Sign out of the admin UI (needs the X-CSRF-Token header)', tags: ['auth'] },
    handler: async (req, reply) => {
      const session = readRequestSession(req);
      if (session) {
        enforceCsrf(req, session, deps);
        await endSession(deps.store, session.secret, { ip: req.ip });
      }
      return noStore(reply).code(204).header('set-cookie', clearedSessionCookies(cookieNamesOf(req))).send();
    },
  });

  app.get('/api/v1/auth/providers/', {
    schema: { summary: 'The sign-in methods this instance offers (the login screen shows only these)', tags: ['auth'] },
    handler: async () => loginProviders(deps.config, deps.store),
  });
}
