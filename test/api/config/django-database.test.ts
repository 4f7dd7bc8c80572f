import { loadConfig, validateEnv, type Env } from '../../../api/src/config';

const problems = (env: Env) => Object.fromEntries(validateEnv(env).map((i) => [i.variable, i.problem]));

describe('DJANGO_DB_* (Flagsmith compatibility)', () => {
  const base = { DJANGO_DB_NAME: 'flagsmith', DJANGO_DB_USER: 'fs', DJANGO_DB_PASSWORD: 'pw', DJANGO_DB_HOST: 'db.internal', DJANGO_DB_PORT: '5432' };

  it.each([
    ['postgresql', 'postgresql://fs:pw@db.internal:5432/flagsmith'],
    ['django.db.backends.postgresql', 'postgresql://fs:pw@db.internal:5432/flagsmith'],
    ['django.db.backends.postgresql_psycopg2', 'postgresql://fs:pw@db.internal:5432/flagsmith'],
    ['mysql', 'mysql://fs:pw@db.internal:5432/flagsmith'],
    ['django.db.backends.mysql', 'mysql://fs:pw@db.internal:5432/flagsmith'],
    ['oracle', 'oracle://fs:pw@db.internal:5432/flagsmith'],
    ['django.db.backends.oracle', 'oracle://fs:pw@db.internal:5432/flagsmith'],
    ['sql_server', 'mssql://fs:pw@db.internal:5432/flagsmith'],
    ['mssql', 'mssql://fs:pw@db.internal:5432/flagsmith'],
    ['sql_server.pyodbc', 'mssql://fs:pw@db.internal:5432/flagsmith'],
    ['Django.DB.Backends.PostgreSQL', 'postgresql://fs:pw@db.internal:5432/flagsmith'],
  ])('composes DJANGO_DB_ENGINE=%s into %s', (engine, url) => {
    expect(loadConfig({ ...base, DJANGO_DB_ENGINE: engine }).database.url).toBe(url);
  });

  it('defaults the engine to postgresql when only DJANGO_DB_NAME is set, as Flagsmith does', () => {
    expect(loadConfig(base).database).toMatchObject({ url: 'postgresql://fs:pw@db.internal:5432/flagsmith', engine: 'postgres' });
  });

  it('percent-encodes user, password and database name', () => {
    const c = loadConfig({ ...base, DJANGO_DB_USER: 'app@corp', DJANGO_DB_PASSWORD: 'p@ss:w/rd?#%', DJANGO_DB_NAME: 'flag smith' });
    expect(c.database.url).toBe('postgresql://app%40corp:p%40ss%3Aw%2Frd%3F%23%25@db.internal:5432/flag%20smith');
    const parsed = new URL(c.database.url);
    expect(decodeURIComponent(parsed.username)).toBe('app@corp');
    expect(decodeURIComponent(parsed.password)).toBe('p@ss:w/rd?#%');
    expect(parsed.hostname).toBe('db.internal');
  });

  it('leaves out the port and credentials that are not given, and brackets IPv6 hosts', () => {
    expect(loadConfig({ DJANGO_DB_ENGINE: 'mysql', DJANGO_DB_NAME: 'f', DJANGO_DB_HOST: 'h' }).database.url).toBe('mysql://h/f');
    expect(loadConfig({ DJANGO_DB_NAME: 'f', DJANGO_DB_HOST: '::1', DJANGO_DB_USER: 'u' }).database.url).toBe('postgresql://u@[::1]/f');
  });

  it('maps sqlite3 to a sqlite: path', () => {
    expect(loadConfig({ DJANGO_DB_ENGINE: 'django.db.backends.sqlite3', DJANGO_DB_NAME: '/data/db.sqlite3' }).database).toMatchObject({
      url: 'sqlite:/data/db.sqlite3',
      engine: 'sqlite',
    });
  });

  it('prefers DATABASE_URL when both are set', () => {
    expect(loadConfig({ ...base, DATABASE_URL: 'mysql://a:b@c/d' }).database.url).toBe('mysql://a:b@c/d');
  });

  it('ignores DJANGO_DB_* without an engine or a name (stray leftovers do not switch databases)', () => {
    expect(loadConfig({ DJANGO_DB_HOST: 'h', DJANGO_DB_USER: 'u' }).database.url).toBe('sqlite:./data/flagstack.db');
  });

  it('names each missing piece', () => {
    expect(problems({ DJANGO_DB_ENGINE: 'postgresql', DJANGO_DB_PASSWORD: 'pw' })).toEqual({
      DJANGO_DB_NAME: 'required when DJANGO_DB_ENGINE is set and DATABASE_URL is not',
      DJANGO_DB_HOST: 'required when DJANGO_DB_ENGINE is set and DATABASE_URL is not',
      DJANGO_DB_USER: 'required when DJANGO_DB_PASSWORD is set',
    });
    expect(problems({ DJANGO_DB_ENGINE: 'mongodb' })).toEqual({
      DJANGO_DB_ENGINE: 'expected one of postgresql, mysql, oracle, sql_server, sqlite3, got "mongodb"',
      DJANGO_DB_NAME: 'required when DJANGO_DB_ENGINE is set and DATABASE_URL is not',
      DJANGO_DB_HOST: 'required when DJANGO_DB_ENGINE is set and DATABASE_URL is not',
    });
  });
});
