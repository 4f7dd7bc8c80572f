// The dialect factory: DATABASE_URL in, a Kysely instance out. Every engine difference that services could notice
// is answered here (through `EngineTraits`), in the dialects (api/src/store/dialects) or in the repositories' row
// mappers, never in services. URL forms (docs/databases.md):
//   sqlite:./data/flagstack.db · postgres://user:pass@host:5432/db · mysql://user:pass@host:3306/db
//   mssql://user:pass@host:1433/db?encrypt=true&trustServerCertificate=false[&instanceName=…&connectTimeout=10]
//   oracle://user:pass@host:1521/service_name[?ssl=true&connectTimeout=10]
// The SQL Server and Oracle drivers (like pg, mysql2 and better-sqlite3) are imported only for their engine.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, MysqlDialect, PostgresDialect, sql, type Dialect } from 'kysely';
import { StoreSqliteDialect } from './dialects/sqlite-dialect';
import { driverTlsOptions, type DatabaseTls } from './tls';
import type { Database } from './schema';
import { parseDatabaseUrl, parseMssqlUrl, parseOracleUrl, type Engine } from './database-url';
import { wrapSqlite } from './sqlite-connection';
import { preparingPool } from './prepared-statements';
// The dialect classes are small and load no driver: tedious, tarn and oracledb are imported inside, on first use.
import { createMssqlDialect, createOracleDialect } from './dialects/server-dialects';

export interface EngineTraits {
  engine: Engine;
  /** INSERT … RETURNING is available (Oracle: RETURNING … INTO, which its dialect reads back as rows). */
  supportsReturning: boolean;
  /** SQL Server's INSERT … OUTPUT inserted.… (it has no RETURNING). Neither: the driver reports the inserted id (MySQL). */
  supportsOutput: boolean;
}

export interface Connection {
  db: Kysely<Database>;
  traits: EngineTraits;
  /** Where the data lives, without credentials: for logs and the start banner. */
  description: string;
  close(): Promise<void>;
}

export interface ConnectOptions {
  poolMax?: number;
  /** TLS to PostgreSQL and MySQL (DATABASE_TLS); SQL Server and Oracle take theirs from the URL. */
  tls?: DatabaseTls;
  /** PostgreSQL: send the read path's registered queries as named statements (prepared-statements.ts). */
  preparedStatements?: boolean;
}

export class DatabaseConnectError extends Error {}

export async function connect(url: string, options: ConnectOptions = {}): Promise<Connection> {
  const parsed = parseDatabaseUrl(url);
  const poolMax = options.poolMax ?? 10;
  let dialect: Dialect;
  let description: string;
  let target: { where: string; timeoutSeconds: number } | undefined;
  switch (parsed.engine) {
    case 'sqlite': {
      const Sqlite = (await import('better-sqlite3')).default;
      const filename = parsed.filename === ':memory:' ? ':memory:' : resolve(parsed.filename!);
      if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
      const raw = new Sqlite(filename);
      raw.pragma('journal_mode = WAL');
      raw.pragma('foreign_keys = ON');
      raw.pragma('synchronous = NORMAL');
      dialect = new StoreSqliteDialect({ database: wrapSqlite(raw) });
      description = `sqlite ${filename}`;
      break;
    }
    case 'postgres': {
      const { Pool } = await import('pg');
      // An sslmode in the URL itself still wins: pg reads the connection string over these options.
      const ssl = driverTlsOptions(options.tls);
      const pool = new Pool({ connectionString: parsed.url, max: poolMax, connectionTimeoutMillis: 10_000, ...(ssl ? { ssl } : {}) });
      // An idle client's error (server restart) must not crash the process; the pool replaces the client.
      pool.on('error', () => undefined);
      dialect = new PostgresDialect({ pool: options.preparedStatements ? preparingPool(pool as never) : pool });
      description = `postgres ${redactUrl(parsed.url!)}`;
      break;
    }
    case 'mysql': {
      const mysql = await import('mysql2');
      const ssl = driverTlsOptions(options.tls);
      const pool = mysql.createPool({
        uri: parsed.url,
        ...(ssl ? { ssl } : {}),
        connectionLimit: poolMax,
        timezone: 'Z',
        connectTimeout: 10_000,
        // BOOLEAN is TINYINT(1): read it back as a boolean like PostgreSQL does.
        typeCast: (field, next) => (field.type === 'TINY' && field.length === 1 ? field.string() === '1' : next()),
      });
      dialect = new MysqlDialect({ pool: pool as never });
      description = `mysql ${redactUrl(parsed.url!)}`;
      break;
    }
    case 'mssql': {
      const settings = parseMssqlUrl(parsed.url!);
      dialect = await createMssqlDialect(settings, poolMax);
      const where = settings.instanceName ? `${settings.host}\\${settings.instanceName}` : `${settings.host}:${settings.port}`;
      description = `mssql ${where}/${settings.database}`;
      target = { where, timeoutSeconds: settings.connectTimeoutSeconds };
      break;
    }
    case 'oracle': {
      const settings = parseOracleUrl(parsed.url!);
      dialect = await createOracleDialect(settings, poolMax);
      description = `oracle ${settings.connectString}`;
      target = { where: settings.connectString, timeoutSeconds: settings.connectTimeoutSeconds };
      break;
    }
  }
  const db = new Kysely<Database>({ dialect });
  const traits = engineTraits(parsed.engine);
  // SQL Server and Oracle connect now, so a wrong URL or a missing server stops the start with a clear message.
  if (target) await verifyConnection(db, parsed.engine, target);
  return { db, traits, description, close: () => db.destroy() };
}

export function engineTraits(engine: Engine): EngineTraits {
  return { engine, supportsReturning: engine !== 'mysql' && engine !== 'mssql', supportsOutput: engine === 'mssql' };
}

const ENGINE_NAMES: Record<Engine, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL', mysql: 'MySQL', mssql: 'SQL Server', oracle: 'Oracle' };

/**
 * Runs `select 1` within the connect timeout (plus a margin, so a driver that ignores its timeout cannot hang the
 * start). On failure the pool is closed and the error names the engine, the server and the cause.
 */
async function verifyConnection(db: Kysely<Database>, engine: Engine, target: { where: string; timeoutSeconds: number }): Promise<void> {
  const limitMs = (target.timeoutSeconds + 5) * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${limitMs / 1000} s`)), limitMs);
  });
  try {
    await Promise.race([db.selectNoFrom(sql<number>`1`.as('ok')).execute(), timeout]);
  } catch (error) {
    await Promise.race([db.destroy().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
    throw new DatabaseConnectError(`cannot connect to the ${ENGINE_NAMES[engine]} database at ${target.where}: ${describeCause(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

function describeCause(error: unknown): string {
  // Drivers wrap the socket error (tedious: ConnectionError → cause: AggregateError → errors[]): show the innermost
  // messages after the outer one, each once.
  const messages: string[] = [];
  const walk = (e: unknown, depth: number) => {
    if (!e || depth > 4) return;
    const x = e as { message?: string; errors?: unknown[]; cause?: unknown };
    const message = (x.message ?? String(e)).replace(/\s+/g, ' ').trim();
    if (message && !messages.some((m) => m.includes(message))) messages.push(message);
    if (Array.isArray(x.errors)) x.errors.forEach((inner) => walk(inner, depth + 1));
    walk(x.cause, depth + 1);
  };
  walk(error, 0);
  if (messages.length === 0) return 'unknown error';
  return messages.length === 1 ? messages[0]! : `${messages[0]} (${messages.slice(1).join('; ')})`;
}

/** Drops the password from a connection URL so it can be logged. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '****';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//****@');
  }
}
