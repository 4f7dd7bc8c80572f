// The deployment config: one typed, validated description of every environment (DESIGN.md §5).
export { loadDeploymentConfig, parseDeploymentConfig, environmentsFor, deploymentConfigPath, DEFAULT_CONFIG_FILE, CONFIG_PATH_VARIABLE } from './load';
export type { DeploymentConfig, LoadOptions } from './load';
export { DeploymentConfigError, formatIssue } from './errors';
export type { DeploymentConfigIssue } from './errors';
export {
  EnvironmentSchema,
  DatabaseSchema,
  ScalingSchema,
  DomainSchema,
  NetworkSchema,
  AuthSchema,
  LdapSchema,
  OidcProviderSchema,
  AppDynamicsSchema,
  ImageSchema,
  StateBackendSchema,
  STATE_BACKENDS,
  CLOUDS,
  PACKAGINGS,
  DATABASE_ENGINES,
  SIZE_PRESETS,
  NODE_VERSIONS,
} from './schema';
export type {
  EnvironmentConfig,
  Cloud,
  Packaging,
  DeploymentDatabaseEngine,
  DatabaseConfig,
  ScalingConfig,
  AuthDeploymentConfig,
  LdapDeploymentConfig,
  OidcProviderDeploymentConfig,
  AppDynamicsDeploymentConfig,
  StateBackendDeploymentConfig,
} from './schema';
export { DeploymentConfigFileSchema, deploymentConfigJsonSchema, renderDeploymentConfigJsonSchema } from './file-schema';
export type { DeploymentConfigFile, EnvironmentDefaults, EnvironmentEntry, DeepPartial } from './file-schema';
