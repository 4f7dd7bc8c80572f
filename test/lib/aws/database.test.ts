// FlagstackDatabase per engine: private, encrypted, TLS enforced, backups, rotation, production safety; RDS Proxy
// where the engine supports it. ApiSecrets: the generated encryption key and admin password.
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { validateEnv } from '../../../api/src/config';
import { ApiSecrets, FlagstackDatabase, FlagstackNetwork, type FlagstackDatabaseProps } from '../../../lib/aws';
import { bareStack, onlyResource, resources } from './helpers';

function database(props: Partial<FlagstackDatabaseProps> = {}) {
  const stack = bareStack();
  const network = new FlagstackNetwork(stack, 'Network');
  const db = new FlagstackDatabase(stack, 'Database', {
    vpc: network.vpc,
    subnets: network.databaseSubnets,
    rotationSubnets: network.applicationSubnets,
    engine: 'postgres',
    ...props,
  });
  const client = new ec2.SecurityGroup(stack, 'Client', { vpc: network.vpc });
  db.allowFrom(client, 'client');
  return { stack, db, client, template: Template.fromStack(stack) };
}

/** Logical ids of the isolated subnets of the bare network. */
function isolatedSubnets(template: Template): string[] {
  return Object.entries(resources(template, 'AWS::EC2::Subnet'))
    .filter(([, s]) => JSON.stringify(s.Properties?.Tags).includes('"Isolated"'))
    .map(([id]) => id);
}

describe.each([
  ['postgres', 'postgres', 'postgres16', { 'rds.force_ssl': '1' }, 5432, 'db.t4g.small'],
  ['mysql', 'mysql', 'mysql8.4', { require_secure_transport: '1' }, 3306, 'db.t4g.small'],
  ['sqlserver', 'sqlserver-se', 'sqlserver-se-16.0', { 'rds.force_ssl': '1' }, 1433, 'db.t3.xlarge'],
] as const)('RDS %s', (engine, cfnEngine, family, tls, port, instanceClass) => {
  const { template } = database({ engine });

  it('runs the engine in the isolated subnets, not publicly accessible, storage encrypted', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: cfnEngine,
      DBInstanceClass: instanceClass,
      PubliclyAccessible: false,
      StorageEncrypted: true,
      StorageType: 'gp3',
      AllocatedStorage: '20',
      MaxAllocatedStorage: 40,
      MultiAZ: false,
      BackupRetentionPeriod: 7,
      DeletionProtection: false,
    });
    const [, group] = onlyResource(template, 'AWS::RDS::DBSubnetGroup');
    const subnetIds = (group.Properties!.SubnetIds as { Ref: string }[]).map((r) => r.Ref);
    expect(subnetIds.sort()).toEqual(isolatedSubnets(template).sort());
  });

  it('refuses unencrypted connections through its parameter group', () => {
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: family, Parameters: tls });
    const [groupId] = onlyResource(template, 'AWS::RDS::DBParameterGroup');
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBParameterGroupName: { Ref: groupId } });
  });

  it('generates its credentials in Secrets Manager and rotates them every 30 days', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password', SecretStringTemplate: '{"username":"flagstack"}' }),
    });
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', { RotationRules: { ScheduleExpression: 'rate(30 days)' } });
    template.resourceCountIs('AWS::Serverless::Application', 1);
  });

  it('accepts the API on its port only', () => {
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { IpProtocol: 'tcp', FromPort: port, ToPort: port, Description: 'client' });
  });

  it('is deleted with a non-production stack', () => {
    const [, instance] = onlyResource(template, 'AWS::RDS::DBInstance');
    expect(instance.DeletionPolicy).toBe('Delete');
  });
});

describe('RDS Oracle SE2', () => {
  const { template, db } = database({ engine: 'oracle' });

  it('is licence-included SE2 19 with a TLS listener on 2484 the API must use', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', { Engine: 'oracle-se2', LicenseModel: 'license-included', DBName: 'FLAGS', StorageEncrypted: true });
    template.hasResourceProperties('AWS::RDS::OptionGroup', {
      EngineName: 'oracle-se2',
      OptionConfigurations: [Match.objectLike({ OptionName: 'SSL', Port: 2484, OptionSettings: Match.arrayWith([{ Name: 'SQLNET.SSL_VERSION', Value: '1.2' }]) })],
    });
    expect(db.connectionPoint.port).toBe('2484');
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { FromPort: 2484, ToPort: 2484, Description: 'client' });
  });

  it('has no RDS Proxy (the engine is not supported)', () => {
    expect(() => database({ engine: 'oracle', proxy: true })).toThrow(/RDS Proxy does not support oracle/);
  });
});

describe('production settings', () => {
  const { template } = database({ engine: 'postgres', size: 'db.r6g.large', storageGb: 100, highAvailability: true, backupRetentionDays: 30, deletionProtection: true, snapshotOnDelete: true });

  it('turn on Multi-AZ, longer backups, deletion protection and a final snapshot', () => {
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      DBInstanceClass: 'db.r6g.large',
      MultiAZ: true,
      BackupRetentionPeriod: 30,
      DeletionProtection: true,
      AllocatedStorage: '100',
      DeleteAutomatedBackups: false,
    });
    const [, instance] = onlyResource(template, 'AWS::RDS::DBInstance');
    expect(instance.DeletionPolicy).toBe('Snapshot');
    expect(instance.UpdateReplacePolicy).toBe('Snapshot');
  });
});

