// The API on Azure: the Container App (and its environment), the Container Apps jobs, and the Function App.
import { Testing } from 'cdktf';
import { parseAppDynamicsIni } from '../../../api/src/observability/appdynamics-ini';
import { ContainerApp } from '@cdktf/provider-azurerm/lib/container-app';
import { LinuxFunctionApp } from '@cdktf/provider-azurerm/lib/linux-function-app';
import { containerAppsResources, registryFor } from '../../../lib/azure/api-container';
import { elasticPremiumSku, keyVaultReference } from '../../../lib/azure/api-function';
import { containerSecretName } from '../../../lib/azure/app-environment';
import { FlagstackAzureStack } from '../../../lib/azure/stack';
import { APPD, AZURE, LDAP, all, bundleDir, environment, only, synthAzure, warningsOf } from '../tf-common/helpers';

const container = synthAzure(environment({ ...AZURE, prod: true, scaling: { min: 2, max: 7, cpu: 1 }, appDynamics: APPD, auth: { ldap: LDAP }, image: { uri: 'acme.azurecr.io/flagstack:1.4.0' } }));
const app = only(container.json, 'azurerm_container_app');
const api = app.template.container[0];

describe('Container App', () => {
  test('runs the configured image with external HTTPS ingress on the API port, as the managed identity', () => {
    expect(container.text).toHaveResourceWithProperties(ContainerApp, { revision_mode: 'Single', workload_profile_name: 'Consumption' });
    expect(api.image).toBe('acme.azurecr.io/flagstack:1.4.0');
    expect(app.ingress).toEqual({ external_enabled: true, target_port: 8000, transport: 'auto', allow_insecure_connections: false, traffic_weight: [{ latest_revision: true, percentage: 100 }] });
    expect(app.identity).toEqual({ type: 'UserAssigned', identity_ids: [expect.stringMatching(/azurerm_user_assigned_identity\..*\.id/)] });
    // A private registry on ACR is pulled with the same identity.
    expect(app.registry).toEqual([{ server: 'acme.azurecr.io', identity: app.identity.identity_ids[0] }]);
    expect(registryFor('docker.io/flagstack/flagstack:1', 'id')).toBeUndefined();
    expect(warningsOf(container.stack).some((w) => w.includes('image.uri is not set'))).toBe(false);
  });

  test('scales between the configured replicas on HTTP concurrency, with resources Container Apps accepts', () => {
    expect(app.template).toMatchObject({ min_replicas: 2, max_replicas: 7, http_scale_rule: [{ name: 'http-concurrency', concurrent_requests: '50' }] });
    expect(api).toMatchObject({ cpu: 1, memory: '2Gi' });
    expect([containerAppsResources({ cpu: 0.1 }), containerAppsResources({ cpu: 0.6 }), containerAppsResources({ cpu: 9 })]).toEqual([
      { cpu: 0.25, memory: '0.5Gi' },
      { cpu: 0.75, memory: '1.5Gi' },
      { cpu: 4, memory: '8Gi' },
    ]);
  });

  test('probes the health endpoints, with startup time for migrations', () => {
    expect(api.startup_probe).toEqual([{ transport: 'HTTP', port: 8000, path: '/health/liveness', interval_seconds: 10, timeout: 5, failure_count_threshold: 24 }]);
    expect(api.liveness_probe).toEqual([{ transport: 'HTTP', port: 8000, path: '/health/liveness', interval_seconds: 10, timeout: 5, failure_count_threshold: 3 }]);
    expect(api.readiness_probe).toEqual([{ transport: 'HTTP', port: 8000, path: '/health/readiness', interval_seconds: 10, timeout: 5, failure_count_threshold: 3, success_count_threshold: 1 }]);
  });

  test('takes every secret as a Key Vault reference read with the identity', () => {
    expect(app.secret.map((s: { name: string }) => s.name).sort()).toEqual(['appdynamics-cfg', 'db-password', 'encryption-key', 'ref-ldap-search-password', 'ref-ldap-sync-password']);
    for (const s of app.secret) {
      expect(s).toEqual({ name: s.name, identity: app.identity.identity_ids[0], key_vault_secret_id: expect.stringMatching(/^\$\{azurerm_key_vault_secret\..*\.versionless_id\}$/) });
    }
    const fromSecrets = Object.fromEntries(api.env.filter((e: { secret_name?: string }) => e.secret_name).map((e: { name: string; secret_name: string }) => [e.name, e.secret_name]));
    expect(fromSecrets).toEqual({
      DJANGO_DB_PASSWORD: 'db-password',
      FLAGSTACK_ENCRYPTION_KEY: 'encryption-key',
      LDAP_AUTH_CONNECTION_PASSWORD: 'ref-ldap-search-password',
      LDAP_SYNC_USER_PASSWORD: 'ref-ldap-sync-password',
    });
    expect(containerSecretName('ref:Team-Secret_1')).toBe('ref-team-secret-1');
  });

  test('mounts appdynamics.cfg from a secret volume at /etc/appdynamics.cfg, rendered with the vault reference to the access key', () => {
    expect(app.template.volume).toEqual([{ name: 'appdynamics', storage_type: 'Secret' }]);
    expect(api.volume_mounts).toEqual([{ name: 'appdynamics', path: '/etc/appdynamics.cfg', sub_path: 'appdynamics-cfg' }]);
    expect(api.env).toContainEqual({ name: 'APP_DYNAMICS', value: 'on' });
    const secrets = all(container.json, 'azurerm_key_vault_secret');
    const cfg = secrets.find((s) => s.name === 'appdynamics-cfg')!;
    const accessKey = Object.entries(container.json.resource!.azurerm_key_vault_secret).find(([, s]) => s.name === 'appd-access-key')!;
    expect(accessKey[1].lifecycle).toEqual({ ignore_changes: ['value', 'content_type'] });
    expect(cfg.value).toContain('[agent]\napp = flagstack\ntier = api\n');
    expect(cfg.value).toContain('[controller]\nhost = acme.saas.appdynamics.com\nport = 443\nssl = on\naccount = acme\n');
    expect(cfg.value).toContain(`accesskey = \${azurerm_key_vault_secret.${accessKey[0]}.value}`);
    // Once Terraform fills in the key, the API's own parser reads the file back to the configured settings.
    const parsed = parseAppDynamicsIni(cfg.value.replace(/\$\{[^}]+\}/, 'key-123'));
    expect(parsed).toEqual({
      settings: { applicationName: 'flagstack', tierName: 'api', controllerHostName: 'acme.saas.appdynamics.com', controllerPort: 443, controllerSslEnabled: true, accountName: 'acme', accountAccessKey: 'key-123' },
      warnings: [],
    });
  });

  test('a Container Apps environment in the delegated subnet, logging to Log Analytics, zone-redundant in prod', () => {
    expect(only(container.json, 'azurerm_container_app_environment')).toMatchObject({
      infrastructure_subnet_id: expect.stringContaining('azurerm_subnet.network_compute'),
      log_analytics_workspace_id: expect.stringContaining('azurerm_log_analytics_workspace'),
      internal_load_balancer_enabled: false,
      zone_redundancy_enabled: true,
      workload_profile: [{ name: 'Consumption', workload_profile_type: 'Consumption' }],
    });
  });
});

