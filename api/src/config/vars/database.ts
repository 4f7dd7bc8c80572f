// The database: DATABASE_URL, or Flagsmith's DJANGO_DB_* variables for teams migrating from Flagsmith.
import { checkDatabaseUrl, DATABASE_URL_EXPECTED } from '../formats';
import { envBoolean, envEnum, envInteger, envString } from '../env-var';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/flagstack.db';

export const DJANGO_DB_ENGINES = ['postgresql', 'mysql', 'oracle', 'sql_server', 'sqlite3'] as const;
export type DjangoDbEngine = (typeof DJANGO_DB_ENGINES)[number];

/** Spellings seen in Django settings (ENGINE values of the backends and of the SQL Server packages). */
const DJANGO_DB_ENGINE_ALIASES: Record<string, DjangoDbEngine> = {
  postgres: 'postgresql',
  postgresql_psycopg2: 'postgresql',
  mariadb: 'mysql',
  mssql: 'sql_server',
  sqlserver: 'sql_server',
  'sql_server.pyodbc': 'sql_server',
  sqlite: 'sqlite3',
};
for (const engine of DJANGO_DB_ENGINES) DJANGO_DB_ENGINE_ALIASES[`django.db.backends.${engine}`] = engine;
DJANGO_DB_ENGINE_ALIASES['django.db.backends.postgresql_psycopg2'] = 'postgresql';

export const databaseVars = {
  DATABASE_URL: envString({
    description: `Database connection URL: ${DATABASE_URL_EXPECTED}. Takes precedence over DJANGO_DB_*.`,
    group: 'database',
    configPath: 'database.url',
    secret: true,
    maskAs: 'url',
    check: checkDatabaseUrl,
    default: DEFAULT_DATABASE_URL,
  }),
  MIGRATE_ON_START: envBoolean({
    description: 'Run pending database migrations when the API starts (turn off when a separate migration job runs them).',
    group: 'database',
    configPath: 'database.migrateOnStart',
    default: true,
  }),
  DATABASE_POOL_MAX: envInteger({
    description: 'Maximum connections in the pool of each process.',
    group: 'database',
    configPath: 'database.poolMax',
    minimum: 1,
    maximum: 1000,
    default: 10,
  }),
  DATABASE_TLS: envEnum(['off', 'require', 'verify'] as const, {
    description:
      'TLS to the database server (PostgreSQL, MySQL): off; require (encrypted, server certificate not checked); verify (encrypted and the certificate checked against the system CAs plus DATABASE_TLS_CA_FILE). The deployment stacks set require, since their servers refuse plain connections. SQL Server always encrypts; Oracle uses ?ssl=true in its URL.',
    group: 'database',
    configPath: 'database.tls.mode',
    default: 'off',
  }),
  DATABASE_TLS_CA_FILE: envString({
    description: "PEM file of CA certificates trusted for the database server's certificate, with DATABASE_TLS=verify (e.g. the cloud's RDS / Cloud SQL / Azure CA bundle).",
    group: 'database',
    configPath: 'database.tls.caFile',
  }),
  DJANGO_DB_ENGINE: envEnum(DJANGO_DB_ENGINES, {
    description:
      'Flagsmith compatibility: database engine (postgresql, mysql, oracle, sql_server, or the django.db.backends.* form); with DJANGO_DB_NAME etc. composes the database URL when DATABASE_URL is unset. Default postgresql when DJANGO_DB_NAME is set.',
    group: 'database',
    configPath: 'database.url',
    aliases: DJANGO_DB_ENGINE_ALIASES,
  }),
  DJANGO_DB_NAME: envString({
    description: 'Flagsmith compatibility: database name (for sqlite3, the file path).',
    group: 'database',
    configPath: 'database.url',
  }),
  DJANGO_DB_USER: envString({
    description: 'Flagsmith compatibility: database user.',
    group: 'database',
    configPath: 'database.url',
  }),
  DJANGO_DB_PASSWORD: envString({
    description: 'Flagsmith compatibility: database password.',
    group: 'database',
    configPath: 'database.url',
    secret: true,
    maskAs: 'url',
  }),
  DJANGO_DB_HOST: envString({
    description: 'Flagsmith compatibility: database host.',
    group: 'database',
    configPath: 'database.url',
  }),
  DJANGO_DB_PORT: envInteger({
    description: 'Flagsmith compatibility: database port (the engine default when unset).',
    group: 'database',
    configPath: 'database.url',
    minimum: 1,
    maximum: 65535,
  }),
};
