// Cloud SQL — PostgreSQL 16, MySQL 8.0 or SQL Server 2022 Standard — with a private IP only (no public IPv4, no
// authorized networks), reached over private service access; SSL required (ENCRYPTED_ONLY); storage encrypted at
// rest by Google (always on); automated backups with point-in-time recovery (binary logs on MySQL) and the configured
// retention; regional high availability when asked for; deletion protection both in Terraform and in the Cloud SQL
// API when configured; backups kept after deletion when snapshotOnDelete is set.
import { Construct } from 'constructs';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database';
import { SqlDatabaseInstance } from '@cdktf/provider-google/lib/sql-database-instance';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user';
import type { DatabaseConfig, DeploymentDatabaseEngine } from '../config';
import type { DatabaseEndpoint } from '../tf-common/api-env';
import { boundedName } from '../tf-common/names';
import type { GcpContext } from './context';
import type { GcpNetwork } from './network';

export const DATABASE_NAME = 'flagstack';
export const DATABASE_USER = 'flagstack';

export const DATABASE_VERSIONS: Record<'postgres' | 'mysql' | 'sqlserver', string> = {
  postgres: 'POSTGRES_16',
  mysql: 'MYSQL_8_0',
  sqlserver: 'SQLSERVER_2022_STANDARD',
};

export const DATABASE_PORTS: Record<'postgres' | 'mysql' | 'sqlserver', string> = { postgres: '5432', mysql: '3306', sqlserver: '1433' };

const TIERS: Record<'small' | 'medium' | 'large', string> = { small: 'db-custom-1-3840', medium: 'db-custom-2-7680', large: 'db-custom-4-15360' };

/** The Cloud SQL tier for a size preset (or the configured tier). SQL Server Standard needs at least 2 vCPUs. */
export function cloudSqlTier(engine: DeploymentDatabaseEngine, size: DatabaseConfig['size']): string {
  if (size !== 'small' && size !== 'medium' && size !== 'large') return size;
  return engine === 'sqlserver' && size === 'small' ? TIERS.medium : TIERS[size];
}

export interface GcpDatabaseProps {
  context: GcpContext;
  network: GcpNetwork;
  /** The application user's password (a Terraform reference to the generated value). */
  password: string;
}

export class GcpDatabase extends Construct {
  readonly instance: SqlDatabaseInstance;
  readonly endpoint: DatabaseEndpoint;

  constructor(scope: Construct, id: string, props: GcpDatabaseProps) {
    super(scope, id);
    const { env, region, labels, stem, suffix } = props.context;
    const db = env.database;
    const engine = db.engine;
    if (engine === 'oracle') throw new Error(`${env.name}: oracle is not available on gcp (the config validation rejects it)`);
    const backups = db.backupRetentionDays > 0;
    this.instance = new SqlDatabaseInstance(this, 'instance', {
      name: `${boundedName([stem, engine === 'postgres' ? 'pg' : engine === 'mysql' ? 'mysql' : 'sql'], { max: 90 })}-${suffix}`,
      region,
      databaseVersion: DATABASE_VERSIONS[engine],
      deletionProtection: db.deletionProtection,
      // SQL Server cannot be created without a password for its built-in admin (sqlserver); the app's user gets the same one.
      rootPassword: engine === 'sqlserver' ? props.password : undefined,
      settings: {
        tier: cloudSqlTier(engine, db.size),
        edition: 'ENTERPRISE',
        availabilityType: db.highAvailability ? 'REGIONAL' : 'ZONAL',
        diskType: 'PD_SSD',
        diskSize: db.storageGb,
        diskAutoresize: true,
        deletionProtectionEnabled: db.deletionProtection,
        retainBackupsOnDelete: db.snapshotOnDelete,
        ipConfiguration: {
          ipv4Enabled: false,
          privateNetwork: props.network.network.id,
          sslMode: 'ENCRYPTED_ONLY',
        },
        backupConfiguration: {
          enabled: backups,
          startTime: '02:00',
          pointInTimeRecoveryEnabled: backups && engine !== 'mysql',
          binaryLogEnabled: backups && engine === 'mysql' ? true : undefined,
          transactionLogRetentionDays: backups ? Math.min(7, db.backupRetentionDays) : undefined,
          backupRetentionSettings: backups ? { retainedBackups: db.backupRetentionDays, retentionUnit: 'COUNT' } : undefined,
        },
        maintenanceWindow: { day: 7, hour: 3, updateTrack: 'stable' },
        userLabels: labels,
      },
      dependsOn: [props.network.peering],
    });
    new SqlDatabase(this, 'database', {
      name: DATABASE_NAME,
      instance: this.instance.name,
      charset: engine === 'postgres' ? 'UTF8' : engine === 'mysql' ? 'utf8mb4' : undefined,
      collation: engine === 'mysql' ? 'utf8mb4_0900_ai_ci' : undefined,
      deletionPolicy: 'ABANDON',
    });
    new SqlUser(this, 'user', {
      name: DATABASE_USER,
      instance: this.instance.name,
      password: props.password,
      // A PostgreSQL user that owns objects cannot be dropped; the instance's deletion removes it anyway.
      deletionPolicy: engine === 'postgres' ? 'ABANDON' : undefined,
    });
    this.endpoint = { host: this.instance.privateIpAddress, port: DATABASE_PORTS[engine], name: DATABASE_NAME, user: DATABASE_USER };
  }
}
