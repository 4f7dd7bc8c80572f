// Function packaging on GCP: the dist/gcp bundle zipped at synth (TerraformAsset) into a private bucket, built by
// Cloud Functions (2nd gen) on Node from the config (default 22) with a dedicated build service account, and deployed
// as the public API function plus a private scheduler function that Cloud Scheduler calls with an OIDC token and the
// job in the body: `{"job":"scheduled-changes"}` every minute and, with LDAP configured, `{"job":"ldap-sync"}` hourly. Both run as the API's service account, reach the private database through the VPC connector and get
// the same environment as the container, secrets from Secret Manager. Migrations run at start (MIGRATE_ON_START).
import { Construct } from 'constructs';
import { AssetType, TerraformAsset, type ITerraformDependable } from 'cdktf';
import { CloudRunV2ServiceIamMember } from '@cdktf/provider-google/lib/cloud-run-v2-service-iam-member';
import { CloudSchedulerJob } from '@cdktf/provider-google/lib/cloud-scheduler-job';
import { Cloudfunctions2Function } from '@cdktf/provider-google/lib/cloudfunctions2-function';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member';
import { StorageBucketObject } from '@cdktf/provider-google/lib/storage-bucket-object';
import { assertBundle, GCP_ENTRY_POINTS } from '../tf-common/bundles';
import { LDAP_SYNC_JOB, SCHEDULED_CHANGES_JOB, type JobSpec } from '../tf-common/jobs';
import { boundedName } from '../tf-common/names';
import type { GcpContext } from './context';
import type { GcpServiceAccounts } from './identity';
import type { GcpNetwork } from './network';
import { cloudRunResources, type RunEnvironment } from './run-environment';

export const FUNCTION_REQUESTS_PER_INSTANCE = 80;

export interface GcpFunctionApiProps {
  context: GcpContext;
  network: GcpNetwork;
  accounts: GcpServiceAccounts;
  run: RunEnvironment;
  /** The dist/gcp folder (package.json, index.js). */
  bundleDir: string;
  secretGrants: ITerraformDependable[];
}

export class GcpFunctionApi extends Construct {
  readonly bucket: StorageBucket;
  readonly source: StorageBucketObject;
  readonly api: Cloudfunctions2Function;
  readonly scheduler: Cloudfunctions2Function;
  readonly schedule: CloudSchedulerJob;
  /** Only with LDAP configured. */
  readonly ldapSyncSchedule?: CloudSchedulerJob;
  readonly url: string;

