// Oracle on RDS with the SSL option listens for TCPS on 2484 only: the URL composed from DJANGO_DB_* (what every stack
// emits, lib/common/api-environment.ts) must make node-oracledb's thin mode connect with TLS, which it does only for a
// `tcps://` connect string. Checked on the composed URL and on the options the store hands to oracledb.createPool
// (a stand-in module records them; no Oracle server runs here).
import { loadConfig } from '../../../api/src/config';
import { parseOracleUrl } from '../../../api/src/store/database-url';
import { createOracleDialect } from '../../../api/src/store/dialects/server-dialects';

const created: Record<string, unknown>[] = [];
jest.mock('oracledb', () => ({
  createPool: async (options: Record<string, unknown>) => {
    created.push(options);
    return { getConnection: async () => Promise.reject(new Error('no server here')), close: async () => undefined };
  },
}));

/** What the AWS stack emits for Oracle (DJANGO_DB_NAME is the SID FLAGS, the port the SSL option's listener). */
const RDS_ORACLE = {
  DJANGO_DB_ENGINE: 'oracle',
  DJANGO_DB_HOST: 'flagstack-db.abc.eu-west-1.rds.amazonaws.com',
  DJANGO_DB_PORT: '2484',
  DJANGO_DB_NAME: 'FLAGS',
  DJANGO_DB_USER: 'flagstack',
  DJANGO_DB_PASSWORD: 's3cret/@',
};

const composed = (env: Record<string, string>) => loadConfig(env).database.url;

describe('the Oracle URL composed from DJANGO_DB_*', () => {
  test('port 2484 (the RDS SSL option) asks for TLS: ?ssl=true, so the connect string is tcps://', () => {
    const url = composed(RDS_ORACLE);
    expect(url).toBe('oracle://flagstack:s3cret%2F%40@flagstack-db.abc.eu-west-1.rds.amazonaws.com:2484/FLAGS?ssl=true');
    expect(parseOracleUrl(url)).toEqual({
      host: 'flagstack-db.abc.eu-west-1.rds.amazonaws.com',
      port: 2484,
      service: 'FLAGS',
      user: 'flagstack',
      password: 's3cret/@',
      connectString: 'tcps://flagstack-db.abc.eu-west-1.rds.amazonaws.com:2484/FLAGS',
      connectTimeoutSeconds: 10,
    });
  });

  test('DATABASE_TLS=require or verify asks for TLS on any port; an explicit DATABASE_TLS=off keeps plain TCP even on 2484', () => {
    const plain = { ...RDS_ORACLE, DJANGO_DB_PORT: '1521' };
    expect(composed(plain)).toMatch(/:1521\/FLAGS$/);
    expect(parseOracleUrl(composed({ ...plain, DATABASE_TLS: 'require' })).connectString).toBe('tcps://flagstack-db.abc.eu-west-1.rds.amazonaws.com:1521/FLAGS');
    expect(parseOracleUrl(composed({ ...plain, DATABASE_TLS: 'verify' })).connectString).toMatch(/^tcps:\/\//);
    expect(composed({ ...RDS_ORACLE, DATABASE_TLS: 'off' })).toMatch(/:2484\/FLAGS$/);
    expect(parseOracleUrl(composed({ ...RDS_ORACLE, DATABASE_TLS: 'off' })).connectString).toBe('flagstack-db.abc.eu-west-1.rds.amazonaws.com:2484/FLAGS');
  });

  test('the other engines are composed as before (their TLS is DATABASE_TLS driver options, or always on)', () => {
    for (const engine of ['postgresql', 'mysql', 'sql_server']) {
      expect(composed({ ...RDS_ORACLE, DJANGO_DB_ENGINE: engine, DATABASE_TLS: 'require' })).not.toContain('?');
    }
  });

  test('a DATABASE_URL is taken as written', () => {
    expect(composed({ ...RDS_ORACLE, DATABASE_URL: 'oracle://u:p@h:2484/FLAGS' })).toBe('oracle://u:p@h:2484/FLAGS');
  });
});

describe('the connection options the Oracle dialect gives node-oracledb (thin mode)', () => {
  test('a tcps:// connect string with the URL\'s credentials and timeouts', async () => {
    created.length = 0;
    const settings = parseOracleUrl(composed(RDS_ORACLE));
    const driver = (await createOracleDialect(settings, 4)).createDriver();
    await driver.init();
    await driver.destroy();
    expect(created).toEqual([
      expect.objectContaining({
        user: 'flagstack',
        password: 's3cret/@',
        connectString: 'tcps://flagstack-db.abc.eu-west-1.rds.amazonaws.com:2484/FLAGS',
        poolMax: 4,
        connectTimeout: 10,
        transportConnectTimeout: 10,
      }),
    ]);
    // No wallet: thin mode then checks the server certificate against Node's CAs (NODE_EXTRA_CA_CERTS adds the RDS
    // bundle) and the host name, which is what RDS's certificate carries.
    expect(created[0]).not.toHaveProperty('walletContent');
    expect(created[0]).not.toHaveProperty('sslServerDNMatch');
  });
});
