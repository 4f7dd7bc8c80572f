// The policies over synthesized Terraform JSON: the kit's own stacks pass, and each rule catches the mistake it
// names — every case below takes a clean synthesized stack, breaks one thing, and expects that rule to report it.
import { checkPolicies, DATA_STORES, NOT_DATA_STORES, POLICY_RULES, type Finding } from '../../../lib/tf-common/policy';
import type { TerraformJson } from '../../../lib/tf-common/tf-json';
import { APPD, AZURE, GCP, LDAP, environment, synthStack } from './helpers';

const azureContainer = synthStack(environment({ ...AZURE, prod: true, database: { engine: 'sqlserver' }, appDynamics: APPD, auth: { ldap: LDAP } })).json;
const azurePgContainer = synthStack(environment({ ...AZURE, prod: true })).json;
const azureFunction = synthStack(environment({ ...AZURE, packaging: 'function', database: { engine: 'mysql' } })).json;
const gcpContainer = synthStack(environment({ ...GCP, prod: true, database: { engine: 'mysql' }, appDynamics: APPD })).json;
const gcpFunction = synthStack(environment({ ...GCP, packaging: 'function' })).json;

const PROD = { deletionProtection: true };
const DEV = { deletionProtection: false };

/** A deep copy to break. */
const copy = (json: TerraformJson): TerraformJson & { resource: Record<string, Record<string, any>>; output: Record<string, any> } => JSON.parse(JSON.stringify(json));
/** The first resource of a type in a copy. */
const first = (json: { resource: Record<string, Record<string, any>> }, type: string): any => Object.values(json.resource[type])[0];
const rules = (findings: Finding[]) => [...new Set(findings.map((f) => `${f.rule}:${f.severity}`))];

test('the kit\'s stacks pass every rule', () => {
  expect(POLICY_RULES.map((r) => r.id)).toEqual(['FS-DB1', 'FS-TLS1', 'FS-ENC1', 'FS-SEC1', 'FS-SEC2', 'FS-SEC3', 'FS-DEL1', 'FS-BAK1', 'FS-IAM1', 'FS-PUB1']);
  for (const json of [azureContainer, azurePgContainer, gcpContainer]) expect(checkPolicies(json, PROD)).toEqual([]);
  for (const json of [azureFunction, gcpFunction]) expect(checkPolicies(json, DEV)).toEqual([]);
});

describe('FS-DB1 no public database endpoint', () => {
  test('a flexible server with public access, or outside its subnet', () => {
    const json = copy(azurePgContainer);
    first(json, 'azurerm_postgresql_flexible_server').public_network_access_enabled = true;
    delete first(json, 'azurerm_postgresql_flexible_server').delegated_subnet_id;
    expect(checkPolicies(json, PROD).map((f) => f.message)).toEqual(['public_network_access_enabled must be false', 'must be injected into a delegated subnet (delegated_subnet_id)']);
  });

  test('Azure SQL without its private endpoint, and a firewall rule', () => {
    const json = copy(azureContainer);
    delete json.resource.azurerm_private_endpoint;
    json.resource.azurerm_mssql_firewall_rule = { open: { name: 'all', start_ip_address: '0.0.0.0', end_ip_address: '255.255.255.255' } };
    expect(rules(checkPolicies(json, PROD))).toEqual(['FS-DB1:error', 'FS-ENC1:error']);
    expect(checkPolicies(json, PROD).filter((f) => f.rule === 'FS-DB1').map((f) => f.message)).toEqual([
      'must be reached through a private endpoint',
      'database firewall rules open the server; the kit uses private access only',
    ]);
  });

  test('Cloud SQL with a public IP or authorized networks', () => {
    const json = copy(gcpContainer);
    const ip = first(json, 'google_sql_database_instance').settings.ip_configuration;
    ip.ipv4_enabled = true;
    ip.authorized_networks = [{ value: '0.0.0.0/0' }];
    expect(checkPolicies(json, PROD).map((f) => `${f.rule} ${f.message}`)).toEqual([
      'FS-DB1 settings.ip_configuration.ipv4_enabled must be false (private IP only)',
      'FS-DB1 authorized_networks must be empty',
    ]);
  });
});

