// The kit's policies, as plain TypeScript over synthesized Terraform JSON (no OPA/checkov here: IAC-NOTES.md §C2).
// bin/cdktf.ts runs them after every synth (an error fails it); the tests run them over the whole configuration
// matrix and prove each rule catches what it names. Rule ids and messages in cdk-nag style.
//
//   FS-DB1   no public database endpoint
//   FS-TLS1  TLS required: the database enforces it, endpoints are HTTPS only with TLS 1.2+
//   FS-ENC1  encryption at rest: every resource type is classified; data stores are ones that encrypt at rest, with
//            the switches that exist turned on
//   FS-SEC1  secrets never in plain environment values (container env, app settings, function variables)
//   FS-SEC2  secrets never in outputs
//   FS-SEC3  generated secrets go from random_* straight into the secret store (and the database), nowhere else
//   FS-DEL1  deletion protection when the environment asks for it (prod)
//   FS-BAK1  automated database backups (an error with deletion protection, a warning otherwise)
//   FS-IAM1  least privilege: only the kit's roles, scoped to single resources, to the identities that need them
//   FS-PUB1  no public storage; only the API itself is publicly invocable
import { SECRET_ENV_VARS } from '../../api/src/config';
import { allResources, blocks, get, references, resourcesOf, stringsIn, type Json, type ResourceRef, type TerraformJson } from './tf-json';

export type { TerraformJson } from './tf-json';

export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  severity: Severity;
  /** `type.name` of the offending resource, or `output.name`. */
  resource: string;
  message: string;
}

export interface PolicyOptions {
  /** The environment asks for deletion protection (prod by default). */
  deletionProtection: boolean;
}

export interface PolicyRule {
  id: string;
  title: string;
  check(json: TerraformJson, options: PolicyOptions): Finding[];
}

export function formatFinding(f: Finding): string {
  return `[${f.severity}] ${f.rule} ${f.resource}: ${f.message}`;
}

const finding = (rule: string, resource: string, message: string, severity: Severity = 'error'): Finding => ({ rule, severity, resource, message });

const DATABASE_SERVERS = ['azurerm_postgresql_flexible_server', 'azurerm_mysql_flexible_server', 'azurerm_mssql_server', 'google_sql_database_instance'];

// ---------------------------------------------------------------------------------------------------------------

const noPublicDatabase: PolicyRule = {
  id: 'FS-DB1',
  title: 'no public database endpoint',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-DB1', r.address, m));
    for (const r of resourcesOf(json, 'azurerm_postgresql_flexible_server')) {
      if (r.props.public_network_access_enabled !== false) f(r, 'public_network_access_enabled must be false');
      if (!r.props.delegated_subnet_id) f(r, 'must be injected into a delegated subnet (delegated_subnet_id)');
    }
    for (const r of resourcesOf(json, 'azurerm_mysql_flexible_server')) {
      if (r.props.public_network_access !== 'Disabled') f(r, 'public_network_access must be Disabled');
      if (!r.props.delegated_subnet_id) f(r, 'must be injected into a delegated subnet (delegated_subnet_id)');
    }
    for (const r of resourcesOf(json, 'azurerm_mssql_server')) {
      if (r.props.public_network_access_enabled !== false) f(r, 'public_network_access_enabled must be false');
      if (!resourcesOf(json, 'azurerm_private_endpoint').some((pe) => references(pe.props.private_service_connection, r.address))) {
        f(r, 'must be reached through a private endpoint');
      }
    }
    for (const type of ['azurerm_postgresql_flexible_server_firewall_rule', 'azurerm_mysql_flexible_server_firewall_rule', 'azurerm_mssql_firewall_rule', 'azurerm_mssql_virtual_network_rule']) {
      for (const r of resourcesOf(json, type)) f(r, 'database firewall rules open the server; the kit uses private access only');
    }
    for (const r of resourcesOf(json, 'google_sql_database_instance')) {
      const ip = get(r.props, 'settings.ip_configuration');
      if (get(ip, 'ipv4_enabled') !== false) f(r, 'settings.ip_configuration.ipv4_enabled must be false (private IP only)');
      if (!get(ip, 'private_network')) f(r, 'settings.ip_configuration.private_network must be set');
      if (blocks(get(ip, 'authorized_networks')).length > 0) f(r, 'authorized_networks must be empty');
    }
    return out;
  },
};

const TLS_VERSIONS_OK = /^TLSv1\.[23]$/;

