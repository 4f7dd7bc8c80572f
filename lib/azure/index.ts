// The Azure kit: CDKTF constructs and the stack that composes them (DESIGN.md §1), usable as a library.
export { FlagstackAzureStack } from './stack';
export type { FlagstackAzureStackProps } from './stack';
export { AzureNetwork, DEFAULT_AZURE_CIDR, databaseDnsZoneName } from './network';
export { AzureMonitoring, logRetentionDays } from './monitoring';
export { AzureSecretStore, PLACEHOLDER_VALUE, GENERATED_SECRET_NAMES } from './secrets';
export { AzureDatabase, azureDatabaseSku, postgresStorageMb, DATABASE_NAME, ADMIN_LOGIN } from './database';
export { AzureContainerApi, containerAppsResources, registryFor } from './api-container';
export { AzureContainerJobs } from './jobs';
export { AzureFunctionApi, elasticPremiumSku, keyVaultReference, PLATFORM_SETTING } from './api-function';
export { containerEnvironment, containerSecretName, APPDYNAMICS_SECRET_NAME } from './app-environment';
export type { AzureContext } from './context';