describe('Container Apps jobs', () => {
  const jobs: Record<string, any> = Object.fromEntries(all(container.json, 'azurerm_container_app_job').map((j) => [j.tags['flagstack-job'], j]));

  test('migrations on demand; scheduled changes every minute and LDAP sync hourly, schedule-triggered', () => {
    expect(Object.keys(jobs).sort()).toEqual(['ldap-sync', 'migrate', 'scheduled-changes']);
    expect(jobs.migrate).toMatchObject({ manual_trigger_config: { parallelism: 1, replica_completion_count: 1 }, replica_timeout_in_seconds: 1800 });
    expect(jobs.migrate.schedule_trigger_config).toBeUndefined();
    expect(jobs['scheduled-changes'].schedule_trigger_config).toEqual({ cron_expression: '* * * * *', parallelism: 1, replica_completion_count: 1 });
    expect(jobs['ldap-sync'].schedule_trigger_config.cron_expression).toBe('17 * * * *');
    for (const job of Object.values(jobs)) expect(job.template.container[0].command).toEqual(['node', 'dist/server/cli.js']);
    expect(jobs.migrate.template.container[0].args).toEqual(['migrate']);
    expect(jobs['scheduled-changes'].template.container[0].args).toEqual(['run-scheduler', '--once']);
    expect(jobs['ldap-sync'].template.container[0].args).toEqual(['sync-ldap-users-and-groups']);
  });

  test('run the API image with the API environment, secrets, identity and AppDynamics file', () => {
    for (const job of Object.values(jobs)) {
      const c = job.template.container[0];
      expect(c.image).toBe(api.image);
      expect(c.env).toEqual(api.env);
      expect(c.volume_mounts).toEqual(api.volume_mounts);
      expect(job.secret).toEqual(app.secret);
      expect(job.identity).toEqual(app.identity);
      expect(job.container_app_environment_id).toBe(app.container_app_environment_id);
    }
  });

  test('no LDAP, no LDAP-sync job', () => {
    const plain = synthAzure(environment(AZURE)).json;
    expect(all(plain, 'azurerm_container_app_job').map((j) => j.tags['flagstack-job']).sort()).toEqual(['migrate', 'scheduled-changes']);
  });
});