const tlsRequired: PolicyRule = {
  id: 'FS-TLS1',
  title: 'TLS required',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-TLS1', r.address, m));
    const pgConfigs = resourcesOf(json, 'azurerm_postgresql_flexible_server_configuration');
    for (const r of resourcesOf(json, 'azurerm_postgresql_flexible_server')) {
      const setting = (name: string) => pgConfigs.find((c) => c.props.name === name && references(c.props.server_id, r.address))?.props.value;
      if (setting('require_secure_transport') !== 'on') f(r, 'require_secure_transport must be on');
      const min = setting('ssl_min_protocol_version');
      if (typeof min !== 'string' || !TLS_VERSIONS_OK.test(min)) f(r, 'ssl_min_protocol_version must be TLSv1.2 or TLSv1.3');
    }
    const myConfigs = resourcesOf(json, 'azurerm_mysql_flexible_server_configuration');
    for (const r of resourcesOf(json, 'azurerm_mysql_flexible_server')) {
      const setting = (name: string) => myConfigs.find((c) => c.props.name === name && references(c.props.server_name, r.address))?.props.value;
      if (setting('require_secure_transport') !== 'ON') f(r, 'require_secure_transport must be ON');
      const versions = setting('tls_version');
      if (typeof versions !== 'string' || versions.split(',').some((v) => !TLS_VERSIONS_OK.test(v.trim()))) f(r, 'tls_version must allow TLSv1.2/TLSv1.3 only');
    }
    for (const r of resourcesOf(json, 'azurerm_mssql_server')) {
      if (r.props.minimum_tls_version !== '1.2' && r.props.minimum_tls_version !== '1.3') f(r, 'minimum_tls_version must be 1.2 or higher');
    }
    for (const r of resourcesOf(json, 'google_sql_database_instance')) {
      const mode = get(r.props, 'settings.ip_configuration.ssl_mode');
      if (mode !== 'ENCRYPTED_ONLY' && mode !== 'TRUSTED_CLIENT_CERTIFICATE_REQUIRED') f(r, 'settings.ip_configuration.ssl_mode must require SSL');
    }
    for (const r of resourcesOf(json, 'azurerm_storage_account')) {
      if (r.props.min_tls_version !== 'TLS1_2') f(r, 'min_tls_version must be TLS1_2');
      if (r.props.https_traffic_only_enabled === false) f(r, 'https_traffic_only_enabled must not be false');
    }
    for (const r of resourcesOf(json, 'azurerm_linux_function_app')) {
      if (r.props.https_only !== true) f(r, 'https_only must be true');
      if (get(r.props, 'site_config.minimum_tls_version') !== '1.2') f(r, 'site_config.minimum_tls_version must be 1.2');
      if (get(r.props, 'site_config.ftps_state') !== 'Disabled') f(r, 'site_config.ftps_state must be Disabled');
    }
    for (const r of resourcesOf(json, 'azurerm_container_app')) {
      if (get(r.props, 'ingress.allow_insecure_connections') !== false) f(r, 'ingress.allow_insecure_connections must be false');
    }
    return out;
  },
};

/** Resource types that keep data at rest, all encrypted by their platform (AES-256, platform-managed keys, no off switch). */
export const DATA_STORES = new Set([
  'azurerm_postgresql_flexible_server',
  'azurerm_postgresql_flexible_server_database',
  'azurerm_mysql_flexible_server',
  'azurerm_mysql_flexible_database',
  'azurerm_mssql_server',
  'azurerm_mssql_database', // transparent data encryption, checked below
  'azurerm_key_vault',
  'azurerm_key_vault_secret',
  'azurerm_storage_account', // infrastructure (double) encryption, checked below
  'azurerm_storage_container',
  'azurerm_storage_blob',
  'azurerm_log_analytics_workspace',
  'azurerm_application_insights',
  'google_sql_database_instance',
  'google_sql_database',
  'google_secret_manager_secret',
  'google_secret_manager_secret_version',
  'google_storage_bucket',
  'google_storage_bucket_object',
]);

