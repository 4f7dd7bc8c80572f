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

/** The jobs a function scheduler entry runs, named by the `job` field of its event (`{ "job": "ldap-sync" }`). */
export const SCHEDULED_JOBS = ['scheduled-changes', 'ldap-sync'] as const;
export type ScheduledJobName = (typeof SCHEDULED_JOBS)[number];
/** What an event without a `job` field runs: the schedules that predate job names sent no input. */
export const DEFAULT_SCHEDULED_JOB: ScheduledJobName = 'scheduled-changes';

export interface ScheduledJobRequest {
  job: ScheduledJobName;
  /** ldap-sync only: report what would change, change nothing. */
  dryRun: boolean;
}

/**
 * Reads the job from a scheduler event: EventBridge Scheduler delivers the schedule's input as the event itself
 * (`{ "job": "ldap-sync" }`); an EventBridge rule's scheduled event (`source: aws.events`), a timer, or an empty
 * body carries none and runs the default job; Cloud Scheduler's body may arrive as bytes or text. An unknown job
 * name is an error, never a silent fallback to the default.
 */
export function scheduledJobOf(event: unknown): ScheduledJobRequest | { error: string } {
  let value = event;
  if (Buffer.isBuffer(value)) value = value.toString('utf8');
  if (typeof value === 'string') {
    if (value.trim() === '') value = undefined;
    else {
      try {
        value = JSON.parse(value);
      } catch {
        return { error: 'the scheduler event is not JSON' };
      }
    }
  }
  const fields = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
  const job = fields.job ?? DEFAULT_SCHEDULED_JOB;
  if (typeof job !== 'string' || !(SCHEDULED_JOBS as readonly string[]).includes(job)) {
    return { error: `unknown scheduled job ${JSON.stringify(job)} (known: ${SCHEDULED_JOBS.join(', ')})` };
  }
  return { job: job as ScheduledJobName, dryRun: fields.dryRun === true };
}

/** api/src/services/ldap/sync.ts as this entry calls it (a stand-in replaces it in tests). */
export interface LdapSyncModule {
  syncLdapUsersAndGroups(store: Store, config: AppConfig, options: { dryRun: boolean }): Promise<unknown>;
}

/**
 * Loads the LDAP sync on first use, so the other jobs and the API never load it. A build without the module (the
 * import stays inside `try`, which makes esbuild leave an unresolvable path to run time) or a failing load makes the
 * job report it instead of crashing the function.
 */
async function importLdapSync(): Promise<LdapSyncModule> {
  try {
    return await import('../services/ldap/sync');
  } catch (error) {
    throw new Error(`cannot load services/ldap/sync: ${(error as Error).message}`);
  }
}

export type SchedulerResult =
  | { job: 'scheduled-changes'; status: 'ok'; /** Scheduled changes made live by this pass. */ published: number }
  | { job: 'ldap-sync'; status: 'ok'; dryRun: boolean; summary: unknown }
  | { job: string; status: 'failed'; error: string };

export interface ScheduledJobDeps {
  /** The environment to load the configuration from. @default process.env */
  env?: Env;
  /** Where a failure is logged. @default stderr, prefixed with the runtime */
  logError?: (line: string) => void;
  /** @default a dynamic import of api/src/services/ldap/sync */
  loadLdapSync?: () => Promise<LdapSyncModule>;
}

/**
 * Runs the job the scheduler event names (scheduledJobOf). scheduled-changes publishes every committed change whose
 * live_from has come, exactly once even when passes overlap (services/workflows/scheduler.ts), and throws when it
 * cannot (the platform records a failed invocation), as it always has. ldap-sync, and an event naming no known job,
 * log the error and answer `status: "failed"`: a missing module or a directory that refuses the bind must not look
 * like a crashed function. Each run has its own short-lived connection, like the migration job.
 */
export async function runScheduledJob(options: FunctionAppOptions, event: unknown, deps: ScheduledJobDeps = {}): Promise<SchedulerResult> {
  const logError = deps.logError ?? ((line: string) => process.stderr.write(`flagstack (${options.runtime}): ${line}\n`));
  const request = scheduledJobOf(event);
  if ('error' in request) {
    logError(`scheduler: ${request.error}`);
    return { job: String((event as { job?: unknown } | undefined)?.job ?? 'unknown'), status: 'failed', error: request.error };
  }
  if (request.job === 'scheduled-changes') return { job: 'scheduled-changes', status: 'ok', published: (await runSchedulerPass(options, deps.env)).published };

  const failed = (error: string): SchedulerResult => {
    logError(`ldap-sync failed: ${error}`);
    return { job: 'ldap-sync', status: 'failed', error };
  };
  let config: AppConfig | undefined;
  try {
    config = await loadFunctionConfig(options, deps.env);
    if (!config.ldap.enabled) return failed('LDAP is not configured (LDAP_AUTH_URL is unset)');
    let sync: LdapSyncModule['syncLdapUsersAndGroups'];
    try {
      sync = (await (deps.loadLdapSync ?? importLdapSync)()).syncLdapUsersAndGroups;
    } catch (error) {
      return failed(`the LDAP sync is not available in this build (${(error as Error).message})`);
    }
    if (typeof sync !== 'function') return failed('the LDAP sync module does not export syncLdapUsersAndGroups');
    const store = new Store(await connect(config.database.url, { poolMax: 2, tls: config.database.tls }));
    try {
      return { job: 'ldap-sync', status: 'ok', dryRun: request.dryRun, summary: await sync(store, config, { dryRun: request.dryRun }) };
    } finally {
      await store.close();
    }
  } catch (error) {
    return failed(explainStartError(error, config).message);
  }
}

/**
 * One pass of the scheduled-changes job: publishes every committed change whose live_from has come, exactly once
 * even when passes overlap (services/workflows/scheduler.ts). Its own short-lived connection, like the migration job.
 */
export async function runSchedulerPass(options: FunctionAppOptions, env: Env = process.env): Promise<{ published: number }> {
  let config: AppConfig | undefined;
  try {
    config = await loadFunctionConfig(options, env);
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
