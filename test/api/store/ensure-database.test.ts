// SQL Server on RDS starts without the database the API uses: the migrate step connects to `master` and creates the
// database the URL names (DJANGO_DB_NAME, `flagstack` in the stacks) when it is missing. Here without a server: the
// decision and the compiled SQL through the SQL Server compiler with a recording driver; on a real server only when
// MSSQL_URL names one (like the other SQL Server suites, test/support/databases.ts).
import { randomBytes } from 'node:crypto';
import { sql, type CompiledQuery, type QueryResult } from 'kysely';
import { loadConfig } from '../../../api/src/config';
import { DatabaseCreateError, ensureDatabaseExists, ensureMssqlDatabase, mssqlDatabaseTarget, quoteMssqlName } from '../../../api/src/store/ensure-database';
import { connect } from '../../../api/src/store/connect';
import { MSSQL_ADMIN_URL } from '../../support/databases';
import { recordingDb } from './dialects/recording';

describe('which database the migrate step ensures', () => {
  test('the one the SQL Server URL names, looked up and created through master with the same login and options', () => {
    expect(mssqlDatabaseTarget('mssql://admin:p%40ss@db.example.com:1433/flagstack?encrypt=true&trustServerCertificate=true')).toEqual({
      database: 'flagstack',
      masterUrl: 'mssql://admin:p%40ss@db.example.com:1433/master?encrypt=true&trustServerCertificate=true',
      user: 'admin',
    });
  });

  test('the URL the stacks compose from DJANGO_DB_* (DJANGO_DB_NAME=flagstack)', () => {
    const url = loadConfig({
      DJANGO_DB_ENGINE: 'sql_server',
      DJANGO_DB_HOST: 'flagstack-db.abc.eu-west-1.rds.amazonaws.com',
      DJANGO_DB_PORT: '1433',
      DJANGO_DB_NAME: 'flagstack',
      DJANGO_DB_USER: 'flagstack',
      DJANGO_DB_PASSWORD: 'x/y@z',
    }).database.url;
    expect(mssqlDatabaseTarget(url)).toEqual({ database: 'flagstack', masterUrl: 'mssql://flagstack:x%2Fy%40z@flagstack-db.abc.eu-west-1.rds.amazonaws.com:1433/master', user: 'flagstack' });
  });

  test('nothing for other engines or for a system database', () => {
    for (const url of ['sqlite::memory:', 'postgres://u:p@h:5432/flagstack', 'mysql://u:p@h/flagstack', 'oracle://u:p@h:1521/FLAGS', 'mssql://u:p@h/master', 'mssql://u:p@h/tempdb']) {
      expect([url, mssqlDatabaseTarget(url)]).toEqual([url, undefined]);
    }
  });

  test('a name is quoted the way CREATE DATABASE takes it', () => {
    expect(quoteMssqlName('flagstack')).toBe('[flagstack]');
    expect(quoteMssqlName('odd]name; drop')).toBe('[odd]]name; drop]');
  });

  test('SQLite, PostgreSQL and the others: nothing to do, and no connection made', async () => {
    await expect(ensureDatabaseExists('sqlite::memory:')).resolves.toBe('not-applicable');
    await expect(ensureDatabaseExists('postgres://u:p@127.0.0.1:1/never')).resolves.toBe('not-applicable');
  });
});

/** A recording SQL Server connection to master: db_id answers `id`, CREATE DATABASE throws `createError` if given. */
function master(id: number | null, createError?: object) {
  return recordingDb('mssql', (q: CompiledQuery): QueryResult<unknown> => {
    if (/^create database/.test(q.sql) && createError) throw createError;
    return /db_id/.test(q.sql) ? { rows: [{ id }] } : { rows: [] };
  });
}

describe('ensureMssqlDatabase (compiled SQL, no server)', () => {
  test('missing: looks it up by a bound name, then creates it', async () => {
    const r = master(null);
    await expect(ensureMssqlDatabase(r.db, 'flagstack', 'flagstack')).resolves.toBe('created');
    expect(r.queries.map((q) => [q.sql, q.parameters])).toEqual([
      ['select db_id(@1) as id', ['flagstack']],
      ['create database [flagstack]', []],
    ]);
  });

  test('present: only the lookup, so a login without CREATE DATABASE migrates an existing database', async () => {
    const r = master(7);
    await expect(ensureMssqlDatabase(r.db, 'flagstack')).resolves.toBe('exists');
    expect(r.sqls()).toEqual(['select db_id(@1) as id']);
  });

  test('created by a concurrent migration in between (error 1801): counts as there', async () => {
    const r = master(null, Object.assign(new Error("Database 'flagstack' already exists. Choose a different database name."), { number: 1801 }));
    await expect(ensureMssqlDatabase(r.db, 'flagstack')).resolves.toBe('exists');
  });

  test('a login without CREATE DATABASE (error 262) gets an error saying what to do', async () => {
    const refusal = Object.assign(new Error("CREATE DATABASE permission denied in database 'master'."), { number: 262 });
    const attempt = ensureMssqlDatabase(master(null, refusal).db, 'flagstack', 'flagstack');
    await expect(attempt).rejects.toThrow(DatabaseCreateError);
    await expect(ensureMssqlDatabase(master(null, refusal).db, 'flagstack', 'flagstack')).rejects.toThrow(
      'SQL Server database "flagstack" does not exist and the login "flagstack" may not create it (CREATE DATABASE permission denied in database \'master\'.). ' +
        'Create it once as an administrator (CREATE DATABASE [flagstack]) or grant the login CREATE ANY DATABASE, then run the migration again.',
    );
  });

  test('any other failure names the database and the cause', async () => {
    const full = Object.assign(new Error('Could not allocate space for database'), { number: 1101 });
    await expect(ensureMssqlDatabase(master(null, full).db, 'flagstack')).rejects.toThrow('SQL Server database "flagstack" does not exist and could not be created: Could not allocate space for database');
  });
});

// A real server only when MSSQL_URL names one (a login that may CREATE DATABASE): no skipped tests otherwise.
if (MSSQL_ADMIN_URL) {
  const adminUrl = MSSQL_ADMIN_URL;
  describe('on the SQL Server at MSSQL_URL', () => {
    const name = `flagstack_ensure_${randomBytes(4).toString('hex')}`;
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;

    afterAll(async () => {
      const admin = await connect(adminUrl, { poolMax: 1 });
      try {
        await sql.raw(`if db_id('${name}') is not null begin alter database [${name}] set single_user with rollback immediate; drop database [${name}] end`).execute(admin.db);
      } finally {
        await admin.close();
      }
    });

    test('creates the missing database once; the store then connects to it', async () => {
      await expect(ensureDatabaseExists(url.toString())).resolves.toBe('created');
      await expect(ensureDatabaseExists(url.toString())).resolves.toBe('exists');
      const connection = await connect(url.toString(), { poolMax: 1 });
      const rows = await sql<{ name: string }>`select db_name() as name`.execute(connection.db);
      await connection.close();
      expect(rows.rows[0]?.name).toBe(name);
    }, 120_000);
  });
}