/** Resource types that keep no data at rest of their own (compute, network, identity, configuration). */
export const NOT_DATA_STORES = new Set([
  'azurerm_resource_group',
  'azurerm_virtual_network',
  'azurerm_subnet',
  'azurerm_private_dns_zone',
  'azurerm_private_dns_zone_virtual_network_link',
  'azurerm_private_endpoint',
  'azurerm_postgresql_flexible_server_configuration',
  'azurerm_mysql_flexible_server_configuration',
  'azurerm_management_lock',
  'azurerm_user_assigned_identity',
  'azurerm_role_assignment',
  'azurerm_container_app_environment',
  'azurerm_container_app',
  'azurerm_container_app_job',
  'azurerm_service_plan',
  'azurerm_linux_function_app',
  'google_project_service',
  'google_compute_network',
  'google_compute_subnetwork',
  'google_compute_global_address',
  'google_service_networking_connection',
  'google_vpc_access_connector',
  'google_service_account',
  'google_project_iam_member',
  'google_secret_manager_secret_iam_member',
  'google_storage_bucket_iam_member',
  'google_sql_user',
  'google_cloud_run_v2_service',
  'google_cloud_run_v2_service_iam_member',
  'google_cloud_run_v2_job',
  'google_cloud_run_v2_job_iam_member',
  'google_cloud_scheduler_job',
  'google_cloudfunctions2_function',
  'random_password',
  'random_id',
  'random_string',
]);

const encryptionAtRest: PolicyRule = {
  id: 'FS-ENC1',
  title: 'encryption at rest',
  check(json) {
    const out: Finding[] = [];
    for (const type of Object.keys(json.resource ?? {})) {
      if (!DATA_STORES.has(type) && !NOT_DATA_STORES.has(type)) {
        out.push(finding('FS-ENC1', type, 'resource type not classified: add it to DATA_STORES (with its encryption checked) or NOT_DATA_STORES in lib/tf-common/policy.ts'));
      }
    }
    for (const r of resourcesOf(json, 'azurerm_storage_account')) {
      if (r.props.infrastructure_encryption_enabled !== true) out.push(finding('FS-ENC1', r.address, 'infrastructure_encryption_enabled must be true'));
    }
    for (const r of resourcesOf(json, 'azurerm_mssql_database')) {
      if (r.props.transparent_data_encryption_enabled === false) out.push(finding('FS-ENC1', r.address, 'transparent_data_encryption_enabled must not be false'));
    }
    return out;
  },
};

/** References that carry a secret value; none may reach an environment variable, an app setting or an output. */
const SECRET_VALUE_REFERENCE = /\$\{(?:random_password\.|random_id\.|azurerm_key_vault_secret\.[^}]*\.value\}|data\.azurerm_key_vault_secret\.|data\.google_secret_manager_secret_version\.|google_secret_manager_secret_version\.[^}]*\.secret_data)/;
const KEY_VAULT_REFERENCE = /^@Microsoft\.KeyVault\(SecretUri=\$\{azurerm_key_vault_secret\.[^}]+\.versionless_id\}\)$/;

function envEntries(r: ResourceRef): { name: string; entry: Record<string, Json> }[] {
  const containers = [
    ...blocks(get(r.props, 'template.container') as Json),
    ...blocks(get(r.props, 'template.containers') as Json),
    ...blocks(get(r.props, 'template.template.containers') as Json),
  ];
  return containers.flatMap((c) => blocks(c.env).map((entry) => ({ name: String(entry.name), entry })));
}

const noPlainSecrets: PolicyRule = {
  id: 'FS-SEC1',
  title: 'secrets never in plain environment values',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-SEC1', r.address, m));
    for (const type of ['azurerm_container_app', 'azurerm_container_app_job']) {
      for (const r of resourcesOf(json, type)) {
        for (const s of blocks(r.props.secret)) {
          if (s.value !== undefined) f(r, `secret ${String(s.name)} carries a value; use a Key Vault reference (key_vault_secret_id)`);
          if (!s.key_vault_secret_id || !s.identity) f(r, `secret ${String(s.name)} must be a Key Vault reference read with a managed identity`);
        }
        for (const { name, entry } of envEntries(r)) {
          if (SECRET_ENV_VARS.has(name) && (entry.value !== undefined || !entry.secret_name)) f(r, `${name} must come from a secret (secret_name), not a value`);
        }
      }
    }
    for (const type of ['google_cloud_run_v2_service', 'google_cloud_run_v2_job']) {
      for (const r of resourcesOf(json, type)) {
        for (const { name, entry } of envEntries(r)) {
          if (SECRET_ENV_VARS.has(name) && (entry.value !== undefined || !get(entry, 'value_source.secret_key_ref.secret'))) {
            f(r, `${name} must come from Secret Manager (value_source.secret_key_ref), not a value`);
          }
        }
      }
    }
    for (const r of resourcesOf(json, 'azurerm_linux_function_app')) {
      for (const [name, value] of Object.entries((r.props.app_settings ?? {}) as Record<string, Json>)) {
        if (SECRET_ENV_VARS.has(name) && (typeof value !== 'string' || !KEY_VAULT_REFERENCE.test(value))) f(r, `app setting ${name} must be a Key Vault reference`);
      }
    }
    for (const r of resourcesOf(json, 'google_cloudfunctions2_function')) {
      for (const path of ['service_config.environment_variables', 'build_config.environment_variables']) {
        for (const name of Object.keys((get(r.props, path) ?? {}) as Record<string, Json>)) {
          if (SECRET_ENV_VARS.has(name)) f(r, `${path}.${name} is a secret; use secret_environment_variables`);
        }
      }
    }
    // Whatever the variable is called: no secret value may be written into environment or settings.
    for (const r of allResources(json)) {
      const places = [
        ...envEntries(r).map(({ entry }) => entry.value),
        r.props.app_settings,
        get(r.props, 'service_config.environment_variables'),
        get(r.props, 'build_config.environment_variables'),
      ];
      for (const s of places.flatMap((p) => stringsIn(p as Json))) {
        if (SECRET_VALUE_REFERENCE.test(s.value)) f(r, `a secret value is written into an environment variable or setting (${s.value})`);
      }
    }
    return out;
  },
};

