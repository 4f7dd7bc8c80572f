// The API's environment in Cloud Run / Cloud Functions form: plain variables as values, every secret variable as a
// Secret Manager reference (version latest) that the API's service account may read, and — for a container with
// AppDynamics — appdynamics.cfg as a secret volume. Cloud Run mounts a secret volume as a directory, and mounting
// one over /etc would hide the image's /etc, so the file is /etc/appdynamics/appdynamics.cfg and
// APPDYNAMICS_CONFIG_PATH (a variable the API reads) says so.
import type { EnvironmentConfig } from '../config';
import { stackEnvironment, type DatabaseEndpoint, type StackEnvironment } from '../tf-common/api-env';
import { renderAppDynamicsCfg } from '../common/appdynamics';
import type { GcpSecret, GcpSecretStore } from './secrets';

export const APPDYNAMICS_MOUNT = '/etc/appdynamics';
export const APPDYNAMICS_FILE = 'appdynamics.cfg';
export const APPDYNAMICS_VOLUME = 'appdynamics';
/** Variables Cloud Run and Cloud Functions reserve. */
export const GCP_RESERVED_VARIABLES = ['PORT', 'K_SERVICE', 'K_REVISION', 'K_CONFIGURATION'] as const;

export interface RunEnvironment {
  environment: StackEnvironment;
  /** Plain variables. */
  variables: Record<string, string>;
  /** Secret variables: name → secret (read as version latest). */
  secrets: Record<string, GcpSecret>;
  /** appdynamics.cfg, for a container with AppDynamics on. */
  appDynamicsConfig?: GcpSecret;
}

export function runEnvironment(env: EnvironmentConfig, endpoint: DatabaseEndpoint, store: GcpSecretStore, member: string): RunEnvironment {
  const appd = env.packaging === 'container' && env.appDynamics?.enabled ? env.appDynamics : undefined;
  const overrides: Record<string, string> = appd ? { APPDYNAMICS_CONFIG_PATH: `${APPDYNAMICS_MOUNT}/${APPDYNAMICS_FILE}` } : {};
  const environment = stackEnvironment(env, endpoint, overrides);
  // Cloud Run and Cloud Functions set PORT themselves (to the container port, 8000) and refuse it as a variable.
  for (const name of GCP_RESERVED_VARIABLES) delete environment.variables[name];
  const secrets: Record<string, GcpSecret> = {};
  for (const [name, source] of Object.entries(environment.secrets)) {
    const secret = store.secretFor(source);
    store.grantRead(secret, member, 'api');
    secrets[name] = secret;
  }
  let appDynamicsConfig: GcpSecret | undefined;
  if (appd) {
    // The file holds the access key: rendered with the hand-made secret's current value, stored as a secret.
    appDynamicsConfig = store.addSecret('appdynamics-cfg', renderAppDynamicsCfg(appd, store.currentValue(appd.accessKeySecret!)));
    store.grantRead(appDynamicsConfig, member, 'api');
  }
  return { environment, variables: environment.variables, secrets, appDynamicsConfig };
}

/** Cloud Run v2 `env` entries. */
export function cloudRunEnv(run: RunEnvironment): { name: string; value?: string; valueSource?: { secretKeyRef: { secret: string; version: string } } }[] {
  return [
    ...Object.entries(run.variables).map(([name, value]) => ({ name, value })),
    ...Object.entries(run.secrets).map(([name, secret]) => ({ name, valueSource: { secretKeyRef: { secret: secret.secretId, version: 'latest' } } })),
  ];
}

/** Cloud Run v2 volumes and mounts for appdynamics.cfg. */
export function cloudRunVolumes(run: RunEnvironment): {
  volumes: { name: string; secret: { secret: string; defaultMode: number; items: { path: string; version: string }[] } }[];
  mounts: { name: string; mountPath: string }[];
} {
  if (!run.appDynamicsConfig) return { volumes: [], mounts: [] };
  return {
    volumes: [{ name: APPDYNAMICS_VOLUME, secret: { secret: run.appDynamicsConfig.secretId, defaultMode: 0o444, items: [{ path: APPDYNAMICS_FILE, version: 'latest' }] } }],
    mounts: [{ name: APPDYNAMICS_VOLUME, mountPath: APPDYNAMICS_MOUNT }],
  };
}

/** Cloud Run (and Cloud Functions, which run on it) takes 1, 2, 4 or 8 vCPUs (fractions only with concurrency 1) and up to 4 GiB per vCPU. */
export function cloudRunResources(scaling: { cpu: number; memoryMb: number }): { cpu: number; memoryMb: number } {
  const cpu = [1, 2, 4, 8].find((c) => c >= scaling.cpu) ?? 8;
  return { cpu, memoryMb: Math.min(cpu * 4096, Math.max(512, scaling.memoryMb)) };
}
