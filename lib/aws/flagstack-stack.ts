// One AWS environment of the deployment config as one stack: network, database, secrets, the API as a container or a
// function, the migration job that runs before traffic shifts, scheduled jobs, WAF, custom domain, alarms and a
// dashboard. The API's environment comes from lib/common's apiEnvironment, so the stack emits exactly the variables
// api/src/config.ts reads: plain values in the task definition or function, secrets through Secrets Manager.
import { CfnOutput, Duration, RemovalPolicy, SecretValue, Stack, Tags, type StackProps } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { ApiEnvironment } from '../common/api-environment';
import { renderAppDynamicsCfg } from '../common/appdynamics';
import type { EnvironmentConfig } from '../config';
import { ApiContainer, apiContainerImage } from './api-container';
import { ApiFunction } from './api-function';
import { ApiLambda } from './api-lambda';
import { ApiSecrets, type SecretReference } from './api-secrets';
import { FlagstackDatabase } from './database';
import { awsApiEnvironment, jobEnvironment } from './environment';
import { ApiFirewall } from './firewall';
import { MigrationJob } from './migration';
import { FlagstackMonitoring } from './monitoring';
import { acknowledge, managedPolicyFinding, REASONS } from './nag';
import { FlagstackNetwork } from './network';
import { ScheduledJobs } from './scheduled-jobs';

export interface FlagstackStackProps extends StackProps {
  /** The environment, resolved and validated by lib/config. */
  readonly environment: EnvironmentConfig;
  /**
   * Differs on every deploy so the migration job runs each time (CloudFormation skips an unchanged custom resource).
   * @default - the time of synthesis
   */
  readonly deployId?: string;
  /** Overrides the API image (e.g. a prebuilt image in tests). @default - environment.image.uri, else the root Dockerfile */
  readonly containerImage?: ecs.ContainerImage;
  /** Complete the Lambda bundles with the runtime build (scripts/build.ts). @default true */
  readonly runtimeBuild?: boolean;
  /** @default - found from this module */
  readonly projectRoot?: string;
}

/** The stack name of an environment: `<project>-<name>`. */
export function stackName(environment: Pick<EnvironmentConfig, 'project' | 'name'>): string {
  return `${environment.project}-${environment.name}`;
}

export class FlagstackStack extends Stack {
  /** The environment of the deployment config this stack deploys. */
  readonly config: EnvironmentConfig;
  readonly network: FlagstackNetwork;
  readonly database: FlagstackDatabase;
  readonly secrets: ApiSecrets;
  /** The API's environment (lib/common's apiEnvironment with the AWS additions of awsApiEnvironment). */
  readonly apiEnvironment: ApiEnvironment;
  /** The environment of the migration and scheduler functions. */
  readonly jobEnvironment: ApiEnvironment;
  readonly container?: ApiContainer;
  readonly function?: ApiFunction;
  readonly migrateFunction: ApiLambda;
  readonly schedulerFunction: ApiLambda;
  readonly migration: MigrationJob;
  readonly jobs: ScheduledJobs;
  readonly monitoring: FlagstackMonitoring;
  readonly firewall?: ApiFirewall;
  readonly appDynamicsConfig?: secretsmanager.Secret;

