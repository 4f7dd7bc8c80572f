// The managed database: RDS for PostgreSQL, MySQL, SQL Server (Standard Edition) or Oracle (SE2), or Aurora PostgreSQL
// Serverless v2. Always in private subnets, storage encrypted, TLS enforced by the engine's parameter group (Oracle:
// the SSL option on port 2484, the only port the API may use), automated backups, credentials generated in Secrets
// Manager and rotated. Production turns on deletion protection and a final snapshot.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from './nag';

export type DatabaseEngineName = 'postgres' | 'mysql' | 'sqlserver' | 'oracle';
export type DatabaseSize = 'small' | 'medium' | 'large';

export interface FlagstackDatabaseProps {
  readonly vpc: ec2.IVpc;
  /** Subnets of the database (private or isolated). */
  readonly subnets: ec2.SubnetSelection;
  /** Subnets with a route to Secrets Manager, for the rotation function. */
  readonly rotationSubnets: ec2.SubnetSelection;
  readonly engine: DatabaseEngineName;
  /** Aurora PostgreSQL (Serverless v2 for the size presets, provisioned for an instance class). postgres only. @default false */
  readonly aurora?: boolean;
  /** A preset or an RDS instance class (db.r6g.large). @default 'small' */
  readonly size?: DatabaseSize | string;
  /** Allocated storage in GiB (RDS only; grows automatically up to twice this). @default 20 */
  readonly storageGb?: number;
  /** A standby in a second zone (Multi-AZ; for Aurora a reader that can take over). @default false */
  readonly highAvailability?: boolean;
  /** Days of automated backups (Aurora keeps at least 1). @default 7 */
  readonly backupRetentionDays?: number;
  /** Refuse to delete the database. @default false */
  readonly deletionProtection?: boolean;
  /** Take a final snapshot when the database is removed; otherwise it is deleted with the stack. @default false */
  readonly snapshotOnDelete?: boolean;
  /** The database the API uses. @default 'flagstack' */
  readonly databaseName?: string;
  /** The user whose generated credentials the API uses. @default 'flagstack' */
  readonly username?: string;
  /** Days between automatic credential rotations. @default 30 */
  readonly rotationDays?: number;
  /** Retention of the database logs exported to CloudWatch. @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** Put an RDS Proxy in front of the database (functions). Not available for Oracle. @default false */
  readonly proxy?: boolean;
}

/** Host and port the API connects to (the proxy when there is one). */
export interface DatabaseConnectionPoint {
  readonly host: string;
  readonly port: string;
}

/** What differs per engine: versions, TLS enforcement, ports, logs, instance classes for the presets. */
interface EngineTraits {
  defaultPort: number;
  /** The port clients must use (Oracle: the TLS listener of the SSL option). */
  clientPort: number;
  /** Parameters that make the server refuse unencrypted connections (none for Oracle: the SSL option does it). */
  tlsParameters: Record<string, string>;
  logExports: string[];
  sizes: Record<DatabaseSize, string>;
  /** RDS Proxy supports the engine. */
  proxy: boolean;
  /** Whether CreateDBInstance takes a database name (SQL Server does not; the API creates it). */
  namesDatabase: boolean;
  iamAuthentication: boolean;
}

export const ENGINE_TRAITS: Record<DatabaseEngineName, EngineTraits> = {
  postgres: {
    defaultPort: 5432,
    clientPort: 5432,
    tlsParameters: { 'rds.force_ssl': '1' },
    logExports: ['postgresql'],
    sizes: { small: 'db.t4g.small', medium: 'db.m7g.large', large: 'db.r7g.xlarge' },
    proxy: true,
    namesDatabase: true,
    iamAuthentication: true,
  },
  mysql: {
    defaultPort: 3306,
    clientPort: 3306,
    tlsParameters: { require_secure_transport: '1' },
    logExports: ['error', 'slowquery'],
    sizes: { small: 'db.t4g.small', medium: 'db.m7g.large', large: 'db.r7g.xlarge' },
    proxy: true,
    namesDatabase: true,
    iamAuthentication: true,
  },
  sqlserver: {
    defaultPort: 1433,
    clientPort: 1433,
    tlsParameters: { 'rds.force_ssl': '1' },
    logExports: ['error'],
    // Standard Edition: the smallest edition with encryption at rest and Multi-AZ.
    sizes: { small: 'db.t3.xlarge', medium: 'db.m5.xlarge', large: 'db.r5.2xlarge' },
    proxy: true,
    namesDatabase: false,
    iamAuthentication: false,
  },
  oracle: {
    defaultPort: 1521,
    clientPort: 2484,
    tlsParameters: {},
    logExports: ['alert', 'listener'],
    sizes: { small: 'db.t3.medium', medium: 'db.m5.large', large: 'db.r5.xlarge' },
    proxy: false,
    namesDatabase: true,
    iamAuthentication: false,
  },
};

/** Aurora Serverless v2 capacity (ACUs) for the presets. */
const AURORA_CAPACITY: Record<DatabaseSize, [number, number]> = { small: [0.5, 2], medium: [1, 8], large: [2, 32] };

