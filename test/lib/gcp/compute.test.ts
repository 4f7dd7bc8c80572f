// The API on GCP: the Cloud Run service, the Cloud Run jobs with their Cloud Scheduler triggers, and Cloud Functions.
import { Testing } from 'cdktf';
import { parseAppDynamicsIni } from '../../../api/src/observability/appdynamics-ini';
import { CloudRunV2Service } from '@cdktf/provider-google/lib/cloud-run-v2-service';
import { FlagstackGcpStack } from '../../../lib/gcp/stack';
import { cloudRunResources } from '../../../lib/gcp/run-environment';
import { APPD, GCP, LDAP, all, bundleDir, environment, only, synthGcp } from '../tf-common/helpers';
import { scheduledJobOf } from '../../../api/src/runtimes/function-app';

const container = synthGcp(environment({ ...GCP, prod: true, scaling: { min: 1, max: 9, cpu: 2, memoryMb: 2048 }, appDynamics: APPD, auth: { ldap: LDAP }, image: { uri: 'europe-west1-docker.pkg.dev/acme/flagstack/api:1.4.0' } }));
const service = only(container.json, 'google_cloud_run_v2_service');
const api = service.template.containers[0];
const envOf = (c: { env: { name: string; value?: string; value_source?: unknown }[] }) => Object.fromEntries(c.env.map((e) => [e.name, e.value ?? e.value_source]));

describe('Cloud Run service', () => {
  test('runs the configured image on the API port as the API service account, min/max instances, public', () => {
    expect(container.text).toHaveResourceWithProperties(CloudRunV2Service, { ingress: 'INGRESS_TRAFFIC_ALL', deletion_protection: true, location: 'europe-west1' });
    expect(api).toMatchObject({ image: 'europe-west1-docker.pkg.dev/acme/flagstack/api:1.4.0', ports: { container_port: 8000 }, resources: { limits: { cpu: '2', memory: '2048Mi' } } });
    expect(service.template).toMatchObject({ service_account: expect.stringMatching(/google_service_account\.accounts_api_.*\.email/), scaling: { min_instance_count: 1, max_instance_count: 9 } });
    expect(only(container.json, 'google_cloud_run_v2_service_iam_member')).toMatchObject({ role: 'roles/run.invoker', member: 'allUsers', name: expect.stringContaining('google_cloud_run_v2_service') });
    expect([cloudRunResources({ cpu: 0.5, memoryMb: 256 }), cloudRunResources({ cpu: 3, memoryMb: 65536 })]).toEqual([{ cpu: 1, memoryMb: 512 }, { cpu: 4, memoryMb: 16384 }]);
  });

  test('reaches the private database through Direct VPC egress for private ranges only', () => {
    expect(service.template.vpc_access).toEqual({
      network_interfaces: [{ network: expect.stringContaining('google_compute_network'), subnetwork: expect.stringContaining('google_compute_subnetwork') }],
      egress: 'PRIVATE_RANGES_ONLY',
    });
  });

  test('a startup probe on readiness (the database; migrations at start) and a liveness probe', () => {
    expect(api.startup_probe).toEqual({ http_get: { path: '/health/readiness', port: 8000 }, period_seconds: 10, timeout_seconds: 5, failure_threshold: 24 });
    expect(api.liveness_probe).toEqual({ http_get: { path: '/health/liveness', port: 8000 }, period_seconds: 15, timeout_seconds: 5, failure_threshold: 3 });
  });

  test('secrets as Secret Manager references the API account may read, and PORT left to Cloud Run', () => {
    const env = envOf(api);
    for (const name of ['DJANGO_DB_PASSWORD', 'FLAGSTACK_ENCRYPTION_KEY', 'LDAP_AUTH_CONNECTION_PASSWORD', 'LDAP_SYNC_USER_PASSWORD']) {
      expect(env[name]).toEqual({ secret_key_ref: { secret: expect.any(String), version: 'latest' } });
    }
    expect(env.LDAP_SYNC_USER_PASSWORD).toEqual({ secret_key_ref: { secret: 'ldap-sync-password', version: 'latest' } });
    expect(env.PORT).toBeUndefined();
    expect(env.DJANGO_DB_HOST).toMatch(/google_sql_database_instance\..*\.private_ip_address/);
    const readers = all(container.json, 'google_secret_manager_secret_iam_member');
    expect(readers).toHaveLength(5);
    for (const r of readers) expect(r).toMatchObject({ role: 'roles/secretmanager.secretAccessor', member: expect.stringMatching(/google_service_account\.accounts_api_.*\.member/) });
    // The first revision must find its grants in place.
    expect(service.depends_on).toEqual(expect.arrayContaining(Object.keys(container.json.resource!.google_secret_manager_secret_iam_member).map((k) => `google_secret_manager_secret_iam_member.${k}`)));
  });

  test('AppDynamics: the rendered file as a secret volume, its path in APPDYNAMICS_CONFIG_PATH, the access key read from Secret Manager', () => {
    expect(service.template.volumes).toEqual([
      { name: 'appdynamics', secret: { secret: expect.stringContaining('google_secret_manager_secret'), default_mode: 292, items: [{ path: 'appdynamics.cfg', version: 'latest' }] } },
    ]);
    expect(api.volume_mounts).toEqual([{ name: 'appdynamics', mount_path: '/etc/appdynamics' }]);
    expect(envOf(api)).toMatchObject({ APP_DYNAMICS: 'on', APPDYNAMICS_CONFIG_PATH: '/etc/appdynamics/appdynamics.cfg' });
    const cfg = all(container.json, 'google_secret_manager_secret_version').find((v) => String(v.secret_data).includes('[agent]'))!;
    expect(cfg.secret_data).toContain('[controller]\nhost = acme.saas.appdynamics.com\nport = 443\nssl = on\naccount = acme\n');
    expect(cfg.secret_data).toMatch(/accesskey = \$\{data\.google_secret_manager_secret_version\..*\.secret_data\}/);
    expect(parseAppDynamicsIni(String(cfg.secret_data).replace(/\$\{[^}]+\}/, 'key-123')).settings).toMatchObject({ controllerHostName: 'acme.saas.appdynamics.com', accountAccessKey: 'key-123' });
    expect(Object.values(container.json.data!.google_secret_manager_secret_version)).toEqual([{ secret: 'appd-access-key' }]);
  });
});

