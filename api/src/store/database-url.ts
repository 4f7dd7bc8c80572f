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
