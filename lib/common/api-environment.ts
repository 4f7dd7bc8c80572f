// The environment the API runs with, built from a deployment environment. Every cloud's stacks emit exactly this
// (plain variables as plain values, secrets through the cloud's secret mechanism), and every name is one that
// api/src/config.ts reads — the contract test in test/lib/common checks that with its schema.
import { isRuntimeEnvName, SECRET_ENV_VARS } from '../../api/src/config';
import type { EnvironmentConfig } from '../config';

/** Where a secret variable's value comes from; each cloud maps a source to its own secret store. */
export type SecretSource =
  /** The password of the database user the stack creates. */
  | { kind: 'database-password' }
  /** A random value the stack generates and stores (never in the template or state outputs). */
  | { kind: 'generated'; purpose: 'encryption-key' | 'admin-password' }
  /** A secret the platform team creates, named in the deployment config. */
  | { kind: 'reference'; secretName: string };

export interface DatabaseEndpoint {
  host: string;
  port: string;
  name: string;
  user: string;
}

export interface ApiEnvironment {
  /** Plain variables: safe in templates. */
  variables: Record<string, string>;
  /** Secret variables by name. */
  secrets: Record<string, SecretSource>;
}

export interface ApiEnvironmentOptions {
  /** The first admin's email; their password is generated and stored as a secret. */
  adminEmail?: string;
  port?: number;
  logLevel?: string;
}

const DJANGO_ENGINE: Record<EnvironmentConfig['database']['engine'], string> = {
  postgres: 'postgresql',
  mysql: 'mysql',
  sqlserver: 'sql_server',
  oracle: 'oracle',
};

export function apiEnvironment(env: EnvironmentConfig, database: DatabaseEndpoint, options: ApiEnvironmentOptions = {}): ApiEnvironment {
  const variables: Record<string, string> = {
    PORT: String(options.port ?? 8000),
    HOST: '0.0.0.0',
    LOG_LEVEL: options.logLevel ?? 'info',
    MIGRATE_ON_START: 'true',
    // Composed from parts so the password can come from the secret store alone.
    DJANGO_DB_ENGINE: DJANGO_ENGINE[env.database.engine],
    DJANGO_DB_HOST: database.host,
    DJANGO_DB_PORT: database.port,
    DJANGO_DB_NAME: database.name,
    DJANGO_DB_USER: database.user,
    ALLOW_SIGNUP: String(env.auth.allowSignup),
  };
  // Every stack's database refuses unencrypted connections. `require` encrypts without pinning the cloud's CA, which
  // the API cannot count on being installed; a team that ships the CA bundle can set verify + DATABASE_TLS_CA_FILE.
  if (env.database.engine === 'postgres' || env.database.engine === 'mysql') variables.DATABASE_TLS = 'require';
  const secrets: Record<string, SecretSource> = {
    DJANGO_DB_PASSWORD: { kind: 'database-password' },
    FLAGSTACK_ENCRYPTION_KEY: { kind: 'generated', purpose: 'encryption-key' },
  };
  if (options.adminEmail) {
    variables.ADMIN_EMAIL = options.adminEmail;
    secrets.ADMIN_PASSWORD = { kind: 'generated', purpose: 'admin-password' };
  }
  if (env.packaging === 'function') variables.WEB_CONCURRENCY = '1';
  if (env.auth.lockLoginTo) variables.LOCK_LOGIN_TO = env.auth.lockLoginTo;
  if (env.auth.saml?.forceSsl !== undefined) variables.SAML_FORCE_SSL = String(env.auth.saml.forceSsl);
  for (const provider of env.auth.oidc ?? []) {
    const prefix = `OIDC_${provider.name.toUpperCase()}`;
    if (provider.issuer) variables[`${prefix}_ISSUER`] = provider.issuer;
    variables[`${prefix}_CLIENT_ID`] = provider.clientId;
    if (provider.scopes) variables[`${prefix}_SCOPES`] = provider.scopes.join(' ');
    if (provider.clientSecretSecret) secrets[`${prefix}_CLIENT_SECRET`] = { kind: 'reference', secretName: provider.clientSecretSecret };
  }
  addLdap(env, variables, secrets);
  addAppDynamics(env, variables, secrets);
  return { variables, secrets };
}

