// Login and session policy for the whole instance.
import { envBoolean, envInteger, envString } from '../env-var';
import { OIDC_PROVIDERS } from './oidc';

/** `oidc:<name>`: one of the env providers, or a provider added through the admin API (a URL-safe name). */
export function checkLockLoginTo(raw: string): string | undefined {
  const value = raw.trim().toLowerCase();
  if (['password', 'saml', 'ldap'].includes(value)) return undefined;
  const m = /^oidc:(.+)$/.exec(value);
  if (m && /^[a-z0-9][a-z0-9_-]{0,49}$/.test(m[1])) return undefined;
  return `expected password, saml, ldap or oidc:<name> with <name> one of ${OIDC_PROVIDERS.join(', ')} or the name of a provider added in the admin API (a-z, 0-9, - and _)`;
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
  LOGIN_FAILURES_PER_ACCOUNT: envInteger({
    description:
      'Failed sign-ins per account in 15 minutes before each further failure delays that account (2 s, doubling up to 15 min); 0 turns it off.',
    group: 'auth',
    configPath: 'auth.throttle.accountFreeFailures',
    minimum: 0,
    maximum: 1000,
    default: 5,
  }),
  LOGIN_FAILURES_PER_IP: envInteger({
    description: 'Failed sign-ins per client address in one minute before that address is refused until the minute ends; 0 turns it off.',
    group: 'auth',
    configPath: 'auth.throttle.ipFailuresPerMinute',
    minimum: 0,
    maximum: 100_000,
    default: 20,
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
