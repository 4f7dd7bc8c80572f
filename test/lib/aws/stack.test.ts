// FlagstackStack: how one environment of the config becomes one stack — ordering (migration before traffic), log
// retention everywhere, what prod turns on, AppDynamics for containers and functions, domains, an existing VPC.
import { Token } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { LAYER_AGENT_PATH } from '../../../lib/aws';
import { dependsOn, exampleEnvironments, onlyResource, resources, synth, synthEnvironment, TEST_IMAGE } from './helpers';

const [devEnv, , prodEnv] = exampleEnvironments();
const LAYER = 'arn:aws:lambda:eu-west-1:123456789012:layer:appdynamics-nodejs:7';
const APPD = {
  enabled: true,
  controllerHost: 'example.saas.appdynamics.com',
  accountName: 'example',
  applicationName: 'flagstack',
  tierName: 'api',
  accessKeySecret: 'flagstack/fn/appd-key',
  agentLayerArn: LAYER,
};
const FUNCTION = {
  packaging: 'function',
  scaling: { min: 0, max: 20, provisionedConcurrency: 2, memoryMb: 1536 },
  appDynamics: APPD,
  auth: { allowSignup: false, ldap: { url: 'ldaps://ldap.example.com', searchBase: 'dc=example,dc=com' } },
  domain: { name: 'flags.example.org' },
};

type Fn = { Properties: Record<string, any> };
const functionByDescription = (template: ReturnType<typeof synth>['template'], description: string): Fn =>
  Object.values(resources(template, 'AWS::Lambda::Function')).find((f) => f.Properties!.Description === description) as Fn;

describe('the stack of an environment', () => {
  const { stack } = synthEnvironment(devEnv);

  it('deploys to the configured region, in whatever account the credentials belong to (no lookups)', () => {
    expect(stack.region).toBe('eu-west-1');
    expect(Token.isUnresolved(stack.account)).toBe(true);
    expect(stack.stackName).toBe('flagstack-dev');
    expect(stack.terminationProtection).toBe(false);
  });

  it('tags resources with the config\'s tags and the environment name', () => {
    const { template } = synthEnvironment(devEnv);
    const [, vpc] = onlyResource(template, 'AWS::EC2::VPC');
    expect(vpc.Properties!.Tags).toEqual(
      expect.arrayContaining([
        { Key: 'project', Value: 'flagstack' },
        { Key: 'owner', Value: 'platform-team' },
        { Key: 'stage', Value: 'dev' },
        { Key: 'flagstack:environment', Value: 'dev' },
      ]),
    );
  });
});

