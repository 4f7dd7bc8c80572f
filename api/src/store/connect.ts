// The dialect factory: DATABASE_URL in, a Kysely instance out. Every engine difference that services could notice
// is answered here (through `EngineTraits`) or in the repositories' row mappers, never in services.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import type { Database } from './schema';
import { parseDatabaseUrl, type Engine } from './database-url';
import { wrapSqlite } from './sqlite-connection';

export interface EngineTraits {
  engine: Engine;
  /** INSERT … RETURNING is available (else the driver reports the inserted id). */
  supportsReturning: boolean;
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
}

export class DatabaseConnectError extends Error {}

export async function connect(url: string, options: ConnectOptions = {}): Promise<Connection> {
  const parsed = parseDatabaseUrl(url);
  const poolMax = options.poolMax ?? 10;
  let dialect: Dialect;
  let description: string;
  switch (parsed.engine) {
    case 'sqlite': {
      const Sqlite = (await import('better-sqlite3')).default;
      const filename = parsed.filename === ':memory:' ? ':memory:' : resolve(parsed.filename!);
      if (filename !== ':memory:') mkdirSync(dirname(filename), { recursive: true });
      const raw = new Sqlite(filename);
      raw.pragma('journal_mode = WAL');
      raw.pragma('foreign_keys = ON');
      raw.pragma('busy_timeout = 5000');
      raw.pragma('synchronous = NORMAL');
      dialect = new SqliteDialect({ database: wrapSqlite(raw) });
      description = `sqlite ${filename}`;
      break;
    }
    case 'postgres': {
      const { Pool } = await import('pg');
      const pool = new Pool({ connectionString: parsed.url, max: poolMax, connectionTimeoutMillis: 10_000 });
      // An idle client's error (server restart) must not crash the process; the pool replaces the client.
      pool.on('error', () => undefined);
      dialect = new PostgresDialect({ pool });
      description = `postgres ${redactUrl(parsed.url!)}`;
      break;
    }
    case 'mysql': {
      const mysql = await import('mysql2');
      const pool = mysql.createPool({
        uri: parsed.url,
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
    default:
      throw new DatabaseConnectError(
        `DATABASE_URL: the ${parsed.engine} engine is not available in this build yet (supported: sqlite, postgres, mysql)`,
      );
  }
  const db = new Kysely<Database>({ dialect });
  const traits: EngineTraits = { engine: parsed.engine, supportsReturning: parsed.engine !== 'mysql' };
  return { db, traits, description, close: () => db.destroy() };
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
