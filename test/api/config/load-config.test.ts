import { availableParallelism } from 'node:os';
import { ConfigError, loadConfig, validateEnv, type Env } from '../../../api/src/config';

function problems(env: Env): Record<string, string> {
  return Object.fromEntries(validateEnv(env).map((i) => [i.variable, i.problem]));
}

function errorOf(env: Env): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected loadConfig to throw');
}

describe('loadConfig defaults', () => {
  it('gives every documented default for an empty environment', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({
      port: 8000,
      host: '0.0.0.0',
      logLevel: 'info',
      webConcurrency: 1,
      trustProxy: false,
      shutdownTimeoutMs: 10000,
      database: { url: 'sqlite:./data/flagstack.db', engine: 'sqlite', migrateOnStart: true, poolMax: 10 },
      admin: { email: undefined, password: undefined },
      encryptionKey: undefined,
      cache: { pollIntervalMs: 1000 },
      auth: {
        tokenTtlHours: 720,
        sessionIdleMinutes: 60,
        sessionAbsoluteHours: 12,
        allowSignup: false,
        lockLoginToProvider: undefined,
        samlForceSsl: false,
        oidc: {},
      },
      appDynamics: { enabled: false, configPath: '/etc/appdynamics.cfg', agentPath: 'appdynamics' },
      ui: { apiUrl: undefined, flagsmithClientApi: undefined, flagsmithEnvironmentKey: undefined },
      secretArns: {},
    });
  });

  it('treats empty and blank values as unset', () => {
    expect(loadConfig({ PORT: '', LOG_LEVEL: '  ', TRUST_PROXY: '' })).toMatchObject({ port: 8000, logLevel: 'info', trustProxy: false });
  });

  it('ignores variables it does not know', () => {
    expect(() => loadConfig({ PATH: '/usr/bin', HOME: '/root', npm_config_foo: 'x', SOMETHING_ELSE: 'y' })).not.toThrow();
  });

  it('reads process.env when called without an argument', () => {
    const saved = process.env.PORT;
    process.env.PORT = '8123';
    try {
      expect(loadConfig().port).toBe(8123);
    } finally {
      if (saved === undefined) delete process.env.PORT;
      else process.env.PORT = saved;
    }
  });
});

