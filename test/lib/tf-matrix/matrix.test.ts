// Every combination the kit supports on Azure and GCP — cloud × packaging × database engine, plus a prod variant per
// cloud with high availability, deletion protection, AppDynamics and LDAP — synthesized and checked: the policies find
// nothing, the database is the engine asked for, the packaging's resources (and only those) are there, and the
// environment every API compute gets is the one lib/common's apiEnvironment() builds and api/src/config.ts accepts.
import { validateEnv } from '../../../api/src/config';
import { apiEnvironment } from '../../../lib/common/api-environment';
import type { EnvironmentConfig } from '../../../lib/config';
import { PLATFORM_SETTING } from '../../../lib/azure/api-function';
import { GCP_RESERVED_VARIABLES } from '../../../lib/gcp/run-environment';
import { PLATFORM_VARIABLES } from '../../../lib/tf-common/api-env';
import { checkPolicies, formatFinding } from '../../../lib/tf-common/policy';
import type { TerraformJson } from '../../../lib/tf-common/tf-json';
import { APPD, AZURE, GCP, LDAP, all, environment, only, synthStack } from '../tf-common/helpers';

type Engine = 'postgres' | 'mysql' | 'sqlserver';
const ENGINES: Engine[] = ['postgres', 'mysql', 'sqlserver'];
const PACKAGINGS = ['container', 'function'] as const;
const CLOUDS = { azure: AZURE, gcp: GCP } as const;

const DATABASE: Record<'azure' | 'gcp', Record<Engine, [string, Record<string, unknown>]>> = {
  azure: {
    postgres: ['azurerm_postgresql_flexible_server', { version: '16' }],
    mysql: ['azurerm_mysql_flexible_server', { version: '8.0.21' }],
    sqlserver: ['azurerm_mssql_server', { version: '12.0' }],
  },
  gcp: {
    postgres: ['google_sql_database_instance', { database_version: 'POSTGRES_16' }],
    mysql: ['google_sql_database_instance', { database_version: 'MYSQL_8_0' }],
    sqlserver: ['google_sql_database_instance', { database_version: 'SQLSERVER_2022_STANDARD' }],
  },
};

const CONTAINER_TYPES = { azure: ['azurerm_container_app', 'azurerm_container_app_job'], gcp: ['google_cloud_run_v2_service', 'google_cloud_run_v2_job'] };
const FUNCTION_TYPES = { azure: ['azurerm_linux_function_app', 'azurerm_storage_blob'], gcp: ['google_cloudfunctions2_function', 'google_storage_bucket_object'] };

interface EmittedEnvironment {
  plain: Record<string, string>;
  secrets: string[];
}

/** The environment the API compute of a synthesized stack receives, read back from the JSON. */
export function emittedEnvironment(json: TerraformJson, cloud: 'azure' | 'gcp', packaging: 'container' | 'function'): EmittedEnvironment {
  const plain: Record<string, string> = {};
  const secrets: string[] = [];
  if (cloud === 'azure' && packaging === 'container') {
    for (const e of only(json, 'azurerm_container_app').template.container[0].env) {
      if (e.secret_name) secrets.push(e.name);
      else plain[e.name] = e.value;
    }
  } else if (cloud === 'azure') {
    for (const [name, value] of Object.entries(only(json, 'azurerm_linux_function_app').app_settings as Record<string, string>)) {
      if (PLATFORM_SETTING.test(name)) continue;
      if (value.startsWith('@Microsoft.KeyVault(')) secrets.push(name);
      else plain[name] = value;
    }
  } else if (packaging === 'container') {
    for (const e of only(json, 'google_cloud_run_v2_service').template.containers[0].env) {
      if (e.value_source) secrets.push(e.name);
      else plain[e.name] = e.value;
    }
  } else {
    const api = all(json, 'google_cloudfunctions2_function').find((f) => String(f.name).endsWith('-api'))!;
    Object.assign(plain, api.service_config.environment_variables);
    secrets.push(...api.service_config.secret_environment_variables.map((s: { key: string }) => s.key));
  }
  return { plain, secrets };
}

