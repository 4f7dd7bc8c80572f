// A VPC with one regional subnet (Cloud Run's Direct VPC egress and the jobs use it), private Google access, and
// private service access — a reserved range peered with Google's service network — so Cloud SQL gets a private IP
// only. The function packaging adds a Serverless VPC Access connector (Cloud Functions reach the VPC through it).
// Layout inside the configured range (default 10.50.0.0/16): the first half is the subnet, the last /28 the connector.
import { Construct } from 'constructs';
import { ComputeGlobalAddress } from '@cdktf/provider-google/lib/compute-global-address';
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { ServiceNetworkingConnection } from '@cdktf/provider-google/lib/service-networking-connection';
import { VpcAccessConnector } from '@cdktf/provider-google/lib/vpc-access-connector';
import { cidrSubnet, parseCidr } from '../tf-common/cidr';
import { boundedName } from '../tf-common/names';
import type { GcpContext } from './context';

export const DEFAULT_GCP_CIDR = '10.50.0.0/16';

export class GcpNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnet: ComputeSubnetwork;
  readonly peering: ServiceNetworkingConnection;
  readonly connector?: VpcAccessConnector;

  constructor(scope: Construct, id: string, props: { context: GcpContext }) {
    super(scope, id);
    const { env, region, stem, apis } = props.context;
    const cidr = env.network?.cidr ?? DEFAULT_GCP_CIDR;
    const prefix = parseCidr(cidr).prefix;
    // Direct VPC egress wants at least a /26 subnet; the connector a /28 of its own.
    if (prefix > 25) throw new Error(`${env.name}: network.cidr ${cidr} is too small on gcp (at most /25: the subnet needs a /26 and the connector a /28)`);
    this.network = new ComputeNetwork(this, 'vpc', { name: `${stem}-vpc`, autoCreateSubnetworks: false, routingMode: 'REGIONAL', dependsOn: apis });
    this.subnet = new ComputeSubnetwork(this, 'subnet', {
      name: `${stem}-${region}`,
      region,
      network: this.network.id,
      ipCidrRange: cidrSubnet(cidr, 1, 0),
      privateIpGoogleAccess: true,
    });
    const range = new ComputeGlobalAddress(this, 'services-range', {
      name: `${stem}-services`,
      purpose: 'VPC_PEERING',
      addressType: 'INTERNAL',
      prefixLength: 16,
      network: this.network.id,
    });
    this.peering = new ServiceNetworkingConnection(this, 'services-peering', {
      network: this.network.id,
      service: 'servicenetworking.googleapis.com',
      reservedPeeringRanges: [range.name],
      // Removing the peering fails while Cloud SQL still holds addresses in it; Cloud SQL releases them itself.
      deletionPolicy: 'ABANDON',
    });
    if (env.packaging === 'function') {
      this.connector = new VpcAccessConnector(this, 'connector', {
        // 1–25 characters.
        name: boundedName([stem, 'vpc'], { max: 25 }),
        region,
        network: this.network.name,
        ipCidrRange: cidrSubnet(cidr, 28 - prefix, 2 ** (28 - prefix) - 1),
        machineType: 'e2-micro',
        minInstances: 2,
        maxInstances: 3,
        dependsOn: apis,
      });
    }
  }
}