describe('conversions', () => {
  it('parses integers, with surrounding blanks tolerated', () => {
    const c = loadConfig({ PORT: ' 3000 ', SHUTDOWN_TIMEOUT_MS: '0', DATABASE_POOL_MAX: '25', CACHE_POLL_INTERVAL_MS: '50' });
    expect(c).toMatchObject({ port: 3000, shutdownTimeoutMs: 0, database: { poolMax: 25 }, cache: { pollIntervalMs: 50 } });
  });

  it.each([
    ['true', true], ['TRUE', true], ['1', true], ['on', true], ['On', true], ['yes', true], ['YES', true],
    ['false', false], ['False', false], ['0', false], ['off', false], ['OFF', false], ['no', false], ['No', false],
  ])('reads the boolean %j as %j', (raw, expected) => {
    const c = loadConfig({ TRUST_PROXY: raw, APP_DYNAMICS: raw, ALLOW_SIGNUP: raw, SAML_FORCE_SSL: raw, MIGRATE_ON_START: raw });
    expect([c.trustProxy, c.appDynamics.enabled, c.auth.allowSignup, c.auth.samlForceSsl, c.database.migrateOnStart]).toEqual(
      Array(5).fill(expected),
    );
  });

  it('matches enums case-insensitively and returns the canonical value', () => {
    expect(loadConfig({ LOG_LEVEL: 'DEBUG' }).logLevel).toBe('debug');
    expect(loadConfig({ LOG_LEVEL: 'silent' }).logLevel).toBe('silent');
  });

  it('accepts WEB_CONCURRENCY as a number or auto (the CPU count)', () => {
    expect(loadConfig({ WEB_CONCURRENCY: '4' }).webConcurrency).toBe(4);
    expect(loadConfig({ WEB_CONCURRENCY: 'auto' }).webConcurrency).toBe(availableParallelism());
    expect(loadConfig({ WEB_CONCURRENCY: 'AUTO' }).webConcurrency).toBe(availableParallelism());
  });

  it.each([
    'sqlite:./data/x.db',
    'sqlite:/var/lib/flagstack.db',
    'sqlite:///var/lib/flagstack.db',
    'sqlite::memory:',
    'postgres://u:p@db.example.com:5432/flags',
    'postgresql://db/flags',
    'mysql://u:p@db:3306/flags',
    'mariadb://u:p@db/flags',
    'mssql://sa:p@sql.example.com:1433/flags',
    'sqlserver://sa:p@sql/flags',
    'oracle://u:p@ora:1521/FREEPDB1',
  ])('accepts DATABASE_URL %s', (url) => {
    expect(loadConfig({ DATABASE_URL: url }).database.url).toBe(url);
  });

  it('derives the database engine from the URL scheme', () => {
    const engine = (url: string) => loadConfig({ DATABASE_URL: url }).database.engine;
    expect([engine('postgresql://h/d'), engine('mariadb://h/d'), engine('sqlserver://h/d'), engine('oracle://h/d'), engine('sqlite::memory:')]).toEqual([
      'postgres', 'mysql', 'mssql', 'oracle', 'sqlite',
    ]);
  });

  it('accepts an encryption key as 64 hex characters or base64 of 32 bytes', () => {
    const hex = 'ab'.repeat(32);
    const b64 = Buffer.alloc(32, 7).toString('base64');
    const b64url = Buffer.alloc(32, 251).toString('base64url');
    for (const key of [hex, b64, b64url]) expect(loadConfig({ FLAGSTACK_ENCRYPTION_KEY: key }).encryptionKey).toBe(key);
  });

  it('reads the UI settings and checks their URLs', () => {
    const c = loadConfig({ API_URL: 'https://flags.example.com/api/v1/', FLAGSMITH_CLIENT_API: 'http://localhost:8000/api/v1/', FLAGSMITH: 'abc123' });
    expect(c.ui).toEqual({ apiUrl: 'https://flags.example.com/api/v1/', flagsmithClientApi: 'http://localhost:8000/api/v1/', flagsmithEnvironmentKey: 'abc123' });
  });

  it('reads the admin, auth and AppDynamics settings', () => {
    const c = loadConfig({
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD: 'correct horse battery staple',
      AUTH_TOKEN_TTL_HOURS: '24',
      SESSION_IDLE_MINUTES: '30',
      SESSION_ABSOLUTE_HOURS: '8',
      LOCK_LOGIN_TO: 'SAML',
      APP_DYNAMICS: 'on',
      APPDYNAMICS_CONTROLLER_HOST_NAME: 'acme.saas.appdynamics.com',
      APPDYNAMICS_CONTROLLER_PORT: '443',
      APPDYNAMICS_CONTROLLER_SSL_ENABLED: 'true',
      APPDYNAMICS_AGENT_ACCOUNT_NAME: 'acme',
      APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY: 'appd-key',
      APPDYNAMICS_AGENT_APPLICATION_NAME: 'flagstack',
      APPDYNAMICS_AGENT_TIER_NAME: 'api',
      APPDYNAMICS_AGENT_NODE_NAME: 'api-1',
      APPDYNAMICS_AGENT_PATH: '/opt/nodejs/node_modules/appdynamics',
    });
    expect(c.admin).toEqual({ email: 'admin@example.com', password: 'correct horse battery staple' });
    expect(c.auth).toMatchObject({ tokenTtlHours: 24, sessionIdleMinutes: 30, sessionAbsoluteHours: 8, lockLoginToProvider: 'saml' });
    expect(c.appDynamics).toEqual({
      enabled: true,
      configPath: '/etc/appdynamics.cfg',
      agentPath: '/opt/nodejs/node_modules/appdynamics',
      controllerHostName: 'acme.saas.appdynamics.com',
      controllerPort: 443,
      controllerSslEnabled: true,
      accountName: 'acme',
      accountAccessKey: 'appd-key',
      applicationName: 'flagstack',
      tierName: 'api',
      nodeName: 'api-1',
    });
  });
});

