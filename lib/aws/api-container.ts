// The API as a container: ECS Fargate behind an Application Load Balancer (aws-ecs-patterns), autoscaled on CPU and
// requests, health-checked on /health/readiness, with plain variables in the task definition and secrets injected
// natively by ECS from Secrets Manager. With AppDynamics, an init container writes the appdynamics.cfg held in a
// secret to a task-local volume the API reads it from.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { SecretReference } from './api-secrets';
import { acknowledge } from './nag';
import { projectRoot } from './paths';
import type { ApiDomain } from './api-domain';

/** Where the AppDynamics init container writes the file, and the API reads it (APPDYNAMICS_CONFIG_PATH). */
export const APPDYNAMICS_CONFIG_DIR = '/etc/appdynamics';
export const APPDYNAMICS_CONFIG_FILE = `${APPDYNAMICS_CONFIG_DIR}/appdynamics.cfg`;
/** The init container's variable carrying the file; never given to the API container. */
export const APPDYNAMICS_CONFIG_VARIABLE = 'APPDYNAMICS_CFG';

export interface ApiImageOptions {
  /** A prebuilt image (registry/repository:tag). @default - built from the repository's root Dockerfile */
  readonly uri?: string;
  /** Build the image with the AppDynamics agent (`--build-arg APP_DYNAMICS=on`). @default false */
  readonly appDynamics?: boolean;
  /** Directory holding the Dockerfile. @default - the repository root */
  readonly directory?: string;
}

/** The API image: a given URI, or an asset built from the root Dockerfile at deploy time (linux/amd64). */
export function apiContainerImage(options: ApiImageOptions = {}): ecs.ContainerImage {
  if (options.uri) return ecs.ContainerImage.fromRegistry(options.uri);
  return ecs.ContainerImage.fromAsset(options.directory ?? projectRoot(), {
    file: 'Dockerfile',
    platform: ecrAssets.Platform.LINUX_AMD64,
    buildArgs: options.appDynamics ? { APP_DYNAMICS: 'on' } : undefined,
  });
}

/** The API's custom domain (the same shape for both packagings). */
export type ApiContainerDomain = ApiDomain;

export interface ApiContainerProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the tasks (private, with a route to the registry and Secrets Manager). */
  readonly taskSubnets: ec2.SubnetSelection;
  readonly image: ecs.ContainerImage;
  /** Plain variables (from lib/common's apiEnvironment). */
  readonly variables: Record<string, string>;
  /** Secret variables, injected by ECS from Secrets Manager. */
  readonly secrets: Record<string, SecretReference>;
  /** vCPUs per task (0.25, 0.5, 1, 2, 4, 8, 16). @default 0.5 */
  readonly cpu?: number;
  /** @default 1024 */
  readonly memoryMiB?: number;
  /** @default 1 */
  readonly minCount?: number;
  /** @default 2 */
  readonly maxCount?: number;
  /** @default 8000 */
  readonly port?: number;
  /** Load balancer health check. @default '/health/readiness' */
  readonly healthCheckPath?: string;
  /** Container health check (ECS restarts the task when it fails). @default '/health/liveness' */
  readonly livenessPath?: string;
  /** HTTPS on 443 (HTTP redirects to it) with this certificate and name; else plain HTTP on 80. */
  readonly domain?: ApiContainerDomain;
  /** A secret whose whole value is appdynamics.cfg; turns on the init container. */
  readonly appDynamicsConfig?: secretsmanager.ISecret;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Target CPU utilisation of the autoscaling policy. @default 60 */
  readonly targetCpuPercent?: number;
  /** Requests per task per minute the autoscaling policy aims at. @default 3000 */
  readonly requestsPerTarget?: number;
}

/** Fargate's valid memory sizes per CPU: the request is rounded up to the next valid one. */
export function fargateSize(cpu: number, memoryMiB: number): { cpu: number; memoryLimitMiB: number } {
  const units = Math.round(cpu * 1024);
  const valid = [256, 512, 1024, 2048, 4096, 8192, 16384];
  const cpuUnits = valid.find((v) => v >= units) ?? 16384;
  const ranges: Record<number, [number, number, number]> = {
    256: [512, 2048, 1024],
    512: [1024, 4096, 1024],
    1024: [2048, 8192, 1024],
    2048: [4096, 16384, 1024],
    4096: [8192, 30720, 1024],
    8192: [16384, 61440, 4096],
    16384: [32768, 122880, 8192],
  };
  const [min, max, step] = ranges[cpuUnits];
  const memory = Math.min(max, Math.max(min, Math.ceil(memoryMiB / step) * step));
  return { cpu: cpuUnits, memoryLimitMiB: memory };
}

