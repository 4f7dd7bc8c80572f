// What every function runtime (Lambda, Azure Functions, Cloud Functions) shares: the API is built once per cold
// start, lazily on the first invocation, and reused by every later invocation of the same instance. A failed start
// is not cached, so the next invocation tries again (a database that was briefly unreachable must not poison the
// instance for its whole life).
import { ConfigError, loadConfig, type AppConfig, type Env } from '../config';
import { createApiRuntime, type ApiRuntime } from './bootstrap';
import { connect } from '../store/connect';
import { migrateToLatest } from '../store/migrate';
import { ensureDatabaseExists } from '../store/ensure-database';
import { Store } from '../store/store';
import { publishDueChanges } from '../services/workflows/scheduler';

export type FunctionRuntimeName = 'lambda' | 'azure' | 'gcp';

export interface FunctionAppOptions {
  runtime: FunctionRuntimeName;
  /** Turns the process environment into the one loadConfig reads (Lambda resolves `<NAME>_SECRET_ARN` here). */
  prepareEnv?: (env: Env) => Promise<Env>;
}

/** Thrown when a function bundle is pointed at SQLite: the native driver is not part of function packages. */
export class MissingDriverError extends Error {}

/** Loads the configuration for a function runtime: the environment as prepared, validated as function packaging. */
export async function loadFunctionConfig(options: FunctionAppOptions, env: Env = process.env): Promise<AppConfig> {
  const prepared = options.prepareEnv ? await options.prepareEnv(env) : env;
  const config = loadConfig(prepared, { packaging: 'function' });
  // Left unresolved, a secret ARN would silently leave its variable at the default (DATABASE_URL → SQLite).
  const unresolved = Object.keys(config.secretArns);
  if (unresolved.length > 0) {
    throw new ConfigError(
      unresolved.map((name) => ({
        variable: `${name}_SECRET_ARN`,
        problem: `AWS Secrets Manager ARNs are resolved on Lambda only; on ${options.runtime} give ${name} through the platform's secret reference`,
      })),
    );
  }
  return config;
}

/** Rewrites "Cannot find module 'better-sqlite3'" into an error that says what to do. */
export function explainStartError(error: unknown, config: AppConfig | undefined): Error {
  const err = error as NodeJS.ErrnoException;
  if ((err?.code === 'MODULE_NOT_FOUND' || err?.code === 'ERR_MODULE_NOT_FOUND') && /better-sqlite3/.test(err.message ?? '') && config?.database.engine === 'sqlite') {
    return new MissingDriverError(
      'DATABASE_URL points at SQLite, but this function bundle does not carry the native better-sqlite3 driver ' +
        '(function packages are meant for PostgreSQL or MySQL). Use a postgres:// or mysql:// DATABASE_URL, or install ' +
        'better-sqlite3 next to the bundle (node_modules/better-sqlite3) for local experiments.',
    );
  }
  return err instanceof Error ? err : new Error(String(error));
}

/** Returns a getter that builds the API on first use and then always answers the same instance. */
export function lazyApiRuntime(options: FunctionAppOptions): () => Promise<ApiRuntime> {
  let pending: Promise<ApiRuntime> | undefined;
  return () => {
    pending ??= start(options).catch((error) => {
      pending = undefined;
      throw error;
    });
    return pending;
  };
}

async function start(options: FunctionAppOptions): Promise<ApiRuntime> {
  let config: AppConfig | undefined;
  try {
    config = await loadFunctionConfig(options);
    return await createApiRuntime(config);
  } catch (error) {
    const explained = explainStartError(error, config);
    // The platform's log is the only place an operator sees why the function does not start.
    const prefix = explained instanceof ConfigError ? 'configuration error\n' : '';
    process.stderr.write(`flagstack (${options.runtime}): could not start: ${prefix}${explained.message}\n`);
    throw explained;
  }
}

export interface MigrationResult {
  /** Names of the migrations this run applied (empty when the schema was already current). */
  applied: string[];
}

/**
 * The deploy-time migration job of every function packaging: create the database where the server has none (SQL
 * Server, through `master`), connect, migrate to the latest schema, disconnect.
 */
export async function runMigrations(options: FunctionAppOptions, env: Env = process.env): Promise<MigrationResult> {
  let config: AppConfig | undefined;
  try {
    config = await loadFunctionConfig(options, env);
    await ensureDatabaseExists(config.database.url, (line) => process.stdout.write(`flagstack (${options.runtime}): ${line}\n`));
    const connection = await connect(config.database.url, { poolMax: 1, tls: config.database.tls });
    try {
      return { applied: await migrateToLatest(connection) };
    } finally {
      await connection.close();
    }
  } catch (error) {
    throw explainStartError(error, config);
  }
}

export interface SchedulerResult {
  /** Scheduled changes made live by this pass. */
  published: number;
}

/**
 * One pass of the scheduled-changes job: publishes every committed change whose live_from has come, exactly once
 * even when passes overlap (services/workflows/scheduler.ts). Its own short-lived connection, like the migration job.
 */
export async function runSchedulerPass(options: FunctionAppOptions): Promise<SchedulerResult> {
  let config: AppConfig | undefined;
  try {
    config = await loadFunctionConfig(options);
    const store = new Store(await connect(config.database.url, { poolMax: 2, tls: config.database.tls }));
    try {
      return { published: await publishDueChanges(store) };
    } finally {
      await store.close();
    }
  } catch (error) {
    throw explainStartError(error, config);
  }
}