describe('OIDC providers', () => {
  it('configures only providers with a client id, with default issuers and scopes where well known', () => {
    const c = loadConfig({
      OIDC_GOOGLE_CLIENT_ID: 'g-id',
      OIDC_GOOGLE_CLIENT_SECRET: 'g-secret',
      OIDC_OKTA_CLIENT_ID: 'o-id',
      OIDC_OKTA_ISSUER: 'https://acme.okta.com/oauth2/default',
      OIDC_OKTA_SCOPES: 'openid,email groups',
      OIDC_GITHUB_CLIENT_ID: 'gh',
    });
    expect(c.auth.oidc).toEqual({
      google: { issuer: 'https://accounts.google.com', clientId: 'g-id', clientSecret: 'g-secret', scopes: ['openid', 'email', 'profile'] },
      okta: { issuer: 'https://acme.okta.com/oauth2/default', clientId: 'o-id', clientSecret: undefined, scopes: ['openid', 'email', 'groups'] },
      github: { issuer: 'https://github.com', clientId: 'gh', clientSecret: undefined, scopes: ['read:user', 'user:email'] },
    });
  });

  it('needs an issuer for providers without a well-known one, and a client id for any other setting', () => {
    expect(problems({ OIDC_ADFS_CLIENT_ID: 'x', OIDC_AZURE_AD_CLIENT_SECRET: 'y' })).toEqual({
      OIDC_ADFS_ISSUER: 'required when OIDC_ADFS_CLIENT_ID is set',
      OIDC_AZURE_AD_CLIENT_ID: 'required when OIDC_AZURE_AD_CLIENT_SECRET is set',
    });
  });

  it('locks login to a configured provider only', () => {
    expect(loadConfig({ LOCK_LOGIN_TO: 'oidc:google', OIDC_GOOGLE_CLIENT_ID: 'g' }).auth.lockLoginToProvider).toBe('oidc:google');
    expect(problems({ LOCK_LOGIN_TO: 'oidc:okta' })).toEqual({ LOCK_LOGIN_TO: 'oidc:okta needs OIDC_OKTA_CLIENT_ID to be set' });
    expect(problems({ LOCK_LOGIN_TO: 'ldap' })).toEqual({ LOCK_LOGIN_TO: 'ldap needs LDAP_AUTH_URL to be set' });
    // A name that is not an env provider may be a provider added through the admin API: known only to the database.
    expect(loadConfig({ LOCK_LOGIN_TO: 'oidc:keycloak' }).auth.lockLoginToProvider).toBe('oidc:keycloak');
    expect(problems({ LOCK_LOGIN_TO: 'oidc:Key Cloak!' }).LOCK_LOGIN_TO).toBe(
      'expected password, saml, ldap or oidc:<name> with <name> one of okta, adfs, azure_ad, google, github or the name of a provider added in the admin API (a-z, 0-9, - and _), got "oidc:Key Cloak!"',
    );
    expect(problems({ LOCK_LOGIN_TO: 'oidc:' }).LOCK_LOGIN_TO).toMatch(/^expected password/);
  });
});

