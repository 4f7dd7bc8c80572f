// The AWS kit: constructs a team can compose in its own CDK app, and the stack bin/cdk.ts makes per environment.
export { FlagstackNetwork, type FlagstackNetworkProps, type ExistingVpcAttributes } from './network';
export { FlagstackDatabase, ENGINE_TRAITS, type FlagstackDatabaseProps, type DatabaseEngineName, type DatabaseSize, type DatabaseConnectionPoint } from './database';
export { ApiSecrets, type ApiSecretsProps, type SecretReference } from './api-secrets';
export { ApiLambda, LAMBDA_EXTERNAL_MODULES, LAMBDA_RUNTIMES, SECRET_ARN_SUFFIX, runtimeBuildCommands, secretArnValue, type ApiLambdaProps, type LambdaHandlerName, type NodeMajor } from './api-lambda';
export {
  ApiContainer,
  apiContainerImage,
  fargateSize,
  APPDYNAMICS_CONFIG_DIR,
  APPDYNAMICS_CONFIG_FILE,
  APPDYNAMICS_CONFIG_VARIABLE,
  type ApiContainerProps,
  type ApiContainerDomain,
  type ApiImageOptions,
} from './api-container';
export { ApiFunction, type ApiFunctionProps, type ApiFunctionDomain } from './api-function';
export { MigrationJob, type MigrationJobProps } from './migration';
export { ScheduledJobs, type ScheduledJobsProps, type ScheduledJobName } from './scheduled-jobs';
export { FlagstackMonitoring, type FlagstackMonitoringProps } from './monitoring';
export { ApiFirewall, type ApiFirewallProps } from './firewall';
export { FlagstackStack, stackName, type FlagstackStackProps } from './flagstack-stack';
export { awsApiEnvironment, jobEnvironment, LAYER_AGENT_PATH } from './environment';
export { buildApp, UnknownEnvironmentError, type BuildAppOptions } from './app';
export { acknowledge, REASONS } from './nag';
export { projectRoot, LAMBDA_ENTRY } from './paths';
