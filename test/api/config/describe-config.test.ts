import { describeConfig, loadConfig, validateEnv, RUNTIME_ENV_VARS, type Env } from '../../../api/src/config';
import { runConfigCommand } from '../../../api/src/cli/commands/config-command';

/** A distinctive value for every secret variable, so any leak is found by substring search. */
const SECRETS: Record<string, string> = {
  DATABASE_URL: 'postgres://flagstack:Db-Pa55-word-XYZ@db.internal:5432/flags',
  ADMIN_PASSWORD: 'Admin-Pa55-word-XYZ',
  FLAGSTACK_ENCRYPTION_KEY: 'c0ffee'.repeat(10) + 'c0ff',
  LDAP_AUTH_CONNECTION_PASSWORD: 'Ldap-Bind-Pa55-XYZ',
  LDAP_SYNC_USER_PASSWORD: 'Ldap-Sync-Pa55-XYZ',
  APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY: 'AppD-Access-Key-XYZ',
  OIDC_OKTA_CLIENT_SECRET: 'Okta-Client-Secret-XYZ',
  OIDC_ADFS_CLIENT_SECRET: 'Adfs-Client-Secret-XYZ',
  OIDC_AZURE_AD_CLIENT_SECRET: 'Azure-Client-Secret-XYZ',
  OIDC_GOOGLE_CLIENT_SECRET: 'Google-Client-Secret-XYZ',
  OIDC_GITHUB_CLIENT_SECRET: 'Github-Client-Secret-XYZ',
};
const ENV: Env = {
  ...SECRETS,
  ADMIN_EMAIL: 'admin@example.com',
  LDAP_AUTH_CONNECTION_USERNAME: 'cn=svc,dc=example,dc=com',
  LDAP_SYNC_USER_USERNAME: 'svc-sync',
  OIDC_OKTA_CLIENT_ID: 'okta-id',
  OIDC_OKTA_ISSUER: 'https://acme.okta.com',
  OIDC_ADFS_CLIENT_ID: 'adfs-id',
  OIDC_ADFS_ISSUER: 'https://adfs.example.com/adfs',
  OIDC_AZURE_AD_CLIENT_ID: 'az-id',
  OIDC_AZURE_AD_ISSUER: 'https://login.microsoftonline.com/t/v2.0',
  OIDC_GOOGLE_CLIENT_ID: 'g-id',
  OIDC_GITHUB_CLIENT_ID: 'gh-id',
};

function capture(argv: string[], env: Env) {
  let stdout = '';
  let stderr = '';
  const code = runConfigCommand(argv, env, { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } });
  return { code, stdout, stderr };
}

function expectNoSecrets(text: string, secrets: Record<string, string> = SECRETS): void {
  for (const [name, value] of Object.entries(secrets)) {
    expect({ name, leaked: text.includes(value) || text.includes(encodeURIComponent(value)) }).toEqual({ name, leaked: false });
  }
  expect(text).not.toMatch(/Pa55|XYZ|c0ffeec0ffee/);
}