describe('FS-TLS1 TLS required', () => {
  test('PostgreSQL without require_secure_transport; MySQL allowing TLS 1.0', () => {
    const pg = copy(azurePgContainer);
    for (const [name, c] of Object.entries(pg.resource.azurerm_postgresql_flexible_server_configuration)) if (c.name === 'require_secure_transport') delete pg.resource.azurerm_postgresql_flexible_server_configuration[name];
    expect(checkPolicies(pg, PROD).map((f) => f.message)).toEqual(['require_secure_transport must be on']);
    const my = copy(azureFunction);
    for (const c of Object.values(my.resource.azurerm_mysql_flexible_server_configuration)) if (c.name === 'tls_version') c.value = 'TLSv1,TLSv1.2';
    expect(checkPolicies(my, DEV).map((f) => f.message)).toEqual(['tls_version must allow TLSv1.2/TLSv1.3 only']);
  });

  test('Cloud SQL accepting unencrypted connections; Azure SQL on TLS 1.0', () => {
    const gcp = copy(gcpContainer);
    first(gcp, 'google_sql_database_instance').settings.ip_configuration.ssl_mode = 'ALLOW_UNENCRYPTED_AND_ENCRYPTED';
    expect(rules(checkPolicies(gcp, PROD))).toEqual(['FS-TLS1:error']);
    const sql = copy(azureContainer);
    first(sql, 'azurerm_mssql_server').minimum_tls_version = '1.0';
    expect(checkPolicies(sql, PROD).map((f) => f.message)).toEqual(['minimum_tls_version must be 1.2 or higher']);
  });

  test('plain HTTP on the Container App or the Function App', () => {
    const app = copy(azureContainer);
    first(app, 'azurerm_container_app').ingress.allow_insecure_connections = true;
    expect(checkPolicies(app, PROD).map((f) => f.message)).toEqual(['ingress.allow_insecure_connections must be false']);
    const fn = copy(azureFunction);
    first(fn, 'azurerm_linux_function_app').https_only = false;
    first(fn, 'azurerm_storage_account').min_tls_version = 'TLS1_0';
    expect(checkPolicies(fn, DEV).map((f) => f.message)).toEqual(['min_tls_version must be TLS1_2', 'https_only must be true']);
  });
});

describe('FS-ENC1 encryption at rest', () => {
  test('every resource type the kit uses is classified, and none twice', () => {
    for (const type of [...DATA_STORES]) expect(NOT_DATA_STORES.has(type)).toBe(false);
    const used = [azureContainer, azurePgContainer, azureFunction, gcpContainer, gcpFunction].flatMap((j) => Object.keys(j.resource ?? {}));
    for (const type of used) expect(DATA_STORES.has(type) || NOT_DATA_STORES.has(type)).toBe(true);
  });

  test('a new data store must be classified; the switches that exist must be on', () => {
    const json = copy(azureFunction);
    json.resource.azurerm_managed_disk = { data: { name: 'd' } };
    first(json, 'azurerm_storage_account').infrastructure_encryption_enabled = false;
    expect(checkPolicies(json, DEV).map((f) => `${f.resource}: ${f.message}`)).toEqual([
      'azurerm_managed_disk: resource type not classified: add it to DATA_STORES (with its encryption checked) or NOT_DATA_STORES in lib/tf-common/policies/encryption.ts',
      `azurerm_storage_account.${Object.keys(json.resource.azurerm_storage_account)[0]}: infrastructure_encryption_enabled must be true`,
    ]);
    const sql = copy(azureContainer);
    first(sql, 'azurerm_mssql_database').transparent_data_encryption_enabled = false;
    expect(checkPolicies(sql, PROD).map((f) => f.message)).toEqual(['transparent_data_encryption_enabled must not be false']);
  });
});