describe('Aurora PostgreSQL', () => {
  it('is Serverless v2 with TLS forced in the cluster parameter group, and a reader with high availability', () => {
    const { template } = database({ aurora: true, size: 'medium', highAvailability: true });
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      StorageEncrypted: true,
      ServerlessV2ScalingConfiguration: { MinCapacity: 1, MaxCapacity: 8 },
      DatabaseName: 'flagstack',
      EnableIAMDatabaseAuthentication: true,
    });
    template.hasResourceProperties('AWS::RDS::DBClusterParameterGroup', { Parameters: { 'rds.force_ssl': '1' } });
    template.resourceCountIs('AWS::RDS::DBInstance', 2);
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless', PubliclyAccessible: false });
  });

  it('uses provisioned instances for an instance class', () => {
    const { template } = database({ aurora: true, size: 'db.r6g.large' });
    template.resourceCountIs('AWS::RDS::DBInstance', 1);
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.r6g.large' });
    const [, cluster] = onlyResource(template, 'AWS::RDS::DBCluster');
    expect(cluster.Properties!.ServerlessV2ScalingConfiguration).toBeUndefined();
  });

  it('is only offered with postgres', () => {
    expect(() => database({ aurora: true, engine: 'mysql' })).toThrow(/Aurora is only offered with engine postgres/);
  });
});

describe('RDS Proxy', () => {
  const { template, db } = database({ engine: 'mysql', proxy: true });

  it('requires TLS, uses the generated secret and becomes the connection point', () => {
    template.hasResourceProperties('AWS::RDS::DBProxy', { EngineFamily: 'MYSQL', RequireTLS: true });
    expect(db.proxy).toBeDefined();
    expect(db.connectionPoint.host).toBe(db.proxy!.endpoint);
    // The client may reach the proxy; the proxy reaches the database.
    const [proxySgId] = Object.entries(resources(template, 'AWS::EC2::SecurityGroup')).find(([, sg]) => sg.Properties!.GroupDescription === 'flagstack RDS Proxy')!;
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: { 'Fn::GetAtt': [proxySgId, 'GroupId'] }, FromPort: 3306, Description: 'client' });
  });
});

describe('ApiSecrets', () => {
  const stack = bareStack();
  const network = new FlagstackNetwork(stack, 'Network');
  const db = new FlagstackDatabase(stack, 'Database', { vpc: network.vpc, subnets: network.databaseSubnets, rotationSubnets: network.applicationSubnets, engine: 'postgres' });
  const secrets = new ApiSecrets(stack, 'Secrets', { databaseSecret: db.secret, adminPassword: true });
  const template = Template.fromStack(stack);

  it('generates the encryption key as 64 characters from 0-9a-f, which the API accepts as a hex key', () => {
    const [, key] = Object.entries(resources(template, 'AWS::SecretsManager::Secret')).find(([id]) => id.startsWith('SecretsEncryptionKey'))!;
    const generate = key.Properties!.GenerateSecretString as Record<string, unknown>;
    expect(generate).toMatchObject({ PasswordLength: 64, ExcludeUppercase: true, ExcludePunctuation: true, IncludeSpace: false });
    // What Secrets Manager can still pick from: lower-case letters and digits minus the excluded ones.
    const alphabet = [...'abcdefghijklmnopqrstuvwxyz0123456789'].filter((c) => !String(generate.ExcludeCharacters).includes(c)).join('');
    expect(alphabet).toBe('abcdef0123456789');
    const sample = Array.from({ length: 64 }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('');
    expect(validateEnv({ FLAGSTACK_ENCRYPTION_KEY: sample })).toEqual([]);
    expect(key.Properties!.SecretString).toBeUndefined();
  });

  it('generates the first admin password', () => {
    const [, admin] = Object.entries(resources(template, 'AWS::SecretsManager::Secret')).find(([id]) => id.startsWith('SecretsAdminPassword'))!;
    expect(admin.Properties!.GenerateSecretString).toMatchObject({ PasswordLength: 32, RequireEachIncludedType: true });
  });

  it('resolves each kind of secret source', () => {
    expect(secrets.resolve({ kind: 'database-password' })).toEqual({ secret: db.secret, field: 'password' });
    expect(secrets.resolve({ kind: 'generated', purpose: 'encryption-key' }).secret).toBe(secrets.encryptionKey);
    expect(secrets.resolve({ kind: 'generated', purpose: 'admin-password' }).secret).toBe(secrets.adminPassword);
    const ref = secrets.resolve({ kind: 'reference', secretName: 'team/appd-key' });
    expect(stack.resolve(ref.secret.secretArn)).toEqual({
      'Fn::Join': ['', ['arn:aws:secretsmanager:eu-west-1:', { Ref: 'AWS::AccountId' }, ':secret:team/appd-key']],
    });
    expect(secrets.resolve({ kind: 'reference', secretName: 'team/appd-key' }).secret).toBe(ref.secret);
  });

  it('refuses an admin password it was not asked to generate', () => {
    const other = new ApiSecrets(stack, 'NoAdmin', { databaseSecret: db.secret });
    expect(() => other.resolve({ kind: 'generated', purpose: 'admin-password' })).toThrow(/adminPassword: true/);
  });
});
