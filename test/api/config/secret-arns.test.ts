import { ConfigError, collectSecretArns, loadConfig, resolveSecretArns, validateEnv, type Env } from '../../../api/src/config';

const ARN = (name: string) => `arn:aws:secretsmanager:eu-west-1:123456789012:secret:${name}-AbCdEf`;
const problems = (env: Env) => Object.fromEntries(validateEnv(env).map((i) => [i.variable, i.problem]));

describe('<NAME>_SECRET_ARN', () => {
  it('collects ARNs of secret variables into config.secretArns', () => {
    const c = loadConfig({ DATABASE_URL_SECRET_ARN: ARN('db'), FLAGSTACK_ENCRYPTION_KEY_SECRET_ARN: ARN('key'), OIDC_OKTA_CLIENT_SECRET_SECRET_ARN: ARN('okta') });
    expect(c.secretArns).toEqual({ DATABASE_URL: ARN('db'), FLAGSTACK_ENCRYPTION_KEY: ARN('key'), OIDC_OKTA_CLIENT_SECRET: ARN('okta') });
  });

  it('rejects ARNs for non-secret or unknown variables, both forms at once, and malformed ARNs — all named', () => {
    expect(
      problems({
        PORT_SECRET_ARN: ARN('port'),
        NOT_A_THING_SECRET_ARN: ARN('x'),
        ADMIN_PASSWORD: 'direct',
        ADMIN_EMAIL: 'a@b.c',
        ADMIN_PASSWORD_SECRET_ARN: ARN('admin'),
        LDAP_SYNC_USER_PASSWORD_SECRET_ARN: 'my-secret-name',
      }),
    ).toEqual({
      PORT_SECRET_ARN: 'PORT is not a secret variable; set PORT directly',
      NOT_A_THING_SECRET_ARN: 'NOT_A_THING is not a variable flagstack reads',
      'ADMIN_PASSWORD, ADMIN_PASSWORD_SECRET_ARN': 'both are set; set only one of them',
      LDAP_SYNC_USER_PASSWORD_SECRET_ARN:
        'expected a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>, optionally followed by :<json-key>::), got "my-secret-name"',
    });
  });

  it('counts a secret given by ARN as set for rules between variables', () => {
    expect(problems({ ADMIN_EMAIL: 'a@b.c', ADMIN_PASSWORD_SECRET_ARN: ARN('admin') })).toEqual({});
    expect(problems({ ADMIN_PASSWORD_SECRET_ARN: ARN('admin') })).toEqual({ ADMIN_EMAIL: 'required when ADMIN_PASSWORD is set' });
  });

  it('ignores empty _SECRET_ARN variables', () => {
    expect(collectSecretArns({ DATABASE_URL_SECRET_ARN: '' })).toEqual({ arns: {}, issues: [] });
  });
});

describe('resolveSecretArns', () => {
  const secrets: Record<string, string> = {
    [ARN('db')]: 'postgres://app:db-pw@db/flags',
    [ARN('rds')]: JSON.stringify({ username: 'app', password: 'rds-pw', port: 5432 }),
  };
  const fetcher = (calls: string[] = []) => async (arn: string) => {
    calls.push(arn);
    if (!(arn in secrets)) throw new Error(`ResourceNotFoundException: ${arn}`);
    return secrets[arn];
  };

  it('fills in the values and removes the _SECRET_ARN variables, leaving env untouched', async () => {
    const env = { DATABASE_URL_SECRET_ARN: ARN('db'), PORT: '9000' };
    const out = await resolveSecretArns(env, fetcher());
    expect(out).toEqual({ DATABASE_URL: 'postgres://app:db-pw@db/flags', PORT: '9000' });
    expect(env).toEqual({ DATABASE_URL_SECRET_ARN: ARN('db'), PORT: '9000' });
    expect(loadConfig(out).database.url).toBe('postgres://app:db-pw@db/flags');
  });

  it('picks JSON keys ECS-style and fetches each secret once', async () => {
    const calls: string[] = [];
    const out = await resolveSecretArns(
      {
        DJANGO_DB_PASSWORD_SECRET_ARN: `${ARN('rds')}:password::`,
        LDAP_SYNC_USER_PASSWORD_SECRET_ARN: `${ARN('rds')}:port::`,
      },
      fetcher(calls),
    );
    expect(out).toEqual({ DJANGO_DB_PASSWORD: 'rds-pw', LDAP_SYNC_USER_PASSWORD: '5432' });
    expect(calls).toEqual([ARN('rds')]);
  });

  it('throws a ConfigError naming every variable that fails, without the secret text', async () => {
    const err = await resolveSecretArns(
      {
        DATABASE_URL_SECRET_ARN: `${ARN('db')}:password::`,
        ADMIN_PASSWORD_SECRET_ARN: ARN('missing'),
        FLAGSTACK_ENCRYPTION_KEY_SECRET_ARN: `${ARN('rds')}:nope::`,
      },
      fetcher(),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).issues).toEqual([
      { variable: 'ADMIN_PASSWORD_SECRET_ARN', problem: `could not resolve the secret: ResourceNotFoundException: ${ARN('missing')}` },
      { variable: 'DATABASE_URL_SECRET_ARN', problem: 'could not resolve the secret: the secret is not JSON, so its key "password" cannot be read' },
      { variable: 'FLAGSTACK_ENCRYPTION_KEY_SECRET_ARN', problem: 'could not resolve the secret: the secret has no string key "nope"' },
    ]);
    expect((err as Error).message).not.toContain('db-pw');
  });

  it('refuses to fetch anything when the ARN variables are invalid', async () => {
    const calls: string[] = [];
    await expect(resolveSecretArns({ PORT_SECRET_ARN: ARN('p'), DATABASE_URL_SECRET_ARN: ARN('db') }, fetcher(calls))).rejects.toThrow(
      'PORT_SECRET_ARN: PORT is not a secret variable; set PORT directly',
    );
    expect(calls).toEqual([]);
  });
});
