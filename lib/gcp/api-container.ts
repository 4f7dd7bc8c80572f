// Container packaging on GCP: the API as a Cloud Run (v2) service — image from the config, min/max instances,
// Direct VPC egress into the subnet for the private database, a startup probe on readiness (which checks the
// database; migrations run at start) and a liveness probe, secrets as Secret Manager references, appdynamics.cfg as
// a secret volume, the dedicated service account, and public invocation (the API authenticates its callers itself).
import { Construct } from 'constructs';
import { Annotations, type ITerraformDependable } from 'cdktf';
import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { boundedName } from '../tf-common/names';
import { API_PORT, LIVENESS_PATH, READINESS_PATH, STARTUP_GRACE_SECONDS, type ImageChoice } from '../tf-common/runtime';
import type { GcpContext } from './context';
import type { GcpNetwork } from './network';
import { cloudRunEnv, cloudRunResources, cloudRunVolumes, type RunEnvironment } from './run-environment';

export const REQUESTS_PER_INSTANCE = 80;

export interface GcpCloudRunApiProps {
  context: GcpContext;
  network: GcpNetwork;
  serviceAccountEmail: string;
  image: ImageChoice;
  run: RunEnvironment;
  /** The secret grants the revision's first start needs. */
  secretGrants: ITerraformDependable[];
}

export class GcpCloudRunApi extends Construct {
  readonly service: CloudRunV2Service;
  readonly url: string;

  constructor(scope: Construct, id: string, props: GcpCloudRunApiProps) {
    super(scope, id);
    const { env, region, labels, stem, apis } = props.context;
    if (props.image.placeholder) {
      Annotations.of(this).addWarning(
        `${env.name}: image.uri is not set; using the placeholder ${props.image.uri}. Build the root Dockerfile, push it to Artifact Registry ` +
          '(or Docker Hub), and set image.uri.',
      );
    }
    const { cpu, memoryMb } = cloudRunResources(env.scaling);
    const { volumes, mounts } = cloudRunVolumes(props.run);
    this.service = new CloudRunV2Service(this, 'service', {
      name: boundedName([stem, 'api'], { max: 49 }),
      location: region,
      ingress: 'INGRESS_TRAFFIC_ALL',
      deletionProtection: env.prod,
      labels,
      template: {
        serviceAccount: props.serviceAccountEmail,
        executionEnvironment: 'EXECUTION_ENVIRONMENT_GEN2',
        maxInstanceRequestConcurrency: REQUESTS_PER_INSTANCE,
        timeout: '60s',
        scaling: { minInstanceCount: env.scaling.min, maxInstanceCount: env.scaling.max },
        vpcAccess: {
          networkInterfaces: [{ network: props.network.network.id, subnetwork: props.network.subnet.id }],
          egress: 'PRIVATE_RANGES_ONLY',
        },
        containers: [
          {
            name: 'api',
            image: props.image.uri,
            ports: { containerPort: API_PORT },
            env: cloudRunEnv(props.run),
            resources: { limits: { cpu: String(cpu), memory: `${memoryMb}Mi` }, cpuIdle: true, startupCpuBoost: true },
            startupProbe: {
              httpGet: { path: READINESS_PATH, port: API_PORT },
              periodSeconds: 10,
              timeoutSeconds: 5,
              failureThreshold: Math.ceil(STARTUP_GRACE_SECONDS / 10),
            },
            livenessProbe: { httpGet: { path: LIVENESS_PATH, port: API_PORT }, periodSeconds: 15, timeoutSeconds: 5, failureThreshold: 3 },
            volumeMounts: mounts.length > 0 ? mounts : undefined,
          },
        ],
        volumes: volumes.length > 0 ? volumes : undefined,
        labels,
      },
      dependsOn: [...apis, ...props.secretGrants],
    });
    new CloudRunV2ServiceIamMember(this, 'public', {
      name: this.service.name,
      location: region,
      role: 'roles/run.invoker',
      member: 'allUsers',
    });
    this.url = this.service.uri;
  }
}
