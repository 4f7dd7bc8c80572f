// The typed, structured configuration the rest of the API codes against, and the rules that need more than
// one variable. Built from the converted variables of read-env.ts.
import { availableParallelism } from 'node:os';
import type { RuntimeEnvName, RuntimeEnvValues } from './env-schema';
import type { ConfigIssue } from './errors';
import { databaseEngineOf, parseKeyValueList, parseList, type DatabaseEngine } from './formats';
import type { LogLevel } from './vars/server';
import { OIDC_PROVIDERS, oidcEnvName, type OidcProviderName } from './vars/oidc';
import {
  LDAP_FORMAT_SEARCH_FILTERS_VALUES,
  LDAP_FORMAT_USERNAME_VALUES,
  LDAP_SYNC_USER_RELATIONS_VALUES,
  type LdapUserFieldName,
  type LdapUsernameFormat,
} from './vars/ldap';
import { parseGroupDnList } from '../auth/ldap/dn';

/** `oidc:<name>` names an env provider (OidcProviderName) or one added through the admin API. */
export type LoginProvider = 'password' | 'saml' | 'ldap' | `oidc:${string}`;

export interface DatabaseConfig {
  /** DATABASE_URL, or the URL composed from DJANGO_DB_*. */
  url: string;
  /** Derived from the URL's scheme. */
  engine: DatabaseEngine;
  migrateOnStart: boolean;
  poolMax: number;
  /** TLS to the server (PostgreSQL, MySQL). */
  tls: { mode: 'off' | 'require' | 'verify'; caFile?: string };
}

export interface OidcProviderConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
}

export interface AuthConfig {
  tokenTtlHours: number;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  allowSignup: boolean;
  /** Login throttling (services/sign-in/throttle.ts). */
  throttle: { accountFreeFailures: number; ipFailuresPerMinute: number };
  lockLoginToProvider?: LoginProvider;
  samlForceSsl: boolean;
  /** Only the providers whose client id is set. */
  oidc: Partial<Record<OidcProviderName, OidcProviderConfig>>;
}

export interface LdapConfig {
  /** LDAP login is on when LDAP_AUTH_URL is set. */
  enabled: boolean;
  url?: string;
  useTls: boolean;
  searchBase: string;
  objectClass: string;
  /** Local user field → LDAP attribute. */
  userFields: Partial<Record<LdapUserFieldName, string>>;
  userLookupFields: LdapUserFieldName[];
  /** Only django-python3-ldap's default cleaning exists. */
  cleanUserData: 'default';
  /** `sync_user_groups`: at login, mirror the user's membership of the LDAP_SYNCED_GROUPS. */
  syncUserRelations: 'none' | 'sync_user_groups';
  /** `login_group`: only members of LDAP_LOGIN_GROUP may log in. */
  formatSearchFilters: 'default' | 'login_group';
  formatUsername: LdapUsernameFormat;
  activeDirectoryDomain?: string;
  connectionUsername?: string;
  connectionPassword?: string;
  connectTimeoutSeconds?: number;
  receiveTimeoutSeconds?: number;
  defaultOrganisationId?: number;
  syncedGroups: string[];
  loginGroup?: string;
  /** Service account of `flagstack sync-ldap-users-and-groups`. */
  syncUser: { username?: string; password?: string };
}

export interface AppDynamicsConfig {
  enabled: boolean;
  configPath: string;
  agentPath: string;
  controllerHostName?: string;
  controllerPort?: number;
  controllerSslEnabled?: boolean;
  accountName?: string;
  accountAccessKey?: string;
  applicationName?: string;
  tierName?: string;
  nodeName?: string;
}

export interface UiConfig {
  apiUrl?: string;
  flagsmithClientApi?: string;
  flagsmithEnvironmentKey?: string;
}