export class ApiContainer extends Construct {
  readonly service: ecsPatterns.ApplicationLoadBalancedFargateService;
  readonly logGroup: logs.LogGroup;
  readonly accessLogs: s3.Bucket;
  /** The API's URL (https://name with a domain, else the load balancer's http:// name). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: ApiContainerProps) {
    super(scope, id);
    const port = props.port ?? 8000;
    const size = fargateSize(props.cpu ?? 0.5, props.memoryMiB ?? 1024);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    const logDriver = ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'api' });
    const cluster = new ecs.Cluster(this, 'Cluster', { vpc: props.vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });

    const secrets: Record<string, ecs.Secret> = {};
    for (const [name, ref] of Object.entries(props.secrets)) secrets[name] = ecs.Secret.fromSecretsManager(ref.secret, ref.field);
    const environment: Record<string, string> = { ...props.variables, PORT: String(port) };
    if (props.appDynamicsConfig) environment.APPDYNAMICS_CONFIG_PATH = APPDYNAMICS_CONFIG_FILE;

    const livenessUrl = `http://127.0.0.1:${port}${props.livenessPath ?? '/health/liveness'}`;
    const taskDefinition = new ecs.FargateTaskDefinition(this, 'Task', {
      cpu: size.cpu,
      memoryLimitMiB: size.memoryLimitMiB,
      runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.X86_64, operatingSystemFamily: ecs.OperatingSystemFamily.LINUX },
    });
    const api = taskDefinition.addContainer('api', {
      image: props.image,
      environment,
      secrets,
      logging: logDriver,
      portMappings: [{ containerPort: port }],
      // ECS replaces a task whose process stops answering; node is in the image, curl need not be.
      healthCheck: {
        command: ['CMD', 'node', '-e', `fetch(${JSON.stringify(livenessUrl)}).then(r=>process.exit(r.ok?0:1),()=>process.exit(1))`],
        interval: Duration.seconds(15),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(30),
      },
      stopTimeout: Duration.seconds(30),
    });
    this.service = new ecsPatterns.ApplicationLoadBalancedFargateService(this, 'Service', {
      cluster,
      taskDefinition,
      taskSubnets: props.taskSubnets,
      publicLoadBalancer: true,
      desiredCount: props.minCount ?? 1,
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: Duration.seconds(60),
      enableExecuteCommand: false,
      ...(props.domain
        ? {
            protocol: elbv2.ApplicationProtocol.HTTPS,
            certificate: props.domain.certificate,
            redirectHTTP: true,
            sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
            ...(props.domain.zone ? { domainName: props.domain.name, domainZone: props.domain.zone } : {}),
          }
        : {}),
    });

    if (props.appDynamicsConfig) this.addAppDynamicsInit(api, props.image, props.appDynamicsConfig, logDriver);

    const tg = this.service.targetGroup;
    tg.configureHealthCheck({
      path: props.healthCheckPath ?? '/health/readiness',
      healthyHttpCodes: '200',
      interval: Duration.seconds(15),
      timeout: Duration.seconds(5),
      healthyThresholdCount: 2,
      unhealthyThresholdCount: 3,
    });
    tg.setAttribute('deregistration_delay.timeout_seconds', '30');

    const lb = this.service.loadBalancer;
    lb.setAttribute('routing.http.drop_invalid_header_fields.enabled', 'true');
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(90) }],
      removalPolicy: RemovalPolicy.DESTROY,
      autoDeleteObjects: false,
    });
    lb.logAccessLogs(this.accessLogs, 'alb');

    const scaling = this.service.service.autoScaleTaskCount({ minCapacity: props.minCount ?? 1, maxCapacity: props.maxCount ?? 2 });
    scaling.scaleOnCpuUtilization('Cpu', {
      targetUtilizationPercent: props.targetCpuPercent ?? 60,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });
    scaling.scaleOnRequestCount('Requests', {
      requestsPerTarget: props.requestsPerTarget ?? 3000,
      targetGroup: tg,
      scaleInCooldown: Duration.minutes(5),
      scaleOutCooldown: Duration.minutes(1),
    });

    this.url = props.domain ? `https://${props.domain.name}` : `http://${lb.loadBalancerDnsName}`;

    acknowledge(
      this.service.taskDefinition,
      'AwsSolutions-ECS2',
      'Only non-secret settings are plain environment variables (the runtime contract test checks every name); every secret is an ECS secret from Secrets Manager.',
    );
    acknowledge(
      taskDefinition.obtainExecutionRole(),
      'AwsSolutions-IAM5[Resource::*]',
      'ecr:GetAuthorizationToken, which pulling an image built from the repository needs, has no resource-level permissions; every other grant of the execution role names its repository, log group or secret.',
    );
    acknowledge(
      lb,
      'AwsSolutions-EC23',
      'The load balancer is the public entry of the API (SDKs and browsers connect from anywhere); only it is open to the internet, the tasks accept traffic from it alone.',
    );
    acknowledge(
      this.accessLogs,
      'AwsSolutions-S1',
      'This bucket receives the load balancer access logs; logging access to the log bucket itself would need another bucket and adds nothing for this API.',
    );
  }

  /**
   * An init container (the API image, as root) writes the secret's value to a task-local volume mounted read-only
   * into the API container; the API starts only after it succeeded.
   */
  private addAppDynamicsInit(api: ecs.ContainerDefinition, image: ecs.ContainerImage, config: secretsmanager.ISecret, logging: ecs.LogDriver): void {
    const taskDefinition = this.service.taskDefinition;
    const volume = 'appdynamics-config';
    taskDefinition.addVolume({ name: volume });
    const init = taskDefinition.addContainer('appdynamics-config', {
      image,
      essential: false,
      user: '0',
      entryPoint: ['/bin/sh', '-c'],
      command: [`umask 022 && printf '%s' "$${APPDYNAMICS_CONFIG_VARIABLE}" > ${APPDYNAMICS_CONFIG_FILE}`],
      secrets: { [APPDYNAMICS_CONFIG_VARIABLE]: ecs.Secret.fromSecretsManager(config) },
      logging,
      memoryReservationMiB: 64,
    });
    init.addMountPoints({ sourceVolume: volume, containerPath: APPDYNAMICS_CONFIG_DIR, readOnly: false });
    api.addMountPoints({ sourceVolume: volume, containerPath: APPDYNAMICS_CONFIG_DIR, readOnly: true });
    api.addContainerDependencies({ container: init, condition: ecs.ContainerDependencyCondition.SUCCESS });
  }
}
