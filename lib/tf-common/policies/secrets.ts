// FS-SEC1..3: secrets never in plain environment values or outputs; generated secrets go from random_* straight into
// the secret store (and the database), nowhere else.
import { SECRET_ENV_VARS } from '../../../api/src/config';
import { allResources, blocks, get, resourcesOf, stringsIn, type Json, type ResourceRef } from '../tf-json';
import { finding, type PolicyRule, type Finding } from './rule';

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

export const noPlainSecrets: PolicyRule = {
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

export const noSecretOutputs: PolicyRule = {
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

export const generatedSecretsStored: PolicyRule = {
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