export interface AppConfig {
  port: number;
  host: string;
  logLevel: LogLevel;
  /** WEB_CONCURRENCY, with `auto` resolved to the number of CPUs. */
  webConcurrency: number;
  trustProxy: boolean;
  shutdownTimeoutMs: number;
  database: DatabaseConfig;
  /** The first admin, created on first start. */
  admin: { email?: string; password?: string };
  /** FLAGSTACK_ENCRYPTION_KEY as given (64 hex characters or base64); decode with decodeEncryptionKey. */
  encryptionKey?: string;
  cache: { pollIntervalMs: number };
  auth: AuthConfig;
  ldap: LdapConfig;
  appDynamics: AppDynamicsConfig;
  ui: UiConfig;
  /** Secret variable name → Secrets Manager ARN, from `<NAME>_SECRET_ARN` (resolved by resolveSecretArns). */
  secretArns: Record<string, string>;
}

export interface BuildInput {
  values: RuntimeEnvValues;
  present: ReadonlySet<RuntimeEnvName>;
  databaseUrl: string;
  secretArns: Record<string, string>;
}

/** Maps the converted variables onto AppConfig; cross-variable problems go to `issues`. */
export function buildAppConfig({ values: v, present, databaseUrl, secretArns }: BuildInput, issues: ConfigIssue[]): AppConfig {
  const config: AppConfig = {
    port: v.PORT,
    host: v.HOST,
    logLevel: v.LOG_LEVEL,
    webConcurrency: v.WEB_CONCURRENCY === 'auto' ? availableParallelism() : v.WEB_CONCURRENCY,
    trustProxy: v.TRUST_PROXY,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    database: {
      url: databaseUrl,
      engine: databaseEngineOf(databaseUrl) ?? 'sqlite',
      migrateOnStart: v.MIGRATE_ON_START,
      poolMax: v.DATABASE_POOL_MAX,
      tls: { mode: v.DATABASE_TLS, ...(v.DATABASE_TLS_CA_FILE ? { caFile: v.DATABASE_TLS_CA_FILE } : {}) },
    },
    admin: { email: v.ADMIN_EMAIL, password: v.ADMIN_PASSWORD },
    encryptionKey: v.FLAGSTACK_ENCRYPTION_KEY,
    cache: { pollIntervalMs: v.CACHE_POLL_INTERVAL_MS },
    auth: {
      tokenTtlHours: v.AUTH_TOKEN_TTL_HOURS,
      sessionIdleMinutes: v.SESSION_IDLE_MINUTES,
      sessionAbsoluteHours: v.SESSION_ABSOLUTE_HOURS,
      allowSignup: v.ALLOW_SIGNUP,
      throttle: { accountFreeFailures: v.LOGIN_FAILURES_PER_ACCOUNT, ipFailuresPerMinute: v.LOGIN_FAILURES_PER_IP },
      lockLoginToProvider: v.LOCK_LOGIN_TO?.toLowerCase() as LoginProvider | undefined,
      samlForceSsl: v.SAML_FORCE_SSL,
      oidc: oidcProviders(v, present, issues),
    },
    ldap: ldapConfig(v, issues),
    appDynamics: {
      enabled: v.APP_DYNAMICS,
      configPath: v.APPDYNAMICS_CONFIG_PATH,
      agentPath: v.APPDYNAMICS_AGENT_PATH,
      controllerHostName: v.APPDYNAMICS_CONTROLLER_HOST_NAME,
      controllerPort: v.APPDYNAMICS_CONTROLLER_PORT,
      controllerSslEnabled: v.APPDYNAMICS_CONTROLLER_SSL_ENABLED,
      accountName: v.APPDYNAMICS_AGENT_ACCOUNT_NAME,
      accountAccessKey: v.APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY,
      applicationName: v.APPDYNAMICS_AGENT_APPLICATION_NAME,
      tierName: v.APPDYNAMICS_AGENT_TIER_NAME,
      nodeName: v.APPDYNAMICS_AGENT_NODE_NAME,
    },
    ui: { apiUrl: v.API_URL, flagsmithClientApi: v.FLAGSMITH_CLIENT_API, flagsmithEnvironmentKey: v.FLAGSMITH },
    secretArns,
  };
  checkRules(config, present, issues);
  return config;
}

