// One place that builds a NodejsFunction from the API's Lambda entry (api/src/runtimes/lambda.ts), for the API itself
// and for the migration and scheduler jobs: bundled by the local esbuild (never Docker), minified, with source maps,
// in the VPC, with its own log group, and its secrets passed as `<NAME>_SECRET_ARN` variables that the runtime
// resolves at start (Lambda has no native secret variables).
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { SecretReference } from './api-secrets';
import { acknowledge, acknowledgeLambdaRole, REASONS } from './nag';
import { LAMBDA_ENTRY, projectRoot } from './paths';

/** The exports of api/src/runtimes/lambda.ts. */
export type LambdaHandlerName = 'handler' | 'migrate' | 'scheduler';
export type NodeMajor = 20 | 22 | 24;

export const SECRET_ARN_SUFFIX = '_SECRET_ARN';

/**
 * Modules esbuild must not bundle: the AWS SDK v3 ships with the nodejs runtimes; better-sqlite3 is native and only
 * serves local SQLite; @node-rs/argon2 is native (the runtime build vendors it with its linux-x64 binary); pg-native
 * is pg's optional native binding.
 */
export const LAMBDA_EXTERNAL_MODULES = ['@aws-sdk/*', 'better-sqlite3', '@node-rs/argon2', 'pg-native'];

/**
 * The commands that turn NodejsFunction's output into the package the runtime build makes (scripts/build.ts, the
 * artifact issue 3's packaging test runs): the same bundle with its esbuild plugins (swagger-ui assets, mysql2 as a
 * lazily loaded driver file), the native argon2 binding for linux-x64 and the swagger-ui assets. Its build stamp
 * (.build.json, with a timestamp) is dropped so the asset hash only changes when the code does.
 */
export function runtimeBuildCommands(inputDir: string, outputDir: string): string[] {
  const tmp = `${outputDir}/.runtime-build`;
  return [
    `node --import tsx "${inputDir}/scripts/build.ts" --only lambda --out "${tmp}"`,
    `rm -rf "${outputDir}/index.js" "${outputDir}/index.js.map"`,
    `cp -R "${tmp}/lambda/." "${outputDir}/"`,
    `rm -rf "${tmp}" "${outputDir}/.build.json"`,
  ];
}

export const LAMBDA_RUNTIMES: Record<NodeMajor, lambda.Runtime> = {
  20: lambda.Runtime.NODEJS_20_X,
  22: lambda.Runtime.NODEJS_22_X,
  24: lambda.Runtime.NODEJS_24_X,
};

export interface ApiLambdaProps {
  /** Which export of the entry to run. */
  readonly handler: LambdaHandlerName;
  readonly vpc: ec2.IVpc;
  readonly subnets: ec2.SubnetSelection;
  readonly securityGroup: ec2.ISecurityGroup;
  /** Plain variables (from lib/common's apiEnvironment). */
  readonly variables: Record<string, string>;
  /** Secret variables: each becomes `<NAME>_SECRET_ARN` (with `:<field>::` for a JSON field) and a read grant. */
  readonly secrets: Record<string, SecretReference>;
  /** @default 22 */
  readonly nodeVersion?: NodeMajor;
  /** @default 1024 */
  readonly memorySize?: number;
  /** @default 29 seconds (the HTTP API's own limit is 30) */
  readonly timeout?: Duration;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** Reserved concurrency (caps instances, and so database connections). @default - unreserved */
  readonly reservedConcurrentExecutions?: number;
  readonly layers?: lambda.ILayerVersion[];
  /** The repository root (the entry and package-lock.json are resolved from it). @default - found from this module */
  readonly projectRoot?: string;
  readonly description?: string;
  /**
   * Complete the bundle with the runtime build (scripts/build.ts --only lambda), see runtimeBuildCommands. Without it
   * the function gets NodejsFunction's plain esbuild bundle.
   * @default true
   */
  readonly runtimeBuild?: boolean;
}

/** The `<NAME>_SECRET_ARN` value for a secret reference (the runtime's format: `arn…:secret:name[:field::]`). */
export function secretArnValue(ref: SecretReference): string {
  return ref.field ? `${ref.secret.secretArn}:${ref.field}::` : ref.secret.secretArn;
}

export class ApiLambda extends Construct {
  readonly function: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ApiLambdaProps) {
    super(scope, id);
    const root = props.projectRoot ?? projectRoot();
    const nodeVersion = props.nodeVersion ?? 22;
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    const environment: Record<string, string> = { ...props.variables };
    for (const [name, ref] of Object.entries(props.secrets)) environment[`${name}${SECRET_ARN_SUFFIX}`] = secretArnValue(ref);
    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: `${root}/${LAMBDA_ENTRY}`,
      handler: props.handler,
      projectRoot: root,
      depsLockFilePath: `${root}/package-lock.json`,
      runtime: LAMBDA_RUNTIMES[nodeVersion],
      // x86_64: native modules the bundle may carry (argon2's prebuilt binding) are the build machine's.
      architecture: lambda.Architecture.X86_64,
      memorySize: props.memorySize ?? 1024,
      timeout: props.timeout ?? Duration.seconds(29),
      description: props.description,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.securityGroup],
      environment,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      layers: props.layers,
      tracing: lambda.Tracing.DISABLED,
      bundling: {
        forceDockerBundling: false,
        minify: true,
        // The runtime build keeps source maps out of the package (dist/maps/lambda): no --enable-source-maps.
        sourceMap: false,
        target: `node${nodeVersion}`,
        format: nodejs.OutputFormat.CJS,
        externalModules: LAMBDA_EXTERNAL_MODULES,
        // A bundle carries no license banners or legal comments: smaller, faster cold start.
        esbuildArgs: { '--legal-comments': 'none' },
        commandHooks:
          props.runtimeBuild === false
            ? undefined
            : {
                beforeBundling: () => [],
                beforeInstall: () => [],
                afterBundling: (inputDir, outputDir) => runtimeBuildCommands(inputDir, outputDir),
              },
      },
    });
    for (const ref of Object.values(props.secrets)) ref.secret.grantRead(this.function);
    acknowledgeLambdaRole(this.function, true);
    acknowledge(this.function, 'AwsSolutions-L1', REASONS.lambdaRuntimePinned);
  }
}
