// FlagstackNetwork: a new VPC with three tiers and flow logs, or an existing VPC described by ids (no lookups).
import type { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { FlagstackNetwork } from '../../../lib/aws';
import { bareStack, resources } from './helpers';

describe('a new VPC', () => {
  const stack = bareStack();
  const network = new FlagstackNetwork(stack, 'Network', { natGateways: 1, flowLogRetention: logs.RetentionDays.ONE_YEAR });
  const template = Template.fromStack(stack);

  it('has public, private (NAT) and isolated subnets in two zones', () => {
    const subnets = Object.values(resources(template, 'AWS::EC2::Subnet'));
    const byTier = (tier: string) => subnets.filter((s) => JSON.stringify(s.Properties?.Tags).includes(`"${tier}"`)).length;
    expect(subnets).toHaveLength(6);
    expect([byTier('Public'), byTier('Private'), byTier('Isolated')]).toEqual([2, 2, 2]);
    template.resourceCountIs('AWS::EC2::NatGateway', 1);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    expect(network.created).toBe(true);
  });

  it('logs rejected traffic to a log group with the given retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', { TrafficType: 'REJECT', LogDestinationType: 'cloud-watch-logs' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
  });

  it('strips the default security group of its rules', () => {
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
  });

  it('puts the database in isolated subnets and the API in private ones', () => {
    expect(network.databaseSubnets).toEqual({ subnetType: 'Isolated' });
    expect(network.applicationSubnets).toEqual({ subnetType: 'Private' });
  });
});

it('takes a CIDR block, one NAT gateway per zone and a Secrets Manager endpoint when asked', () => {
  const stack = bareStack();
  new FlagstackNetwork(stack, 'Network', { cidr: '10.42.0.0/16', natGateways: 2, secretsManagerEndpoint: true });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '10.42.0.0/16' });
  template.resourceCountIs('AWS::EC2::NatGateway', 2);
  template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: Match.stringLikeRegexp('secretsmanager'), VpcEndpointType: 'Interface' });
});

describe('an existing VPC', () => {
  const stack = bareStack();
  const network = new FlagstackNetwork(stack, 'Network', {
    existing: {
      vpcId: 'vpc-0123456789abcdef0',
      availabilityZones: ['eu-west-1a', 'eu-west-1b'],
      privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b'],
      publicSubnetIds: ['subnet-0000000c', 'subnet-0000000d'],
    },
  });
  const template = Template.fromStack(stack);

  it('creates no network resources and asks for no lookups', () => {
    expect(Object.keys(template.toJSON().Resources ?? {})).toEqual([]);
    expect(network.created).toBe(false);
    expect(network.vpc.vpcId).toBe('vpc-0123456789abcdef0');
    expect(network.vpc.selectSubnets(network.applicationSubnets).subnetIds).toEqual(['subnet-0000000a', 'subnet-0000000b']);
    expect(network.vpc.selectSubnets({ subnetType: 'Public' as never }).subnetIds).toEqual(['subnet-0000000c', 'subnet-0000000d']);
    // A lookup would leave "missing context" in the assembly (and need credentials at synth).
    expect((stack.node.root as App).synth().manifest.missing).toBeUndefined();
  });

  it('places the database in the private subnets', () => {
    expect(network.databaseSubnets).toEqual(network.applicationSubnets);
  });
});