function expectSound(env: EnvironmentConfig, json: TerraformJson): void {
  const findings = checkPolicies(json, { deletionProtection: env.database.deletionProtection });
  expect(findings.map(formatFinding)).toEqual([]);
  const emitted = emittedEnvironment(json, env.cloud as 'azure' | 'gcp', env.packaging);
  // Built by apiEnvironment(): the same names, plain and secret, plus TRUST_PROXY (GCP drops the variables it reserves
  // and sets itself).
  const expected = apiEnvironment(env, { host: 'h', port: '1', name: 'n', user: 'u' }, { adminEmail: env.auth.adminEmail });
  const reserved: readonly string[] = env.cloud === 'gcp' ? GCP_RESERVED_VARIABLES : [];
  const expectedPlain = [...Object.keys(expected.variables), ...Object.keys(PLATFORM_VARIABLES)].filter((n) => !reserved.includes(n));
  if (env.cloud === 'gcp' && env.packaging === 'container' && env.appDynamics?.enabled) expectedPlain.push('APPDYNAMICS_CONFIG_PATH');
  expect(Object.keys(emitted.plain).sort()).toEqual(expectedPlain.sort());
  expect(emitted.secrets.sort()).toEqual(Object.keys(expected.secrets).sort());
  // And the API accepts it, as the packaging it runs as, once the secret store has filled in the secrets.
  const filled = Object.fromEntries(emitted.secrets.map((n) => [n, n === 'FLAGSTACK_ENCRYPTION_KEY' ? 'ab'.repeat(32) : 'secret-value-123456']));
  expect(validateEnv({ ...emitted.plain, ...filled }, { packaging: env.packaging })).toEqual([]);
  expect(emitted.plain).toMatchObject({ TRUST_PROXY: 'true', MIGRATE_ON_START: 'true' });
}

describe.each(Object.keys(CLOUDS) as ('azure' | 'gcp')[])('%s', (cloud) => {
  describe.each(PACKAGINGS)('%s packaging', (packaging) => {
    test.each(ENGINES)('%s: policies clean, the right database and compute, the API environment', (engine) => {
      const env = environment({ ...CLOUDS[cloud], packaging, database: { engine } });
      const { json } = synthStack(env);
      const [type, props] = DATABASE[cloud][engine];
      expect(only(json, type)).toMatchObject(props);
      for (const t of packaging === 'container' ? CONTAINER_TYPES[cloud] : FUNCTION_TYPES[cloud]) expect(all(json, t).length).toBeGreaterThan(0);
      for (const t of packaging === 'container' ? FUNCTION_TYPES[cloud] : CONTAINER_TYPES[cloud]) expect(all(json, t)).toEqual([]);
      expectSound(env, json);
    });
  });

  test.each(PACKAGINGS)('prod with HA, deletion protection, AppDynamics and LDAP (%s): policies clean with deletion protection enforced', (packaging) => {
    const appDynamics = packaging === 'function' ? { ...APPD, agentPath: '/opt/appdynamics' } : APPD;
    const env = environment({ ...CLOUDS[cloud], packaging, prod: true, appDynamics, auth: { adminEmail: 'admin@example.com', ldap: LDAP } });
    expect(env.database).toMatchObject({ highAvailability: true, deletionProtection: true });
    const { json } = synthStack(env);
    expectSound(env, json);
  });
});

describe('combinations a cloud cannot host', () => {
  test.each(['azure', 'gcp'] as const)('oracle on %s is rejected by the config validation, with a message', (cloud) => {
    expect(() => environment({ ...CLOUDS[cloud], database: { engine: 'oracle' } })).toThrow(
      'environments[0].database.engine: oracle is only available on aws (Azure and GCP have no managed Oracle)',
    );
  });

  test('and the stacks refuse one that bypassed the validation, before synthesizing anything', () => {
    const env = { ...environment(AZURE), database: { ...environment(AZURE).database, engine: 'oracle' as const } };
    expect(() => synthStack(env)).toThrow('oracle is not available on azure');
    expect(() => synthStack({ ...env, cloud: 'gcp', region: 'europe-west1' })).toThrow('oracle is not available on gcp');
  });
});
