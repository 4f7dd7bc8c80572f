import { parseDeploymentConfig } from '../../../lib/config';
import { deepMerge } from '../../../lib/config/merge';
import { oneEnv, problems } from './helpers';

describe('deepMerge', () => {
  it('merges objects key by key, replaces arrays and scalars, and copies', () => {
    const base = { a: { b: 1, c: [1, 2] }, d: 'x' };
    const merged = deepMerge(base, { a: { c: [3] }, d: 'y' }) as typeof base;
    expect(merged).toEqual({ a: { b: 1, c: [3] }, d: 'y' });
    merged.a.b = 9;
    expect(base.a.b).toBe(1);
  });
});

describe('defaults', () => {
  const file = {
    project: 'flagstack',
    defaults: {
      cloud: 'aws',
      region: 'eu-west-1',
      database: { engine: 'mysql', size: 'medium', storageGb: 50 },
      auth: { allowSignup: true, ldap: { url: 'ldaps://ldap.example.com', searchBase: 'ou=people,dc=example,dc=com', syncedGroups: ['cn=a,dc=example,dc=com', 'cn=b,dc=example,dc=com'] } },
      tags: { team: 'platform' },
    },
    environments: [
      { name: 'one' },
      {
        name: 'two',
        region: 'us-east-1',
        database: { size: 'db.t4g.large' },
        auth: { ldap: { syncedGroups: ['cn=c,dc=example,dc=com'] } },
        tags: { stage: 'two' },
      },
    ],
  };

  it('are merged into each environment, the environment winning; objects merge, arrays replace', () => {
    const [one, two] = parseDeploymentConfig(file).environments;
    expect(one).toMatchObject({ region: 'eu-west-1', database: { engine: 'mysql', size: 'medium', storageGb: 50 }, tags: { team: 'platform' } });
    expect(two).toMatchObject({ region: 'us-east-1', database: { engine: 'mysql', size: 'db.t4g.large', storageGb: 50 }, tags: { team: 'platform', stage: 'two' } });
    expect(one.auth.ldap?.syncedGroups).toEqual(['cn=a,dc=example,dc=com', 'cn=b,dc=example,dc=com']);
    expect(two.auth.ldap).toMatchObject({ url: 'ldaps://ldap.example.com', syncedGroups: ['cn=c,dc=example,dc=com'] });
    expect(two.auth.allowSignup).toBe(true);
  });

  it('does not change the parsed document', () => {
    const doc = JSON.parse(JSON.stringify(file));
    parseDeploymentConfig(doc);
    expect(doc).toEqual(file);
  });

  it('fill in built-in defaults', () => {
    const [env] = parseDeploymentConfig(oneEnv()).environments;
    expect(env).toEqual({
      project: 'flagstack',
      name: 'e',
      cloud: 'aws',
      region: 'eu-west-1',
      packaging: 'container',
      database: { engine: 'postgres', size: 'small', storageGb: 20, highAvailability: false, backupRetentionDays: 7, deletionProtection: false, snapshotOnDelete: false, aurora: false },
      scaling: { min: 1, max: 2, cpu: 0.5, memoryMb: 1024 },
      auth: { allowSignup: false },
      nodeVersion: 22,
      tags: {},
      prod: false,
    });
  });

  it('make prod safe unless the environment says otherwise', () => {
    const [prod] = parseDeploymentConfig(oneEnv({ prod: true })).environments;
    expect(prod.database).toEqual({ engine: 'postgres', size: 'medium', storageGb: 100, highAvailability: true, backupRetentionDays: 30, deletionProtection: true, snapshotOnDelete: true, aurora: false });
    expect(prod.scaling).toMatchObject({ min: 2, max: 10 });
    const [explicit] = parseDeploymentConfig(oneEnv({ prod: true, database: { deletionProtection: false } })).environments;
    expect(explicit.database.deletionProtection).toBe(false);
    const [fromDefaults] = parseDeploymentConfig(oneEnv({}, { prod: true })).environments;
    expect(fromDefaults.database.highAvailability).toBe(true);
  });

  it('let functions scale to zero and keep max at least min', () => {
    expect(parseDeploymentConfig(oneEnv({ packaging: 'function' })).environments[0].scaling).toMatchObject({ min: 0, max: 2 });
    expect(parseDeploymentConfig(oneEnv({ scaling: { min: 4 } })).environments[0].scaling).toMatchObject({ min: 4, max: 4 });
  });

  it('default AppDynamics to TLS on port 443 (8090 without TLS)', () => {
    const appd = { enabled: true, controllerHost: 'c.example.com', accountName: 'a', applicationName: 'f', tierName: 't', accessKeySecret: 'appd-key' };
    expect(parseDeploymentConfig(oneEnv({ appDynamics: appd })).environments[0].appDynamics).toMatchObject({ ssl: true, controllerPort: 443 });
    expect(parseDeploymentConfig(oneEnv({ appDynamics: { ...appd, ssl: false } })).environments[0].appDynamics).toMatchObject({ controllerPort: 8090 });
  });

  it('are blamed when a rule rejects a value that came from them', () => {
    expect(problems(oneEnv({ cloud: 'azure', region: 'westeurope' }, { database: { engine: 'oracle' } }))).toEqual([
      'environments[0].database.engine: oracle is only available on aws (Azure and GCP have no managed Oracle) (value from defaults)',
    ]);
  });

  it('may not name an environment or set the project', () => {
    expect(problems(oneEnv({}, { name: 'x' }))).toEqual([
      'defaults.name: unknown key (allowed: cloud, region, packaging, database, scaling, domain, network, auth, appDynamics, image, waf, monitoring, stateBackend, nodeVersion, tags, prod)',
    ]);
    expect(problems(oneEnv({ project: 'other' }))[0]).toMatch(/^environments\[0\]\.project: unknown key/);
  });
});
