// Rules that depend on how the API is packaged. A function bundle (Lambda, Azure Functions, Cloud Functions)
// cannot carry the AppDynamics agent and has no file system to mount /etc/appdynamics.cfg into, so with
// APP_DYNAMICS on it needs a customer-supplied agent (a Lambda layer or a path, named by APPDYNAMICS_AGENT_PATH)
// and its settings as APPDYNAMICS_* variables, the access key from the secret store.
import type { AppConfig } from './app-config';
import type { RuntimeEnvName } from './env-schema';
import type { ConfigIssue } from './errors';

export type Packaging = 'container' | 'function';

export interface LoadOptions {
  /** How the API is packaged; `function` adds the function-only rules. Default `container`. */
  packaging?: Packaging;
}

/** The AppDynamics settings a function packaging must receive as variables. */
export const APPDYNAMICS_FUNCTION_REQUIRED: readonly RuntimeEnvName[] = [
  'APPDYNAMICS_CONTROLLER_HOST_NAME',
  'APPDYNAMICS_AGENT_ACCOUNT_NAME',
  'APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY',
  'APPDYNAMICS_AGENT_APPLICATION_NAME',
  'APPDYNAMICS_AGENT_TIER_NAME',
];

export function checkPackaging(
  config: AppConfig,
  present: ReadonlySet<RuntimeEnvName>,
  options: LoadOptions,
  issues: ConfigIssue[],
): void {
  if (options.packaging !== 'function' || !config.appDynamics.enabled) return;
  if (!present.has('APPDYNAMICS_AGENT_PATH')) {
    issues.push({
      variable: 'APPDYNAMICS_AGENT_PATH',
      problem:
        'required when APP_DYNAMICS is on in a function packaging: a function bundle cannot carry the agent, so name the ' +
        'customer-supplied one (a Lambda layer installs it at /opt/nodejs/node_modules/appdynamics)',
    });
  }
  const set = (name: RuntimeEnvName) => present.has(name) || name in config.secretArns;
  const missing = APPDYNAMICS_FUNCTION_REQUIRED.filter((name) => !set(name));
  for (const name of missing) {
    issues.push({
      variable: name,
      problem: 'required when APP_DYNAMICS is on in a function packaging (functions get the agent settings as variables, not from appdynamics.cfg)',
    });
  }
}
