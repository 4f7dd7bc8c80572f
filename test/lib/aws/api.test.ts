// ApiContainer (Fargate behind an ALB) and ApiFunction (NodejsFunction behind an HTTP API), each in a bare stack with
// a network, a generated secret and a referenced one.
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import {
  ApiContainer,
  ApiFunction,
  APPDYNAMICS_CONFIG_FILE,
  fargateSize,
  FlagstackNetwork,
  LAMBDA_EXTERNAL_MODULES,
  runtimeBuildCommands,
  type ApiContainerProps,
  type ApiFunctionProps,
  type SecretReference,
} from '../../../lib/aws';
import { bareStack, onlyResource, resources, TEST_IMAGE } from './helpers';

function fixtures() {
  const stack = bareStack();
  const network = new FlagstackNetwork(stack, 'Network');
  const dbSecret = new secretsmanager.Secret(stack, 'DbSecret', { generateSecretString: { generateStringKey: 'password', secretStringTemplate: '{}' } });
  const key = new secretsmanager.Secret(stack, 'Key');
  const secrets: Record<string, SecretReference> = { DJANGO_DB_PASSWORD: { secret: dbSecret, field: 'password' }, FLAGSTACK_ENCRYPTION_KEY: { secret: key } };
  const logicalId = (s: secretsmanager.ISecret) => stack.resolve(stack.getLogicalId(s.node.defaultChild as secretsmanager.CfnSecret)) as string;
  return { stack, network, dbSecret, key, secrets, dbSecretId: logicalId(dbSecret), keyId: logicalId(key) };
}

const VARIABLES = { LOG_LEVEL: 'info', DJANGO_DB_ENGINE: 'postgresql', APP_DYNAMICS: 'off' };

describe('fargateSize', () => {
  it('rounds up to a size Fargate accepts', () => {
    expect(fargateSize(0.5, 1024)).toEqual({ cpu: 512, memoryLimitMiB: 1024 });
    expect(fargateSize(0.3, 100)).toEqual({ cpu: 512, memoryLimitMiB: 1024 });
    expect(fargateSize(1, 1500)).toEqual({ cpu: 1024, memoryLimitMiB: 2048 });
    expect(fargateSize(4, 64000)).toEqual({ cpu: 4096, memoryLimitMiB: 30720 });
  });
});

