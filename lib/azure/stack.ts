// One Azure environment of the deployment config as one CDKTF stack: resource group, network, Log Analytics, Key
// Vault + managed identity, the database, and the API as Container Apps (+ jobs) or as a Function App.
import { Construct } from 'constructs';
import { Annotations, TerraformOutput, TerraformStack } from 'cdktf';
import { AzurermProvider } from '@cdktf/provider-azurerm/lib/provider';
import { DataAzurermClientConfig } from '@cdktf/provider-azurerm/lib/data-azurerm-client-config';
import { ResourceGroup } from '@cdktf/provider-azurerm/lib/resource-group';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { StringResource } from '@cdktf/provider-random/lib/string-resource';
import type { EnvironmentConfig } from '../config';
import { stackEnvironment } from '../tf-common/api-env';
import { renderAppDynamicsCfg } from '../common/appdynamics';
import { configureStateBackend } from '../tf-common/backend';
import { GeneratedSecrets } from '../tf-common/generated-secrets';
import { jobsFor } from '../tf-common/jobs';
import { azureTags, stem as stemOf } from '../tf-common/names';
import { containerImage } from '../tf-common/runtime';
import { AzureContainerApi } from './api-container';
import { AzureFunctionApi } from './api-function';
import { containerEnvironment, APPDYNAMICS_SECRET_NAME } from './app-environment';
import type { AzureContext } from './context';
import { AzureDatabase } from './database';
import { AzureContainerJobs } from './jobs';
import { AzureMonitoring } from './monitoring';
import { AzureNetwork } from './network';
import { AzureSecretStore } from './secrets';

export interface FlagstackAzureStackProps {
  env: EnvironmentConfig;
  /** dist/azure, for the function packaging. */
  functionBundleDir?: string;
}

export class FlagstackAzureStack extends TerraformStack {
  readonly context: AzureContext;
  readonly network: AzureNetwork;
  readonly monitoring: AzureMonitoring;
  readonly secrets: AzureSecretStore;
  readonly database: AzureDatabase;
  readonly containerApi?: AzureContainerApi;
  readonly jobs?: AzureContainerJobs;
  readonly functionApi?: AzureFunctionApi;

  constructor(scope: Construct, id: string, props: FlagstackAzureStackProps) {
    super(scope, id);
    const { env } = props;
    if (env.cloud !== 'azure') throw new Error(`${env.name} is for ${env.cloud}, not azure`);
    configureStateBackend(this, env);
    if (env.domain) {
      Annotations.of(this).addWarning(
        `${env.name}: domain ${env.domain.name} is not wired by the ${env.cloud} kit yet; map it to the api_url output by hand (see docs/${env.cloud}.md)`,
      );
    }
    // The subscription comes from ARM_SUBSCRIPTION_ID or `az account set` at plan time, never from the config.
    new AzurermProvider(this, 'azurerm', {
      features: [{ keyVault: [{ purgeSoftDeleteOnDestroy: !env.prod, recoverSoftDeletedKeyVaults: true }], resourceGroup: [{ preventDeletionIfContainsResources: env.prod }] }],
      // The storage account has no keys: blob uploads go through Entra ID.
      storageUseAzuread: true,
    });
    new RandomProvider(this, 'random');
    const client = new DataAzurermClientConfig(this, 'client');

    const stem = stemOf(env);
    const tags = azureTags(env);
    const group = new ResourceGroup(this, 'group', { name: `${stem}-rg`, location: env.region, tags });
    const suffix = new StringResource(this, 'suffix', { length: 6, upper: false, special: false, numeric: true, lower: true });
    this.context = { env, resourceGroupName: group.name, location: group.location, tags, stem, suffix: suffix.result };

    this.network = new AzureNetwork(this, 'network', { context: this.context });
    this.monitoring = new AzureMonitoring(this, 'monitoring', { context: this.context, applicationInsights: env.packaging === 'function' });
    const generated = new GeneratedSecrets(this, 'generated');
    this.secrets = new AzureSecretStore(this, 'secrets', { context: this.context, tenantId: client.tenantId, deployerObjectId: client.objectId, generated });
    this.database = new AzureDatabase(this, 'database', { context: this.context, network: this.network, password: generated.databasePassword.result });
    const environment = stackEnvironment(env, this.database.endpoint);

    if (env.packaging === 'container') {
      let appDynamicsConfig;
      const appd = env.appDynamics;
      if (appd?.enabled) {
        const accessKey = this.secrets.secretFor({ kind: 'reference', secretName: appd.accessKeySecret! });
        // The file holds the access key: rendered with a reference to the vault secret's value, stored as a secret.
        appDynamicsConfig = this.secrets.addSecret(APPDYNAMICS_SECRET_NAME, renderAppDynamicsCfg(appd, accessKey.value));
      }
      const containerEnv = containerEnvironment(environment, this.secrets, appDynamicsConfig);
      const image = containerImage(env);
      this.containerApi = new AzureContainerApi(this, 'api', {
        context: this.context,
        subnetId: this.network.computeSubnet.id,
        logAnalyticsWorkspaceId: this.monitoring.workspace.id,
        identityId: this.secrets.identity.id,
        image,
        environment: containerEnv,
      });
      this.containerApi.app.node.addDependency(this.secrets.readerRole);
      this.jobs = new AzureContainerJobs(this, 'jobs', {
        context: this.context,
        containerAppEnvironmentId: this.containerApi.environment.id,
        identityId: this.secrets.identity.id,
        image,
        environment: containerEnv,
        jobs: jobsFor(env),
      });
      for (const job of this.jobs.jobs.values()) job.node.addDependency(this.secrets.readerRole);
      new TerraformOutput(this, 'api_url', { value: this.containerApi.url, description: 'Base URL of the flagstack API' });
      new TerraformOutput(this, 'job_names', {
        value: Object.fromEntries([...this.jobs.jobs].map(([id, job]) => [id, job.name])),
        description: 'Container Apps jobs (start one with `az containerapp job start -g <group> -n <name>`)',
      });
    } else {
      if (!props.functionBundleDir) throw new Error(`${env.name}: the function packaging needs the dist/azure bundle (functionBundleDir)`);
      this.functionApi = new AzureFunctionApi(this, 'api', {
        context: this.context,
        subnetId: this.network.computeSubnet.id,
        store: this.secrets,
        environment,
        bundleDir: props.functionBundleDir,
        deployerObjectId: client.objectId,
        applicationInsightsConnectionString: this.monitoring.applicationInsights?.connectionString,
      });
      new TerraformOutput(this, 'api_url', { value: this.functionApi.url, description: 'Base URL of the flagstack API' });
      new TerraformOutput(this, 'function_app', { value: this.functionApi.app.name, description: 'Function App name' });
    }
    new TerraformOutput(this, 'resource_group', { value: group.name });
    new TerraformOutput(this, 'key_vault', { value: this.secrets.vault.name, description: 'Key Vault holding the secrets; set the hand-made ones here' });
    new TerraformOutput(this, 'database_host', { value: this.database.endpoint.host, description: 'Private host name of the database' });
    new TerraformOutput(this, 'hand_made_secrets', {
      value: [...environment.sources.values()].filter((s) => s.kind === 'reference').map((s) => (s.kind === 'reference' ? s.secretName : '')),
      description: 'Key Vault secrets created as placeholders: set each with `az keyvault secret set --vault-name <key_vault> -n <name> --value …`',
    });
  }
}