describe('a container environment (the example prod)', () => {
  const { template, stack } = synthEnvironment(prodEnv);
  const migrationId = () => onlyResource(template, 'Custom::FlagstackMigration')[0];

  it('shifts traffic only after the migration: the service and the schedules depend on it', () => {
    const [, service] = onlyResource(template, 'AWS::ECS::Service');
    expect(dependsOn(service)).toContain(migrationId());
    for (const schedule of Object.values(resources(template, 'AWS::Scheduler::Schedule'))) expect(dependsOn(schedule)).toContain(migrationId());
    // The migration itself runs the migrate export of the Lambda entry.
    expect(functionByDescription(template, 'flagstack: database migrations (run by the deploy)').Properties).toMatchObject({ Handler: 'index.migrate', Timeout: 900 });
  });

  it('keeps every log for the configured retention, and keeps the logs when the stack goes', () => {
    const groups = Object.values(resources(template, 'AWS::Logs::LogGroup'));
    expect(groups.length).toBeGreaterThanOrEqual(5);
    for (const group of groups) {
      expect(group.Properties!.RetentionInDays).toBe(365);
      expect(group.DeletionPolicy).toBe('Retain');
    }
    // RDS creates its log groups itself: their retention is set by aws-cdk-lib's LogRetention function.
    template.hasResourceProperties('Custom::LogRetention', { LogGroupName: Match.objectLike({ 'Fn::Join': Match.anyValue() }), RetentionInDays: 365 });
    // The kit's functions and the migration's Provider log to those groups (a default group never expires).
    const own = Object.values(resources(template, 'AWS::Lambda::Function')).filter((fn) => /^(flagstack|AWS CDK resource provider framework)/.test(String(fn.Properties!.Description)));
    expect(own).toHaveLength(3); // migrate, scheduler, the Provider (the API runs on ECS here)
    for (const fn of own) expect((fn.Properties!.LoggingConfig as { LogGroup?: unknown }).LogGroup).toEqual({ Ref: expect.stringMatching(/Logs/) });
  });

  it('turns on what prod needs: termination protection, two NAT gateways, Multi-AZ, deletion protection, snapshots, a retained key', () => {
    expect(stack.terminationProtection).toBe(true);
    template.resourceCountIs('AWS::EC2::NatGateway', 2);
    template.hasResourceProperties('AWS::RDS::DBInstance', { MultiAZ: true, DeletionProtection: true, BackupRetentionPeriod: 30 });
    const [, key] = Object.entries(resources(template, 'AWS::SecretsManager::Secret')).find(([id]) => id.startsWith('SecretsEncryptionKey'))!;
    expect(key.DeletionPolicy).toBe('Retain');
  });

  it('puts WAF in front of the load balancer', () => {
    const [lbId] = onlyResource(template, 'AWS::ElasticLoadBalancingV2::LoadBalancer');
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: { Ref: lbId } });
  });

  it('serves the custom domain over HTTPS with a certificate validated in the hosted zone, and an alias record', () => {
    template.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: 'flags.example.com',
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: 'flags.example.com', HostedZoneId: 'Z0EXAMPLE1234567890' }],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'flags.example.com.', HostedZoneId: 'Z0EXAMPLE1234567890' });
    template.hasOutput('ApiUrl', { Value: 'https://flags.example.com' });
    expect(template.findOutputs('DnsTarget')).toEqual({});
  });

  it('subscribes the alarm address and alarms on the API, the database and the jobs', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', { Endpoint: 'oncall@example.com' });
    const names = Object.keys(resources(template, 'AWS::CloudWatch::Alarm')).map((id) => id.replace(/^Monitoring/, '').replace(/[0-9A-F]{8}$/, ''));
    expect(names.sort()).toEqual(['ApiLatency', 'ApiServerErrors', 'DatabaseCpu', 'DatabaseStorage', 'LoadBalancerErrors', 'MigrationErrors', 'SchedulerErrors', 'ServiceCpu', 'ServiceMemory', 'UnhealthyTasks']);
  });

  it('renders appdynamics.cfg into a secret whose access key is a deploy-time reference, for the init container', () => {
    const withString = Object.values(resources(template, 'AWS::SecretsManager::Secret')).filter((s) => s.Properties!.SecretString !== undefined);
    expect(withString).toHaveLength(1);
    const cfg = withString[0].Properties!.SecretString as string;
    expect(cfg).toContain('[controller]\nhost = example.saas.appdynamics.com\nport = 443\nssl = on\naccount = example\n');
    expect(cfg).toContain('accesskey = {{resolve:secretsmanager:flagstack/prod/appdynamics-access-key:SecretString:::}}\n');
    const [, task] = onlyResource(template, 'AWS::ECS::TaskDefinition');
    expect((task.Properties!.ContainerDefinitions as { Name: string }[]).map((c) => c.Name)).toEqual(['api', 'appdynamics-config']);
  });

  it('runs the jobs without the container\'s agent (it is in the image, not in the Lambda bundle)', () => {
    const variables = functionByDescription(template, 'flagstack: scheduled jobs (scheduled flag changes, LDAP sync)').Properties.Environment.Variables;
    expect(variables.APP_DYNAMICS).toBe('off');
    expect(Object.keys(variables).filter((k) => k.startsWith('APPDYNAMICS_'))).toEqual([]);
  });

  it('outputs where to find the first admin\'s password, never the password', () => {
    const [adminId] = Object.entries(resources(template, 'AWS::SecretsManager::Secret')).find(([id]) => id.startsWith('SecretsAdminPassword'))!;
    template.hasOutput('AdminPasswordSecret', { Value: { Ref: adminId } });
  });

  it('uses the image given in the config when there is one', () => {
    const { template: t } = synth({ image: { uri: 'ghcr.io/acme/flagstack:1.2.3' } }, { containerImage: undefined });
    const [, task] = onlyResource(t, 'AWS::ECS::TaskDefinition');
    expect((task.Properties!.ContainerDefinitions as { Image: string }[])[0].Image).toBe('ghcr.io/acme/flagstack:1.2.3');
    expect(TEST_IMAGE).not.toBe('ghcr.io/acme/flagstack:1.2.3');
  });
});

