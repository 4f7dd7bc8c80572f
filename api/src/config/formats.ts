// Value formats that a JSON type cannot express (URL schemes, key=value lists, key lengths): each has a
// check (for validation, returns the problem) and, where the value needs it, a parser (for AppConfig).

export type DatabaseEngine = 'sqlite' | 'postgres' | 'mysql' | 'mssql' | 'oracle';

/** URL schemes DATABASE_URL accepts, mapped to the store's engine names (api/src/store/database-url.ts). */
export const DATABASE_SCHEMES: Readonly<Record<string, DatabaseEngine>> = {
  'sqlite:': 'sqlite',
  'postgres:': 'postgres',
  'postgresql:': 'postgres',
  'mysql:': 'mysql',
  'mariadb:': 'mysql',
  'mssql:': 'mssql',
  'sqlserver:': 'mssql',
  'oracle:': 'oracle',
};

export const DATABASE_URL_EXPECTED =
  'sqlite:<path>, sqlite::memory: or a postgres://, postgresql://, mysql://, mariadb://, mssql://, sqlserver:// or oracle:// URL with a host';

export function databaseEngineOf(url: string): DatabaseEngine | undefined {
  const colon = url.indexOf(':');
  return colon > 0 ? DATABASE_SCHEMES[url.slice(0, colon + 1).toLowerCase()] : undefined;
}

export function checkDatabaseUrl(raw: string): string | undefined {
  const engine = databaseEngineOf(raw);
  if (!engine) return `expected ${DATABASE_URL_EXPECTED}`;
  if (engine === 'sqlite') {
    // sqlite:./rel.db, sqlite:/abs.db, sqlite:///abs.db, sqlite::memory: (the store strips a leading //)
    const path = raw.slice(raw.indexOf(':') + 1).replace(/^\/\//, '');
    return path === '' ? 'expected a file path after sqlite: (e.g. sqlite:./data/flagstack.db or sqlite::memory:)' : undefined;
  }
  return hasHost(raw) ? undefined : `expected ${DATABASE_URL_EXPECTED}`;
}

function hasHost(raw: string): boolean {
  try {
    return new URL(raw).hostname !== '';
  } catch {
    return false;
  }
}

function checkUrl(raw: string, schemes: readonly string[], expected: string): string | undefined {
  try {
    const url = new URL(raw);
    return schemes.includes(url.protocol) && url.hostname !== '' ? undefined : expected;
  } catch {
    return expected;
  }
}

export const checkHttpUrl = (raw: string) => checkUrl(raw, ['http:', 'https:'], 'expected an http:// or https:// URL');
export const checkLdapUrl = (raw: string) => checkUrl(raw, ['ldap:', 'ldaps:'], 'expected an ldap:// or ldaps:// URL');

export function checkEmail(raw: string): string | undefined {
  return /^[^\s@]+@[^\s@]+$/.test(raw) ? undefined : 'expected an email address';
}

/**
 * FLAGSTACK_ENCRYPTION_KEY: 32 bytes (AES-256) as 64 hex characters or as base64/base64url. Returns the bytes,
 * or undefined when the text is neither.
 */
export function decodeEncryptionKey(raw: string): Buffer | undefined {
  if (/^[0-9a-fA-F]{64}$/.test(raw)) return Buffer.from(raw, 'hex');
  if (!/^[A-Za-z0-9+/_-]{43}={0,1}$/.test(raw)) return undefined;
  const bytes = Buffer.from(raw.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

export function checkEncryptionKey(raw: string): string | undefined {
  return decodeEncryptionKey(raw)
    ? undefined
    : 'expected 32 bytes as 64 hex characters or base64 (e.g. the output of `openssl rand -base64 32`)';
}

/** `k=v,k=v` (django-environ's dict syntax, used by Flagsmith for LDAP_AUTH_USER_FIELDS). */
export function parseKeyValueList(raw: string): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const part of raw.split(',')) {
    const eq = part.indexOf('=');
    if (eq <= 0) return undefined;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === '' || value === '') return undefined;
    out[key] = value;
  }
  return out;
}

export function parseList(raw: string, separator: string | RegExp): string[] {
  return raw
    .split(separator)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