function addLdap(env: EnvironmentConfig, variables: Record<string, string>, secrets: Record<string, SecretSource>): void {
  const ldap = env.auth.ldap;
  if (!ldap) return;
  variables.LDAP_AUTH_URL = ldap.url;
  variables.LDAP_AUTH_SEARCH_BASE = ldap.searchBase;
  if (ldap.useTls !== undefined) variables.LDAP_AUTH_USE_TLS = String(ldap.useTls);
  if (ldap.objectClass) variables.LDAP_AUTH_OBJECT_CLASS = ldap.objectClass;
  if (ldap.userFields) variables.LDAP_AUTH_USER_FIELDS = Object.entries(ldap.userFields).map(([k, v]) => `${k}=${v}`).join(',');
  if (ldap.userLookupFields) variables.LDAP_AUTH_USER_LOOKUP_FIELDS = ldap.userLookupFields.join(',');
  if (ldap.formatUsername) variables.LDAP_AUTH_FORMAT_USERNAME = ldap.formatUsername;
  if (ldap.activeDirectoryDomain) variables.LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN = ldap.activeDirectoryDomain;
  if (ldap.connectionUsername) variables.LDAP_AUTH_CONNECTION_USERNAME = ldap.connectionUsername;
  if (ldap.connectionPasswordSecret) secrets.LDAP_AUTH_CONNECTION_PASSWORD = { kind: 'reference', secretName: ldap.connectionPasswordSecret };
  if (ldap.connectTimeoutSeconds !== undefined) variables.LDAP_AUTH_CONNECT_TIMEOUT = String(ldap.connectTimeoutSeconds);
  if (ldap.receiveTimeoutSeconds !== undefined) variables.LDAP_AUTH_RECEIVE_TIMEOUT = String(ldap.receiveTimeoutSeconds);
  if (ldap.defaultOrganisationId !== undefined) variables.LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID = String(ldap.defaultOrganisationId);
  // Group DNs contain commas: Flagsmith separates them with colons.
  if (ldap.syncedGroups) variables.LDAP_SYNCED_GROUPS = ldap.syncedGroups.join(':');
  if (ldap.syncUserGroups) variables.LDAP_AUTH_SYNC_USER_RELATIONS = 'custom_auth.ldap.sync_user_groups';
  if (ldap.loginGroup) {
    variables.LDAP_LOGIN_GROUP = ldap.loginGroup;
    variables.LDAP_AUTH_FORMAT_SEARCH_FILTERS = 'custom_auth.ldap.login_group_search_filter';
  }
  if (ldap.syncUsername) variables.LDAP_SYNC_USER_USERNAME = ldap.syncUsername;
  if (ldap.syncPasswordSecret) secrets.LDAP_SYNC_USER_PASSWORD = { kind: 'reference', secretName: ldap.syncPasswordSecret };
}

function addAppDynamics(env: EnvironmentConfig, variables: Record<string, string>, secrets: Record<string, SecretSource>): void {
  const appd = env.appDynamics;
  if (!appd?.enabled) {
    variables.APP_DYNAMICS = 'off';
    return;
  }
  variables.APP_DYNAMICS = 'on';
  // A container reads /etc/appdynamics.cfg (delivered from a secret by the stack); a function gets the settings as
  // APPDYNAMICS_* variables, since it has no file system to mount into.
  if (env.packaging === 'function') {
    if (appd.controllerHost) variables.APPDYNAMICS_CONTROLLER_HOST_NAME = appd.controllerHost;
    variables.APPDYNAMICS_CONTROLLER_PORT = String(appd.controllerPort ?? (appd.ssl === false ? 8090 : 443));
    variables.APPDYNAMICS_CONTROLLER_SSL_ENABLED = String(appd.ssl ?? true);
    if (appd.accountName) variables.APPDYNAMICS_AGENT_ACCOUNT_NAME = appd.accountName;
    if (appd.applicationName) variables.APPDYNAMICS_AGENT_APPLICATION_NAME = appd.applicationName;
    if (appd.tierName) variables.APPDYNAMICS_AGENT_TIER_NAME = appd.tierName;
    if (appd.nodeName) variables.APPDYNAMICS_AGENT_NODE_NAME = appd.nodeName;
    if (appd.agentPath) variables.APPDYNAMICS_AGENT_PATH = appd.agentPath;
    if (appd.accessKeySecret) secrets.APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY = { kind: 'reference', secretName: appd.accessKeySecret };
  }
}

/** Names this environment uses that the API does not read, or secrets emitted as plain values: empty when sound. */
export function contractViolations(environment: ApiEnvironment): string[] {
  const problems: string[] = [];
  for (const name of Object.keys(environment.variables)) {
    if (!isRuntimeEnvName(name)) problems.push(`${name}: not a variable the API reads`);
    else if (SECRET_ENV_VARS.has(name)) problems.push(`${name}: a secret emitted as a plain value`);
  }
  for (const name of Object.keys(environment.secrets)) {
    if (!isRuntimeEnvName(name)) problems.push(`${name}: not a variable the API reads`);
  }
  return problems;
}