describe('describeConfig', () => {
  it('covers every secret variable in this test', () => {
    expect(Object.keys(SECRETS).sort()).toEqual(
      RUNTIME_ENV_VARS.filter((v) => v.secret && !v.name.startsWith('DJANGO_DB_')).map((v) => v.name).sort(),
    );
    expect(validateEnv(ENV)).toEqual([]);
  });

  it('masks every secret, keeps the rest', () => {
    const d = describeConfig(loadConfig(ENV));
    expectNoSecrets(JSON.stringify(d));
    expect(d.database).toMatchObject({ url: 'postgres://flagstack:********@db.internal:5432/flags', engine: 'postgres' });
    expect(d.admin).toEqual({ email: 'admin@example.com', password: '********' });
    expect(d.encryptionKey).toBe('********');
    expect(d.ldap).toMatchObject({ connectionPassword: '********', syncUser: { username: 'svc-sync', password: '********' } });
    expect(d.appDynamics).toMatchObject({ accountAccessKey: '********' });
    expect(d.auth).toMatchObject({ oidc: { okta: { clientId: 'okta-id', clientSecret: '********' } } });
  });

  it('accepts an environment as well as a config, and shows unset secrets as (not set)', () => {
    const d = describeConfig({ ADMIN_EMAIL: 'a@b.c' });
    expect(d.admin).toEqual({ email: 'a@b.c', password: '(not set)' });
    expect(d.encryptionKey).toBe('(not set)');
    expect(d.ui).toEqual({ apiUrl: null, flagsmithClientApi: null, flagsmithEnvironmentKey: null });
  });

  it('masks a password that came from DJANGO_DB_PASSWORD inside the composed URL', () => {
    const pw = 'Dj@ngo:Pa55/word-XYZ';
    const d = describeConfig({ DJANGO_DB_NAME: 'f', DJANGO_DB_HOST: 'h', DJANGO_DB_USER: 'u', DJANGO_DB_PASSWORD: pw });
    expect(d.database).toMatchObject({ url: 'postgresql://u:********@h/f' });
    expectNoSecrets(JSON.stringify(d), { DJANGO_DB_PASSWORD: pw });
  });

  it('masks malformed URLs and password query parameters too', () => {
    const d = describeConfig(loadConfig({ DATABASE_URL: 'mysql://u:p@ss/w@rd-XYZ@db/f?ssl=true&password=Pa55-XYZ' }));
    expect(d.database).toMatchObject({ url: 'mysql://u:********@db/f?ssl=true&password=********' });
  });
});

describe('flagstack config', () => {
  it('prints the effective configuration as lines, secrets masked, with where each value came from', () => {
    const { code, stdout, stderr } = capture([], ENV);
    expect([code, stderr]).toEqual([0, '']);
    expectNoSecrets(stdout);
    expect(stdout).toMatch(/^port\s+8000\s+\(default: PORT\)$/m);
    expect(stdout).toMatch(/^database\.url\s+postgres:\/\/flagstack:\*{8}@db\.internal:5432\/flags\s+\(env: DATABASE_URL\)$/m);
    expect(stdout).toMatch(/^admin\.password\s+\*{8}\s+\(env: ADMIN_PASSWORD\)$/m);
    expect(stdout).toMatch(/^ui\.apiUrl\s+\(not set\)\s+\(unset: API_URL\)$/m);
    expect(stdout).toMatch(/^database\.engine\s+postgres\s+\(derived\)$/m);
  });

  it('prints JSON with --json', () => {
    const { code, stdout } = capture(['--json'], ENV);
    expect(code).toBe(0);
    expectNoSecrets(stdout);
    expect(JSON.parse(stdout)).toEqual(describeConfig(ENV));
  });

  it('prints the problems and exits 1 for an invalid environment, without secrets', () => {
    const { code, stdout, stderr } = capture([], { ...ENV, PORT: 'abc', FLAGSTACK_ENCRYPTION_KEY: 'Short-Pa55-XYZ' });
    expect([code, stdout]).toEqual([1, '']);
    expect(stderr).toContain('PORT: expected an integer between 1 and 65535, got "abc"');
    expect(stderr).toContain('FLAGSTACK_ENCRYPTION_KEY: expected 32 bytes');
    expectNoSecrets(stderr);
  });

  it('prints the JSON Schema of every variable with --schema', () => {
    const { code, stdout } = capture(['--schema'], {});
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(Object.keys(schema.properties).sort()).toEqual(RUNTIME_ENV_VARS.map((v) => v.name).sort());
    expect(schema.properties.PORT).toEqual({
      type: 'integer',
      minimum: 1,
      maximum: 65535,
      default: 8000,
      description: 'TCP port the API listens on (container runtime).',
      group: 'server',
    });
    expect(schema.properties.DATABASE_URL).toMatchObject({ type: 'string', secret: true, default: 'sqlite:./data/flagstack.db' });
    for (const [name, prop] of Object.entries<{ description?: string }>(schema.properties)) {
      expect({ name, described: (prop.description ?? '').length > 10 }).toEqual({ name, described: true });
    }
  });

  it('prints usage for --help and refuses unknown arguments', () => {
    expect(capture(['--help'], {})).toMatchObject({ code: 0, stdout: expect.stringContaining('usage: flagstack config') });
    expect(capture(['--yaml'], {})).toMatchObject({ code: 2, stderr: expect.stringContaining('unexpected argument --yaml') });
  });
});
