import type { AppConfig } from '../config';
import type { Store } from '../store/store';
import type { EnvironmentCache } from '../services/sdk/environment-cache';

/** What the HTTP layer is built from. */
export interface AppDependencies {
  store: Store;
  cache: EnvironmentCache;
  settings: HttpSettings;
  /** The runtime configuration (session policy, login providers, UI settings); defaults apply when absent. */
  config?: AppConfig;
}

export interface HttpSettings {
  /** Lifetime of tokens issued by password login, in hours (0 = no expiry). */
  tokenTtlHours: number;
}