const isPreset = (size: string): size is DatabaseSize => size === 'small' || size === 'medium' || size === 'large';

/** `db.r6g.large` → an ec2.InstanceType (the `db.` prefix is RDS's). */
function instanceType(instanceClass: string): ec2.InstanceType {
  return new ec2.InstanceType(instanceClass.replace(/^db\./, ''));
}

function instanceEngine(engine: DatabaseEngineName): rds.IInstanceEngine {
  switch (engine) {
    case 'postgres':
      return rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 });
    case 'mysql':
      return rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.of('8.4', '8.4') });
    case 'sqlserver':
      return rds.DatabaseInstanceEngine.sqlServerSe({ version: rds.SqlServerEngineVersion.VER_16 });
    case 'oracle':
      return rds.DatabaseInstanceEngine.oracleSe2({ version: rds.OracleEngineVersion.VER_19 });
  }
}

export class FlagstackDatabase extends Construct implements ec2.IConnectable {
  readonly engine: DatabaseEngineName;
  readonly aurora: boolean;
  /** The generated credentials (JSON: username, password, host, port, …), rotated automatically. */
  readonly secret: secretsmanager.ISecret;
  /** The database name the API uses. */
  readonly databaseName: string;
  readonly username: string;
  /** Where the API connects: the proxy when there is one, else the database. */
  readonly connectionPoint: DatabaseConnectionPoint;
  /** The port clients use (Oracle: 2484, TLS). */
  readonly clientPort: number;
  readonly instance?: rds.DatabaseInstance;
  readonly cluster?: rds.DatabaseCluster;
  readonly proxy?: rds.DatabaseProxy;
  /** Security group of what the API connects to (proxy or database). */
  readonly connections: ec2.Connections;

