// The contract between the kit and the API: every variable the stacks emit is one api/src/config.ts reads, secrets
// never travel as plain values, and the whole set loads with the API's own schema.
import { join } from 'node:path';
import { validateEnv } from '../../../api/src/config';
import { loadDeploymentConfig } from '../../../lib/config';
import { apiEnvironment, contractViolations } from '../../../lib/common/api-environment';

const root = join(__dirname, '..', '..', '..');
const config = loadDeploymentConfig(join(root, 'flagstack.config.json'));
const endpoint = { host: 'db.internal', port: '5432', name: 'flagstack', user: 'flagstack' };

describe.each(config.environments.map((e) => [e.name, e] as const))('API environment of %s', (_name, env) => {
  const result = apiEnvironment(env, endpoint, { adminEmail: 'admin@example.com' });

  test('uses only variables the API reads, and no secret as a plain value', () => {
    expect(contractViolations(result)).toEqual([]);
  });

  test('loads with the API schema once secrets are filled in', () => {
    const filled = Object.fromEntries(Object.keys(result.secrets).map((name) => [name, name === 'FLAGSTACK_ENCRYPTION_KEY' ? 'a'.repeat(64) : 'secret-value-123456']));
    expect(validateEnv({ ...result.variables, ...filled })).toEqual([]);
  });

  test('takes the database password from the database secret', () => {
    expect(result.secrets.DJANGO_DB_PASSWORD).toEqual({ kind: 'database-password' });
    expect(result.variables.DJANGO_DB_ENGINE).toBe({ postgres: 'postgresql', mysql: 'mysql', sqlserver: 'sql_server', oracle: 'oracle' }[env.database.engine]);
  });
});

test('AppDynamics reaches functions as variables with the access key from a referenced secret', () => {
  const prod = config.environments.find((e) => e.name === 'prod')!;
  const asFunction = { ...prod, packaging: 'function' as const, appDynamics: { ...prod.appDynamics!, agentPath: '/opt/appdynamics' } };
  const result = apiEnvironment(asFunction, endpoint);
  expect(result.variables).toMatchObject({ APP_DYNAMICS: 'on', APPDYNAMICS_CONTROLLER_HOST_NAME: 'example.saas.appdynamics.com', APPDYNAMICS_AGENT_TIER_NAME: 'api' });
  expect(result.secrets.APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY).toEqual({ kind: 'reference', secretName: 'flagstack/prod/appdynamics-access-key' });
  expect(contractViolations(result)).toEqual([]);
});

test('a plain secret is caught by the contract check', () => {
  expect(contractViolations({ variables: { DJANGO_DB_PASSWORD: 'x', NOT_A_VAR: '1' }, secrets: {} })).toEqual([
    'DJANGO_DB_PASSWORD: a secret emitted as a plain value',
    'NOT_A_VAR: not a variable the API reads',
  ]);
});
