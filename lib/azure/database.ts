// The managed database, reachable only from inside the virtual network:
//   postgres  → Azure Database for PostgreSQL Flexible Server 16, injected into its delegated subnet;
//   mysql     → Azure Database for MySQL Flexible Server 8.0, injected into its delegated subnet;
//   sqlserver → Azure SQL Database behind a private endpoint (public network access off).
// TLS is enforced by the server (require_secure_transport, minimum TLS 1.2); storage is encrypted at rest by the
// platform (AES-256, service-managed keys; Azure SQL with transparent data encryption); automated backups with the
// configured retention (geo-redundant in prod); zone-redundant high availability when asked for; a CanNotDelete
// lock when deletion protection is on. The API connects as the server's administrator login (the flexible servers
// and Azure SQL create no other login without SQL access from inside the network).
import { Construct } from 'constructs';
import { ManagementLock } from '@cdktf/provider-azurerm/lib/management-lock';
import { MssqlDatabase } from '@cdktf/provider-azurerm/lib/mssql-database';
import { MssqlServer } from '@cdktf/provider-azurerm/lib/mssql-server';
import { MysqlFlexibleDatabase } from '@cdktf/provider-azurerm/lib/mysql-flexible-database';
import { MysqlFlexibleServer } from '@cdktf/provider-azurerm/lib/mysql-flexible-server';
import { MysqlFlexibleServerConfiguration } from '@cdktf/provider-azurerm/lib/mysql-flexible-server-configuration';
import { PostgresqlFlexibleServer } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server';
import { PostgresqlFlexibleServerConfiguration } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-configuration';
import { PostgresqlFlexibleServerDatabase } from '@cdktf/provider-azurerm/lib/postgresql-flexible-server-database';
import { PrivateEndpoint } from '@cdktf/provider-azurerm/lib/private-endpoint';
import type { DatabaseConfig, DeploymentDatabaseEngine } from '../config';
import type { DatabaseEndpoint } from '../tf-common/api-env';
import { boundedName } from '../tf-common/names';
import type { AzureContext } from './context';
import type { AzureNetwork } from './network';

export const DATABASE_NAME = 'flagstack';
export const ADMIN_LOGIN = 'flagstack';

const SKUS: Record<'postgres' | 'mysql' | 'sqlserver', Record<'small' | 'medium' | 'large', string>> = {
  // Burstable (B) servers cannot have a standby: `small` with high availability becomes the smallest General Purpose.
  postgres: { small: 'B_Standard_B1ms', medium: 'GP_Standard_D2ds_v5', large: 'GP_Standard_D4ds_v5' },
  mysql: { small: 'B_Standard_B1ms', medium: 'GP_Standard_D2ds_v4', large: 'GP_Standard_D4ds_v4' },
  sqlserver: { small: 'GP_S_Gen5_1', medium: 'GP_Gen5_2', large: 'GP_Gen5_4' },
};

/** The SKU for a size preset (or the configured SKU itself). */
export function azureDatabaseSku(engine: DeploymentDatabaseEngine, database: Pick<DatabaseConfig, 'size' | 'highAvailability'>): string {
  if (engine === 'oracle') throw new Error('oracle is not available on azure');
  const { size, highAvailability } = database;
  if (size !== 'small' && size !== 'medium' && size !== 'large') return size;
  if (size === 'small' && highAvailability && engine !== 'sqlserver') return SKUS[engine].medium;
  return SKUS[engine][size];
}

/** PostgreSQL Flexible Server takes these storage sizes only. */
const POSTGRES_STORAGE_MB = [32768, 65536, 131072, 262144, 524288, 1048576, 2097152, 4193280, 4194304, 8388608, 16777216, 33553408];

export function postgresStorageMb(storageGb: number): number {
  return POSTGRES_STORAGE_MB.find((mb) => mb >= storageGb * 1024) ?? POSTGRES_STORAGE_MB[POSTGRES_STORAGE_MB.length - 1];
}

const clamp = (n: number, min: number, max: number) => Math.min(max, Math.max(min, n));

export const DATABASE_PORTS: Record<'postgres' | 'mysql' | 'sqlserver', string> = { postgres: '5432', mysql: '3306', sqlserver: '1433' };

export interface AzureDatabaseProps {
  context: AzureContext;
  network: AzureNetwork;
  /** The administrator password (a Terraform reference to the generated value). */
  password: string;
}

export class AzureDatabase extends Construct {
  readonly endpoint: DatabaseEndpoint;
  /** The server resource (flexible server or SQL server). */
  readonly server: PostgresqlFlexibleServer | MysqlFlexibleServer | MssqlServer;
  readonly lock?: ManagementLock;

