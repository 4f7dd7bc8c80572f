// The API's environment in Container Apps form (shared by the app and its jobs): plain variables as values, every
// secret variable as a Container Apps secret that is a Key Vault reference read with the managed identity, and
// appdynamics.cfg as a secret volume mounted at /etc/appdynamics.cfg.
import type { KeyVaultSecret } from '@cdktf/provider-azurerm/lib/key-vault-secret';
import { secretKey, type StackEnvironment } from '../tf-common/api-env';
import { APPDYNAMICS_CONFIG_FILE } from '../tf-common/runtime';
import type { AzureSecretStore } from './secrets';

/** Container Apps secret names: lower-case letters, digits and '-', starting and ending with a letter or digit. */
export function containerSecretName(key: string): string {
  return key.toLowerCase().replace(/^ref:/, 'ref-').replace(/[^a-z0-9-]/g, '-').replace(/^-+|-+$/g, '');
}

export const APPDYNAMICS_SECRET_NAME = 'appdynamics-cfg';
export const APPDYNAMICS_VOLUME = 'appdynamics';

export interface ContainerEnvironment {
  secrets: { name: string; keyVaultSecretId: string; identity: string }[];
  env: { name: string; value?: string; secretName?: string }[];
  volumes: { name: string; storageType: string }[];
  volumeMounts: { name: string; path: string; subPath?: string }[];
}

export function containerEnvironment(
  environment: StackEnvironment,
  store: AzureSecretStore,
  appDynamicsConfig: KeyVaultSecret | undefined,
): ContainerEnvironment {
  const identity = store.identity.id;
  const secrets: ContainerEnvironment['secrets'] = [];
  for (const [key, source] of environment.sources) {
    secrets.push({ name: containerSecretName(key), keyVaultSecretId: store.secretFor(source).versionlessId, identity });
  }
  const env: ContainerEnvironment['env'] = Object.entries(environment.variables).map(([name, value]) => ({ name, value }));
  for (const [name, source] of Object.entries(environment.secrets)) {
    env.push({ name, secretName: containerSecretName(secretKey(source)) });
  }
  const out: ContainerEnvironment = { secrets, env, volumes: [], volumeMounts: [] };
  if (appDynamicsConfig) {
    secrets.push({ name: APPDYNAMICS_SECRET_NAME, keyVaultSecretId: appDynamicsConfig.versionlessId, identity });
    // A Secret volume holds every secret of the app as a file; the sub-path mounts only this one, as a single file.
    out.volumes.push({ name: APPDYNAMICS_VOLUME, storageType: 'Secret' });
    out.volumeMounts.push({ name: APPDYNAMICS_VOLUME, path: APPDYNAMICS_CONFIG_FILE, subPath: APPDYNAMICS_SECRET_NAME });
  }
  return out;
}
