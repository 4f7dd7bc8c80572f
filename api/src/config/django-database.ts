// Flagsmith compatibility: compose a database URL from Django's DJANGO_DB_* settings when DATABASE_URL is
// unset. Like Flagsmith, the set is switched on by DJANGO_DB_NAME (engine then defaults to postgresql) or,
// here, also by DJANGO_DB_ENGINE.
import type { RuntimeEnvValues, RuntimeEnvName } from './env-schema';
import type { ConfigIssue } from './errors';
import type { DjangoDbEngine } from './vars/database';

const URL_SCHEMES: Record<Exclude<DjangoDbEngine, 'sqlite3'>, string> = {
  postgresql: 'postgresql',
  mysql: 'mysql',
  oracle: 'oracle',
  sql_server: 'mssql',
};

export interface DjangoDatabaseResult {
  /** The composed URL, or undefined when DJANGO_DB_* is not in use. */
  url?: string;
  issues: ConfigIssue[];
}

export function djangoDatabaseUrl(v: RuntimeEnvValues, present: ReadonlySet<RuntimeEnvName>): DjangoDatabaseResult {
  if (present.has('DATABASE_URL') || !(present.has('DJANGO_DB_ENGINE') || present.has('DJANGO_DB_NAME'))) return { issues: [] };
  const engine = v.DJANGO_DB_ENGINE ?? 'postgresql';
  const why = present.has('DJANGO_DB_ENGINE') ? 'DJANGO_DB_ENGINE' : 'DJANGO_DB_NAME';
  const required = (name: RuntimeEnvName): ConfigIssue => ({
    variable: name,
    problem: `required when ${why} is set and DATABASE_URL is not`,
  });
  if (engine === 'sqlite3') {
    return v.DJANGO_DB_NAME ? { url: `sqlite:${v.DJANGO_DB_NAME}`, issues: [] } : { issues: [required('DJANGO_DB_NAME')] };
  }
  const { DJANGO_DB_NAME: name, DJANGO_DB_HOST: host, DJANGO_DB_USER: user, DJANGO_DB_PASSWORD: password } = v;
  const issues: ConfigIssue[] = [];
  if (!name) issues.push(required('DJANGO_DB_NAME'));
  if (!host) issues.push(required('DJANGO_DB_HOST'));
  if (password !== undefined && user === undefined) {
    issues.push({ variable: 'DJANGO_DB_USER', problem: 'required when DJANGO_DB_PASSWORD is set' });
  }
  if (issues.length > 0 || !name || !host) return { issues };
  // User and password are percent-encoded: a password with @, : or / would otherwise change the URL's meaning.
  const userInfo =
    user === undefined ? '' : `${encodeURIComponent(user)}${password === undefined ? '' : `:${encodeURIComponent(password)}`}@`;
  const hostPart = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host; // IPv6 literal
  const port = v.DJANGO_DB_PORT === undefined ? '' : `:${v.DJANGO_DB_PORT}`;
  const url = `${URL_SCHEMES[engine]}://${userInfo}${hostPart}${port}/${encodeURIComponent(name)}${oracleTlsParameter(engine, v, present)}`;
  return { url, issues: [] };
}

/** The TLS listener port of Oracle (RDS's SSL option, Oracle's own convention for TCPS). */
export const ORACLE_TCPS_PORT = 2484;

/**
 * Oracle over TLS: `?ssl=true`, which makes the store connect through `tcps://host:port/service` (node-oracledb thin
 * mode has no other switch; database-url.ts). On when DATABASE_TLS asks for TLS (require or verify), and on port
 * 2484, the TCPS listener (RDS's SSL option), unless DATABASE_TLS=off is set explicitly. PostgreSQL and MySQL take
 * DATABASE_TLS as driver options instead (store/tls.ts); SQL Server encrypts by default.
 */
function oracleTlsParameter(engine: DjangoDbEngine, v: RuntimeEnvValues, present: ReadonlySet<RuntimeEnvName>): string {
  if (engine !== 'oracle') return '';
  const tls = v.DATABASE_TLS === 'require' || v.DATABASE_TLS === 'verify';
  const tcpsPort = v.DJANGO_DB_PORT === ORACLE_TCPS_PORT && !(present.has('DATABASE_TLS') && v.DATABASE_TLS === 'off');
  return tls || tcpsPort ? '?ssl=true' : '';
}
