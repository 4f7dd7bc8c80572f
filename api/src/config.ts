// THE runtime contract (DESIGN.md §1): every environment variable the API reads, typed and validated in one
// schema. Importing this module has no side effects — it reads no environment and does no I/O until
// loadConfig() is called — because the IaC code in lib/ imports it to emit exactly these variables.
// The implementation lives in ./config/; this file is the only entry point other code should import.
export { runtimeEnvSchema, runtimeEnvJsonSchema, RUNTIME_ENV_VARS, SECRET_ENV_VARS, isRuntimeEnvName } from './config/env-schema';
export type { RuntimeEnvName, RuntimeEnvValues, RuntimeEnv, RuntimeEnvVar } from './config/env-schema';
export type { ConfigGroup } from './config/env-var';
export { loadConfig, validateEnv } from './config/load';
export type { LoadOptions, Packaging } from './config/load';
export { APPDYNAMICS_FUNCTION_REQUIRED } from './config/packaging';
export type { Env } from './config/read-env';
export { ConfigError } from './config/errors';
export type { ConfigIssue } from './config/errors';
export { describeConfig, describeConfigLines } from './config/describe';
export type { DescribedConfig, DescribedLine, JsonValue } from './config/describe';
export { MASK, NOT_SET, maskUrl } from './config/mask';
export { resolveSecretArns, collectSecretArns, SECRET_ARN_SUFFIX } from './config/secret-arns';
export { decodeEncryptionKey, databaseEngineOf } from './config/formats';
export type { DatabaseEngine } from './config/formats';
export { splitGroupDns } from './config/app-config';
export type {
  AppConfig,
  AuthConfig,
  DatabaseConfig,
  LdapConfig,
  AppDynamicsConfig,
  UiConfig,
  OidcProviderConfig,
  LoginProvider,
} from './config/app-config';
export { LOG_LEVELS } from './config/vars/server';
export type { LogLevel } from './config/vars/server';
export { OIDC_PROVIDERS, oidcEnvName } from './config/vars/oidc';
export type { OidcProviderName } from './config/vars/oidc';
export {
  LDAP_USER_FIELD_NAMES,
  LDAP_FORMAT_USERNAME_VALUES,
  LDAP_SYNC_USER_RELATIONS_VALUES,
  LDAP_FORMAT_SEARCH_FILTERS_VALUES,
} from './config/vars/ldap';
export type { LdapUserFieldName, LdapUsernameFormat } from './config/vars/ldap';
export { DEFAULT_DATABASE_URL } from './config/vars/database';