describe('FS-SEC1 secrets never in plain environment values', () => {
  test('a Container App secret variable given as a value, and a secret carrying its value', () => {
    const json = copy(azureContainer);
    const app = first(json, 'azurerm_container_app');
    const entry = app.template.container[0].env.find((e: any) => e.name === 'DJANGO_DB_PASSWORD');
    delete entry.secret_name;
    entry.value = 'hunter2';
    app.secret[0].value = 'hunter2';
    expect(checkPolicies(json, PROD).map((f) => f.message)).toEqual([
      'secret db-password carries a value; use a Key Vault reference (key_vault_secret_id)',
      'DJANGO_DB_PASSWORD must come from a secret (secret_name), not a value',
    ]);
  });

  test('a Function App setting that is not a Key Vault reference', () => {
    const json = copy(azureFunction);
    first(json, 'azurerm_linux_function_app').app_settings.FLAGSTACK_ENCRYPTION_KEY = 'ab'.repeat(32);
    expect(checkPolicies(json, DEV).map((f) => f.message)).toEqual(['app setting FLAGSTACK_ENCRYPTION_KEY must be a Key Vault reference']);
  });

  test('Cloud Run and Cloud Functions secret variables as values', () => {
    const run = copy(gcpContainer);
    const env = first(run, 'google_cloud_run_v2_service').template.containers[0].env;
    const entry = env.find((e: any) => e.name === 'FLAGSTACK_ENCRYPTION_KEY');
    delete entry.value_source;
    entry.value = 'x';
    expect(checkPolicies(run, PROD).map((f) => f.message)).toEqual(['FLAGSTACK_ENCRYPTION_KEY must come from Secret Manager (value_source.secret_key_ref), not a value']);
    const fn = copy(gcpFunction);
    first(fn, 'google_cloudfunctions2_function').service_config.environment_variables.DJANGO_DB_PASSWORD = 'x';
    expect(checkPolicies(fn, DEV).map((f) => f.message)).toEqual(['service_config.environment_variables.DJANGO_DB_PASSWORD is a secret; use secret_environment_variables']);
  });

  test('a generated value written into any variable, whatever its name', () => {
    const json = copy(gcpFunction);
    const password = Object.keys(json.resource.random_password)[0];
    first(json, 'google_cloudfunctions2_function').service_config.environment_variables.LOG_LEVEL = `\${random_password.${password}.result}`;
    const findings = checkPolicies(json, DEV);
    expect(findings.map((f) => f.rule)).toEqual(['FS-SEC1', 'FS-SEC3']);
    expect(findings[0].message).toMatch(/^a secret value is written into an environment variable or setting/);
  });
});

describe('FS-SEC2 secrets never in outputs', () => {
  test('an output of a generated value, of a vault secret, or marked sensitive', () => {
    const json = copy(azureContainer);
    const password = Object.keys(json.resource.random_password)[0];
    const secret = Object.keys(json.resource.azurerm_key_vault_secret)[0];
    json.output.leak = { value: `\${random_password.${password}.result}` };
    json.output.leak2 = { value: `\${azurerm_key_vault_secret.${secret}.value}`, sensitive: true };
    expect(checkPolicies(json, PROD).filter((f) => f.rule === 'FS-SEC2').map((f) => `${f.resource}: ${f.message.split(' (')[0]}`)).toEqual([
      'output.leak: references a secret value',
      'output.leak2: a sensitive output: the kit outputs no secrets',
      'output.leak2: references a secret value',
    ]);
  });
});

describe('FS-SEC3 generated secrets go straight into the secret store', () => {
  test('a generated value used elsewhere, and one never stored', () => {
    const json = copy(azurePgContainer);
    const key = Object.keys(json.resource.random_id)[0];
    first(json, 'azurerm_resource_group').tags.leak = `\${random_id.${key}.hex}`;
    for (const [name, s] of Object.entries(json.resource.azurerm_key_vault_secret)) if (String(s.value).includes('random_id')) delete json.resource.azurerm_key_vault_secret[name];
    expect(checkPolicies(json, PROD).filter((f) => f.rule === 'FS-SEC3').map((f) => f.message)).toEqual([
      `random_id.${key} is used in tags.leak; a generated secret may only go into the secret store or the database password`,
      'a generated secret that is not stored in Key Vault / Secret Manager',
    ]);
  });
});

describe('FS-DEL1 deletion protection in prod', () => {
  test('a prod database without its lock, a vault without purge protection, Cloud SQL without protection', () => {
    const azure = copy(azurePgContainer);
    delete azure.resource.azurerm_management_lock;
    first(azure, 'azurerm_key_vault').purge_protection_enabled = false;
    expect(checkPolicies(azure, PROD).map((f) => `${f.rule} ${f.message}`)).toEqual(['FS-DEL1 needs a CanNotDelete management lock', 'FS-DEL1 purge_protection_enabled must be true']);
    expect(checkPolicies(azure, DEV)).toEqual([]);
    const gcp = copy(gcpContainer);
    first(gcp, 'google_sql_database_instance').deletion_protection = false;
    first(gcp, 'google_sql_database_instance').settings.deletion_protection_enabled = false;
    expect(checkPolicies(gcp, PROD).map((f) => f.message)).toEqual(['deletion_protection must be true', 'settings.deletion_protection_enabled must be true']);
  });

  test('dev stacks carry no lock, so the rule really depends on the option', () => {
    expect(checkPolicies(azureFunction, PROD).map((f) => f.rule)).toContain('FS-DEL1');
  });
});

