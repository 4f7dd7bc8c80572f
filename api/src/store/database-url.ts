// Reads DATABASE_URL into the pieces each driver wants. Kept apart from the drivers so it can be tested
// (and used by `flagstack config`) without loading any of them.

export type Engine = 'sqlite' | 'postgres' | 'mysql' | 'mssql' | 'oracle';

export interface ParsedDatabaseUrl {
  engine: Engine;
  /** For sqlite: the file path (absolute or relative to the working directory) or `:memory:`. */
  filename?: string;
  /** For servers: the URL as the driver takes it. */
  url?: string;
}

const SCHEMES: Record<string, Engine> = {
  'sqlite:': 'sqlite',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
  'mssql:': 'mssql',
  'sqlserver:': 'mssql',
  'oracle:': 'oracle',
};

export class DatabaseUrlError extends Error {}

export function parseDatabaseUrl(raw: string): ParsedDatabaseUrl {
  const colon = raw.indexOf(':');
  const scheme = colon > 0 ? raw.slice(0, colon + 1).toLowerCase() : '';
  const engine = SCHEMES[scheme];
  if (!engine) {
    throw new DatabaseUrlError(
      `DATABASE_URL: unsupported scheme "${scheme || raw.slice(0, 12)}"; expected one of ${Object.keys(SCHEMES).join(' ')}`,
    );
  }
  if (engine !== 'sqlite') return { engine, url: scheme === 'mariadb:' ? 'mysql:' + raw.slice(colon + 1) : raw };
  // sqlite:./rel.db, sqlite:/abs.db, sqlite:///abs.db, sqlite://./rel.db, sqlite::memory:
  let filename = raw.slice(colon + 1);
  if (filename.startsWith('//')) filename = filename.slice(2);
  if (filename === '' ) throw new DatabaseUrlError('DATABASE_URL: sqlite URL has no file path (e.g. sqlite:./data/flagstack.db)');
  return { engine, filename };
}

// SQL Server and Oracle: the URL's parts as their drivers take them (docs/databases.md has the forms).

/** How long a connection attempt may take when the URL does not say (seconds). */
export const DEFAULT_CONNECT_TIMEOUT_SECONDS = 10;

export interface MssqlSettings {
  host: string;
  /** Absent with `instanceName` (the SQL Browser service resolves the port). */
  port?: number;
  instanceName?: string;
  database: string;
  user: string;
  password: string;
  encrypt: boolean;
  trustServerCertificate: boolean;
  connectTimeoutSeconds: number;
  /** Per statement; 0 = no limit. */
  requestTimeoutSeconds: number;
  appName: string;
}

export interface OracleSettings {
  host: string;
  port: number;
  /** The service name (the URL's path). */
  service: string;
  user: string;
  password: string;
  /** Easy Connect string node-oracledb takes, e.g. `host:1521/FREEPDB1` or `tcps://host:2484/svc`; a `connectString` parameter overrides it. */
  connectString: string;
  connectTimeoutSeconds: number;
}

const MSSQL_PARAMS = ['encrypt', 'trustServerCertificate', 'instanceName', 'connectTimeout', 'requestTimeout', 'appName'];
const ORACLE_PARAMS = ['ssl', 'connectTimeout', 'connectString'];

export function parseMssqlUrl(raw: string): MssqlSettings {
  const u = serverUrl(raw, 'mssql', MSSQL_PARAMS);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new DatabaseUrlError('DATABASE_URL: an mssql:// URL needs a database name, e.g. mssql://user:password@host:1433/flagstack');
  const instanceName = u.searchParams.get('instanceName') || undefined;
  if (instanceName && u.port) throw new DatabaseUrlError('DATABASE_URL: give either a port or instanceName in an mssql:// URL, not both');
  return {
    host: hostOf(u),
    port: instanceName ? undefined : u.port ? Number(u.port) : 1433,
    instanceName,
    database,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    encrypt: flag(u, 'encrypt', true),
    trustServerCertificate: flag(u, 'trustServerCertificate', false),
    connectTimeoutSeconds: seconds(u, 'connectTimeout', DEFAULT_CONNECT_TIMEOUT_SECONDS),
    requestTimeoutSeconds: seconds(u, 'requestTimeout', 0),
    appName: u.searchParams.get('appName') || 'flagstack',
  };
}

export function parseOracleUrl(raw: string): OracleSettings {
  const u = serverUrl(raw, 'oracle', ORACLE_PARAMS);
  const service = decodeURIComponent(u.pathname.replace(/^\//, ''));
  const override = u.searchParams.get('connectString');
  if (!service && !override) {
    throw new DatabaseUrlError('DATABASE_URL: an oracle:// URL needs a service name, e.g. oracle://user:password@host:1521/FREEPDB1');
  }
  const host = hostOf(u);
  const ssl = flag(u, 'ssl', false);
  const port = u.port ? Number(u.port) : ssl ? 2484 : 1521;
  return {
    host,
    port,
    service,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    connectString: override || `${ssl ? 'tcps://' : ''}${host.includes(':') ? `[${host}]` : host}:${port}/${service}`,
    connectTimeoutSeconds: seconds(u, 'connectTimeout', DEFAULT_CONNECT_TIMEOUT_SECONDS),
  };
}

function serverUrl(raw: string, engine: string, known: string[]): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new DatabaseUrlError(`DATABASE_URL: not a valid ${engine} URL (percent-encode @, : and / in the user name and password)`);
  }
  if (!u.hostname && !u.searchParams.get('connectString')) throw new DatabaseUrlError(`DATABASE_URL: the ${engine} URL has no host`);
  if (!u.username) throw new DatabaseUrlError(`DATABASE_URL: the ${engine} URL has no user name`);
  for (const key of u.searchParams.keys()) {
    if (!known.includes(key)) throw new DatabaseUrlError(`DATABASE_URL: unknown ${engine} URL parameter "${key}" (known: ${known.join(', ')})`);
  }
  return u;
}

function hostOf(u: URL): string {
  return u.hostname.replace(/^\[(.*)\]$/, '$1');
}

function flag(u: URL, name: string, fallback: boolean): boolean {
  const value = u.searchParams.get(name);
  if (value === null || value === '') return fallback;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  throw new DatabaseUrlError(`DATABASE_URL: ${name} must be true or false, not "${value}"`);
}

function seconds(u: URL, name: string, fallback: number): number {
  const value = u.searchParams.get(name);
  if (value === null || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new DatabaseUrlError(`DATABASE_URL: ${name} must be a whole number of seconds, not "${value}"`);
  return n;
}
