// Container packaging on GCP: Cloud Run jobs running the API's image with its environment and service account —
// migrations (run on demand: `gcloud run jobs execute`; the API also migrates at start), scheduled changes and, with
// LDAP, LDAP sync — and Cloud Scheduler triggering the periodic ones through the Cloud Run Admin API, as a
// dedicated scheduler service account that may run exactly those jobs.
import { Construct } from 'constructs';
import type { ITerraformDependable } from 'cdktf';
import { CloudRunV2Job } from '@cdktf/provider-google/lib/cloud-run-v2-job';
import { CloudRunV2JobIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-job-iam-member';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import type { JobSpec } from '../tf-common/jobs';
import { boundedName } from '../tf-common/names';
import { CLI_COMMAND, type ImageChoice } from '../tf-common/runtime';
import type { GcpContext } from './context';
import type { GcpNetwork } from './network';
import { cloudRunEnv, cloudRunResources, cloudRunVolumes, type RunEnvironment } from './run-environment';

export interface GcpCloudRunJobsProps {
  context: GcpContext;
  network: GcpNetwork;
  serviceAccountEmail: string;
  schedulerServiceAccountEmail: string;
  image: ImageChoice;
  run: RunEnvironment;
  jobs: readonly JobSpec[];
  secretGrants: ITerraformDependable[];
}

export class GcpCloudRunJobs extends Construct {
  readonly jobs = new Map<string, CloudRunV2Job>();
  readonly schedules = new Map<string, CloudSchedulerJob>();

  constructor(scope: Construct, id: string, props: GcpCloudRunJobsProps) {
    super(scope, id);
    const { env, region, labels, stem, project, apis } = props.context;
    const { cpu, memoryMb } = cloudRunResources(env.scaling);
    const { volumes, mounts } = cloudRunVolumes(props.run);
    for (const spec of props.jobs) {
      const job = new CloudRunV2Job(this, spec.id, {
        name: boundedName([stem, spec.id], { max: 63 }),
        location: region,
        deletionProtection: false,
        labels: { ...labels, 'flagstack-job': spec.id },
        template: {
          taskCount: 1,
          parallelism: 1,
          template: {
            serviceAccount: props.serviceAccountEmail,
            timeout: `${spec.timeoutSeconds}s`,
            maxRetries: 1,
            vpcAccess: { networkInterfaces: [{ network: props.network.network.id, subnetwork: props.network.subnet.id }], egress: 'PRIVATE_RANGES_ONLY' },
            containers: [
              {
                name: spec.id,
                image: props.image.uri,
                command: [...CLI_COMMAND],
                args: spec.args,
                env: cloudRunEnv(props.run),
                resources: { limits: { cpu: String(cpu), memory: `${memoryMb}Mi` } },
                volumeMounts: mounts.length > 0 ? mounts : undefined,
              },
            ],
            volumes: volumes.length > 0 ? volumes : undefined,
          },
        },
        dependsOn: [...apis, ...props.secretGrants],
      });
      this.jobs.set(spec.id, job);
      if (!spec.schedule) continue;
      const invoker = new CloudRunV2JobIamMember(this, `${spec.id}-invoker`, {
        name: job.name,
        location: region,
        role: 'roles/run.invoker',
        member: `serviceAccount:${props.schedulerServiceAccountEmail}`,
      });
      this.schedules.set(
        spec.id,
        new CloudSchedulerJob(this, `${spec.id}-schedule`, {
          name: boundedName([stem, spec.id], { max: 63 }),
          region,
          description: spec.description,
          schedule: spec.schedule,
          timeZone: 'Etc/UTC',
          attemptDeadline: '320s',
          httpTarget: {
            httpMethod: 'POST',
            uri: `https://run.googleapis.com/v2/projects/${project}/locations/${region}/jobs/${job.name}:run`,
            oauthToken: { serviceAccountEmail: props.schedulerServiceAccountEmail, scope: 'https://www.googleapis.com/auth/cloud-platform' },
          },
          dependsOn: [invoker],
        }),
      );
    }
  }
}
