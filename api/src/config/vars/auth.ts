// Login and session policy for the whole instance.
import { envBoolean, envInteger, envString } from '../env-var';
import { OIDC_PROVIDERS } from './oidc';

export function checkLockLoginTo(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  if (['password', 'saml', 'ldap'].includes(value)) return undefined;
  const m = /^oidc:(.+)$/.exec(value);
  if (m && (OIDC_PROVIDERS as readonly string[]).includes(m[1])) return undefined;
  return `expected password, saml, ldap or oidc:<name> with <name> one of ${OIDC_PROVIDERS.join(', ')}`;
}

export const authVars = {
  AUTH_TOKEN_TTL_HOURS: envInteger({
    description: 'Lifetime of user API tokens issued at login (hours).',
    group: 'auth',
    configPath: 'auth.tokenTtlHours',
    minimum: 1,
    maximum: 8760,
    default: 720,
  }),
  SESSION_IDLE_MINUTES: envInteger({
    description: 'A browser session ends after this long without a request (minutes).',
    group: 'auth',
    configPath: 'auth.sessionIdleMinutes',
    minimum: 1,
    maximum: 10_080,
    default: 60,
  }),
  SESSION_ABSOLUTE_HOURS: envInteger({
    description: 'A browser session ends this long after login, active or not (hours).',
    group: 'auth',
    configPath: 'auth.sessionAbsoluteHours',
    minimum: 1,
    maximum: 720,
    default: 12,
  }),
  ALLOW_SIGNUP: envBoolean({
    description: 'Let anyone create an account with email and password (otherwise invitations and SSO only).',
    group: 'auth',
    configPath: 'auth.allowSignup',
    default: false,
  }),
  LOCK_LOGIN_TO: envString({
    description:
      'Allow only one login method: password, saml, ldap or oidc:<name>. Instance superusers created by the CLI keep password login as a break-glass.',
    group: 'auth',
    configPath: 'auth.lockLoginToProvider',
    check: checkLockLoginTo,
  }),
  SAML_FORCE_SSL: envBoolean({
    description: 'Build SAML ACS and metadata URLs with https even when the request arrived over http (TLS ends at a proxy).',
    group: 'auth',
    configPath: 'auth.samlForceSsl',
    default: false,
  }),
};
