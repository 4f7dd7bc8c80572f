// DATABASE_URL for SQL Server and Oracle: the URL forms, DJANGO_DB_* composing them, and what happens when no server
// answers: `flagstack migrate` and `flagstack serve` exit 1 with a message naming the engine, the server and the
// cause, within the connect timeout (run as the real CLI in a child process).
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { parseMssqlUrl, parseOracleUrl, DatabaseUrlError } from '../../../api/src/store/database-url';
import { connect, DatabaseConnectError } from '../../../api/src/store/connect';
import { loadConfig } from '../../../api/src/config';

describe('mssql:// URLs', () => {
  it('reads host, port, database, credentials and options', () => {
    expect(parseMssqlUrl('mssql://sa:p%40ss%3Aword@db.example.com:14330/flagstack?encrypt=false&trustServerCertificate=true&connectTimeout=5&requestTimeout=30&appName=api')).toEqual({
      host: 'db.example.com',
      port: 14330,
      instanceName: undefined,
      database: 'flagstack',
      user: 'sa',
      password: 'p@ss:word',
      encrypt: false,
      trustServerCertificate: true,
      connectTimeoutSeconds: 5,
      requestTimeoutSeconds: 30,
      appName: 'api',
    });
  });

  it('defaults: port 1433, encrypted, the server certificate checked, 10 s to connect', () => {
    expect(parseMssqlUrl('sqlserver://u:p@h/db')).toMatchObject({ port: 1433, encrypt: true, trustServerCertificate: false, connectTimeoutSeconds: 10, requestTimeoutSeconds: 0, appName: 'flagstack' });
    expect(parseMssqlUrl('mssql://u:p@h/db?instanceName=SQLEXPRESS')).toMatchObject({ port: undefined, instanceName: 'SQLEXPRESS' });
  });

  it.each([
    ['mssql://u:p@h', /needs a database name/],
    ['mssql://h/db', /no user name/],
    ['mssql://u:p@h:1433/db?instanceName=X', /either a port or instanceName/],
    ['mssql://u:p@h/db?encrypt=maybe', /encrypt must be true or false/],
    ['mssql://u:p@h/db?timeout=3', /unknown mssql URL parameter "timeout"/],
    ['mssql://u:p@h/db?connectTimeout=-1', /whole number of seconds/],
  ])('rejects %s', (url, message) => {
    expect(() => parseMssqlUrl(url)).toThrow(DatabaseUrlError);
    expect(() => parseMssqlUrl(url)).toThrow(message);
  });
});

describe('oracle:// URLs', () => {
  it('reads the Easy Connect parts', () => {
    expect(parseOracleUrl('oracle://flagstack:s%2Fecret@db.example.com:1522/FREEPDB1?connectTimeout=3')).toEqual({
      host: 'db.example.com',
      port: 1522,
      service: 'FREEPDB1',
      user: 'flagstack',
      password: 's/ecret',
      connectString: 'db.example.com:1522/FREEPDB1',
      connectTimeoutSeconds: 3,
    });
  });

  it('defaults to port 1521, TCPS on 2484 with ssl=true, and takes a connect string or TNS alias', () => {
    expect(parseOracleUrl('oracle://u:p@h/ORCL').connectString).toBe('h:1521/ORCL');
    expect(parseOracleUrl('oracle://u:p@h/ORCL?ssl=true').connectString).toBe('tcps://h:2484/ORCL');
    expect(parseOracleUrl('oracle://u:p@[::1]/ORCL').connectString).toBe('[::1]:1521/ORCL');
    expect(parseOracleUrl('oracle://u:p@ignored/?connectString=mydb_high').connectString).toBe('mydb_high');
  });

  it.each([
    ['oracle://u:p@h', /needs a service name/],
    ['oracle://h/ORCL', /no user name/],
    ['oracle://u:p@h/ORCL?sid=X', /unknown oracle URL parameter "sid"/],
  ])('rejects %s', (url, message) => {
    expect(() => parseOracleUrl(url)).toThrow(message);
  });
});