function oidcProviders(
  v: RuntimeEnvValues,
  present: ReadonlySet<RuntimeEnvName>,
  issues: ConfigIssue[],
): Partial<Record<OidcProviderName, OidcProviderConfig>> {
  const values = v as unknown as Record<string, string | undefined>;
  const out: Partial<Record<OidcProviderName, OidcProviderConfig>> = {};
  for (const provider of OIDC_PROVIDERS) {
    const name = (field: 'ISSUER' | 'CLIENT_ID' | 'CLIENT_SECRET' | 'SCOPES') => oidcEnvName(provider, field) as RuntimeEnvName;
    const issuer = values[name('ISSUER')];
    const clientId = values[name('CLIENT_ID')];
    if (clientId === undefined) {
      const stray = (['ISSUER', 'CLIENT_SECRET', 'SCOPES'] as const).map(name).filter((n) => present.has(n));
      if (stray.length > 0) issues.push({ variable: name('CLIENT_ID'), problem: `required when ${stray.join(', ')} is set` });
      continue;
    }
    if (issuer === undefined) {
      issues.push({ variable: name('ISSUER'), problem: `required when ${name('CLIENT_ID')} is set` });
      continue;
    }
    out[provider] = {
      issuer,
      clientId,
      clientSecret: values[name('CLIENT_SECRET')],
      scopes: parseList(values[name('SCOPES')] ?? '', /[\s,]+/),
    };
  }
  return out;
}

function ldapConfig(v: RuntimeEnvValues, issues: ConfigIssue[]): LdapConfig {
  const userFields = (parseKeyValueList(v.LDAP_AUTH_USER_FIELDS) ?? {}) as Partial<Record<LdapUserFieldName, string>>;
  const lookup = parseList(v.LDAP_AUTH_USER_LOOKUP_FIELDS, ',');
  const unknown = lookup.filter((f) => !(f in userFields));
  if (unknown.length > 0) {
    issues.push({
      variable: 'LDAP_AUTH_USER_LOOKUP_FIELDS',
      problem: `${unknown.join(', ')} must also be mapped in LDAP_AUTH_USER_FIELDS (mapped: ${Object.keys(userFields).join(', ')})`,
    });
  }
  return {
    enabled: v.LDAP_AUTH_URL !== undefined,
    url: v.LDAP_AUTH_URL,
    useTls: v.LDAP_AUTH_USE_TLS,
    searchBase: v.LDAP_AUTH_SEARCH_BASE,
    objectClass: v.LDAP_AUTH_OBJECT_CLASS,
    userFields,
    userLookupFields: lookup as LdapUserFieldName[],
    cleanUserData: 'default',
    syncUserRelations: keyOf(LDAP_SYNC_USER_RELATIONS_VALUES, v.LDAP_AUTH_SYNC_USER_RELATIONS),
    formatSearchFilters: keyOf(LDAP_FORMAT_SEARCH_FILTERS_VALUES, v.LDAP_AUTH_FORMAT_SEARCH_FILTERS),
    formatUsername: keyOf(LDAP_FORMAT_USERNAME_VALUES, v.LDAP_AUTH_FORMAT_USERNAME),
    activeDirectoryDomain: v.LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN,
    connectionUsername: v.LDAP_AUTH_CONNECTION_USERNAME,
    connectionPassword: v.LDAP_AUTH_CONNECTION_PASSWORD,
    connectTimeoutSeconds: v.LDAP_AUTH_CONNECT_TIMEOUT,
    receiveTimeoutSeconds: v.LDAP_AUTH_RECEIVE_TIMEOUT,
    defaultOrganisationId: v.LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID,
    syncedGroups: v.LDAP_SYNCED_GROUPS === undefined ? [] : syncedGroupDns(v.LDAP_SYNCED_GROUPS, issues),
    loginGroup: v.LDAP_LOGIN_GROUP,
    syncUser: { username: v.LDAP_SYNC_USER_USERNAME, password: v.LDAP_SYNC_USER_PASSWORD },
  };
}

function keyOf<M extends Record<string, string>>(map: M, value: string): keyof M & string {
  return (Object.keys(map) as (keyof M & string)[]).find((k) => map[k] === value) as keyof M & string;
}

