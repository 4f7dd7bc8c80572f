// Container Apps jobs in the API's environment, running the same image with the same environment, secrets and
// identity: migrations (manual trigger: `az containerapp job start`; the API also migrates at start), scheduled
// changes (every minute) and LDAP sync (hourly, when LDAP is configured), schedule-triggered.
import { Construct } from 'constructs';
import { ContainerAppJob } from '@cdktf/provider-azurerm/lib/container-app-job';
import type { JobSpec } from '../tf-common/jobs';
import { boundedName } from '../tf-common/names';
import { CLI_COMMAND, type ImageChoice } from '../tf-common/runtime';
import { registryFor, containerAppsResources } from './api-container';
import type { ContainerEnvironment } from './app-environment';
import type { AzureContext } from './context';

export interface AzureContainerJobsProps {
  context: AzureContext;
  containerAppEnvironmentId: string;
  identityId: string;
  image: ImageChoice;
  environment: ContainerEnvironment;
  jobs: readonly JobSpec[];
}

export class AzureContainerJobs extends Construct {
  readonly jobs = new Map<string, ContainerAppJob>();

  constructor(scope: Construct, id: string, props: AzureContainerJobsProps) {
    super(scope, id);
    const { env, resourceGroupName, location, tags, stem } = props.context;
    const { cpu, memory } = containerAppsResources(env.scaling);
    for (const job of props.jobs) {
      const trigger = { parallelism: 1, replicaCompletionCount: 1 };
      this.jobs.set(
        job.id,
        new ContainerAppJob(this, job.id, {
          name: boundedName([stem, job.id], { max: 32 }),
          resourceGroupName,
          location,
          containerAppEnvironmentId: props.containerAppEnvironmentId,
          workloadProfileName: 'Consumption',
          replicaTimeoutInSeconds: job.timeoutSeconds,
          replicaRetryLimit: 1,
          scheduleTriggerConfig: job.schedule ? { cronExpression: job.schedule, ...trigger } : undefined,
          manualTriggerConfig: job.schedule ? undefined : trigger,
          identity: { type: 'UserAssigned', identityIds: [props.identityId] },
          registry: registryFor(props.image.uri, props.identityId),
          secret: props.environment.secrets,
          template: {
            container: [
              {
                name: job.id,
                image: props.image.uri,
                command: [...CLI_COMMAND],
                args: job.args,
                cpu,
                memory,
                env: props.environment.env,
                volumeMounts: props.environment.volumeMounts.length > 0 ? props.environment.volumeMounts : undefined,
              },
            ],
            volume: props.environment.volumes.length > 0 ? props.environment.volumes : undefined,
          },
          tags: { ...tags, 'flagstack-job': job.id },
        }),
      );
    }
  }
}