describe('ApiContainer', () => {
  function container(props: Partial<ApiContainerProps> = {}) {
    const f = fixtures();
    const api = new ApiContainer(f.stack, 'Api', {
      vpc: f.network.vpc,
      taskSubnets: f.network.applicationSubnets,
      image: ecs.ContainerImage.fromRegistry(TEST_IMAGE),
      variables: VARIABLES,
      secrets: f.secrets,
      minCount: 2,
      maxCount: 6,
      cpu: 1,
      memoryMiB: 2048,
      ...props,
    });
    return { ...f, api, template: Template.fromStack(f.stack) };
  }
  const { template, dbSecretId, keyId } = container();
  const apiContainer = () => {
    const [, task] = onlyResource(template, 'AWS::ECS::TaskDefinition');
    return (task.Properties!.ContainerDefinitions as Record<string, unknown>[]).find((c) => c.Name === 'api') as Record<string, any>;
  };

  it('runs Fargate tasks in the private subnets behind a public load balancer', () => {
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      DesiredCount: 2,
      DeploymentConfiguration: Match.objectLike({ DeploymentCircuitBreaker: { Enable: true, Rollback: true }, MinimumHealthyPercent: 100 }),
      NetworkConfiguration: { AwsvpcConfiguration: Match.objectLike({ AssignPublicIp: 'DISABLED' }) },
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', { Scheme: 'internet-facing' });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', { Cpu: '1024', Memory: '2048', RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' } });
    template.hasResourceProperties('AWS::ECS::Cluster', { ClusterSettings: [{ Name: 'containerInsights', Value: 'enabled' }] });
  });

  it('checks readiness at the load balancer and liveness in the container, on port 8000', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { HealthCheckPath: '/health/readiness', Protocol: 'HTTP', TargetType: 'ip' });
    const api = apiContainer();
    expect(api.PortMappings).toEqual([{ ContainerPort: 8000, Protocol: 'tcp' }]);
    expect(api.HealthCheck.Command.join(' ')).toContain('http://127.0.0.1:8000/health/liveness');
    expect(api.Environment).toContainEqual({ Name: 'PORT', Value: '8000' });
  });

  it('autoscales between min and max on CPU and requests', () => {
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalableTarget', { MinCapacity: 2, MaxCapacity: 6 });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' }, TargetValue: 60 }),
    });
    template.hasResourceProperties('AWS::ApplicationAutoScaling::ScalingPolicy', {
      TargetTrackingScalingPolicyConfiguration: Match.objectLike({ PredefinedMetricSpecification: Match.objectLike({ PredefinedMetricType: 'ALBRequestCountPerTarget' }) }),
    });
  });

  it('injects secrets as ECS secrets (a JSON field by its key) and plain settings as variables', () => {
    const api = apiContainer();
    expect(api.Secrets).toEqual([
      { Name: 'DJANGO_DB_PASSWORD', ValueFrom: { 'Fn::Join': ['', [{ Ref: dbSecretId }, ':password::']] } },
      { Name: 'FLAGSTACK_ENCRYPTION_KEY', ValueFrom: { Ref: keyId } },
    ]);
    expect(api.Environment.map((e: { Name: string }) => e.Name).sort()).toEqual(['APP_DYNAMICS', 'DJANGO_DB_ENGINE', 'LOG_LEVEL', 'PORT']);
  });

  it('writes access logs to an encrypted, private, TLS-only bucket and drops invalid headers', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
      ]),
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
  });

  it('listens on plain HTTP without a domain', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
  });

  it('serves HTTPS with the certificate, redirects HTTP, and creates the alias record in the zone', () => {
    const f = fixtures();
    const zone = route53.HostedZone.fromHostedZoneAttributes(f.stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
    const certificate = acm.Certificate.fromCertificateArn(f.stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    new ApiContainer(f.stack, 'Api', { vpc: f.network.vpc, taskSubnets: f.network.applicationSubnets, image: ecs.ContainerImage.fromRegistry(TEST_IMAGE), variables: {}, secrets: {}, domain: { name: 'flags.example.com', certificate, zone } });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      Certificates: [{ CertificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' }],
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
    });
    t.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, DefaultActions: [Match.objectLike({ Type: 'redirect', RedirectConfig: Match.objectLike({ Protocol: 'HTTPS', Port: '443' }) })] });
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'flags.example.com.', Type: 'A', HostedZoneId: 'Z0123456789ABC' });
  });

  it('with AppDynamics, an init container writes the config secret to a volume the API reads', () => {
    const f = fixtures();
    const config = new secretsmanager.Secret(f.stack, 'AppdConfig');
    new ApiContainer(f.stack, 'Api', { vpc: f.network.vpc, taskSubnets: f.network.applicationSubnets, image: ecs.ContainerImage.fromRegistry(TEST_IMAGE), variables: { APP_DYNAMICS: 'on' }, secrets: {}, appDynamicsConfig: config });
    const t = Template.fromStack(f.stack);
    const [, task] = onlyResource(t, 'AWS::ECS::TaskDefinition');
    const defs = task.Properties!.ContainerDefinitions as Record<string, any>[];
    const init = defs.find((c) => c.Name === 'appdynamics-config')!;
    const api = defs.find((c) => c.Name === 'api')!;
    expect(init).toMatchObject({ Essential: false, User: '0', EntryPoint: ['/bin/sh', '-c'], Image: TEST_IMAGE });
    expect(init.Command[0]).toBe(`umask 022 && printf '%s' "$APPDYNAMICS_CFG" > ${APPDYNAMICS_CONFIG_FILE}`);
    expect(init.Secrets).toEqual([{ Name: 'APPDYNAMICS_CFG', ValueFrom: { Ref: f.stack.resolve(f.stack.getLogicalId(config.node.defaultChild as secretsmanager.CfnSecret)) } }]);
    expect(init.MountPoints).toEqual([{ ContainerPath: '/etc/appdynamics', ReadOnly: false, SourceVolume: 'appdynamics-config' }]);
    expect(api.MountPoints).toEqual([{ ContainerPath: '/etc/appdynamics', ReadOnly: true, SourceVolume: 'appdynamics-config' }]);
    expect(api.DependsOn).toEqual([{ Condition: 'SUCCESS', ContainerName: 'appdynamics-config' }]);
    expect(api.Environment).toEqual(expect.arrayContaining([{ Name: 'APP_DYNAMICS', Value: 'on' }, { Name: 'APPDYNAMICS_CONFIG_PATH', Value: APPDYNAMICS_CONFIG_FILE }]));
    // The API container itself never sees the file's content as a variable.
    expect(JSON.stringify(api)).not.toContain('APPDYNAMICS_CFG');
    expect(task.Properties!.Volumes).toEqual([{ Name: 'appdynamics-config' }]);
  });
});