describe('a function environment with AppDynamics, LDAP and a domain without a zone id', () => {
  const { template } = synth(FUNCTION);
  const api = () => functionByDescription(template, 'flagstack API');

  it('updates the function and its alias only after the migration', () => {
    const [migrationId] = onlyResource(template, 'Custom::FlagstackMigration');
    const [apiId] = Object.entries(resources(template, 'AWS::Lambda::Function')).find(([, f]) => f.Properties!.Description === 'flagstack API')!;
    expect(dependsOn(resources(template, 'AWS::Lambda::Function')[apiId])).toContain(migrationId);
    const [, alias] = onlyResource(template, 'AWS::Lambda::Alias');
    expect(dependsOn(alias)).toContain(migrationId);
  });

  it('connects through RDS Proxy with a small pool per instance', () => {
    const [proxyId] = onlyResource(template, 'AWS::RDS::DBProxy');
    const variables = api().Properties.Environment.Variables;
    expect(variables.DJANGO_DB_HOST).toEqual({ 'Fn::GetAtt': [proxyId, 'Endpoint'] });
    expect(variables.DATABASE_POOL_MAX).toBe('2');
  });

  it('sizes and caps the function from scaling, with provisioned concurrency on the alias', () => {
    expect(api().Properties).toMatchObject({ MemorySize: 1536, ReservedConcurrentExecutions: 20 });
    template.hasResourceProperties('AWS::Lambda::Alias', { ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } });
  });

  it('loads the agent from the layer, with its settings as variables and the access key by secret ARN', () => {
    const props = api().Properties;
    expect(props.Layers).toEqual([LAYER]);
    expect(props.Environment.Variables).toMatchObject({
      APP_DYNAMICS: 'on',
      APPDYNAMICS_AGENT_PATH: LAYER_AGENT_PATH,
      APPDYNAMICS_CONTROLLER_HOST_NAME: 'example.saas.appdynamics.com',
      APPDYNAMICS_AGENT_ACCOUNT_ACCESS_KEY_SECRET_ARN: { 'Fn::Join': ['', ['arn:aws:secretsmanager:eu-west-1:', { Ref: 'AWS::AccountId' }, ':secret:flagstack/fn/appd-key']] },
    });
    // The jobs are functions too: they carry the same agent.
    expect(functionByDescription(template, 'flagstack: database migrations (run by the deploy)').Properties.Layers).toEqual([LAYER]);
  });

  it('schedules the LDAP sync next to the scheduled changes', () => {
    const inputs = Object.values(resources(template, 'AWS::Scheduler::Schedule')).map((s) => JSON.parse((s.Properties as any).Target.Input).job);
    expect(inputs.sort()).toEqual(['ldap-sync', 'scheduled-changes']);
  });

  it('without a zone id, waits for a DNS-validated certificate and outputs the name to point the domain at', () => {
    const [, cert] = onlyResource(template, 'AWS::CertificateManager::Certificate');
    expect(cert.Properties).toMatchObject({ DomainName: 'flags.example.org', ValidationMethod: 'DNS' });
    expect(cert.Properties!.DomainValidationOptions).toBeUndefined();
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
    const [domainId] = onlyResource(template, 'AWS::ApiGatewayV2::DomainName');
    template.hasOutput('DnsTarget', { Value: { 'Fn::GetAtt': [domainId, 'RegionalDomainName'] } });
  });
});

describe('an existing VPC', () => {
  const network = {
    vpcId: 'vpc-0123456789abcdef0',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b'],
    publicSubnetIds: ['subnet-0000000c', 'subnet-0000000d'],
  };
  const { template } = synth({ network });

  it('places the load balancer in its public subnets and everything else in its private ones', () => {
    template.resourceCountIs('AWS::EC2::VPC', 0);
    template.resourceCountIs('AWS::EC2::Subnet', 0);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Subnets: ['subnet-0000000c', 'subnet-0000000d'] });
    template.hasResourceProperties('AWS::ECS::Service', { NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ Subnets: ['subnet-0000000a', 'subnet-0000000b'] }) } });
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: ['subnet-0000000a', 'subnet-0000000b'] });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', { VpcId: 'vpc-0123456789abcdef0' });
  });
});

describe('without a first admin email', () => {
  it('generates no admin password and sets no ADMIN_EMAIL', () => {
    const { template, stack } = synth({ packaging: 'function', auth: { allowSignup: true } });
    expect(Object.keys(resources(template, 'AWS::SecretsManager::Secret')).some((id) => id.startsWith('SecretsAdminPassword'))).toBe(false);
    expect(stack.apiEnvironment.variables.ADMIN_EMAIL).toBeUndefined();
    expect(stack.apiEnvironment.variables.ALLOW_SIGNUP).toBe('true');
    expect(template.findOutputs('AdminPasswordSecret')).toEqual({});
  });
});
