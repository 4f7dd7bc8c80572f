// Creates the target database before migrating where the server does not: Amazon RDS for SQL Server (like a fresh
// SQL Server anywhere) has no database but `master` and the system ones, while DATABASE_URL (or DJANGO_DB_NAME, default
// `flagstack` in the stacks) names the one the API uses. The migrate step therefore connects to `master` first and
// creates the database when it is missing. PostgreSQL, MySQL and Oracle deployments get theirs from the platform
// (RDS `DBName`, Cloud SQL / Azure database resources, an Oracle schema), and SQLite creates its file itself.
import { sql, type Kysely } from 'kysely';
import { parseDatabaseUrl, parseMssqlUrl } from './database-url';
import { connect } from './connect';

export class DatabaseCreateError extends Error {}

/** `[name]` with `]` doubled: the only quoting CREATE DATABASE takes (the name cannot be a parameter). */
export function quoteMssqlName(name: string): string {
  return `[${name.replace(/\]/g, ']]')}]`;
}

/** SQL Server databases that exist on every server and are never created or migrated into by flagstack. */
const SYSTEM_DATABASES = new Set(['master', 'model', 'msdb', 'tempdb', 'rdsadmin']);

export interface MssqlDatabaseTarget {
  /** The database DATABASE_URL names. */
  database: string;
  /** The same URL pointed at `master`, where the database is looked up and created. */
  masterUrl: string;
  user: string;
}

/** The database to ensure for a DATABASE_URL, or undefined when nothing is to be created (not SQL Server, or a system database). */
export function mssqlDatabaseTarget(url: string): MssqlDatabaseTarget | undefined {
  const parsed = parseDatabaseUrl(url);
  if (parsed.engine !== 'mssql') return undefined;
  const settings = parseMssqlUrl(parsed.url!);
  if (SYSTEM_DATABASES.has(settings.database.toLowerCase())) return undefined;
  const master = new URL(parsed.url!);
  master.pathname = '/master';
  return { database: settings.database, masterUrl: master.toString(), user: settings.user };
}

/** The SQL Server error number of a driver error (tedious' RequestError carries `number`), wherever it is wrapped. */
function sqlServerErrorNumber(error: unknown): number | undefined {
  for (let e = error as { number?: unknown; cause?: unknown; originalError?: unknown } | undefined, depth = 0; e && depth < 4; depth++) {
    if (typeof e.number === 'number') return e.number;
    e = (e.originalError ?? e.cause) as typeof e;
  }
  return undefined;
}

/** 262: CREATE DATABASE permission denied in database 'master'; 1801: the database already exists (created meanwhile). */
const PERMISSION_DENIED = 262;
const ALREADY_EXISTS = 1801;

/**
 * On a connection to `master`: creates `database` unless it exists. Idempotent, and safe when two migrations start
 * at once (the loser's "already exists" counts as success). A login without CREATE DATABASE gets an error that says
 * what to do instead of the server's bare refusal.
 */
export async function ensureMssqlDatabase(master: Kysely<any>, database: string, user = 'the login'): Promise<'exists' | 'created'> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const found = await sql<{ id: number | null }>`select db_id(${database}) as id`.execute(master);
  if (found.rows[0]?.id !== null && found.rows[0]?.id !== undefined) return 'exists';
  try {
    await sql.raw(`create database ${quoteMssqlName(database)}`).execute(master);
    return 'created';
  } catch (error) {
    const number = sqlServerErrorNumber(error);
    if (number === ALREADY_EXISTS) return 'exists';
    const message = (error as Error).message ?? String(error);
    if (number === PERMISSION_DENIED || /CREATE DATABASE permission denied/i.test(message)) {
      throw new DatabaseCreateError(
        `SQL Server database "${database}" does not exist and ${user === 'the login' ? 'the login' : `the login "${user}"`} may not create it ` +
          `(${message}). Create it once as an administrator (CREATE DATABASE ${quoteMssqlName(database)}) or grant the login ` +
          'CREATE ANY DATABASE, then run the migration again.',
      );
    }
    throw new DatabaseCreateError(`SQL Server database "${database}" does not exist and could not be created: ${message}`);
  }
}

/**
 * The first step of every migration (`flagstack migrate`, the function runtimes' migrate job, MIGRATE_ON_START): on
 * SQL Server, connects to `master` with the URL's credentials and creates the database the URL names when it is
 * missing. Other engines: nothing to do (connect() loads the SQL Server driver only for SQL Server).
 */
export async function ensureDatabaseExists(
  url: string,
  log: (line: string) => void = () => undefined,
): Promise<'exists' | 'created' | 'not-applicable'> {
  const target = mssqlDatabaseTarget(url);
  if (!target) return 'not-applicable';
  const master = await connect(target.masterUrl, { poolMax: 1 });
  try {
    const result = await ensureMssqlDatabase(master.db, target.database, target.user);
    if (result === 'created') log(`created SQL Server database ${quoteMssqlName(target.database)}`);
    return result;
  } finally {
    await master.close();
  }
}
