// Builds the API from a configuration: connect, migrate (unless switched off), create the first admin from
// ADMIN_EMAIL/ADMIN_PASSWORD, start the environment cache and build the app. Every runtime starts through here.
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { AppConfig } from '../config';
import { connect } from '../store/connect';
import { migrateToLatest } from '../store/migrate';
import { ensureDatabaseExists } from '../store/ensure-database';
import { Store } from '../store/store';
import { EnvironmentCache } from '../services/sdk/environment-cache';
import { createChangeFeed } from '../store/change-feed';
import { ensureFirstAdmin, type CreateAdminResult } from '../services/users';
import { buildApp, LOG_REDACT } from '../http/app';
import { VERSION } from '../version';

export interface ApiRuntime {
  app: FastifyInstance;
  store: Store;
  cache: EnvironmentCache;
  migrations: string[];
  firstAdmin: CreateAdminResult | null;
  databaseDescription: string;
  close(): Promise<void>;
}

export interface BootstrapOptions {
  logger?: FastifyServerOptions['logger'];
  /**
   * PostgreSQL: the read path's hottest queries as named prepared statements (store/prepared-statements.ts). The
   * long-running server turns it on; the function runtimes leave it off (RDS Proxy pins a session that prepares).
   */
  preparedStatements?: boolean;
}

export function loggerOptions(config: AppConfig): FastifyServerOptions['logger'] {
  if (config.logLevel === 'silent') return false;
  return { level: config.logLevel, redact: { paths: LOG_REDACT, censor: '[redacted]' } };
}

export async function createApiRuntime(config: AppConfig, options: BootstrapOptions = {}): Promise<ApiRuntime> {
  // Migrating at start includes creating a missing SQL Server database (a no-op on every other engine).
  if (config.database.migrateOnStart) await ensureDatabaseExists(config.database.url);
  const connection = await connect(config.database.url, { poolMax: config.database.poolMax, tls: config.database.tls, preparedStatements: options.preparedStatements });
  const store = new Store(connection);
  let cache: EnvironmentCache | undefined;
  try {
    const migrations = config.database.migrateOnStart ? await migrateToLatest(connection) : [];
    const firstAdmin = await ensureFirstAdmin(store, config.admin.email, config.admin.password);
    // Polling on every engine bounds staleness; on PostgreSQL LISTEN/NOTIFY makes other processes' changes near-instant.
    const feed = createChangeFeed(store, config.database.url, { tls: config.database.tls });
    cache = new EnvironmentCache(store, { pollIntervalMs: config.cache.pollIntervalMs, feed });
    const app = await buildApp(
      { store, cache, settings: { tokenTtlHours: config.auth.tokenTtlHours }, config },
      { logger: options.logger ?? loggerOptions(config), trustProxy: config.trustProxy, version: VERSION },
    );
    cache.setLogger(app.log);
    cache.start();
    const started = cache;
    return {
      app,
      store,
      cache: started,
      migrations,
      firstAdmin,
      databaseDescription: connection.description,
      close: async () => {
        await started.stop();
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await cache?.stop();
    await store.close().catch(() => undefined);
    throw error;
  }
}