  constructor(scope: Construct, id: string, props: FlagstackDatabaseProps) {
    super(scope, id);
    const traits = ENGINE_TRAITS[props.engine];
    this.engine = props.engine;
    this.aurora = props.aurora ?? false;
    if (this.aurora && props.engine !== 'postgres') throw new Error(`Aurora is only offered with engine postgres (got ${props.engine})`);
    if (props.proxy && !traits.proxy) throw new Error(`RDS Proxy does not support ${props.engine}`);
    // Oracle's database name is its SID: at most 8 letters and digits.
    this.databaseName = props.engine === 'oracle' ? 'FLAGS' : (props.databaseName ?? 'flagstack');
    this.username = props.username ?? 'flagstack';
    this.clientPort = traits.clientPort;
    const size = props.size ?? 'small';
    const removalPolicy = props.snapshotOnDelete ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY;
    const backupDays = props.backupRetentionDays ?? 7;
    const credentials = rds.Credentials.fromGeneratedSecret(this.username);
    const rotation = {
      automaticallyAfter: Duration.days(props.rotationDays ?? 30),
      vpcSubnets: props.rotationSubnets,
    };
    const securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: `flagstack ${props.engine} database`,
      allowAllOutbound: false,
    });

    let dbConnections: ec2.Connections;
    let host: string;
    if (this.aurora) {
      const engine = rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 });
      const parameterGroup = new rds.ParameterGroup(this, 'ClusterParameters', {
        engine,
        description: 'flagstack: TLS required',
        parameters: { 'rds.force_ssl': '1' },
      });
      const provisioned = !isPreset(size);
      const [minCapacity, maxCapacity] = isPreset(size) ? AURORA_CAPACITY[size] : [0.5, 2];
      const member = (name: string, reader: boolean) =>
        provisioned
          ? rds.ClusterInstance.provisioned(name, { instanceType: instanceType(size), publiclyAccessible: false, ...(reader ? { promotionTier: 1 } : {}) })
          : rds.ClusterInstance.serverlessV2(name, { publiclyAccessible: false, ...(reader ? { scaleWithWriter: true } : {}) });
      const cluster = new rds.DatabaseCluster(this, 'Cluster', {
        engine,
        credentials,
        defaultDatabaseName: this.databaseName,
        vpc: props.vpc,
        vpcSubnets: props.subnets,
        securityGroups: [securityGroup],
        writer: member('writer', false),
        readers: props.highAvailability ? [member('reader', true)] : [],
        serverlessV2MinCapacity: provisioned ? undefined : minCapacity,
        serverlessV2MaxCapacity: provisioned ? undefined : maxCapacity,
        parameterGroup,
        storageEncrypted: true,
        iamAuthentication: true,
        backup: { retention: Duration.days(Math.max(1, backupDays)) },
        deletionProtection: props.deletionProtection ?? false,
        removalPolicy,
        cloudwatchLogsExports: traits.logExports,
        cloudwatchLogsRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        copyTagsToSnapshot: true,
      });
      cluster.addRotationSingleUser(rotation);
      this.cluster = cluster;
      this.secret = cluster.secret!;
      dbConnections = cluster.connections;
      host = cluster.clusterEndpoint.hostname;
      if (props.proxy) this.proxy = cluster.addProxy('Proxy', this.proxyOptions(props, [this.secret]));
    } else {
      const engine = instanceEngine(props.engine);
      const instanceClass = isPreset(size) ? traits.sizes[size] : size;
      const storageGb = props.storageGb ?? 20;
      const parameterGroup =
        Object.keys(traits.tlsParameters).length > 0
          ? new rds.ParameterGroup(this, 'Parameters', { engine, description: 'flagstack: TLS required', parameters: traits.tlsParameters })
          : undefined;
      const optionGroup =
        props.engine === 'oracle'
          ? new rds.OptionGroup(this, 'Options', {
              engine,
              description: 'flagstack: TLS listener (SSL option) on 2484',
              configurations: [
                {
                  name: 'SSL',
                  port: traits.clientPort,
                  vpc: props.vpc,
                  securityGroups: [securityGroup],
                  // TLS 1.2 only; the cipher suites stay RDS's defaults for the engine version.
                  settings: { 'SQLNET.SSL_VERSION': '1.2' },
                },
              ],
            })
          : undefined;
      const instance = new rds.DatabaseInstance(this, 'Instance', {
        engine,
        credentials,
        databaseName: traits.namesDatabase ? this.databaseName : undefined,
        instanceType: instanceType(instanceClass),
        vpc: props.vpc,
        vpcSubnets: props.subnets,
        securityGroups: [securityGroup],
        publiclyAccessible: false,
        multiAz: props.highAvailability ?? false,
        allocatedStorage: storageGb,
        maxAllocatedStorage: storageGb * 2,
        storageType: rds.StorageType.GP3,
        storageEncrypted: true,
        parameterGroup,
        optionGroup,
        licenseModel: props.engine === 'oracle' || props.engine === 'sqlserver' ? rds.LicenseModel.LICENSE_INCLUDED : undefined,
        iamAuthentication: traits.iamAuthentication ? true : undefined,
        backupRetention: Duration.days(backupDays),
        deleteAutomatedBackups: !props.snapshotOnDelete,
        deletionProtection: props.deletionProtection ?? false,
        removalPolicy,
        cloudwatchLogsExports: traits.logExports,
        cloudwatchLogsRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        autoMinorVersionUpgrade: true,
        copyTagsToSnapshot: true,
        caCertificate: rds.CaCertificate.RDS_CA_RSA2048_G1,
      });
      instance.addRotationSingleUser(rotation);
      this.instance = instance;
      this.secret = instance.secret!;
      dbConnections = instance.connections;
      host = instance.instanceEndpoint.hostname;
      if (props.proxy) this.proxy = instance.addProxy('Proxy', this.proxyOptions(props, [this.secret]));
    }
    if (this.proxy) {
      this.proxy.connections.allowTo(dbConnections, ec2.Port.tcp(traits.defaultPort), 'RDS Proxy to the database');
      this.connections = this.proxy.connections;
      this.connectionPoint = { host: this.proxy.endpoint, port: String(traits.clientPort) };
    } else {
      this.connections = new ec2.Connections({ securityGroups: [securityGroup], defaultPort: ec2.Port.tcp(traits.clientPort) });
      this.connectionPoint = { host, port: String(traits.clientPort) };
    }
    acknowledgeDatabaseFindings(this, props);
  }

  /** Lets `peer` connect on the client port (and only that port). */
  allowFrom(peer: ec2.IConnectable, description: string): void {
    this.connections.allowFrom(peer, ec2.Port.tcp(this.clientPort), description);
  }

  private proxyOptions(props: FlagstackDatabaseProps, secrets: secretsmanager.ISecret[]): rds.DatabaseProxyOptions {
    const securityGroup = new ec2.SecurityGroup(this, 'ProxySecurityGroup', {
      vpc: props.vpc,
      description: 'flagstack RDS Proxy',
      allowAllOutbound: false,
    });
    return {
      secrets,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [securityGroup],
      requireTLS: true,
      borrowTimeout: Duration.seconds(30),
      idleClientTimeout: Duration.minutes(30),
      maxConnectionsPercent: 90,
      debugLogging: false,
    };
  }
}

function acknowledgeDatabaseFindings(db: FlagstackDatabase, props: FlagstackDatabaseProps): void {
  if (!props.aurora) {
    // cdk-nag's port and Multi-AZ rules look at RDS instances; an Aurora cluster is judged by other rules.
    acknowledge(db, 'AwsSolutions-RDS11', 'The engine default port is kept: the database is only reachable from the API security group inside private subnets, and a non-standard port adds no protection there.');
    if (!props.highAvailability) {
      acknowledge(db, 'AwsSolutions-RDS3', 'Multi-AZ is a per-environment choice (database.highAvailability, on by default for prod); non-production environments run a single instance to save cost.');
    }
  }
  if (!props.deletionProtection) {
    acknowledge(db, 'AwsSolutions-RDS10', 'Deletion protection is a per-environment choice (database.deletionProtection, on by default for prod); non-production environments can be torn down.');
  }
}
