// The virtual network: one subnet per tier, each delegated to the service that injects into it, and the private DNS
// zone the database's private address is published in. Layout inside the configured range (default 10.40.0.0/16):
// the first half for the compute tier (Container Apps environment, or Function App VNet integration), the third
// quarter for the database (delegated to the flexible server, or holding Azure SQL's private endpoint).
import { Construct } from 'constructs';
import { PrivateDnsZone } from '@cdktf/provider-azurerm/lib/private-dns-zone';
import { PrivateDnsZoneVirtualNetworkLink } from '@cdktf/provider-azurerm/lib/private-dns-zone-virtual-network-link';
import { Subnet } from '@cdktf/provider-azurerm/lib/subnet';
import { VirtualNetwork } from '@cdktf/provider-azurerm/lib/virtual-network';
import type { DeploymentDatabaseEngine } from '../config';
import { cidrSubnet, parseCidr } from '../tf-common/cidr';
import type { AzureContext } from './context';

export const DEFAULT_AZURE_CIDR = '10.40.0.0/16';

/** Delegation of the database subnet per engine; Azure SQL has none (it is reached through a private endpoint). */
const DATABASE_DELEGATION: Partial<Record<DeploymentDatabaseEngine, string>> = {
  postgres: 'Microsoft.DBforPostgreSQL/flexibleServers',
  mysql: 'Microsoft.DBforMySQL/flexibleServers',
};

/** The private DNS zone the database's name resolves in from inside the network. */
export function databaseDnsZoneName(engine: DeploymentDatabaseEngine, stem: string): string {
  switch (engine) {
    case 'postgres':
      return `${stem}.private.postgres.database.azure.com`;
    case 'mysql':
      return `${stem}.private.mysql.database.azure.com`;
    case 'sqlserver':
      return 'privatelink.database.windows.net';
    default:
      throw new Error(`${engine} is not available on azure`);
  }
}

export interface AzureNetworkProps {
  context: AzureContext;
}

export class AzureNetwork extends Construct {
  readonly vnet: VirtualNetwork;
  /** Compute tier: delegated to Container Apps environments (container) or App Service plans (function). */
  readonly computeSubnet: Subnet;
  readonly databaseSubnet: Subnet;
  readonly databaseDnsZone: PrivateDnsZone;
  readonly dnsLink: PrivateDnsZoneVirtualNetworkLink;

  constructor(scope: Construct, id: string, props: AzureNetworkProps) {
    super(scope, id);
    const { env, resourceGroupName, location, tags, stem } = props.context;
    const cidr = env.network?.cidr ?? DEFAULT_AZURE_CIDR;
    // The Container Apps environment needs at least a /27 of its own, which the first half must hold.
    if (parseCidr(cidr).prefix > 26) throw new Error(`${env.name}: network.cidr ${cidr} is too small on azure (at most /26: the Container Apps subnet alone needs a /27)`);
    const engine = env.database.engine;

    this.vnet = new VirtualNetwork(this, 'vnet', { name: `${stem}-vnet`, resourceGroupName, location, addressSpace: [cidr], tags });
    const compute = env.packaging === 'container' ? 'Microsoft.App/environments' : 'Microsoft.Web/serverFarms';
    this.computeSubnet = new Subnet(this, 'compute', {
      resourceGroupName,
      name: env.packaging === 'container' ? 'container-apps' : 'function-app',
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [cidrSubnet(cidr, 1, 0)],
      delegation: [
        { name: 'compute', serviceDelegation: { name: compute, actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] } },
      ],
    });
    const delegation = DATABASE_DELEGATION[engine];
    this.databaseSubnet = new Subnet(this, 'database', {
      resourceGroupName,
      name: 'database',
      virtualNetworkName: this.vnet.name,
      addressPrefixes: [cidrSubnet(cidr, 2, 2)],
      delegation: delegation
        ? [{ name: 'database', serviceDelegation: { name: delegation, actions: ['Microsoft.Network/virtualNetworks/subnets/join/action'] } }]
        : undefined,
      // A private endpoint's subnet keeps network policies on (NSGs apply to it).
      privateEndpointNetworkPolicies: delegation ? undefined : 'Enabled',
    });
    this.databaseDnsZone = new PrivateDnsZone(this, 'database-dns', { name: databaseDnsZoneName(engine, stem), resourceGroupName, tags });
    this.dnsLink = new PrivateDnsZoneVirtualNetworkLink(this, 'database-dns-link', {
      name: `${stem}-vnet-link`,
      resourceGroupName,
      privateDnsZoneName: this.databaseDnsZone.name,
      virtualNetworkId: this.vnet.id,
      registrationEnabled: false,
      tags,
    });
  }
}