describe('DJANGO_DB_ENGINE=sql_server|oracle', () => {
  it('composes URLs the store reads', () => {
    const env = { DJANGO_DB_HOST: 'db', DJANGO_DB_PORT: '1433', DJANGO_DB_NAME: 'flagsmith', DJANGO_DB_USER: 'sa', DJANGO_DB_PASSWORD: 'p@ss' };
    const mssqlUrl = loadConfig({ ...env, DJANGO_DB_ENGINE: 'sql_server' }).database.url;
    expect(mssqlUrl).toBe('mssql://sa:p%40ss@db:1433/flagsmith');
    expect(parseMssqlUrl(mssqlUrl)).toMatchObject({ host: 'db', port: 1433, database: 'flagsmith', user: 'sa', password: 'p@ss' });
    const oracleUrl = loadConfig({ ...env, DJANGO_DB_PORT: '1521', DJANGO_DB_ENGINE: 'oracle' }).database.url;
    expect(parseOracleUrl(oracleUrl)).toMatchObject({ connectString: 'db:1521/flagsmith', user: 'sa', password: 'p@ss' });
  });
});

/** A port with nothing listening: bound, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server that accepts connections and never answers (a firewall that drops, a wedged server). */
async function silentServer(): Promise<{ port: number; server: Server }> {
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

function runCli(args: string[], env: Record<string, string>, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number; killed: boolean }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(__dirname, '../../../bin/flagstack.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started, killed });
    });
  });
}

describe('no server there', () => {
  it.each([
    ['migrate', 'mssql', (port: number) => `mssql://sa:secret@127.0.0.1:${port}/flagstack?connectTimeout=3`, /cannot connect to the SQL Server database at 127\.0\.0\.1:\d+: .*ECONNREFUSED/],
    ['serve', 'mssql', (port: number) => `mssql://sa:secret@127.0.0.1:${port}/flagstack?connectTimeout=3`, /cannot connect to the SQL Server database at 127\.0\.0\.1:\d+: .*ECONNREFUSED/],
    ['migrate', 'oracle', (port: number) => `oracle://flagstack:secret@127.0.0.1:${port}/FREEPDB1?connectTimeout=3`, /cannot connect to the Oracle database at 127\.0\.0\.1:\d+\/FREEPDB1: .*(ECONNREFUSED|could not be established)/],
    ['serve', 'oracle', (port: number) => `oracle://flagstack:secret@127.0.0.1:${port}/FREEPDB1?connectTimeout=3`, /cannot connect to the Oracle database at 127\.0\.0\.1:\d+\/FREEPDB1: .*(ECONNREFUSED|could not be established)/],
  ])('`flagstack %s` on %s exits 1 with the engine, server and cause', async (command, _engine, url, message) => {
    const port = await closedPort();
    const result = await runCli([command], { DATABASE_URL: url(port), PORT: String(port) }, 40_000);
    expect(result.killed).toBe(false);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain('secret');
    expect(result.stderr).not.toMatch(/^\s+at /m); // a message, not a stack trace
  }, 60_000);

  it.each([
    ['mssql', (port: number) => `mssql://sa:secret@127.0.0.1:${port}/flagstack?connectTimeout=2`, 'SQL Server'],
    ['oracle', (port: number) => `oracle://flagstack:secret@127.0.0.1:${port}/FREEPDB1?connectTimeout=2`, 'Oracle'],
  ])('%s: a server that never answers fails within the connect timeout, not a hang', async (_engine, url, name) => {
    const { port, server } = await silentServer();
    try {
      const started = Date.now();
      const error = await connect(url(port)).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(DatabaseConnectError);
      expect((error as Error).message).toContain(`cannot connect to the ${name} database at 127.0.0.1:${port}`);
      // connectTimeout 2 s, plus the 5 s margin of the guard at most.
      expect(Date.now() - started).toBeLessThan(8_000);
    } finally {
      server.close();
    }
  }, 20_000);
});
