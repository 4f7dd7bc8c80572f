// Function packaging on Azure: a Linux Function App (Functions v4, Node from the config, default 22) on an Elastic
// Premium plan — the plan that has both VNet integration and always-ready instances — running from the dist/azure
// bundle, which is zipped at synth (TerraformAsset) and uploaded to a private blob container. The app reads the
// package with its managed identity (no SAS token in the settings), integrates with the compute subnet to reach the
// private database, and takes the same API environment as the container, secrets as Key Vault references.
// Scheduled changes run in the bundle's own timer trigger; migrations run at start (and in its function-key-protected
// migrate trigger).
import { Construct } from 'constructs';
import { AssetType, TerraformAsset } from 'cdktf';
import { LinuxFunctionApp } from '@cdktf/provider-azurerm/lib/linux-function-app';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan';
import { StorageAccount } from '@cdktf/provider-azurerm/lib/storage-account';
import { StorageBlob } from '@cdktf/provider-azurerm/lib/storage-blob';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container';
import type { ScalingConfig } from '../config';
import type { StackEnvironment } from '../tf-common/api-env';
import { assertBundle } from '../tf-common/bundles';
import { boundedName } from '../tf-common/names';
import { READINESS_PATH } from '../tf-common/runtime';
import type { AzureContext } from './context';
import type { AzureSecretStore } from './secrets';

/** Elastic Premium size by vCPU: EP1 = 1 vCPU / 3.5 GB, EP2 = 2 / 7, EP3 = 4 / 14. */
export function elasticPremiumSku(scaling: Pick<ScalingConfig, 'cpu' | 'memoryMb'>): 'EP1' | 'EP2' | 'EP3' {
  if (scaling.cpu > 2 || scaling.memoryMb > 7168) return 'EP3';
  if (scaling.cpu > 1 || scaling.memoryMb > 3584) return 'EP2';
  return 'EP1';
}

/** `@Microsoft.KeyVault(SecretUri=…)`: an app setting the platform resolves from Key Vault with the app's identity. */
export function keyVaultReference(versionlessSecretId: string): string {
  return `@Microsoft.KeyVault(SecretUri=${versionlessSecretId})`;
}

/** App settings that belong to the Functions platform, not to the API (the contract check skips them). */
export const PLATFORM_SETTING = /^(?:WEBSITE_|FUNCTIONS_|AzureWebJobs|APPLICATIONINSIGHTS_)/;

export interface AzureFunctionApiProps {
  context: AzureContext;
  subnetId: string;
  store: AzureSecretStore;
  environment: StackEnvironment;
  /** The dist/azure folder (host.json, package.json, index.js). */
  bundleDir: string;
  /** Whoever runs Terraform: uploads the package (Storage Blob Data Contributor on this account). */
  deployerObjectId: string;
  applicationInsightsConnectionString?: string;
}

export class AzureFunctionApi extends Construct {
  readonly storage: StorageAccount;
  readonly package: StorageBlob;
  readonly plan: ServicePlan;
  readonly app: LinuxFunctionApp;
  readonly url: string;