describe('Cloud Run jobs and Cloud Scheduler', () => {
  const jobs: Record<string, any> = Object.fromEntries(all(container.json, 'google_cloud_run_v2_job').map((j) => [j.labels['flagstack-job'], j]));
  const schedules = all(container.json, 'google_cloud_scheduler_job');

  test('migrations, scheduled changes and LDAP sync run the API image, environment and account', () => {
    expect(Object.keys(jobs).sort()).toEqual(['ldap-sync', 'migrate', 'scheduled-changes']);
    for (const job of Object.values(jobs)) {
      const c = job.template.template.containers[0];
      expect(c.image).toBe(api.image);
      expect(c.env).toEqual(api.env);
      expect(c.volume_mounts).toEqual(api.volume_mounts);
      expect(job.template.template.service_account).toBe(service.template.service_account);
      expect(job.template.template.vpc_access).toEqual(service.template.vpc_access);
    }
    expect(jobs.migrate.template.template.containers[0]).toMatchObject({ command: ['node', 'dist/server/cli.js'], args: ['migrate'] });
    expect(jobs['scheduled-changes'].template.template.containers[0]).toMatchObject({ command: ['node', 'dist/server/cli.js'], args: ['run-scheduler', '--once'] });
    expect(jobs['ldap-sync'].template.template).toMatchObject({ timeout: '1800s', max_retries: 1 });
  });

  test('Cloud Scheduler runs the periodic ones through the Run Admin API as the scheduler account, which may run exactly those', () => {
    expect(schedules.map((s) => [s.schedule, s.time_zone]).sort()).toEqual([
      ['* * * * *', 'Etc/UTC'],
      ['17 * * * *', 'Etc/UTC'],
    ]);
    for (const s of schedules) {
      expect(s.http_target).toMatchObject({
        http_method: 'POST',
        uri: expect.stringMatching(/^https:\/\/run\.googleapis\.com\/v2\/projects\/\$\{data\.google_client_config\.client\.project\}\/locations\/europe-west1\/jobs\/\$\{google_cloud_run_v2_job\..*\.name\}:run$/),
        oauth_token: { service_account_email: expect.stringMatching(/google_service_account\.accounts_scheduler_.*\.email/), scope: 'https://www.googleapis.com/auth/cloud-platform' },
      });
    }
    const invokers = all(container.json, 'google_cloud_run_v2_job_iam_member');
    expect(invokers.map((i) => [i.role, i.member])).toEqual([
      ['roles/run.invoker', expect.stringContaining('accounts_scheduler')],
      ['roles/run.invoker', expect.stringContaining('accounts_scheduler')],
    ]);
    expect(invokers.some((i) => String(i.name).includes('jobs_migrate'))).toBe(false);
  });
});

