// The network the API, its jobs and its database live in: a new VPC (public subnets for the load balancer, private
// subnets with NAT for the API and jobs, isolated subnets for the database, flow logs on), or an existing VPC
// described by ids — never looked up, so `cdk synth` works offline and without credentials.
import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** An existing VPC, described instead of looked up. */
export interface ExistingVpcAttributes {
  readonly vpcId: string;
  /** The zones of the subnets, in the same order as the subnet lists. */
  readonly availabilityZones: string[];
  /** Private subnets with a route to the internet (NAT): API, jobs and database. One per zone. */
  readonly privateSubnetIds: string[];
  /** Public subnets for an internet-facing load balancer. One per zone. Required for packaging container. */
  readonly publicSubnetIds?: string[];
}

export interface FlagstackNetworkProps {
  /** Use this VPC instead of creating one. @default - a new VPC */
  readonly existing?: ExistingVpcAttributes;
  /** Address range of a new VPC. @default 10.0.0.0/16 */
  readonly cidr?: string;
  /** Zones of a new VPC. @default 2 */
  readonly maxAzs?: number;
  /**
   * NAT gateways of a new VPC. One is cheap; one per zone survives a zone outage.
   * @default 1
   */
  readonly natGateways?: number;
  /** Retention of the VPC flow logs of a new VPC. @default one month */
  readonly flowLogRetention?: logs.RetentionDays;
  /** An interface endpoint for Secrets Manager in the application subnets (costs per hour and zone). @default false */
  readonly secretsManagerEndpoint?: boolean;
  /** What happens to the flow log group when the stack is deleted. @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class FlagstackNetwork extends Construct {
  readonly vpc: ec2.IVpc;
  /** Where the API and the jobs run. */
  readonly applicationSubnets: ec2.SubnetSelection;
  /** Where the database runs: isolated subnets of a new VPC, the private subnets of an existing one. */
  readonly databaseSubnets: ec2.SubnetSelection;
  /** True when the VPC was created by this construct. */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: FlagstackNetworkProps = {}) {
    super(scope, id);
    this.applicationSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    if (props.existing) {
      const e = props.existing;
      this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Vpc', {
        vpcId: e.vpcId,
        availabilityZones: e.availabilityZones,
        privateSubnetIds: e.privateSubnetIds,
        publicSubnetIds: e.publicSubnetIds,
      });
      this.databaseSubnets = this.applicationSubnets;
      this.created = false;
      // Nothing here reads the subnets' route tables (no endpoints, no routes are added to an existing VPC).
      for (const subnet of [...this.vpc.privateSubnets, ...this.vpc.publicSubnets]) {
        Validations.of(subnet).acknowledge({
          id: 'Annotation::@aws-cdk/aws-ec2:noSubnetRouteTableId',
          reason: 'The kit adds no routes or gateway endpoints to an existing VPC, so the route table ids are not needed.',
        });
      }
      return;
    }
    const vpc = new ec2.Vpc(this, 'Vpc', {
      ipAddresses: ec2.IpAddresses.cidr(props.cidr ?? '10.0.0.0/16'),
      maxAzs: props.maxAzs ?? 2,
      natGateways: props.natGateways ?? 1,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      // The default security group loses its rules: nothing here uses it, and an open default is a finding.
      restrictDefaultSecurityGroup: true,
    });
    const flowLogs = new logs.LogGroup(this, 'FlowLogs', {
      retention: props.flowLogRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs),
      trafficType: ec2.FlowLogTrafficType.REJECT,
      maxAggregationInterval: ec2.FlowLogMaxAggregationInterval.TEN_MINUTES,
    });
    if (props.secretsManagerEndpoint) {
      // Keeps Secrets Manager traffic (rotation, secret ARNs resolved by functions) off the NAT gateway.
      vpc.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, subnets: this.applicationSubnets });
    }
    this.vpc = vpc;
    this.databaseSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    this.created = true;
  }
}