/**
 * LDAP_SYNCED_GROUPS as a list of DNs (auth/ldap/dn.ts: colon-separated as in Flagsmith, or comma-separated, escaped
 * commas never split); a malformed DN is a configuration issue, not a surprise at the first login.
 */
export function splitGroupDns(raw: string): string[] {
  return parseGroupDnList(raw);
}

function syncedGroupDns(raw: string, issues: ConfigIssue[]): string[] {
  try {
    return parseGroupDnList(raw);
  } catch (error) {
    issues.push({ variable: 'LDAP_SYNCED_GROUPS', problem: (error as Error).message });
    return [];
  }
}

function checkRules(c: AppConfig, present: ReadonlySet<RuntimeEnvName>, issues: ConfigIssue[]): void {
  // A secret given as <NAME>_SECRET_ARN counts as set: it will be by the time the app starts.
  const set = (name: RuntimeEnvName) => present.has(name) || name in c.secretArns;
  if (set('ADMIN_PASSWORD') && !set('ADMIN_EMAIL')) {
    issues.push({ variable: 'ADMIN_EMAIL', problem: 'required when ADMIN_PASSWORD is set' });
  }
  if (c.auth.sessionIdleMinutes > c.auth.sessionAbsoluteHours * 60) {
    issues.push({
      variable: 'SESSION_IDLE_MINUTES',
      problem: `must not exceed SESSION_ABSOLUTE_HOURS (${c.auth.sessionIdleMinutes} minutes > ${c.auth.sessionAbsoluteHours} hours)`,
    });
  }
  const lock = c.auth.lockLoginToProvider;
  if (lock === 'ldap' && !c.ldap.enabled) {
    issues.push({ variable: 'LOCK_LOGIN_TO', problem: 'ldap needs LDAP_AUTH_URL to be set' });
  }
  // A provider added through the admin API is only known to the database: checked at sign-in, not here.
  const lockedOidc = lock?.startsWith('oidc:') ? lock.slice('oidc:'.length) : undefined;
  if (lockedOidc !== undefined && (OIDC_PROVIDERS as readonly string[]).includes(lockedOidc)) {
    const provider = lockedOidc as OidcProviderName;
    if (!c.auth.oidc[provider] && !present.has(oidcEnvName(provider, 'CLIENT_ID') as RuntimeEnvName)) {
      issues.push({ variable: 'LOCK_LOGIN_TO', problem: `${lock} needs ${oidcEnvName(provider, 'CLIENT_ID')} to be set` });
    }
  }
  const ldap = c.ldap;
  if (ldap.useTls && ldap.url?.toLowerCase().startsWith('ldaps:')) {
    issues.push({ variable: 'LDAP_AUTH_USE_TLS', problem: 'StartTLS cannot be used with an ldaps:// URL (the connection is already TLS)' });
  }
  if (ldap.formatSearchFilters === 'login_group' && !set('LDAP_LOGIN_GROUP')) {
    issues.push({ variable: 'LDAP_LOGIN_GROUP', problem: 'required when LDAP_AUTH_FORMAT_SEARCH_FILTERS is the login group filter' });
  }
  if (ldap.formatUsername === 'active_directory_principal' && !set('LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN')) {
    issues.push({
      variable: 'LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN',
      problem: 'required when LDAP_AUTH_FORMAT_USERNAME is format_username_active_directory_principal (user@domain)',
    });
  }
  if (set('LDAP_AUTH_CONNECTION_PASSWORD') && !set('LDAP_AUTH_CONNECTION_USERNAME')) {
    issues.push({ variable: 'LDAP_AUTH_CONNECTION_USERNAME', problem: 'required when LDAP_AUTH_CONNECTION_PASSWORD is set' });
  }
  if (set('LDAP_SYNC_USER_PASSWORD') && !set('LDAP_SYNC_USER_USERNAME')) {
    issues.push({ variable: 'LDAP_SYNC_USER_USERNAME', problem: 'required when LDAP_SYNC_USER_PASSWORD is set' });
  }
}
