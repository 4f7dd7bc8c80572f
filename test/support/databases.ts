// Each test file gets its own database: a temporary SQLite file, or a fresh database created on the machine's
// PostgreSQL and MariaDB servers (dropped afterwards). TEST_ENGINES limits the engines (e.g. "sqlite" for a quick run);
// by default all three run, and an unreachable server fails the suite rather than skipping it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type EngineName = 'sqlite' | 'postgres' | 'mysql';

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const MYSQL_ADMIN_URL = process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/test';

export function enginesUnderTest(): EngineName[] {
  const all: EngineName[] = ['sqlite', 'postgres', 'mysql'];
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
