// The migration job: on every deploy, before traffic moves to new code, CloudFormation runs a custom resource whose
// handler (through the CDK Provider framework) is the `migrate` function of api/src/runtimes/lambda.ts: it applies
// pending migrations and answers in the Provider's shape; Delete leaves the database alone. A failed migration fails
// the deploy, which CloudFormation rolls back. The API (service or function) depends on this resource, so
// CloudFormation updates the API only after the migration succeeded. The resource's DeployId changes on every synth,
// so the job runs on every deploy.
import { CustomResource, RemovalPolicy } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledge, acknowledgeLambdaRole, invokeAnyVersionFinding, REASONS } from './nag';

export interface MigrationJobProps {
  /** The function that runs the migrations (the `migrate` export of the Lambda entry). */
  readonly migrateFunction: lambda.IFunction;
  /** A value that differs on every deploy (a timestamp); when it is unchanged CloudFormation skips the job. */
  readonly deployId: string;
  /** @default one month */
  readonly logRetention?: logs.RetentionDays;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
}

export class MigrationJob extends Construct {
  readonly resource: CustomResource;
  readonly provider: cr.Provider;

  constructor(scope: Construct, id: string, props: MigrationJobProps) {
    super(scope, id);
    this.provider = new cr.Provider(this, 'Provider', {
      onEventHandler: props.migrateFunction,
      logGroup: new logs.LogGroup(this, 'ProviderLogs', {
        retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
        removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
      }),
    });
    this.resource = new CustomResource(this, 'Run', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::FlagstackMigration',
      properties: { DeployId: props.deployId },
    });

    const provider = this.provider;
    acknowledgeLambdaRole(provider, false);
    acknowledge(
      provider,
      invokeAnyVersionFinding(props.migrateFunction),
      'The Provider framework (aws-cdk-lib) may invoke the migrate function and its versions (ARN:*); it is granted that one function only.',
    );
    acknowledge(provider, 'AwsSolutions-L1', REASONS.cdkSingletonFunction);
  }
}