describe('ApiFunction', () => {
  function fn(props: Partial<ApiFunctionProps> = {}) {
    const f = fixtures();
    const securityGroup = new ec2.SecurityGroup(f.stack, 'Sg', { vpc: f.network.vpc });
    const api = new ApiFunction(f.stack, 'Api', {
      vpc: f.network.vpc,
      subnets: f.network.applicationSubnets,
      securityGroup,
      variables: VARIABLES,
      secrets: f.secrets,
      memorySize: 1536,
      maxConcurrency: 20,
      ...props,
    });
    return { ...f, api, template: Template.fromStack(f.stack) };
  }
  const { template, dbSecretId, keyId, api } = fn();
  const apiFunction = () => Object.values(resources(template, 'AWS::Lambda::Function')).find((r) => r.Properties!.Description === 'flagstack API')!;

  it('is a nodejs22.x function of the Lambda entry\'s handler, in the VPC', () => {
    const props = apiFunction().Properties!;
    expect(props).toMatchObject({ Runtime: 'nodejs22.x', Handler: 'index.handler', MemorySize: 1536, Timeout: 29, ReservedConcurrentExecutions: 20, Architectures: ['x86_64'] });
    expect((props.VpcConfig as { SubnetIds: unknown[] }).SubnetIds).toHaveLength(2);
  });

  it('passes secrets as _SECRET_ARN variables (JSON field suffix for the database password) and may read them', () => {
    const variables = (apiFunction().Properties!.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(variables).toEqual({
      ...VARIABLES,
      DJANGO_DB_PASSWORD_SECRET_ARN: { 'Fn::Join': ['', [{ Ref: dbSecretId }, ':password::']] },
      FLAGSTACK_ENCRYPTION_KEY_SECRET_ARN: { Ref: keyId },
    });
    const readable = Object.values(resources(template, 'AWS::IAM::Policy'))
      .flatMap((p) => (p.Properties!.PolicyDocument as { Statement: { Action: string[]; Resource: unknown }[] }).Statement)
      .filter((s) => [s.Action].flat().includes('secretsmanager:GetSecretValue'))
      .flatMap((s) => [s.Resource].flat());
    expect(readable).toEqual(expect.arrayContaining([{ Ref: dbSecretId }, { Ref: keyId }]));
  });

  it('is served by an HTTP API through the live alias, with JSON access logs and throttling', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live' });
    const [aliasId] = onlyResource(template, 'AWS::Lambda::Alias');
    template.hasResourceProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY', IntegrationUri: { Ref: aliasId }, PayloadFormatVersion: '2.0' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 1000, ThrottlingBurstLimit: 2000 },
      AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"requestId":"\\$context.requestId"') },
    });
    const [, alias] = onlyResource(template, 'AWS::Lambda::Alias');
    expect(alias.Properties!.ProvisionedConcurrencyConfig).toBeUndefined();
    expect(api.url).toBeDefined();
  });

  it('keeps instances warm with provisioned concurrency when asked', () => {
    const { template: t } = fn({ provisionedConcurrency: 3 });
    t.hasResourceProperties('AWS::Lambda::Alias', { Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 3 } });
  });

  it('maps a custom domain and creates its alias record', () => {
    const f = fixtures();
    const zone = route53.HostedZone.fromHostedZoneAttributes(f.stack, 'Zone', { hostedZoneId: 'Z0123456789ABC', zoneName: 'example.com' });
    const certificate = acm.Certificate.fromCertificateArn(f.stack, 'Cert', 'arn:aws:acm:eu-west-1:123456789012:certificate/abc');
    const sg = new ec2.SecurityGroup(f.stack, 'Sg', { vpc: f.network.vpc });
    const api2 = new ApiFunction(f.stack, 'Api', { vpc: f.network.vpc, subnets: f.network.applicationSubnets, securityGroup: sg, variables: {}, secrets: {}, domain: { name: 'flags.example.com', certificate, zone } });
    const t = Template.fromStack(f.stack);
    t.hasResourceProperties('AWS::ApiGatewayV2::DomainName', { DomainName: 'flags.example.com', DomainNameConfigurations: [Match.objectLike({ SecurityPolicy: 'TLS_1_2' })] });
    t.resourceCountIs('AWS::ApiGatewayV2::ApiMapping', 1);
    t.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'flags.example.com.', Type: 'A' });
    expect(api2.url).toBe('https://flags.example.com');
  });

  it('uses the runtime from nodeVersion', () => {
    const { template: t } = fn({ nodeVersion: 20 });
    expect(Object.values(resources(t, 'AWS::Lambda::Function')).some((r) => r.Properties!.Runtime === 'nodejs20.x')).toBe(true);
  });
});

describe('the Lambda bundle', () => {
  it('keeps native and platform modules out of the esbuild bundle', () => {
    expect(LAMBDA_EXTERNAL_MODULES).toEqual(expect.arrayContaining(['@aws-sdk/*', 'better-sqlite3', '@node-rs/argon2']));
  });

  it('is completed by the runtime build, without its timestamped build stamp', () => {
    const commands = runtimeBuildCommands('/repo', '/out');
    expect(commands[0]).toBe('node --import tsx "/repo/scripts/build.ts" --only lambda --out "/out/.runtime-build"');
    expect(commands.join(' && ')).toContain('cp -R "/out/.runtime-build/lambda/." "/out/"');
    expect(commands.at(-1)).toBe('rm -rf "/out/.runtime-build" "/out/.build.json"');
  });
});
