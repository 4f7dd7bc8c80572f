// Container packaging on Azure: a Container Apps environment in the compute subnet (workload profiles, logs to Log
// Analytics) and the API as a Container App — image from the config, external HTTPS ingress on the API's port,
// min/max replicas with an HTTP-concurrency scale rule, startup/liveness/readiness probes on the health endpoints,
// secrets as Key Vault references read with the managed identity, appdynamics.cfg as a secret volume.
import { Construct } from 'constructs';
import { Annotations } from 'cdktf';
import { ContainerApp } from '@cdktf/provider-azurerm/lib/container-app';
import { ContainerAppEnvironment } from '@cdktf/provider-azurerm/lib/container-app-environment';
import type { ScalingConfig } from '../config';
import { API_PORT, LIVENESS_PATH, READINESS_PATH, STARTUP_GRACE_SECONDS, type ImageChoice } from '../tf-common/runtime';
import { boundedName } from '../tf-common/names';
import type { ContainerEnvironment } from './app-environment';
import type { AzureContext } from './context';

/** Container Apps (consumption) takes 0.25–4 vCPU in steps of 0.25, with 2 GiB of memory per vCPU. */
export function containerAppsResources(scaling: Pick<ScalingConfig, 'cpu'>): { cpu: number; memory: string } {
  const cpu = Math.min(4, Math.max(0.25, Math.ceil(scaling.cpu * 4) / 4));
  return { cpu, memory: `${cpu * 2}Gi` };
}

/** A private registry on Azure Container Registry is pulled with the managed identity (grant it AcrPull). */
export function registryFor(image: string, identityId: string): { server: string; identity: string }[] | undefined {
  const host = image.split('/')[0];
  return host.endsWith('.azurecr.io') ? [{ server: host, identity: identityId }] : undefined;
}

export const CONCURRENT_REQUESTS_PER_REPLICA = 50;

export interface AzureContainerApiProps {
  context: AzureContext;
  subnetId: string;
  logAnalyticsWorkspaceId: string;
  identityId: string;
  image: ImageChoice;
  environment: ContainerEnvironment;
}

export class AzureContainerApi extends Construct {
  readonly environment: ContainerAppEnvironment;
  readonly app: ContainerApp;
  readonly url: string;

  constructor(scope: Construct, id: string, props: AzureContainerApiProps) {
    super(scope, id);
    const { env, resourceGroupName, location, tags, stem } = props.context;
    if (props.image.placeholder) {
      Annotations.of(this).addWarning(
        `${env.name}: image.uri is not set; using the placeholder ${props.image.uri}. Build the root Dockerfile, push it to a registry ` +
          'Container Apps can pull from, and set image.uri.',
      );
    }
    this.environment = new ContainerAppEnvironment(this, 'environment', {
      name: `${stem}-apps`,
      resourceGroupName,
      location,
      logAnalyticsWorkspaceId: props.logAnalyticsWorkspaceId,
      infrastructureSubnetId: props.subnetId,
      internalLoadBalancerEnabled: false,
      zoneRedundancyEnabled: env.prod,
      workloadProfile: [{ name: 'Consumption', workloadProfileType: 'Consumption' }],
      tags,
      // Azure adds a managed infrastructure resource group name on creation.
      lifecycle: { ignoreChanges: ['infrastructure_resource_group_name'] },
    });
    const { cpu, memory } = containerAppsResources(env.scaling);
    const probe = { transport: 'HTTP', port: API_PORT };
    this.app = new ContainerApp(this, 'app', {
      name: boundedName([stem, 'api'], { max: 32 }),
      resourceGroupName,
      containerAppEnvironmentId: this.environment.id,
      revisionMode: 'Single',
      workloadProfileName: 'Consumption',
      identity: { type: 'UserAssigned', identityIds: [props.identityId] },
      registry: registryFor(props.image.uri, props.identityId),
      secret: props.environment.secrets,
      ingress: {
        externalEnabled: true,
        targetPort: API_PORT,
        transport: 'auto',
        allowInsecureConnections: false,
        trafficWeight: [{ latestRevision: true, percentage: 100 }],
      },
      template: {
        minReplicas: env.scaling.min,
        maxReplicas: env.scaling.max,
        terminationGracePeriodSeconds: 30,
        httpScaleRule: [{ name: 'http-concurrency', concurrentRequests: String(CONCURRENT_REQUESTS_PER_REPLICA) }],
        container: [
          {
            name: 'api',
            image: props.image.uri,
            cpu,
            memory,
            env: props.environment.env,
            volumeMounts: props.environment.volumeMounts.length > 0 ? props.environment.volumeMounts : undefined,
            // Migrations run at start under the migration lock: give a new revision time before liveness counts.
            startupProbe: [{ ...probe, path: LIVENESS_PATH, intervalSeconds: 10, timeout: 5, failureCountThreshold: Math.ceil(STARTUP_GRACE_SECONDS / 10) }],
            livenessProbe: [{ ...probe, path: LIVENESS_PATH, intervalSeconds: 10, timeout: 5, failureCountThreshold: 3 }],
            readinessProbe: [{ ...probe, path: READINESS_PATH, intervalSeconds: 10, timeout: 5, failureCountThreshold: 3, successCountThreshold: 1 }],
          },
        ],
        volume: props.environment.volumes.length > 0 ? props.environment.volumes : undefined,
      },
      tags,
    });
    this.url = `https://${this.app.ingress.fqdn}`;
  }
}