describe('Function App', () => {
  const fn = synthAzure(environment({ ...AZURE, packaging: 'function', nodeVersion: 22, scaling: { min: 0, max: 12, cpu: 2 }, database: { engine: 'mysql' }, appDynamics: { ...APPD, agentPath: '/home/site/appdynamics' } }));
  const site = only(fn.json, 'azurerm_linux_function_app');

  test('a Linux Function App on Node 22, Functions v4, on an Elastic Premium plan, integrated with the function subnet', () => {
    expect(fn.text).toHaveResourceWithProperties(LinuxFunctionApp, {
      functions_extension_version: '~4',
      https_only: true,
      storage_uses_managed_identity: true,
      ftp_publish_basic_authentication_enabled: false,
      webdeploy_publish_basic_authentication_enabled: false,
      content_share_force_disabled: true,
    });
    expect(site.site_config).toMatchObject({ application_stack: { node_version: '22' }, elastic_instance_minimum: 1, app_scale_limit: 12, health_check_path: '/health/readiness', vnet_route_all_enabled: false });
    expect(site.virtual_network_subnet_id).toMatch(/azurerm_subnet\.network_compute/);
    expect(only(fn.json, 'azurerm_service_plan')).toMatchObject({ os_type: 'Linux', sku_name: 'EP2', maximum_elastic_worker_count: 12 });
    expect([elasticPremiumSku({ cpu: 0.5, memoryMb: 1024 }), elasticPremiumSku({ cpu: 1, memoryMb: 4096 }), elasticPremiumSku({ cpu: 4, memoryMb: 1024 })]).toEqual(['EP1', 'EP2', 'EP3']);
  });

  test('runs from the zipped bundle in a private container, read with the managed identity (no SAS token)', () => {
    const blob = only(fn.json, 'azurerm_storage_blob');
    expect(blob).toMatchObject({ type: 'Block', content_type: 'application/zip', storage_container_name: expect.stringContaining('azurerm_storage_container') });
    expect(blob.name).toMatch(/^flagstack-azure-[0-9A-F]{32}\.zip$/);
    expect(blob.source).toMatch(/^assets\/api_bundle_[0-9A-F]+\/[0-9A-F]{32}\/archive\.zip$/);
    expect(site.app_settings.WEBSITE_RUN_FROM_PACKAGE).toMatch(/^\$\{azurerm_storage_blob\..*\.url\}$/);
    expect(site.app_settings.WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID).toBe(site.identity.identity_ids[0]);
    expect(site.app_settings).toMatchObject({ AzureWebJobsStorage__credential: 'managedidentity', AzureWebJobsStorage__clientId: expect.stringContaining('.client_id') });
    expect(only(fn.json, 'azurerm_storage_account')).toMatchObject({ shared_access_key_enabled: false, min_tls_version: 'TLS1_2', infrastructure_encryption_enabled: true });
    expect(only(fn.json, 'azurerm_storage_container')).toMatchObject({ name: 'deployments', container_access_type: 'private' });
    expect(all(fn.json, 'azurerm_role_assignment').map((r) => r.role_definition_name).sort()).toEqual([
      'Key Vault Secrets Officer',
      'Key Vault Secrets User',
      'Storage Blob Data Contributor',
      'Storage Blob Data Owner',
    ]);
  });

  test('gets the API environment: plain settings as values, secrets as Key Vault references, AppDynamics as variables', () => {
    expect(site.key_vault_reference_identity_id).toBe(site.identity.identity_ids[0]);
    expect(site.app_settings.DJANGO_DB_PASSWORD).toMatch(/^@Microsoft\.KeyVault\(SecretUri=\$\{azurerm_key_vault_secret\..*\.versionless_id\}\)$/);
    expect(site.app_settings.APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY).toMatch(/^@Microsoft\.KeyVault\(/);
    expect(site.app_settings).toMatchObject({ DJANGO_DB_ENGINE: 'mysql', DJANGO_DB_PORT: '3306', WEB_CONCURRENCY: '1', APP_DYNAMICS: 'on', APPDYNAMICS_AGENT_PATH: '/home/site/appdynamics' });
    expect(keyVaultReference('https://v/secrets/x')).toBe('@Microsoft.KeyVault(SecretUri=https://v/secrets/x)');
    expect(all(fn.json, 'azurerm_container_app')).toEqual([]);
  });

  test('refuses to synthesize from an incomplete bundle, or none', () => {
    const env = environment({ ...AZURE, packaging: 'function' });
    // dist/gcp has no host.json: not a Functions app.
    expect(() => new FlagstackAzureStack(Testing.app(), 's', { env, functionBundleDir: bundleDir('gcp') })).toThrow(/the azure function bundle in .* is missing host.json: run `npm run build` first/);
    expect(() => new FlagstackAzureStack(Testing.app(), 's', { env })).toThrow('the function packaging needs the dist/azure bundle');
  });
});