  constructor(scope: Construct, id: string, props: GcpFunctionApiProps) {
    super(scope, id);
    const { env, region, labels, stem, suffix, project, apis } = props.context;
    const { accounts, run, network } = props;
    assertBundle(props.bundleDir, 'gcp');
    if (!network.connector) throw new Error('the function packaging needs the VPC connector');
    if (!accounts.build) throw new Error('the function packaging needs the build service account');

    this.bucket = new StorageBucket(this, 'sources', {
      name: `${boundedName([stem, 'sources'], { max: 56 })}-${suffix}`,
      location: region,
      uniformBucketLevelAccess: true,
      publicAccessPrevention: 'enforced',
      // Only build inputs live here; the state of the service is in Cloud SQL.
      forceDestroy: true,
      labels,
      dependsOn: apis,
    });
    const buildReads = new StorageBucketIamMember(this, 'build-reads-sources', {
      bucket: this.bucket.name,
      role: 'roles/storage.objectViewer',
      member: accounts.build.member,
    });
    const asset = new TerraformAsset(this, 'bundle', { path: props.bundleDir, type: AssetType.ARCHIVE });
    // The hash in the name makes a new bundle a new object, which triggers a new build and revision.
    this.source = new StorageBucketObject(this, 'source', { name: `flagstack-gcp-${asset.assetHash}.zip`, bucket: this.bucket.name, source: asset.path, contentType: 'application/zip' });

    const { cpu, memoryMb } = cloudRunResources(env.scaling);
    const fn = (cid: string, name: string, entryPoint: string, scaling: { min: number; max: number }, ingress: string, timeoutSeconds = 60) =>
      new Cloudfunctions2Function(this, cid, {
        name,
        location: region,
        labels,
        buildConfig: {
          runtime: `nodejs${env.nodeVersion}`,
          entryPoint,
          serviceAccount: accounts.build!.id,
          source: { storageSource: { bucket: this.bucket.name, object: this.source.name } },
        },
        serviceConfig: {
          serviceAccountEmail: accounts.api.email,
          minInstanceCount: scaling.min,
          maxInstanceCount: scaling.max,
          availableCpu: String(cpu),
          availableMemory: `${memoryMb}Mi`,
          maxInstanceRequestConcurrency: FUNCTION_REQUESTS_PER_INSTANCE,
          timeoutSeconds,
          ingressSettings: ingress,
          allTrafficOnLatestRevision: true,
          vpcConnector: network.connector!.id,
          vpcConnectorEgressSettings: 'PRIVATE_RANGES_ONLY',
          environmentVariables: run.variables,
          secretEnvironmentVariables: Object.entries(run.secrets).map(([key, secret]) => ({ key, projectId: project, secret: secret.secretId, version: 'latest' })),
        },
        dependsOn: [...apis, buildReads, ...props.secretGrants],
      });

    this.api = fn('api', boundedName([stem, 'api'], { max: 63 }), GCP_ENTRY_POINTS.api, { min: env.scaling.min, max: env.scaling.max }, 'ALLOW_ALL');
    new CloudRunV2ServiceIamMember(this, 'public', { name: this.api.name, location: region, role: 'roles/run.invoker', member: 'allUsers' });

    // Called by Cloud Scheduler only: IAM-protected (no allUsers), one instance is plenty. An LDAP sync may run for
    // as long as the container packaging's job allows (LDAP_SYNC_JOB.timeoutSeconds).
    const ldap = env.auth.ldap !== undefined;
    this.scheduler = fn(
      'scheduler',
      boundedName([stem, SCHEDULED_CHANGES_JOB.id], { max: 63 }),
      GCP_ENTRY_POINTS.scheduler,
      { min: 0, max: 1 },
      'ALLOW_ALL',
      ldap ? LDAP_SYNC_JOB.timeoutSeconds : 60,
    );
    const invoker = new CloudRunV2ServiceIamMember(this, 'scheduler-invoker', {
      name: this.scheduler.name,
      location: region,
      role: 'roles/run.invoker',
      member: accounts.scheduler.member,
    });
    const schedule = (cid: string, job: JobSpec, attemptDeadline: string) =>
      new CloudSchedulerJob(this, cid, {
        name: boundedName([stem, job.id], { max: 63 }),
        region,
        description: job.description,
        schedule: job.schedule,
        timeZone: 'Etc/UTC',
        attemptDeadline,
        httpTarget: {
          httpMethod: 'POST',
          uri: this.scheduler.url,
          // The scheduler entry runs the job its body names (api/src/runtimes/gcp.ts); Terraform wants the body base64.
          headers: { 'Content-Type': 'application/json' },
          body: Buffer.from(JSON.stringify({ job: job.id })).toString('base64'),
          oidcToken: { serviceAccountEmail: accounts.scheduler.email, audience: this.scheduler.url },
        },
        dependsOn: [invoker],
      });
    this.schedule = schedule('schedule', SCHEDULED_CHANGES_JOB, '120s');
    // Cloud Scheduler waits at most 30 minutes for an HTTP target.
    if (ldap) this.ldapSyncSchedule = schedule('ldap-sync-schedule', LDAP_SYNC_JOB, `${Math.min(LDAP_SYNC_JOB.timeoutSeconds, 1800)}s`);
    this.url = this.api.url;
  }
}
