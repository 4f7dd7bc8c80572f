// The fields the AWS kit added to the deployment config: an existing VPC described without lookups, the Route 53
// zone id, WAF, monitoring and the first admin's email.
import { parseDeploymentConfig } from '../../../lib/config';
import { oneEnv, problems } from './helpers';

const existing = {
  vpcId: 'vpc-0123456789abcdef0',
  availabilityZones: ['eu-west-1a', 'eu-west-1b'],
  privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b'],
  publicSubnetIds: ['subnet-0000000c', 'subnet-0000000d'],
};

describe('an existing VPC', () => {
  it('is accepted when described with its zones and subnets', () => {
    expect(problems(oneEnv({ network: existing }))).toEqual([]);
    const { publicSubnetIds: _unused, ...noPublic } = existing;
    expect(problems(oneEnv({ packaging: 'function', network: noPublic }))).toEqual([]);
  });

  it('needs zones and private subnets, and public subnets for a load balancer', () => {
    expect(problems(oneEnv({ network: { vpcId: existing.vpcId } }))).toEqual([
      'environments[0].network.availabilityZones: is required with network.vpcId (the stack does not look the VPC up at synth time)',
      'environments[0].network.privateSubnetIds: is required with network.vpcId (the stack does not look the VPC up at synth time)',
      'environments[0].network.publicSubnetIds: is required with network.vpcId and packaging container (the load balancer is placed in them)',
    ]);
  });

  it('needs one subnet per zone', () => {
    expect(problems(oneEnv({ network: { ...existing, privateSubnetIds: ['subnet-0000000a', 'subnet-0000000b', 'subnet-0000000e'] } }))).toEqual([
      'environments[0].network.privateSubnetIds: must list one subnet per availability zone (3 subnets, 2 zones)',
    ]);
  });

  it('rejects subnet lists without a VPC id, and malformed ids', () => {
    expect(problems(oneEnv({ network: { privateSubnetIds: existing.privateSubnetIds } }))).toEqual([
      'environments[0].network.privateSubnetIds: only applies with network.vpcId (a new VPC makes its own subnets)',
    ]);
    expect(problems(oneEnv({ network: { ...existing, publicSubnetIds: ['sub-1', 'subnet-0000000d'] } }))).toEqual([
      'environments[0].network.publicSubnetIds[0]: expected a subnet id (subnet-…), got "sub-1"',
    ]);
  });
});

describe('aws-only extras', () => {
  it('take a hosted zone id on aws only', () => {
    expect(problems(oneEnv({ domain: { name: 'flags.example.com', hostedZone: 'example.com', hostedZoneId: 'Z0123456789ABC' } }))).toEqual([]);
    expect(problems(oneEnv({ cloud: 'gcp', region: 'europe-west1', domain: { name: 'flags.example.com', hostedZoneId: 'Z0123456789ABC' } }))).toEqual([
      'environments[0].domain.hostedZoneId: is for aws (a Route 53 zone id); on gcp use domain.hostedZone',
    ]);
  });

  it('allow WAF only in front of a load balancer', () => {
    expect(problems(oneEnv({ waf: true }))).toEqual([]);
    expect(problems(oneEnv({ waf: true, packaging: 'function' }))).toEqual([
      'environments[0].waf: needs packaging container on aws (an API Gateway HTTP API, which fronts the function, cannot be associated with AWS WAF)',
    ]);
    expect(problems(oneEnv({ waf: true, cloud: 'azure', region: 'westeurope' }))).toEqual(['environments[0].waf: is not available on azure yet']);
  });

  it('take log retention from the values CloudWatch accepts, and an alarm address', () => {
    expect(problems(oneEnv({ monitoring: { logRetentionDays: 365, alarmEmail: 'oncall@example.com' } }))).toEqual([]);
    const [bad] = problems(oneEnv({ monitoring: { logRetentionDays: 31 } }));
    expect(bad).toMatch(/^environments\[0\]\.monitoring\.logRetentionDays: expected one of 1, 3, 5, 7, 14, 30, 60, 90, .*, got 31$/);
    expect(problems(oneEnv({ monitoring: { alarmEmail: 'nobody' } }))).toEqual(['environments[0].monitoring.alarmEmail: expected an email address, got "nobody"']);
  });

  it('carry the first admin email through defaults', () => {
    const config = parseDeploymentConfig(oneEnv({}, { auth: { adminEmail: 'admin@example.com' } }));
    expect(config.environments[0].auth).toEqual({ adminEmail: 'admin@example.com', allowSignup: false });
    expect(problems(oneEnv({ auth: { adminEmail: 'not an email' } }))).toEqual(['environments[0].auth.adminEmail: expected an email address, got "not an email"']);
  });
});
