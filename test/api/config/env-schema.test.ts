import { loadConfig, runtimeEnvSchema, RUNTIME_ENV_VARS, SECRET_ENV_VARS, type AppConfig } from '../../../api/src/config';

function at(config: AppConfig, dotted: string): { found: boolean } {
  let node: unknown = config;
  for (const key of dotted.split('.')) {
    if (node === null || typeof node !== 'object' || !(key in node)) return { found: false };
    node = (node as Record<string, unknown>)[key];
  }
  return { found: true };
}

describe('the runtime schema and RUNTIME_ENV_VARS', () => {
  it('list the same variables, each described, grouped and with a default as the environment spells it', () => {
    expect(RUNTIME_ENV_VARS.map((v) => v.name)).toEqual(Object.keys(runtimeEnvSchema.properties));
    for (const v of RUNTIME_ENV_VARS) {
      expect(v.description.length).toBeGreaterThan(10);
      expect(v.group).toMatch(/^[a-z]+$/);
      if (v.default !== undefined) expect(typeof v.default).toBe('string');
    }
    const byName = Object.fromEntries(RUNTIME_ENV_VARS.map((v) => [v.name, v]));
    expect(byName.PORT).toMatchObject({ default: '8000', secret: false, group: 'server', configPath: 'port' });
    expect(byName.WEB_CONCURRENCY.default).toBe('1');
    expect(byName.MIGRATE_ON_START.default).toBe('true');
    expect(byName.LDAP_AUTH_FORMAT_USERNAME.default).toBe('django_python3_ldap.utils.format_username_openldap');
  });

  it('mark exactly the secrets', () => {
    expect([...SECRET_ENV_VARS].sort()).toEqual(
      [
        'ADMIN_PASSWORD',
        'APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY',
        'DATABASE_URL',
        'DJANGO_DB_PASSWORD',
        'FLAGSTACK_ENCRYPTION_KEY',
        'LDAP_AUTH_CONNECTION_PASSWORD',
        'LDAP_SYNC_USER_PASSWORD',
        'OIDC_ADFS_CLIENT_SECRET',
        'OIDC_AZURE_AD_CLIENT_SECRET',
        'OIDC_GITHUB_CLIENT_SECRET',
        'OIDC_GOOGLE_CLIENT_SECRET',
        'OIDC_OKTA_CLIENT_SECRET',
      ].sort(),
    );
  });

  it('point every variable at a property that exists in AppConfig', () => {
    const config = loadConfig({
      OIDC_OKTA_CLIENT_ID: 'a', OIDC_OKTA_ISSUER: 'https://o', OIDC_ADFS_CLIENT_ID: 'a', OIDC_ADFS_ISSUER: 'https://a',
      OIDC_AZURE_AD_CLIENT_ID: 'a', OIDC_AZURE_AD_ISSUER: 'https://z', OIDC_GOOGLE_CLIENT_ID: 'a', OIDC_GITHUB_CLIENT_ID: 'a',
      DATABASE_TLS_CA_FILE: '/etc/ssl/rds-ca.pem',
    });
    for (const v of RUNTIME_ENV_VARS) expect({ name: v.name, path: v.configPath, ...at(config, v.configPath) }).toEqual({ name: v.name, path: v.configPath, found: true });
  });

  it('include the seed-documented and Flagsmith names', () => {
    const names = new Set(RUNTIME_ENV_VARS.map((v) => v.name));
    for (const n of ['LDAP_AUTH_URL', 'LDAP_AUTH_SEARCH_BASE', 'LDAP_SYNCED_GROUPS', 'SAML_FORCE_SSL', 'APP_DYNAMICS', 'API_URL', 'FLAGSMITH_CLIENT_API', 'FLAGSMITH', 'DATABASE_URL', 'DJANGO_DB_ENGINE', 'APPDYNAMICS_CONTROLLER_HOST_NAME']) {
      expect(names.has(n as never)).toBe(true);
    }
  });
});
