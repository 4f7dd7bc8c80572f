// The API as a function: a NodejsFunction (api/src/runtimes/lambda.ts, `handler`) in the VPC behind an API Gateway
// HTTP API, reached through a `live` alias (which carries provisioned concurrency when asked for), with access logs
// and an optional custom domain. Secrets travel as `<NAME>_SECRET_ARN` variables the runtime resolves at start.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import { Construct } from 'constructs';
import { ApiLambda, type NodeMajor } from './api-lambda';
import type { SecretReference } from './api-secrets';
import { acknowledge } from './nag';
import type { ApiDomain } from './api-domain';

/** The API's custom domain (the same shape for both packagings). */
export type ApiFunctionDomain = ApiDomain;

export interface ApiFunctionProps {
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Plain variables (from lib/common's apiEnvironment). */
  readonly variables: Record<string, string>;
  /** Secret variables, passed as `<NAME>_SECRET_ARN`. */
  readonly secrets: Record<string, SecretReference>;
  /** @default 22 */
  readonly nodeVersion?: NodeMajor;
  /** @default 1024 */
  readonly memorySize?: number;
  /** Caps concurrent instances (and so database connections). @default - unreserved */
  readonly maxConcurrency?: number;
  /** Pre-initialised instances on the `live` alias. @default 0 (none) */
  readonly provisionedConcurrency?: number;
  /** Lambda layers (e.g. the customer's AppDynamics agent layer). */
  readonly layers?: lambda.ILayerVersion[];
  readonly domain?: ApiFunctionDomain;
  /** Requests per second the HTTP API accepts before throttling (burst twice that). @default 1000 */
  readonly throttleRate?: number;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Passed to ApiLambda (tests turn the runtime build off). @default true */
  readonly runtimeBuild?: boolean;
  readonly projectRoot?: string;
}

export class ApiFunction extends Construct {
  readonly lambda: ApiLambda;
  readonly alias: lambda.Alias;
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogs: logs.LogGroup;
  readonly url: string;
  /** With a custom domain: the regional API Gateway name the domain's DNS record must point at. */
  readonly domainTarget?: string;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    this.lambda = new ApiLambda(this, 'Handler', {
      handler: 'handler',
      vpc: props.vpc,
      subnets: props.subnets,
      securityGroup: props.securityGroup,
      variables: props.variables,
      secrets: props.secrets,
      nodeVersion: props.nodeVersion,
      memorySize: props.memorySize,
      timeout: Duration.seconds(29),
      reservedConcurrentExecutions: props.maxConcurrency,
      layers: props.layers,
      logRetention: props.logRetention,
      logRemovalPolicy: props.logRemovalPolicy,
      runtimeBuild: props.runtimeBuild,
      projectRoot: props.projectRoot,
      description: 'flagstack API',
    });
    const provisioned = props.provisionedConcurrency ?? 0;
    this.alias = new lambda.Alias(this, 'Live', {
      aliasName: 'live',
      version: this.lambda.function.currentVersion,
      provisionedConcurrentExecutions: provisioned > 0 ? provisioned : undefined,
    });

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: 'flagstack API',
      createDefaultStage: false,
      defaultIntegration: new integrations.HttpLambdaIntegration('Lambda', this.alias, {
        payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
      }),
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    let domainName: apigwv2.DomainName | undefined;
    if (props.domain) {
      domainName = new apigwv2.DomainName(this, 'Domain', {
        domainName: props.domain.name,
        certificate: props.domain.certificate,
        securityPolicy: apigwv2.SecurityPolicy.TLS_1_2,
      });
    }
    const rate = props.throttleRate ?? 1000;
    this.stage = this.httpApi.addStage('Stage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: rate, burstLimit: rate * 2 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
      },
      domainMapping: domainName ? { domainName } : undefined,
    });
    if (props.domain?.zone && domainName) {
      new route53.ARecord(this, 'AliasRecord', {
        zone: props.domain.zone,
        recordName: props.domain.name,
        target: route53.RecordTarget.fromAlias(new targets.ApiGatewayv2DomainProperties(domainName.regionalDomainName, domainName.regionalHostedZoneId)),
      });
    }
    this.url = props.domain ? `https://${props.domain.name}` : this.stage.url;
    this.domainTarget = domainName?.regionalDomainName;

    acknowledge(
      this.httpApi,
      'AwsSolutions-APIG4',
      'The API authenticates every request itself (SDK environment keys, API tokens, sessions), as Flagsmith clients expect; an API Gateway authorizer would break the Flagsmith wire protocol.',
    );
  }
}