describe('FS-BAK1 automated backups', () => {
  test('backups off: an error with deletion protection, a warning without', () => {
    const json = copy(gcpContainer);
    first(json, 'google_sql_database_instance').settings.backup_configuration.enabled = false;
    expect(rules(checkPolicies(json, PROD))).toEqual(['FS-BAK1:error']);
    expect(rules(checkPolicies(json, DEV))).toEqual(['FS-BAK1:warning']);
    const sql = copy(azureContainer);
    delete first(sql, 'azurerm_mssql_database').short_term_retention_policy;
    expect(checkPolicies(sql, PROD).map((f) => f.message)).toEqual(['short_term_retention_policy.retention_days must be at least 1']);
  });

  test('a configured retention of 0 days synthesizes Cloud SQL without backups, which the rule reports', () => {
    const { json } = synthStack(environment({ ...GCP, database: { backupRetentionDays: 0 } }));
    expect(checkPolicies(json, DEV).map((f) => `${f.rule}:${f.severity}`)).toEqual(['FS-BAK1:warning']);
  });
});

describe('FS-IAM1 least privilege', () => {
  test('a broad Azure role, a role at resource-group scope, the reader role on the deployer', () => {
    const json = copy(azureFunction);
    const byRole = (role: string) => Object.values(json.resource.azurerm_role_assignment).find((r: any) => r.role_definition_name === role);
    byRole('Storage Blob Data Contributor').role_definition_name = 'Contributor';
    byRole('Storage Blob Data Owner').scope = '${azurerm_resource_group.group.id}';
    byRole('Key Vault Secrets User').principal_id = '${data.azurerm_client_config.client.object_id}';
    const messages = checkPolicies(json, DEV).map((f) => f.message);
    expect(messages.sort()).toEqual([
      'Key Vault Secrets User is granted to an unexpected principal (${data.azurerm_client_config.client.object_id})',
      'Storage Blob Data Owner must be scoped to a single resource, not ${azurerm_resource_group.group.id}',
      'role Contributor is not one the kit grants (Key Vault Secrets User, Key Vault Secrets Officer, Storage Blob Data Owner, Storage Blob Data Contributor)',
    ]);
  });

  test('a vault with access policies instead of RBAC', () => {
    const json = copy(azurePgContainer);
    first(json, 'azurerm_key_vault').rbac_authorization_enabled = false;
    expect(checkPolicies(json, PROD).map((f) => f.message)).toEqual(['rbac_authorization_enabled must be true (no vault-wide access policies)']);
  });

  test('GCP: a primitive role, secret access at project level, a project role for the API account, the default compute account', () => {
    const json = copy(gcpFunction);
    json.resource.google_project_iam_member.editor = { project: 'p', role: 'roles/editor', member: '${google_service_account.accounts_api_8D20643D.member}' };
    json.resource.google_project_iam_member.secrets = { project: 'p', role: 'roles/secretmanager.secretAccessor', member: 'serviceAccount:x' };
    delete first(json, 'google_cloudfunctions2_function').service_config.service_account_email;
    const messages = checkPolicies(json, DEV).map((f) => f.message);
    expect(messages).toEqual([
      'project-level role roles/editor is not one the kit grants',
      'project-level roles go to the build service account only',
      'project-level role roles/secretmanager.secretAccessor is not one the kit grants',
      'project-level roles go to the build service account only',
      'roles/editor is far broader than the kit needs',
      'secretAccessor must be granted on single secrets',
      'must run as the dedicated service account',
    ]);
  });

  test('a Cloud Run job without its service account', () => {
    const json = copy(gcpContainer);
    delete first(json, 'google_cloud_run_v2_job').template.template.service_account;
    expect(checkPolicies(json, PROD).map((f) => f.message)).toEqual(['must run as the dedicated service account, not the default compute one']);
  });
});

describe('FS-PUB1 no public storage; only the API is public', () => {
  test('a bucket without public access prevention; allUsers on the scheduler function', () => {
    const json = copy(gcpFunction);
    first(json, 'google_storage_bucket').public_access_prevention = 'inherited';
    for (const m of Object.values(json.resource.google_cloud_run_v2_service_iam_member)) if (m.member !== 'allUsers') m.member = 'allUsers';
    expect(checkPolicies(json, DEV).map((f) => f.message)).toEqual(['public_access_prevention must be enforced', 'allUsers may only invoke the API service']);
  });

  test('a public blob container or a storage account with keys', () => {
    const json = copy(azureFunction);
    first(json, 'azurerm_storage_container').container_access_type = 'blob';
    first(json, 'azurerm_storage_account').shared_access_key_enabled = true;
    expect(checkPolicies(json, DEV).map((f) => f.message)).toEqual(['shared_access_key_enabled must be false (Entra ID only)', 'container_access_type must be private']);
  });
});
