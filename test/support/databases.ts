// Each test file gets its own database: a temporary SQLite file, or a fresh database created on the machine's
// PostgreSQL and MariaDB servers (dropped afterwards). TEST_ENGINES limits the engines (e.g. "sqlite" for a quick run);
// by default all three run, and an unreachable server fails the suite rather than skipping it.
// SQL Server and Oracle join the list only when MSSQL_URL / ORACLE_URL name a server (no such server runs on this
// machine or in CI): MSSQL_URL a login that may CREATE DATABASE (e.g. mssql://sa:…@host:1433/master?
// trustServerCertificate=true), ORACLE_URL a user that may CREATE USER and GRANT (e.g. oracle://system:…@host:1521/
// FREEPDB1). Each test file then gets a database (SQL Server) or a user/schema (Oracle) of its own, dropped afterwards.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type EngineName = 'sqlite' | 'postgres' | 'mysql' | 'mssql' | 'oracle';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export const MSSQL_ADMIN_URL = process.env.MSSQL_URL || undefined;
export const ORACLE_ADMIN_URL = process.env.ORACLE_URL || undefined;

export function enginesUnderTest(): EngineName[] {
  const all: EngineName[] = ['sqlite', 'postgres', 'mysql'];
  if (MSSQL_ADMIN_URL) all.push('mssql');
  if (ORACLE_ADMIN_URL) all.push('oracle');
  const wanted = process.env.TEST_ENGINES?.split(',').map((s) => s.trim()).filter(Boolean);
  return wanted ? all.filter((e) => wanted.includes(e)) : all;
}

export interface TestDatabase {
  engine: EngineName;
  url: string;
  drop(): Promise<void>;
}

function uniqueName(): string {
  return `flagstack_t_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

export async function createTestDatabase(engine: EngineName): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'flagstack-test-'));
    return { engine, url: `sqlite:${join(dir, 'test.db')}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = uniqueName();
  if (engine === 'mssql') return createMssqlDatabase(name);
  if (engine === 'oracle') return createOracleSchema(name);
  if (engine === 'postgres') {
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 5000 });
    await admin.connect().catch((e: Error) => {
      throw new Error(`PostgreSQL is not reachable at ${POSTGRES_ADMIN_URL} (${e.message}); start it or set TEST_ENGINES=sqlite`);
    });
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(POSTGRES_ADMIN_URL);
    url.pathname = `/${name}`;
    return {
      engine,
      url: url.toString(),
      drop: async () => {
        const c = new Client({ connectionString: POSTGRES_ADMIN_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const mysql = await import('mysql2/promise');
  const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL, connectTimeout: 5000 }).catch((e: Error) => {
    throw new Error(`MariaDB/MySQL is not reachable at ${MYSQL_ADMIN_URL} (${e.message}); start it or set TEST_ENGINES=sqlite`);
  });
  await admin.query(`CREATE DATABASE ${name} CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.end();
  const url = new URL(MYSQL_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    engine,
    url: url.toString(),
    drop: async () => {
      const c = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
      await c.query(`DROP DATABASE IF EXISTS ${name}`);
      await c.end();
    },
  };
}

/** Runs statements on a server as its admin, through the store's own dialect (one connection, closed after). */
async function asAdmin(url: string, statements: string[]): Promise<void> {
  const { connect } = await import('../../api/src/store/connect');
  const { sql } = await import('kysely');
  const admin = await connect(url, { poolMax: 1 });
  try {
    for (const statement of statements) await sql.raw(statement).execute(admin.db);
  } finally {
    await admin.close();
  }
}

async function createMssqlDatabase(name: string): Promise<TestDatabase> {
  const adminUrl = MSSQL_ADMIN_URL!;
  await asAdmin(adminUrl, [`CREATE DATABASE [${name}]`]);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    engine: 'mssql',
    url: url.toString(),
    drop: () => asAdmin(adminUrl, [`ALTER DATABASE [${name}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE`, `DROP DATABASE [${name}]`]),
  };
}

async function createOracleSchema(name: string): Promise<TestDatabase> {
  const adminUrl = ORACLE_ADMIN_URL!;
  // The grants docs/databases.md asks for, and no more: the suites prove they suffice.
  const user = name.toUpperCase();
  const password = `Pw${randomBytes(12).toString('hex')}`;
  await asAdmin(adminUrl, [
    `CREATE USER ${user} IDENTIFIED BY "${password}" QUOTA UNLIMITED ON USERS`,
    `GRANT CREATE SESSION, CREATE TABLE, CREATE SEQUENCE TO ${user}`,
  ]);
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password;
  return {
    engine: 'oracle',
    url: url.toString(),
    drop: () => asAdmin(adminUrl, [`DROP USER ${user} CASCADE`]),
  };
}
