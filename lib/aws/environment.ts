// The API's environment on AWS: lib/common's apiEnvironment (the same for every cloud) plus what this platform adds.
// Every name stays one api/src/config.ts reads; the contract test checks the synthesized templates against it.
import { apiEnvironment, type ApiEnvironment, type DatabaseEndpoint } from '../common/api-environment';
import type { EnvironmentConfig } from '../config';

/** Where a Lambda layer puts a Node.js module (NODE_PATH includes /opt/nodejs/node_modules). */
export const LAYER_AGENT_PATH = '/opt/nodejs/node_modules/appdynamics';

/**
 * The API's variables and secrets on AWS:
 * - MIGRATE_ON_START=false: the migration job applies the schema before traffic shifts; instances must not race it;
 * - TRUST_PROXY=true: the load balancer or API Gateway sets X-Forwarded-For (client addresses for login throttling);
 * - functions: DATABASE_POOL_MAX=2 (an instance serves one request at a time; RDS Proxy pools across instances), and
 *   with AppDynamics the agent from the layer at its layer path unless the config names another.
 */
export function awsApiEnvironment(env: EnvironmentConfig, database: DatabaseEndpoint): ApiEnvironment {
  const result = apiEnvironment(env, database, { adminEmail: env.auth.adminEmail });
  const variables = result.variables;
  variables.MIGRATE_ON_START = 'false';
  variables.TRUST_PROXY = 'true';
  if (env.packaging === 'function') {
    variables.DATABASE_POOL_MAX = '2';
    if (env.appDynamics?.enabled && !variables.APPDYNAMICS_AGENT_PATH) variables.APPDYNAMICS_AGENT_PATH = LAYER_AGENT_PATH;
  }
  return result;
}

/**
 * The environment of the job functions (migration, scheduler). With packaging function they share the API's,
 * agent layer included. With packaging container the agent lives in the image, not in a Lambda bundle: the jobs run
 * with APP_DYNAMICS=off and without the agent's settings.
 */
export function jobEnvironment(env: EnvironmentConfig, api: ApiEnvironment): ApiEnvironment {
  const variables: Record<string, string> = { ...api.variables, DATABASE_POOL_MAX: '2' };
  const secrets = { ...api.secrets };
  if (env.packaging === 'container') {
    for (const name of Object.keys(variables)) if (name.startsWith('APPDYNAMICS_')) delete variables[name];
    for (const name of Object.keys(secrets)) if (name.startsWith('APPDYNAMICS_')) delete secrets[name];
    variables.APP_DYNAMICS = 'off';
    delete variables.PORT;
    delete variables.HOST;
  }
  return { variables, secrets };
}