  constructor(scope: Construct, id: string, props: AzureDatabaseProps) {
    super(scope, id);
    const { context, network, password } = props;
    const { env, resourceGroupName, location, tags, stem, suffix } = context;
    const db = env.database;
    const engine = db.engine;
    if (engine === 'oracle') throw new Error(`${env.name}: oracle is not available on azure (the config validation rejects it)`);
    const sku = azureDatabaseSku(engine, db);
    // Server names are global DNS names: 3–63 characters.
    const serverName = `${boundedName([stem, engine === 'postgres' ? 'pg' : engine === 'mysql' ? 'mysql' : 'sql'], { max: 56 })}-${suffix}`;
    let host: string;

    if (engine === 'postgres') {
      const server = new PostgresqlFlexibleServer(this, 'server', {
        name: serverName,
        resourceGroupName,
        location,
        version: '16',
        skuName: sku,
        storageMb: postgresStorageMb(db.storageGb),
        autoGrowEnabled: true,
        delegatedSubnetId: network.databaseSubnet.id,
        privateDnsZoneId: network.databaseDnsZone.id,
        publicNetworkAccessEnabled: false,
        administratorLogin: ADMIN_LOGIN,
        administratorPassword: password,
        authentication: { passwordAuthEnabled: true, activeDirectoryAuthEnabled: false },
        backupRetentionDays: clamp(db.backupRetentionDays, 7, 35),
        geoRedundantBackupEnabled: env.prod,
        highAvailability: db.highAvailability ? { mode: 'ZoneRedundant' } : undefined,
        // A zone only with a standby (regions without zones take no zone); a failover swaps the zones, and Terraform
        // must not swap them back.
        zone: db.highAvailability ? '1' : undefined,
        lifecycle: { ignoreChanges: ['zone', 'high_availability[0].standby_availability_zone'] },
        dependsOn: [network.dnsLink],
        tags,
      });
      new PostgresqlFlexibleServerConfiguration(this, 'require-tls', { serverId: server.id, name: 'require_secure_transport', value: 'on' });
      new PostgresqlFlexibleServerConfiguration(this, 'min-tls', { serverId: server.id, name: 'ssl_min_protocol_version', value: 'TLSv1.2' });
      new PostgresqlFlexibleServerDatabase(this, 'database', { serverId: server.id, name: DATABASE_NAME, charset: 'UTF8', collation: 'en_US.utf8' });
      this.server = server;
      host = server.fqdn;
    } else if (engine === 'mysql') {
      const server = new MysqlFlexibleServer(this, 'server', {
        name: serverName,
        resourceGroupName,
        location,
        version: '8.0.21',
        skuName: sku,
        storage: { sizeGb: clamp(db.storageGb, 20, 16384), autoGrowEnabled: true },
        delegatedSubnetId: network.databaseSubnet.id,
        privateDnsZoneId: network.databaseDnsZone.id,
        publicNetworkAccess: 'Disabled',
        administratorLogin: ADMIN_LOGIN,
        administratorPassword: password,
        backupRetentionDays: clamp(db.backupRetentionDays, 1, 35),
        geoRedundantBackupEnabled: env.prod,
        highAvailability: db.highAvailability ? { mode: 'ZoneRedundant' } : undefined,
        zone: db.highAvailability ? '1' : undefined,
        lifecycle: { ignoreChanges: ['zone', 'high_availability[0].standby_availability_zone'] },
        dependsOn: [network.dnsLink],
        tags,
      });
      const config = (cid: string, name: string, value: string) =>
        new MysqlFlexibleServerConfiguration(this, cid, { resourceGroupName, serverName: server.name, name, value });
      config('require-tls', 'require_secure_transport', 'ON');
      config('min-tls', 'tls_version', 'TLSv1.2,TLSv1.3');
      new MysqlFlexibleDatabase(this, 'database', { resourceGroupName, serverName: server.name, name: DATABASE_NAME, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
      this.server = server;
      host = server.fqdn;
    } else {
      const server = new MssqlServer(this, 'server', {
        name: serverName,
        resourceGroupName,
        location,
        version: '12.0',
        administratorLogin: ADMIN_LOGIN,
        administratorLoginPassword: password,
        minimumTlsVersion: '1.2',
        publicNetworkAccessEnabled: false,
        tags,
      });
      const serverless = sku.startsWith('GP_S_');
      new MssqlDatabase(this, 'database', {
        name: DATABASE_NAME,
        serverId: server.id,
        skuName: sku,
        maxSizeGb: clamp(db.storageGb, 1, 4096),
        zoneRedundant: db.highAvailability,
        transparentDataEncryptionEnabled: true,
        // Serverless stays warm: the readiness probe checks the database, and a paused one takes a minute to wake.
        autoPauseDelayInMinutes: serverless ? -1 : undefined,
        minCapacity: serverless ? 0.5 : undefined,
        shortTermRetentionPolicy: { retentionDays: clamp(db.backupRetentionDays, 1, 35) },
        storageAccountType: env.prod ? 'Geo' : 'Local',
        tags,
      });
      new PrivateEndpoint(this, 'private-endpoint', {
        name: `${stem}-sql-pe`,
        resourceGroupName,
        location,
        subnetId: network.databaseSubnet.id,
        privateServiceConnection: { name: `${stem}-sql`, privateConnectionResourceId: server.id, subresourceNames: ['sqlServer'], isManualConnection: false },
        privateDnsZoneGroup: { name: 'database', privateDnsZoneIds: [network.databaseDnsZone.id] },
        tags,
      });
      this.server = server;
      // Resolves to the private endpoint through the privatelink zone linked to the network.
      host = server.fullyQualifiedDomainName;
    }

    if (db.deletionProtection) {
      this.lock = new ManagementLock(this, 'lock', {
        name: `${stem}-database-lock`,
        scope: this.server.id,
        lockLevel: 'CanNotDelete',
        notes: 'flagstack: deletionProtection is on for this environment; remove the lock (or turn it off in the config) to delete the database.',
      });
    }
    this.endpoint = { host, port: DATABASE_PORTS[engine], name: DATABASE_NAME, user: ADMIN_LOGIN };
  }
}
