import { parseDeploymentConfig } from '../../../lib/config';
import { oneEnv, problems } from './helpers';

const APPD = { enabled: true, controllerHost: 'c.example.com', accountName: 'acct', applicationName: 'flagstack', tierName: 'api', accessKeySecret: 'appd-key' };

describe('cross-field rules', () => {
  it('environment names are unique', () => {
    const doc = {
      project: 'flagstack',
      defaults: { cloud: 'aws', region: 'eu-west-1' },
      environments: [{ name: 'dev' }, { name: 'prod' }, { name: 'dev' }],
    };
    expect(problems(doc)).toEqual(['environments[2].name: duplicate environment name "dev" (also environments[0])']);
  });

  it.each(['Dev', 'dev_1', '1dev', 'dev-', 'a'.repeat(33), ''])('environment name %j is not a safe stack name', (name) => {
    expect(problems({ project: 'flagstack', environments: [{ name, cloud: 'aws', region: 'eu-west-1' }] })).toEqual([
      `environments[0].name: expected a name of lower-case letters, digits and hyphens that starts with a letter, does not end with a hyphen and has at most 32 characters (it becomes part of stack names), got ${JSON.stringify(name)}`,
    ]);
  });

  it('oracle only on aws', () => {
    expect(problems(oneEnv({ database: { engine: 'oracle' } }))).toEqual([]);
    for (const [cloud, region] of [['azure', 'westeurope'], ['gcp', 'europe-west1']]) {
      expect(problems(oneEnv({ cloud, region, database: { engine: 'oracle' } }))).toEqual([
        'environments[0].database.engine: oracle is only available on aws (Azure and GCP have no managed Oracle)',
      ]);
    }
  });

  it('sqlserver and mysql on every cloud', () => {
    for (const [cloud, region] of [['aws', 'eu-west-1'], ['azure', 'westeurope'], ['gcp', 'europe-west1']]) {
      for (const engine of ['sqlserver', 'mysql', 'postgres']) expect(problems(oneEnv({ cloud, region, database: { engine } }))).toEqual([]);
    }
  });

  it('aurora only with postgres on aws', () => {
    expect(problems(oneEnv({ database: { aurora: true } }))).toEqual([]);
    expect(problems(oneEnv({ database: { aurora: true, engine: 'mysql' } }))).toEqual([
      'environments[0].database.aurora: Aurora is only available with engine postgres on aws (this environment: mysql on aws)',
    ]);
    expect(problems(oneEnv({ cloud: 'gcp', region: 'europe-west1', database: { aurora: true } }))).toEqual([
      'environments[0].database.aurora: Aurora is only available with engine postgres on aws (this environment: postgres on gcp)',
    ]);
  });

  it('AppDynamics needs its settings, and with packaging function an agent from outside the bundle', () => {
    expect(problems(oneEnv({ appDynamics: APPD }))).toEqual([]);
    expect(problems(oneEnv({ appDynamics: { enabled: false } }))).toEqual([]);
    expect(problems(oneEnv({ appDynamics: { enabled: true } }))).toEqual(
      ['controllerHost', 'accountName', 'applicationName', 'tierName', 'accessKeySecret'].map(
        (k) => `environments[0].appDynamics.${k}: is required when appDynamics.enabled is true`,
      ),
    );
    expect(problems(oneEnv({ packaging: 'function', appDynamics: APPD }))).toEqual([
      'environments[0].appDynamics.agentLayerArn: is required for AppDynamics with packaging function on aws: a function bundle cannot carry the agent, so it must come from a Lambda layer',
    ]);
    const layer = 'arn:aws:lambda:eu-west-1:123456789012:layer:appdynamics-node:7';
    expect(problems(oneEnv({ packaging: 'function', appDynamics: { ...APPD, agentLayerArn: layer } }))).toEqual([]);
    expect(problems(oneEnv({ cloud: 'gcp', region: 'europe-west1', packaging: 'function', appDynamics: APPD }))).toEqual([
      'environments[0].appDynamics.agentPath: is required for AppDynamics with packaging function on gcp: a function bundle cannot carry the agent, so name where it is installed',
    ]);
    expect(problems(oneEnv({ cloud: 'azure', region: 'westeurope', packaging: 'function', appDynamics: { ...APPD, agentPath: '/home/site/appdynamics' } }))).toEqual([]);
    expect(problems(oneEnv({ cloud: 'azure', region: 'westeurope', packaging: 'function', appDynamics: { ...APPD, agentPath: '/x', agentLayerArn: layer } }))).toEqual([
      'environments[0].appDynamics.agentLayerArn: is for aws Lambda; on azure use appDynamics.agentPath',
    ]);
    expect(problems(oneEnv({ appDynamics: { ...APPD, agentLayerArn: layer } }))).toEqual([
      'environments[0].appDynamics.agentLayerArn: only applies to packaging function (containers install the agent in the image)',
    ]);
  });

  it('region is required and must be the cloud\'s own', () => {
    expect(problems({ project: 'flagstack', environments: [{ name: 'e', cloud: 'aws' }] })).toEqual(['environments[0].region: is required']);
    expect(problems(oneEnv({ cloud: 'azure' }))).toEqual(['environments[0].region: "eu-west-1" is not an azure region name (e.g. westeurope)']);
    expect(problems(oneEnv({ cloud: 'gcp', region: 'westeurope' }))).toEqual(['environments[0].region: "westeurope" is not a gcp region name (e.g. europe-west1)']);
    expect(problems(oneEnv({ region: 'europe-west1' }))).toEqual(['environments[0].region: "europe-west1" is not an aws region name (e.g. eu-west-1)']);
  });

  it('scaling min <= max, provisioned concurrency only for functions', () => {
    expect(problems(oneEnv({ scaling: { min: 5, max: 3 } }))).toEqual(['environments[0].scaling.min: must not exceed scaling.max (5 > 3)']);
    expect(problems(oneEnv({ scaling: { provisionedConcurrency: 2 } }))).toEqual(['environments[0].scaling.provisionedConcurrency: only applies to packaging function']);
    expect(problems(oneEnv({ packaging: 'function', scaling: { provisionedConcurrency: 2 } }))).toEqual([]);
  });

  it('database sizes: presets anywhere, otherwise the cloud\'s own vocabulary', () => {
    expect(problems(oneEnv({ database: { size: 'db.r6g.large' } }))).toEqual([]);
    expect(problems(oneEnv({ database: { size: 'db-custom-2-7680' } }))).toEqual([
      'environments[0].database.size: "db-custom-2-7680" is not an RDS instance class (e.g. db.t4g.medium) or small, medium, large',
    ]);
    expect(problems(oneEnv({ cloud: 'gcp', region: 'europe-west1', database: { size: 'db.t4g.micro' } }))).toEqual([
      'environments[0].database.size: "db.t4g.micro" is not a Cloud SQL tier (e.g. db-custom-2-7680) or small, medium, large',
    ]);
    expect(problems(oneEnv({ cloud: 'azure', region: 'westeurope', database: { size: 'GP_Standard_D2ds_v5' } }))).toEqual([]);
  });

  it('cloud-specific domain, network and image settings', () => {
    const cert = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';
    expect(problems(oneEnv({ domain: { name: 'flags.example.com', certificateArn: cert } }))).toEqual([]);
    expect(problems(oneEnv({ cloud: 'azure', region: 'westeurope', domain: { name: 'flags.example.com', certificateArn: cert } }))).toEqual([
      'environments[0].domain.certificateArn: is for aws; on azure use domain.certificateId',
    ]);
    expect(problems(oneEnv({ domain: { name: 'flags.example.com', certificateId: 'x' } }))).toEqual([
      'environments[0].domain.certificateId: is for azure and gcp; on aws use domain.certificateArn',
    ]);
    const subnets = { availabilityZones: ['eu-west-1a', 'eu-west-1b'], privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b'], publicSubnetIds: ['subnet-0000000c', 'subnet-0000000d'] };
    expect(problems(oneEnv({ network: { vpcId: 'vpc-0123456789abcdef0', cidr: '10.1.0.0/16', ...subnets } }))).toEqual([
      'environments[0].network.cidr: cannot be set together with network.vpcId (an existing VPC keeps its own address range)',
    ]);
    expect(problems(oneEnv({ cloud: 'gcp', region: 'europe-west1', network: { vpcId: 'vpc-01234567' } }))).toEqual([
      'environments[0].network.vpcId: is for aws (an existing VPC); not available on gcp',
    ]);
    expect(problems(oneEnv({ packaging: 'function', image: { uri: 'ghcr.io/acme/flagstack:1.0' } }))).toEqual([
      'environments[0].image: only applies to packaging container (a function is deployed as a bundle)',
    ]);
  });

  it('login lock, OIDC and LDAP settings are consistent', () => {
    const okta = { name: 'okta', issuer: 'https://acme.okta.com', clientId: 'id', clientSecretSecret: 'okta-secret' };
    expect(problems(oneEnv({ auth: { lockLoginTo: 'oidc:okta', oidc: [okta] } }))).toEqual([]);
    expect(problems(oneEnv({ auth: { lockLoginTo: 'oidc:google', oidc: [okta, okta] } }))).toEqual([
      'environments[0].auth.lockLoginTo: oidc:google needs an auth.oidc provider named google',
      'environments[0].auth.oidc[1].name: duplicate provider okta',
    ]);
    expect(problems(oneEnv({ auth: { lockLoginTo: 'ldap' } }))).toEqual(['environments[0].auth.lockLoginTo: ldap needs auth.ldap']);
    expect(problems(oneEnv({ auth: { lockLoginTo: 'kerberos' } }))).toEqual([
      'environments[0].auth.lockLoginTo: expected password, saml, ldap or oidc:<okta|adfs|azure_ad|google|github>, got "kerberos"',
    ]);
    const ldap = { url: 'ldaps://ad.example.com', searchBase: 'dc=example,dc=com' };
    expect(problems(oneEnv({ auth: { ldap: { ...ldap, useTls: true, formatUsername: 'active_directory_principal', connectionPasswordSecret: 'bind', syncPasswordSecret: 'sync' } } }))).toEqual([
      'environments[0].auth.ldap.useTls: StartTLS cannot be used with an ldaps:// URL (the connection is already TLS)',
      'environments[0].auth.ldap.activeDirectoryDomain: is required when formatUsername is active_directory_principal',
      'environments[0].auth.ldap.connectionUsername: is required with connectionPasswordSecret',
      'environments[0].auth.ldap.syncUsername: is required with syncPasswordSecret',
    ]);
  });

  it('secret references fit the cloud\'s secret store', () => {
    const appd = { ...APPD, accessKeySecret: 'flagstack/prod/appd_key' };
    expect(problems(oneEnv({ appDynamics: appd }))).toEqual([]);
    expect(problems(oneEnv({ cloud: 'azure', region: 'westeurope', appDynamics: appd }))).toEqual([
      'environments[0].appDynamics.accessKeySecret: "flagstack/prod/appd_key" is not a valid secret name on azure (Key Vault secret names allow letters, digits and hyphens only)',
    ]);
    expect(problems(oneEnv({ cloud: 'gcp', region: 'europe-west1', appDynamics: appd }))).toEqual([
      'environments[0].appDynamics.accessKeySecret: "flagstack/prod/appd_key" is not a valid secret name on gcp (Secret Manager secret ids allow letters, digits, _ and - only)',
    ]);
  });

  it('returns the resolved environment when every rule passes', () => {
    expect(parseDeploymentConfig(oneEnv({ appDynamics: APPD })).environments[0].appDynamics).toEqual({ ...APPD, ssl: true, controllerPort: 443 });
  });
});