const noSecretOutputs: PolicyRule = {
  id: 'FS-SEC2',
  title: 'secrets never in outputs',
  check(json) {
    const out: Finding[] = [];
    for (const [name, output] of Object.entries(json.output ?? {})) {
      if (output.sensitive) out.push(finding('FS-SEC2', `output.${name}`, 'a sensitive output: the kit outputs no secrets'));
      for (const s of stringsIn(output.value)) {
        if (SECRET_VALUE_REFERENCE.test(s.value) || /\.(?:administrator_password|administrator_login_password|root_password|password)\}/.test(s.value)) {
          out.push(finding('FS-SEC2', `output.${name}`, `references a secret value (${s.value})`));
        }
      }
    }
    return out;
  },
};

/** Where a generated value may go: the secret stores and the database's own password fields. */
const GENERATED_VALUE_SINKS: Record<string, string[]> = {
  azurerm_key_vault_secret: ['value'],
  google_secret_manager_secret_version: ['secret_data'],
  azurerm_postgresql_flexible_server: ['administrator_password'],
  azurerm_mysql_flexible_server: ['administrator_password'],
  azurerm_mssql_server: ['administrator_login_password'],
  google_sql_user: ['password'],
  google_sql_database_instance: ['root_password'],
};
const GENERATED_REFERENCE = /\$\{(random_password|random_id)\.([^.}]+)\./g;

