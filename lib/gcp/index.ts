// The GCP kit: CDKTF constructs and the stack that composes them (DESIGN.md §1), usable as a library.
export { FlagstackGcpStack } from './stack';
export type { FlagstackGcpStackProps } from './stack';
export { GcpProjectServices, requiredApis } from './services';
export { GcpNetwork, DEFAULT_GCP_CIDR } from './network';
export { GcpServiceAccounts, PROJECT_ROLES_FOR_BUILD } from './identity';
export { GcpSecretStore } from './secrets';
export type { GcpSecret } from './secrets';
export { GcpDatabase, cloudSqlTier, DATABASE_VERSIONS, DATABASE_NAME, DATABASE_USER } from './database';
export { GcpCloudRunApi } from './api-container';
export { GcpCloudRunJobs } from './jobs';
export { GcpFunctionApi } from './api-function';
export { runEnvironment, cloudRunEnv, cloudRunVolumes, cloudRunResources, APPDYNAMICS_MOUNT, APPDYNAMICS_FILE } from './run-environment';
export type { GcpContext } from './context';