describe('Cloud Functions', () => {
  const fn = synthGcp(environment({ ...GCP, packaging: 'function', scaling: { min: 1, max: 30 }, database: { engine: 'sqlserver' }, appDynamics: { ...APPD, agentPath: '/workspace/appdynamics' } }));
  const functions: Record<string, any> = Object.fromEntries(all(fn.json, 'google_cloudfunctions2_function').map((f) => [f.build_config.entry_point, f]));

  test('the API and the scheduled-changes pass from the zipped bundle in a private bucket, built by the build account', () => {
    expect(Object.keys(functions).sort()).toEqual(['flagstack', 'scheduler']);
    const object = only(fn.json, 'google_storage_bucket_object');
    expect(object.name).toMatch(/^flagstack-gcp-[0-9A-F]{32}\.zip$/);
    expect(object.source).toMatch(/^assets\/api_bundle_[0-9A-F]+\/[0-9A-F]{32}\/archive\.zip$/);
    expect(only(fn.json, 'google_storage_bucket')).toMatchObject({ uniform_bucket_level_access: true, public_access_prevention: 'enforced' });
    expect(only(fn.json, 'google_storage_bucket_iam_member')).toMatchObject({ role: 'roles/storage.objectViewer', member: expect.stringContaining('accounts_build') });
    for (const f of Object.values(functions)) {
      expect(f.build_config).toMatchObject({ runtime: 'nodejs22', service_account: expect.stringMatching(/accounts_build_.*\.id/), source: { storage_source: { object: expect.stringContaining('google_storage_bucket_object') } } });
      expect(f.service_config).toMatchObject({ service_account_email: expect.stringContaining('accounts_api'), vpc_connector: expect.stringContaining('google_vpc_access_connector'), vpc_connector_egress_settings: 'PRIVATE_RANGES_ONLY' });
    }
    expect(functions.flagstack.service_config).toMatchObject({ min_instance_count: 1, max_instance_count: 30, ingress_settings: 'ALLOW_ALL' });
    expect(functions.scheduler.service_config).toMatchObject({ min_instance_count: 0, max_instance_count: 1 });
  });

  test('the API environment: variables, Secret Manager secrets, AppDynamics as variables', () => {
    const config = functions.flagstack.service_config;
    expect(config.environment_variables).toMatchObject({ DJANGO_DB_ENGINE: 'sql_server', DJANGO_DB_PORT: '1433', WEB_CONCURRENCY: '1', APP_DYNAMICS: 'on', APPDYNAMICS_AGENT_PATH: '/workspace/appdynamics' });
    expect(config.environment_variables.PORT).toBeUndefined();
    expect(config.secret_environment_variables.map((s: { key: string }) => s.key).sort()).toEqual(['APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY', 'DJANGO_DB_PASSWORD', 'FLAGSTACK_ENCRYPTION_KEY']);
    for (const s of config.secret_environment_variables) expect(s).toMatchObject({ project_id: '${data.google_client_config.client.project}', version: 'latest' });
    expect(functions.scheduler.service_config.environment_variables).toEqual(config.environment_variables);
  });

  test('anyone may call the API; only the scheduler account may call the scheduled-changes function, every minute with OIDC', () => {
    const members = all(fn.json, 'google_cloud_run_v2_service_iam_member').map((m) => [m.member.includes('allUsers') ? 'allUsers' : 'scheduler', m.name.includes('api_scheduler') ? 'scheduler-fn' : 'api-fn']);
    expect(members.sort()).toEqual([
      ['allUsers', 'api-fn'],
      ['scheduler', 'scheduler-fn'],
    ]);
    const schedule = only(fn.json, 'google_cloud_scheduler_job');
    expect(schedule).toMatchObject({
      schedule: '* * * * *',
      http_target: {
        http_method: 'POST',
        uri: expect.stringContaining('api_scheduler'),
        headers: { 'Content-Type': 'application/json' },
        oidc_token: { service_account_email: expect.stringContaining('accounts_scheduler'), audience: expect.stringContaining('api_scheduler') },
      },
    });
    // The body names the job the scheduler entry runs (api/src/runtimes/gcp.ts).
    expect(scheduledJobOf(Buffer.from(schedule.http_target.body, 'base64'))).toEqual({ job: 'scheduled-changes', dryRun: false });
    expect(functions.scheduler.service_config.timeout_seconds).toBe(60);
    expect(all(fn.json, 'google_cloud_run_v2_service')).toEqual([]);
  });

  test('with LDAP, Cloud Scheduler also posts {"job":"ldap-sync"} to the scheduler function hourly', () => {
    const ldap = synthGcp(environment({ ...GCP, packaging: 'function', auth: { ldap: LDAP } }));
    const byId = Object.fromEntries(
      all(ldap.json, 'google_cloud_scheduler_job').map((j) => [scheduledJobOf(Buffer.from(j.http_target.body, 'base64')), j] as const).map(([r, j]) => [(r as { job: string }).job, j]),
    );
    expect(Object.keys(byId).sort()).toEqual(['ldap-sync', 'scheduled-changes']);
    expect(byId['ldap-sync']).toMatchObject({ schedule: '17 * * * *', attempt_deadline: '1800s', http_target: { uri: expect.stringContaining('api_scheduler') } });
    const scheduler = all(ldap.json, 'google_cloudfunctions2_function').find((f) => f.build_config.entry_point === 'scheduler');
    expect(scheduler?.service_config.timeout_seconds).toBe(1800);
  });

  test('refuses to synthesize from an incomplete bundle', () => {
    const env = environment({ ...GCP, packaging: 'function' });
    expect(() => new FlagstackGcpStack(Testing.app(), 's', { env, functionBundleDir: `${bundleDir('gcp')}-missing` })).toThrow('is missing package.json, index.js');
  });
});