const generatedSecretsStored: PolicyRule = {
  id: 'FS-SEC3',
  title: 'generated secrets go straight into the secret store',
  check(json) {
    const out: Finding[] = [];
    const stored = new Set<string>();
    for (const r of allResources(json)) {
      for (const s of stringsIn(r.props as Json)) {
        for (const m of s.value.matchAll(GENERATED_REFERENCE)) {
          const address = `${m[1]}.${m[2]}`;
          const attribute = s.path.split(/[.[]/)[0];
          if (!GENERATED_VALUE_SINKS[r.type]?.includes(attribute)) {
            out.push(finding('FS-SEC3', r.address, `${address} is used in ${s.path}; a generated secret may only go into the secret store or the database password`));
          } else if (r.type === 'azurerm_key_vault_secret' || r.type === 'google_secret_manager_secret_version') {
            stored.add(address);
          }
        }
      }
    }
    for (const type of ['random_password', 'random_id']) {
      for (const r of resourcesOf(json, type)) {
        if (!stored.has(r.address)) out.push(finding('FS-SEC3', r.address, 'a generated secret that is not stored in Key Vault / Secret Manager'));
      }
    }
    return out;
  },
};

const deletionProtection: PolicyRule = {
  id: 'FS-DEL1',
  title: 'deletion protection in prod',
  check(json, options) {
    if (!options.deletionProtection) return [];
    const out: Finding[] = [];
    const locks = resourcesOf(json, 'azurerm_management_lock').filter((l) => l.props.lock_level === 'CanNotDelete');
    for (const type of ['azurerm_postgresql_flexible_server', 'azurerm_mysql_flexible_server', 'azurerm_mssql_server']) {
      for (const r of resourcesOf(json, type)) {
        if (!locks.some((l) => references(l.props.scope, r.address))) out.push(finding('FS-DEL1', r.address, 'needs a CanNotDelete management lock'));
      }
    }
    for (const r of resourcesOf(json, 'azurerm_key_vault')) {
      if (r.props.purge_protection_enabled !== true) out.push(finding('FS-DEL1', r.address, 'purge_protection_enabled must be true'));
    }
    for (const r of resourcesOf(json, 'google_sql_database_instance')) {
      if (r.props.deletion_protection !== true) out.push(finding('FS-DEL1', r.address, 'deletion_protection must be true'));
      if (get(r.props, 'settings.deletion_protection_enabled') !== true) out.push(finding('FS-DEL1', r.address, 'settings.deletion_protection_enabled must be true'));
    }
    return out;
  },
};

const backups: PolicyRule = {
  id: 'FS-BAK1',
  title: 'automated database backups',
  check(json, options) {
    const out: Finding[] = [];
    const severity: Severity = options.deletionProtection ? 'error' : 'warning';
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-BAK1', r.address, m, severity));
    for (const r of resourcesOf(json, 'azurerm_postgresql_flexible_server')) if (!(Number(r.props.backup_retention_days) >= 7)) f(r, 'backup_retention_days must be at least 7');
    for (const r of resourcesOf(json, 'azurerm_mysql_flexible_server')) if (!(Number(r.props.backup_retention_days) >= 1)) f(r, 'backup_retention_days must be at least 1');
    for (const r of resourcesOf(json, 'azurerm_mssql_database')) {
      if (!(Number(get(r.props, 'short_term_retention_policy.retention_days')) >= 1)) f(r, 'short_term_retention_policy.retention_days must be at least 1');
    }
    for (const r of resourcesOf(json, 'google_sql_database_instance')) {
      if (get(r.props, 'settings.backup_configuration.enabled') !== true) f(r, 'settings.backup_configuration.enabled must be true');
    }
    return out;
  },
};

/** Azure roles the kit assigns, each to one kind of principal, always scoped to one vault or storage account. */
const AZURE_ROLES: Record<string, { scope: RegExp; principal: RegExp }> = {
  'Key Vault Secrets User': { scope: /^\$\{azurerm_key_vault\.[^}]+\.id\}$/, principal: /^\$\{azurerm_user_assigned_identity\.[^}]+\.principal_id\}$/ },
  'Key Vault Secrets Officer': { scope: /^\$\{azurerm_key_vault\.[^}]+\.id\}$/, principal: /^\$\{data\.azurerm_client_config\.[^}]+\.object_id\}$/ },
  'Storage Blob Data Owner': { scope: /^\$\{azurerm_storage_account\.[^}]+\.id\}$/, principal: /^\$\{azurerm_user_assigned_identity\.[^}]+\.principal_id\}$/ },
  'Storage Blob Data Contributor': { scope: /^\$\{azurerm_storage_account\.[^}]+\.id\}$/, principal: /^\$\{data\.azurerm_client_config\.[^}]+\.object_id\}$/ },
};

/** Project-level roles (GCP) the kit grants, and only to the build service account. */
export const GCP_PROJECT_ROLES = new Set(['roles/logging.logWriter', 'roles/artifactregistry.writer']);

