import { DeploymentConfigError, parseDeploymentConfig } from '../../../lib/config';
import { oneEnv, problems } from './helpers';

describe('validation errors', () => {
  it('name the exact path and the expectation', () => {
    const doc = {
      project: 'flagstack',
      defaults: { cloud: 'aws', region: 'eu-west-1' },
      environments: [{ name: 'a' }, { name: 'b' }, { name: 'c', database: { engine: 'mongo' } }],
    };
    expect(problems(doc)).toEqual(['environments[2].database.engine: expected one of postgres, mysql, sqlserver, oracle, got "mongo"']);
  });

  it('report every problem at once, grouped by section in file order', () => {
    const doc = {
      project: 'Flag Stack',
      environments: [
        { name: 'a', cloud: 'aws', region: 'eu-west-1', packaging: 'vm', scaling: { min: -1, cpu: 'lots' }, nodeVersion: 18 },
        { name: 'b', cloud: 'azure', region: 'westeurope', database: { engine: 'oracle', storageGb: 5, backupRetentionDays: 90 }, tags: { team: 7 } },
        { name: 'c', cloud: 'moon', region: 'sea-of-tranquility', domain: { name: 'Flags.Example' } },
      ],
    };
    expect(problems(doc)).toEqual([
      'project: expected lower-case letters, digits and hyphens, starting with a letter, at most 20 characters, got "Flag Stack"',
      'environments[0].packaging: expected one of container, function, got "vm"',
      'environments[0].scaling.min: expected an integer between 0 and 1000, got -1',
      'environments[0].scaling.cpu: expected a number greater than 0 and at most 16, got "lots"',
      'environments[0].nodeVersion: expected one of 20, 22, 24, got 18',
      'environments[1].database.storageGb: expected an integer between 20 and 65536, got 5',
      'environments[1].database.backupRetentionDays: expected an integer between 0 and 35, got 90',
      'environments[1].tags.team: expected a string of at most 256 characters, got 7',
      'environments[2].cloud: expected one of aws, azure, gcp, got "moon"',
      'environments[2].domain.name: expected a lower-case DNS name such as flags.example.com, got "Flags.Example"',
    ]);
  });

  it('still apply the rules to an environment with other problems, naming each value once', () => {
    expect(problems(oneEnv({ cloud: 'azure', region: 'westeurope', database: { engine: 'oracle' }, scaling: { max: 'ten' } }))).toEqual([
      'environments[0].scaling.max: expected an integer between 1 and 1000, got "ten"',
      'environments[0].database.engine: oracle is only available on aws (Azure and GCP have no managed Oracle)',
    ]);
  });

  it('reject unknown keys with their path and the allowed keys', () => {
    expect(problems(oneEnv({ databse: { engine: 'postgres' }, database: { engine: 'postgres', sizee: 'small' }, auth: { ldap: { url: 'ldap://x', searchBase: 'dc=x', bindDn: 'cn=a' } } }))).toEqual([
      'environments[0].databse: unknown key (allowed: name, cloud, region, packaging, database, scaling, domain, network, auth, appDynamics, image, waf, monitoring, stateBackend, nodeVersion, tags, prod)',
      'environments[0].database.sizee: unknown key (allowed: engine, size, storageGb, highAvailability, backupRetentionDays, deletionProtection, snapshotOnDelete, aurora)',
      'environments[0].auth.ldap.bindDn: unknown key (allowed: url, searchBase, useTls, objectClass, userFields, userLookupFields, formatUsername, activeDirectoryDomain, connectionUsername, connectionPasswordSecret, connectTimeoutSeconds, receiveTimeoutSeconds, defaultOrganisationId, syncedGroups, syncUserGroups, loginGroup, syncUsername, syncPasswordSecret)',
    ]);
    expect(problems({ project: 'flagstack', environments: [], extra: 1 })).toEqual([
      'extra: unknown key (allowed: $schema, project, defaults, environments)',
      'environments: expected a list of at least 1 item, got []',
    ]);
  });

  it('reject literal secrets anywhere, pointing at the secret reference to use', () => {
    const doc = oneEnv({
      appDynamics: { enabled: false, accessKey: 'AKIA-not-really' },
      auth: {
        oidc: [{ name: 'okta', clientId: 'id', clientSecret: 'shh', clientSecretSecret: 'okta-secret', issuer: 'https://o.example.com' }],
        ldap: { url: 'ldap://x', searchBase: 'dc=x', connectionPassword: 'hunter2' },
      },
      tags: { apiToken: 'abc', note: 'postgres://app:hunter2@db/flags' },
    });
    const text = problems(doc);
    expect(text).toEqual([
      "environments[0].appDynamics.accessKey: looks like a secret value; the deployment config must never hold secrets: put it in the platform's secret store and give the secret's name in accessKeySecret",
      "environments[0].auth.oidc[0].clientSecret: looks like a secret value; the deployment config must never hold secrets: put it in the platform's secret store and give the secret's name in clientSecretSecret",
      "environments[0].auth.ldap.connectionPassword: looks like a secret value; the deployment config must never hold secrets: put it in the platform's secret store and give the secret's name in connectionPasswordSecret or syncPasswordSecret",
      "environments[0].tags.apiToken: looks like a secret value; the deployment config must never hold secrets: put it in the platform's secret store and give the secret's name in a secret reference",
      'environments[0].tags.note: contains a URL with a password; the deployment config must never hold secrets',
    ]);
    expect(text.join('\n')).not.toMatch(/hunter2|AKIA|shh/);
  });

  it('report invalid JSON and non-objects', () => {
    expect(() => parseDeploymentConfig('{ "project": ', 'broken.json')).toThrow(/^broken\.json: invalid JSON/);
    expect(problems('[]')).toEqual(['expected an object, got []']);
  });

  it('carry the source and the issues on the error', () => {
    let error: unknown;
    try {
      parseDeploymentConfig(oneEnv({ cloud: 'gcp' }), 'conf/x.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DeploymentConfigError);
    const e = error as DeploymentConfigError;
    expect(e.source).toBe('conf/x.json');
    expect(e.issues).toEqual([{ path: 'environments[0].region', message: '"eu-west-1" is not a gcp region name (e.g. europe-west1)' }]);
    expect(e.message).toBe('conf/x.json: environments[0].region: "eu-west-1" is not a gcp region name (e.g. europe-west1)');
  });
});
