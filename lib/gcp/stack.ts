// One GCP environment of the deployment config as one CDKTF stack: the APIs it needs, a VPC with private service
// access, dedicated service accounts, Secret Manager, Cloud SQL, and the API as Cloud Run (+ jobs and schedules) or as
// Cloud Functions (+ the scheduled-changes schedule).
import { Construct } from 'constructs';
import { Annotations, TerraformOutput, TerraformStack } from 'cdktf';
import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { RandomProvider } from '@cdktf/provider-random/lib/provider';
import { StringResource } from '@cdktf/provider-random/lib/string-resource';
import type { EnvironmentConfig } from '../config';
import { configureStateBackend } from '../tf-common/backend';
import { GeneratedSecrets } from '../tf-common/generated-secrets';
import { jobsFor } from '../tf-common/jobs';
import { gcpLabels, stem as stemOf } from '../tf-common/names';
import { containerImage } from '../tf-common/runtime';
import { GcpCloudRunApi } from './api-container';
import { GcpFunctionApi } from './api-function';
import type { GcpContext } from './context';
import { GcpDatabase } from './database';
import { GcpServiceAccounts } from './identity';
import { GcpCloudRunJobs } from './jobs';
import { GcpNetwork } from './network';
import { runEnvironment } from './run-environment';
import { GcpSecretStore } from './secrets';
import { GcpProjectServices } from './services';

export interface FlagstackGcpStackProps {
  env: EnvironmentConfig;
  /** dist/gcp, for the function packaging. */
  functionBundleDir?: string;
}

export class FlagstackGcpStack extends TerraformStack {
  readonly context: GcpContext;
  readonly network: GcpNetwork;
  readonly accounts: GcpServiceAccounts;
  readonly secrets: GcpSecretStore;
  readonly database: GcpDatabase;
  readonly containerApi?: GcpCloudRunApi;
  readonly jobs?: GcpCloudRunJobs;
  readonly functionApi?: GcpFunctionApi;

  constructor(scope: Construct, id: string, props: FlagstackGcpStackProps) {
    super(scope, id);
    const { env } = props;
    if (env.cloud !== 'gcp') throw new Error(`${env.name} is for ${env.cloud}, not gcp`);
    configureStateBackend(this, env);
    if (env.domain) {
      Annotations.of(this).addWarning(
        `${env.name}: domain ${env.domain.name} is not wired by the ${env.cloud} kit yet; map it to the api_url output by hand (see docs/${env.cloud}.md)`,
      );
    }
    const labels = gcpLabels(env);
    // The project comes from GOOGLE_PROJECT (or GOOGLE_CLOUD_PROJECT) at plan time, never from the config.
    new GoogleProvider(this, 'google', { region: env.region });
    new RandomProvider(this, 'random');
    const client = new DataGoogleClientConfig(this, 'client');
    const services = new GcpProjectServices(this, 'apis', { packaging: env.packaging });
    const suffix = new StringResource(this, 'suffix', { length: 6, upper: false, special: false, numeric: true, lower: true });
    this.context = { env, region: env.region, project: client.project, labels, stem: stemOf(env), suffix: suffix.result, apis: services.services };

    this.network = new GcpNetwork(this, 'network', { context: this.context });
    this.accounts = new GcpServiceAccounts(this, 'accounts', { context: this.context });
    const generated = new GeneratedSecrets(this, 'generated');
    this.secrets = new GcpSecretStore(this, 'secrets', { context: this.context, generated });
    this.database = new GcpDatabase(this, 'database', { context: this.context, network: this.network, password: generated.databasePassword.result });
    const run = runEnvironment(env, this.database.endpoint, this.secrets, this.accounts.api.member);

    if (env.packaging === 'container') {
      const image = containerImage(env);
      this.containerApi = new GcpCloudRunApi(this, 'api', {
        context: this.context,
        network: this.network,
        serviceAccountEmail: this.accounts.api.email,
        image,
        run,
        secretGrants: this.secrets.grantResources,
      });
      this.jobs = new GcpCloudRunJobs(this, 'jobs', {
        context: this.context,
        network: this.network,
        serviceAccountEmail: this.accounts.api.email,
        schedulerServiceAccountEmail: this.accounts.scheduler.email,
        image,
        run,
        jobs: jobsFor(env),
        secretGrants: this.secrets.grantResources,
      });
      new TerraformOutput(this, 'api_url', { value: this.containerApi.url, description: 'Base URL of the flagstack API' });
      new TerraformOutput(this, 'job_names', {
        value: Object.fromEntries([...this.jobs.jobs].map(([id, job]) => [id, job.name])),
        description: 'Cloud Run jobs (run one with `gcloud run jobs execute <name> --region <region>`)',
      });
    } else {
      if (!props.functionBundleDir) throw new Error(`${env.name}: the function packaging needs the dist/gcp bundle (functionBundleDir)`);
      this.functionApi = new GcpFunctionApi(this, 'api', {
        context: this.context,
        network: this.network,
        accounts: this.accounts,
        run,
        bundleDir: props.functionBundleDir,
        secretGrants: this.secrets.grantResources,
      });
      new TerraformOutput(this, 'api_url', { value: this.functionApi.url, description: 'Base URL of the flagstack API' });
    }
    new TerraformOutput(this, 'database_instance', { value: this.database.instance.connectionName, description: 'Cloud SQL instance (private IP only)' });
    new TerraformOutput(this, 'service_account', { value: this.accounts.api.email, description: 'The API service account' });
    new TerraformOutput(this, 'hand_made_secrets', {
      value: [...run.environment.sources.values()].flatMap((s) => (s.kind === 'reference' ? [s.secretName] : [])).concat(
        env.packaging === 'container' && env.appDynamics?.enabled ? [env.appDynamics.accessKeySecret!] : [],
      ),
      description: 'Secret Manager secrets to create before the first deploy: `gcloud secrets create <name> --data-file=-`',
    });
  }
}