const leastPrivilege: PolicyRule = {
  id: 'FS-IAM1',
  title: 'least-privilege roles',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-IAM1', r.address, m));
    for (const r of resourcesOf(json, 'azurerm_role_assignment')) {
      const role = String(r.props.role_definition_name ?? '');
      const allowed = AZURE_ROLES[role];
      if (!allowed || r.props.role_definition_id) {
        f(r, `role ${role || String(r.props.role_definition_id)} is not one the kit grants (${Object.keys(AZURE_ROLES).join(', ')})`);
        continue;
      }
      if (!allowed.scope.test(String(r.props.scope))) f(r, `${role} must be scoped to a single resource, not ${String(r.props.scope)}`);
      if (!allowed.principal.test(String(r.props.principal_id))) f(r, `${role} is granted to an unexpected principal (${String(r.props.principal_id)})`);
    }
    for (const r of resourcesOf(json, 'azurerm_key_vault')) {
      if (r.props.rbac_authorization_enabled !== true) f(r, 'rbac_authorization_enabled must be true (no vault-wide access policies)');
      if (blocks(r.props.access_policy).length > 0) f(r, 'access_policy must not be used');
    }
    for (const type of ['google_project_iam_binding', 'google_project_iam_policy', 'google_secret_manager_secret_iam_binding', 'google_secret_manager_secret_iam_policy']) {
      for (const r of resourcesOf(json, type)) f(r, 'authoritative IAM resources replace other grants; use *_iam_member');
    }
    for (const r of resourcesOf(json, 'google_project_iam_member')) {
      if (!GCP_PROJECT_ROLES.has(String(r.props.role))) f(r, `project-level role ${String(r.props.role)} is not one the kit grants`);
      const build = resourcesOf(json, 'google_service_account').find((sa) => String(sa.props.account_id ?? '').endsWith('-build'));
      if (!build || !references(r.props.member, build.address)) f(r, 'project-level roles go to the build service account only');
    }
    for (const r of allResources(json).filter((x) => x.type.startsWith('google_') && x.type.endsWith('_iam_member'))) {
      const role = String(r.props.role ?? '');
      if (/^roles\/(?:owner|editor|viewer)$/.test(role) || /\.admin$/.test(role)) f(r, `${role} is far broader than the kit needs`);
      if (role === 'roles/secretmanager.secretAccessor' && r.type !== 'google_secret_manager_secret_iam_member') f(r, 'secretAccessor must be granted on single secrets');
    }
    for (const r of [...resourcesOf(json, 'google_cloud_run_v2_service'), ...resourcesOf(json, 'google_cloud_run_v2_job')]) {
      const sa = get(r.props, 'template.service_account') ?? get(r.props, 'template.template.service_account');
      if (!sa) f(r, 'must run as the dedicated service account, not the default compute one');
    }
    for (const r of resourcesOf(json, 'google_cloudfunctions2_function')) {
      if (!get(r.props, 'service_config.service_account_email')) f(r, 'must run as the dedicated service account');
      if (!get(r.props, 'build_config.service_account')) f(r, 'must build with the dedicated build service account');
    }
    return out;
  },
};

const noPublicStorage: PolicyRule = {
  id: 'FS-PUB1',
  title: 'no public storage; only the API is publicly invocable',
  check(json) {
    const out: Finding[] = [];
    const f = (r: ResourceRef, m: string) => out.push(finding('FS-PUB1', r.address, m));
    for (const r of resourcesOf(json, 'azurerm_storage_account')) {
      if (r.props.allow_nested_items_to_be_public !== false) f(r, 'allow_nested_items_to_be_public must be false');
      if (r.props.shared_access_key_enabled !== false) f(r, 'shared_access_key_enabled must be false (Entra ID only)');
    }
    for (const r of resourcesOf(json, 'azurerm_storage_container')) {
      if ((r.props.container_access_type ?? 'private') !== 'private') f(r, 'container_access_type must be private');
    }
    for (const r of resourcesOf(json, 'google_storage_bucket')) {
      if (r.props.public_access_prevention !== 'enforced') f(r, 'public_access_prevention must be enforced');
      if (r.props.uniform_bucket_level_access !== true) f(r, 'uniform_bucket_level_access must be true');
    }
    const apiServices = new Set(
      [...resourcesOf(json, 'google_cloud_run_v2_service'), ...resourcesOf(json, 'google_cloudfunctions2_function')]
        .filter((r) => String(r.props.name ?? '').endsWith('-api'))
        .map((r) => r.address),
    );
    for (const r of allResources(json).filter((x) => x.type.startsWith('google_') && x.type.endsWith('_iam_member'))) {
      if (r.props.member !== 'allUsers' && r.props.member !== 'allAuthenticatedUsers') continue;
      const ok = r.type === 'google_cloud_run_v2_service_iam_member' && r.props.role === 'roles/run.invoker' && [...apiServices].some((a) => references(r.props.name, a));
      if (!ok) f(r, `${String(r.props.member)} may only invoke the API service`);
    }
    return out;
  },
};

export const POLICY_RULES: readonly PolicyRule[] = [
  noPublicDatabase,
  tlsRequired,
  encryptionAtRest,
  noPlainSecrets,
  noSecretOutputs,
  generatedSecretsStored,
  deletionProtection,
  backups,
  leastPrivilege,
  noPublicStorage,
];

export function checkPolicies(json: TerraformJson, options: PolicyOptions): Finding[] {
  return POLICY_RULES.flatMap((rule) => rule.check(json, options));
}

/** Whether a stack has a database server at all (for tests that want to know a rule had something to look at). */
export function databaseServers(json: TerraformJson): ResourceRef[] {
  return DATABASE_SERVERS.flatMap((type) => resourcesOf(json, type));
}
