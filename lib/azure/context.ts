// What every Azure construct of a stack shares: the environment, its resource group and location, tags, and the
// random suffix that makes globally unique names (Key Vault, storage account, database server) unique.
import type { EnvironmentConfig } from '../config';

export interface AzureContext {
  env: EnvironmentConfig;
  resourceGroupName: string;
  location: string;
  tags: Record<string, string>;
  /** `<project>-<environment>`. */
  stem: string;
  /** Six lower-case letters and digits, fixed at first deploy (a random_string in the state). */
  suffix: string;
}