describe('error messages', () => {
  it.each<[Env, string, string]>([
    [{ PORT: 'abc' }, 'PORT', 'expected an integer between 1 and 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT', 'expected an integer between 1 and 65535, got "70000"'],
    [{ PORT: '80.5' }, 'PORT', 'expected an integer between 1 and 65535, got "80.5"'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', 'expected one of fatal, error, warn, info, debug, trace, silent, got "verbose"'],
    [{ WEB_CONCURRENCY: 'many' }, 'WEB_CONCURRENCY', 'expected an integer between 1 and 256 or "auto", got "many"'],
    [{ TRUST_PROXY: 'maybe' }, 'TRUST_PROXY', 'expected a boolean (true/false, 1/0, on/off, yes/no), got "maybe"'],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, 'SHUTDOWN_TIMEOUT_MS', 'expected an integer between 0 and 3600000, got "-1"'],
    [{ CACHE_POLL_INTERVAL_MS: '10' }, 'CACHE_POLL_INTERVAL_MS', 'expected an integer between 50 and 3600000, got "10"'],
    [{ DATABASE_POOL_MAX: '0' }, 'DATABASE_POOL_MAX', 'expected an integer between 1 and 1000, got "0"'],
    [{ MIGRATE_ON_START: 'sometimes' }, 'MIGRATE_ON_START', 'expected a boolean (true/false, 1/0, on/off, yes/no), got "sometimes"'],
    [{ APP_DYNAMICS: 'enabled' }, 'APP_DYNAMICS', 'expected a boolean (true/false, 1/0, on/off, yes/no), got "enabled"'],
    [{ ADMIN_EMAIL: 'admin' }, 'ADMIN_EMAIL', 'expected an email address, got "admin"'],
    [{ API_URL: 'flags.example.com' }, 'API_URL', 'expected an http:// or https:// URL, got "flags.example.com"'],
    [{ FLAGSMITH_CLIENT_API: 'ftp://x/' }, 'FLAGSMITH_CLIENT_API', 'expected an http:// or https:// URL, got "ftp://x/"'],
    [{ LDAP_AUTH_URL: 'http://ldap' }, 'LDAP_AUTH_URL', 'expected an ldap:// or ldaps:// URL, got "http://ldap"'],
    [{ LDAP_AUTH_CONNECT_TIMEOUT: '0' }, 'LDAP_AUTH_CONNECT_TIMEOUT', 'expected a number greater than 0 and at most 600, got "0"'],
    [{ DJANGO_DB_PORT: 'five' }, 'DJANGO_DB_PORT', 'expected an integer between 1 and 65535, got "five"'],
    [{ DATABASE_URL: 'sqlite:' }, 'DATABASE_URL', 'expected a file path after sqlite: (e.g. sqlite:./data/flagstack.db or sqlite::memory:), got "sqlite:"'],
  ])('%j → %s: %s', (env, variable, problem) => {
    expect(problems(env)).toEqual({ [variable]: problem });
    expect(errorOf(env).message).toBe(`invalid configuration: ${variable}: ${problem}`);
  });

  it('names every bad variable at once, one per line', () => {
    const err = errorOf({ PORT: 'abc', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe', DATABASE_POOL_MAX: '-3', API_URL: 'nope' });
    expect(err.issues.map((i) => i.variable)).toEqual(['PORT', 'LOG_LEVEL', 'TRUST_PROXY', 'DATABASE_POOL_MAX', 'API_URL']);
    expect(err.message).toBe(
      [
        'invalid configuration (5 problems):',
        '  PORT: expected an integer between 1 and 65535, got "abc"',
        '  LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent, got "loud"',
        '  TRUST_PROXY: expected a boolean (true/false, 1/0, on/off, yes/no), got "maybe"',
        '  DATABASE_POOL_MAX: expected an integer between 1 and 1000, got "-3"',
        '  API_URL: expected an http:// or https:// URL, got "nope"',
      ].join('\n'),
    );
    expect(err.name).toBe('ConfigError');
  });

  it('never shows the value of a secret, and shows a database URL without its password', () => {
    const key = 'not-a-valid-key-but-secret';
    expect(problems({ FLAGSTACK_ENCRYPTION_KEY: key }).FLAGSTACK_ENCRYPTION_KEY).toBe(
      'expected 32 bytes as 64 hex characters or base64 (e.g. the output of `openssl rand -base64 32`), got a hidden value of 26 characters',
    );
    const err = errorOf({ DATABASE_URL: 'mongodb://app:S3cr3t-pw@mongo.internal/flags', FLAGSTACK_ENCRYPTION_KEY: key });
    expect(err.message).toContain('got "mongodb://app:********@mongo.internal/flags"');
    expect(err.message).not.toContain('S3cr3t-pw');
    expect(err.message).not.toContain(key);
    expect(problems({ FLAGSTACK_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') }).FLAGSTACK_ENCRYPTION_KEY).toMatch(/hidden value/);
  });

  it('checks rules across variables', () => {
    expect(problems({ ADMIN_PASSWORD: 'x'.repeat(16) })).toEqual({ ADMIN_EMAIL: 'required when ADMIN_PASSWORD is set' });
    expect(problems({ SESSION_IDLE_MINUTES: '600', SESSION_ABSOLUTE_HOURS: '8' })).toEqual({
      SESSION_IDLE_MINUTES: 'must not exceed SESSION_ABSOLUTE_HOURS (600 minutes > 8 hours)',
    });
  });
});