  constructor(scope: Construct, id: string, props: FlagstackStackProps) {
    const env = props.environment;
    super(scope, id, {
      description: `flagstack ${env.name}: feature-flag API (${env.packaging}, ${env.database.aurora ? 'aurora-postgres' : env.database.engine})`,
      // The region from the config; the account is the one the CLI's credentials belong to (no synth-time lookups).
      env: { region: env.region },
      terminationProtection: env.prod,
      ...props,
    });
    this.config = env;
    const prod = env.prod;
    const logRetention = (env.monitoring?.logRetentionDays ?? (prod ? 365 : 30)) as logs.RetentionDays;
    const logRemovalPolicy = prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    for (const [key, value] of Object.entries(env.tags)) Tags.of(this).add(key, value);
    Tags.of(this).add('flagstack:environment', env.name);

    // Network and database.
    const net = env.network;
    this.network = new FlagstackNetwork(this, 'Network', {
      existing: net?.vpcId
        ? { vpcId: net.vpcId, availabilityZones: net.availabilityZones ?? [], privateSubnetIds: net.privateSubnetIds ?? [], publicSubnetIds: net.publicSubnetIds }
        : undefined,
      cidr: net?.cidr,
      natGateways: prod ? 2 : 1,
      flowLogRetention: logRetention,
      logRemovalPolicy,
    });
    const { vpc, applicationSubnets } = this.network;
    const function_ = env.packaging === 'function';
    this.database = new FlagstackDatabase(this, 'Database', {
      vpc,
      subnets: this.network.databaseSubnets,
      rotationSubnets: applicationSubnets,
      engine: env.database.engine,
      aurora: env.database.aurora,
      size: env.database.size,
      storageGb: env.database.storageGb,
      highAvailability: env.database.highAvailability,
      backupRetentionDays: env.database.backupRetentionDays,
      deletionProtection: env.database.deletionProtection,
      snapshotOnDelete: env.database.snapshotOnDelete,
      logRetention,
      // Functions open a connection per instance: the proxy pools them (RDS Proxy has no Oracle support).
      proxy: function_ && env.database.engine !== 'oracle',
    });

    // The API's environment and secrets.
    this.secrets = new ApiSecrets(this, 'Secrets', {
      databaseSecret: this.database.secret,
      adminPassword: Boolean(env.auth.adminEmail),
      // The key must outlive the stack whenever the data does (a final snapshot), or that data cannot be decrypted.
      removalPolicy: env.database.snapshotOnDelete || prod ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    const db = this.database;
    const base = awsApiEnvironment(env, { host: db.connectionPoint.host, port: db.connectionPoint.port, name: db.databaseName, user: db.username });
    this.apiEnvironment = base;
    this.jobEnvironment = jobEnvironment(env, base);
    const refs = (secrets: ApiEnvironment['secrets']) =>
      Object.fromEntries(Object.entries(secrets).map(([name, source]): [string, SecretReference] => [name, this.secrets.resolve(source)]));
    const secretRefs = refs(base.secrets);

    // Jobs: the migrate and scheduler exports of the Lambda entry, in the VPC next to the API.
    const jobsSecurityGroup = new ec2.SecurityGroup(this, 'JobsSecurityGroup', { vpc, description: 'flagstack jobs (migration, scheduler)', allowAllOutbound: true });
    db.allowFrom(jobsSecurityGroup, 'flagstack jobs');
    const layers = env.appDynamics?.enabled && env.appDynamics.agentLayerArn ? [lambda.LayerVersion.fromLayerVersionArn(this, 'AppDynamicsLayer', env.appDynamics.agentLayerArn)] : undefined;
    const lambdaCommon = {
      vpc,
      subnets: applicationSubnets,
      securityGroup: jobsSecurityGroup,
      variables: this.jobEnvironment.variables,
      secrets: refs(this.jobEnvironment.secrets),
      nodeVersion: env.nodeVersion,
      logRetention,
      logRemovalPolicy,
      runtimeBuild: props.runtimeBuild,
      projectRoot: props.projectRoot,
      layers: function_ ? layers : undefined,
    };
    this.migrateFunction = new ApiLambda(this, 'Migrate', {
      ...lambdaCommon,
      handler: 'migrate',
      memorySize: 512,
      timeout: Duration.minutes(15),
      description: 'flagstack: database migrations (run by the deploy)',
    });
    this.schedulerFunction = new ApiLambda(this, 'Scheduler', {
      ...lambdaCommon,
      handler: 'scheduler',
      memorySize: 512,
      timeout: Duration.seconds(55),
      description: 'flagstack: scheduled jobs (scheduled flag changes, LDAP sync)',
    });
    this.migration = new MigrationJob(this, 'Migration', {
      migrateFunction: this.migrateFunction.function,
      deployId: props.deployId ?? new Date().toISOString(),
      logRetention,
      logRemovalPolicy,
    });
    this.jobs = new ScheduledJobs(this, 'Jobs', {
      schedulerFunction: this.schedulerFunction.function,
      ldapSyncEvery: env.auth.ldap ? Duration.hours(1) : undefined,
    });
    // Jobs touch tables the migration creates.
    this.jobs.node.addDependency(this.migration.resource);

    // Custom domain.
    const domain = this.domain(env);

    // The API.
    this.monitoring = new FlagstackMonitoring(this, 'Monitoring', { alarmEmail: env.monitoring?.alarmEmail });
    let url: string;
    let dnsTarget: string | undefined;
    if (function_) {
      const scaling = env.scaling;
      this.function = new ApiFunction(this, 'Api', {
        ...lambdaCommon,
        variables: base.variables,
        secrets: secretRefs,
        securityGroup: new ec2.SecurityGroup(this, 'ApiSecurityGroup', { vpc, description: 'flagstack API function', allowAllOutbound: true }),
        memorySize: scaling.memoryMb,
        maxConcurrency: scaling.max,
        provisionedConcurrency: scaling.provisionedConcurrency ?? scaling.min,
        domain,
      });
      db.allowFrom(this.function.lambda.function, 'flagstack API');
      // Traffic reaches new code when the function (and its alias) is updated: only after the migration.
      for (const updated of [this.function.lambda.function, this.function.alias]) updated.node.addDependency(this.migration.resource);
      this.monitoring.addFunction(this.function);
      url = this.function.url;
      if (domain && !domain.zone) dnsTarget = this.function.domainTarget;
    } else {
      const appd = env.appDynamics;
      if (appd?.enabled && appd.accessKeySecret) {
        // appdynamics.cfg as a secret; the access key inside is a dynamic reference CloudFormation resolves at deploy
        // time, so the template holds only the reference. After rotating the access key, redeploy.
        const accessKey = SecretValue.secretsManager(appd.accessKeySecret).unsafeUnwrap();
        this.appDynamicsConfig = new secretsmanager.Secret(this, 'AppDynamicsConfig', {
          description: 'flagstack appdynamics.cfg (written to the API container by its init container)',
          secretStringValue: SecretValue.unsafePlainText(renderAppDynamicsCfg(appd, accessKey)),
        });
        acknowledge(
          this.appDynamicsConfig,
          'AwsSolutions-SMG4',
          'The file is rendered from the deployment config and the AppDynamics access key secret (a dynamic reference); rotate the access key secret and redeploy, there is nothing to rotate here.',
        );
      }
      this.container = new ApiContainer(this, 'Api', {
        vpc,
        taskSubnets: applicationSubnets,
        image: props.containerImage ?? apiContainerImage({ uri: env.image?.uri, appDynamics: appd?.enabled }),
        variables: base.variables,
        secrets: secretRefs,
        cpu: env.scaling.cpu,
        memoryMiB: env.scaling.memoryMb,
        minCount: Math.max(1, env.scaling.min),
        maxCount: Math.max(1, env.scaling.max),
        domain,
        appDynamicsConfig: this.appDynamicsConfig,
        logRetention,
        logRemovalPolicy,
      });
      db.allowFrom(this.container.service.service, 'flagstack API');
      // The service moves traffic to new tasks when it is updated: only after the migration.
      this.container.service.service.node.addDependency(this.migration.resource);
      this.monitoring.addContainer(this.container);
      url = this.container.url;
      if (domain && !domain.zone) dnsTarget = this.container.service.loadBalancer.loadBalancerDnsName;
      if (env.waf) this.firewall = new ApiFirewall(this, 'Firewall', { resourceArn: this.container.service.loadBalancer.loadBalancerArn });
    }
    this.monitoring.addDatabase(db);
    this.monitoring.addJob('Migration', this.migrateFunction.function);
    this.monitoring.addJob('Scheduler', this.schedulerFunction.function);

    this.acknowledgeCdkInternals();

    new CfnOutput(this, 'ApiUrl', { value: url, description: 'Base URL of the API' });
    if (dnsTarget) new CfnOutput(this, 'DnsTarget', { value: dnsTarget, description: `Point ${env.domain?.name} here (CNAME or alias); no hosted zone id was configured` });
    if (this.secrets.adminPassword) {
      new CfnOutput(this, 'AdminPasswordSecret', { value: this.secrets.adminPassword.secretArn, description: `Initial password of ${env.auth.adminEmail} (read it in Secrets Manager)` });
    }
    new CfnOutput(this, 'DatabaseSecret', { value: db.secret.secretArn, description: 'Database credentials (rotated)' });
    new CfnOutput(this, 'AlarmTopic', { value: this.monitoring.topic.topicArn, description: 'SNS topic of the alarms' });
  }

  private domain(env: EnvironmentConfig): { name: string; certificate: acm.ICertificate; zone?: route53.IHostedZone } | undefined {
    const d = env.domain;
    if (!d) return undefined;
    const zone = d.hostedZoneId
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', { hostedZoneId: d.hostedZoneId, zoneName: d.hostedZone ?? d.name.split('.').slice(1).join('.') })
      : undefined;
    const certificate = d.certificateArn
      ? acm.Certificate.fromCertificateArn(this, 'Certificate', d.certificateArn)
      : new acm.Certificate(this, 'Certificate', {
          domainName: d.name,
          // Without a zone id, CloudFormation waits until the validation record shown in the console exists.
          validation: acm.CertificateValidation.fromDns(zone),
        });
    return { name: d.name, certificate, zone };
  }

  /** Findings on functions aws-cdk-lib creates for itself (log retention, default security group restriction). */
  private acknowledgeCdkInternals(): void {
    for (const child of this.node.children) {
      const id = child.node.id;
      if (id.startsWith('LogRetention')) {
        // Sets the retention of the database's exported log groups, which RDS creates itself.
        acknowledge(child, managedPolicyFinding('AWSLambdaBasicExecutionRole'), REASONS.cdkSingletonFunction);
        acknowledge(child, 'AwsSolutions-IAM5[Resource::*]', `${REASONS.cdkSingletonFunction} It sets the retention of log groups RDS names at run time, so its policy cannot name them.`);
        acknowledge(child, 'AwsSolutions-L1', REASONS.cdkSingletonFunction);
      }
    }
  }
}