  constructor(scope: Construct, id: string, props: AzureFunctionApiProps) {
    super(scope, id);
    const { env, resourceGroupName, location, tags, stem, suffix } = props.context;
    const { store } = props;
    assertBundle(props.bundleDir, 'azure');
    const identity = store.identity;

    this.storage = new StorageAccount(this, 'storage', {
      // 3–24 lower-case letters and digits, globally unique.
      name: `${boundedName([env.project, env.name], { max: 18, separator: '' })}${suffix}`,
      resourceGroupName,
      location,
      accountTier: 'Standard',
      accountReplicationType: env.prod ? 'ZRS' : 'LRS',
      minTlsVersion: 'TLS1_2',
      httpsTrafficOnlyEnabled: true,
      infrastructureEncryptionEnabled: true,
      allowNestedItemsToBePublic: false,
      // Entra ID only: no account keys, so no connection string with a key anywhere.
      sharedAccessKeyEnabled: false,
      defaultToOauthAuthentication: true,
      tags,
    });
    const container = new StorageContainer(this, 'deployments', { name: 'deployments', storageAccountId: this.storage.id, containerAccessType: 'private' });
    const deployerUploads = new RoleAssignment(this, 'deployer-uploads', {
      scope: this.storage.id,
      roleDefinitionName: 'Storage Blob Data Contributor',
      principalId: props.deployerObjectId,
      description: 'flagstack deployer: upload the function package',
    });
    // The Functions host keeps its locks and keys in blobs of this account; it also reads the package from here.
    const hostRole = new RoleAssignment(this, 'identity-host-storage', {
      scope: this.storage.id,
      roleDefinitionName: 'Storage Blob Data Owner',
      principalId: identity.principalId,
      principalType: 'ServicePrincipal',
      description: 'flagstack Function App: host storage and the deployment package',
    });

    const asset = new TerraformAsset(this, 'bundle', { path: props.bundleDir, type: AssetType.ARCHIVE });
    this.package = new StorageBlob(this, 'package', {
      // The hash in the name makes a new bundle a new blob, which changes the setting and restarts the app on it.
      name: `flagstack-azure-${asset.assetHash}.zip`,
      storageAccountName: this.storage.name,
      storageContainerName: container.name,
      type: 'Block',
      source: asset.path,
      contentType: 'application/zip',
      dependsOn: [deployerUploads],
    });

    this.plan = new ServicePlan(this, 'plan', {
      name: `${stem}-plan`,
      resourceGroupName,
      location,
      osType: 'Linux',
      skuName: elasticPremiumSku(env.scaling),
      maximumElasticWorkerCount: Math.max(1, env.scaling.max),
      zoneBalancingEnabled: env.prod,
      workerCount: env.prod ? 3 : undefined,
      tags,
    });

    const apiSettings: Record<string, string> = { ...props.environment.variables };
    for (const [name, source] of Object.entries(props.environment.secrets)) {
      apiSettings[name] = keyVaultReference(store.secretFor(source).versionlessId);
    }

    this.app = new LinuxFunctionApp(this, 'app', {
      name: `${boundedName([stem, 'api'], { max: 53 })}-${suffix}`,
      resourceGroupName,
      location,
      servicePlanId: this.plan.id,
      functionsExtensionVersion: '~4',
      storageAccountName: this.storage.name,
      storageUsesManagedIdentity: true,
      identity: { type: 'UserAssigned', identityIds: [identity.id] },
      keyVaultReferenceIdentityId: identity.id,
      virtualNetworkSubnetId: props.subnetId,
      httpsOnly: true,
      publicNetworkAccessEnabled: true,
      ftpPublishBasicAuthenticationEnabled: false,
      webdeployPublishBasicAuthenticationEnabled: false,
      // Running from a package URL needs no Azure Files content share (which would need an account key).
      contentShareForceDisabled: true,
      siteConfig: {
        applicationStack: { nodeVersion: String(env.nodeVersion) },
        elasticInstanceMinimum: Math.max(1, env.scaling.min),
        preWarmedInstanceCount: 1,
        appScaleLimit: env.scaling.max,
        minimumTlsVersion: '1.2',
        scmMinimumTlsVersion: '1.2',
        ftpsState: 'Disabled',
        healthCheckPath: READINESS_PATH,
        healthCheckEvictionTimeInMin: 5,
        // Only private ranges go through the VNet (to the database); no NAT gateway needed for the rest.
        vnetRouteAllEnabled: false,
        applicationInsightsConnectionString: props.applicationInsightsConnectionString,
      },
      appSettings: {
        ...apiSettings,
        WEBSITE_RUN_FROM_PACKAGE: this.package.url,
        WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID: identity.id,
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: identity.clientId,
      },
      dependsOn: [hostRole, store.readerRole],
      tags,
    });
    this.url = `https://${this.app.defaultHostname}`;
  }
}
