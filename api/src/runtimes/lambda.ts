// AWS Lambda entry points (DESIGN.md §4). `handler` serves API Gateway HTTP API (payload v2), REST API (v1) and
// ALB events through @fastify/aws-lambda; `migrate` applies the schema at deploy time (a CloudFormation custom
// resource through the CDK Provider framework, a Trigger, or a plain invocation); `scheduler` runs the job its
// EventBridge Scheduler event names (`{ "job": "scheduled-changes" | "ldap-sync" }`, scheduled changes by default). The app is built once per cold start, on the first invocation, with `<NAME>_SECRET_ARN`
// variables resolved from Secrets Manager before loadConfig.
import './function-preload'; // first: AppDynamics must start before any other module is loaded
import awsLambdaFastify, { type PromiseHandler } from '@fastify/aws-lambda';
import type { ALBEvent, APIGatewayProxyEvent, APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { lazyApiRuntime, runMigrations, runScheduledJob, type FunctionAppOptions, type SchedulerResult } from './function-app';
import { resolveAwsSecrets } from './aws-secrets';

export type LambdaHttpEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent | ALBEvent;

const options: FunctionAppOptions = { runtime: 'lambda', prepareEnv: resolveAwsSecrets };
const getRuntime = lazyApiRuntime(options);

/** Response types the API sends as bytes; API Gateway and ALB need them base64-encoded. */
const BINARY_MIME_TYPES = ['image/png', 'image/x-icon', 'application/octet-stream', 'application/zip'];

let proxies: { single: PromiseHandler; multiValue: PromiseHandler } | undefined;

/** An ALB target group with multi-value headers on sends only `multiValueHeaders` and expects them back. */
function isMultiValueAlb(event: LambdaHttpEvent): boolean {
  return 'requestContext' in event && !!event.requestContext && 'elb' in event.requestContext && !!(event as ALBEvent).multiValueHeaders;
}

export async function handler(event: LambdaHttpEvent, context: Context) {
  const runtime = await getRuntime();
  proxies ??= {
    single: awsLambdaFastify(runtime.app, { binaryMimeTypes: BINARY_MIME_TYPES, callbackWaitsForEmptyEventLoop: false }),
    // The first proxy already decorated requests with the event and context.
    multiValue: awsLambdaFastify(runtime.app, {
      binaryMimeTypes: BINARY_MIME_TYPES,
      callbackWaitsForEmptyEventLoop: false,
      albMultiValueHeaders: true,
      decorateRequest: false,
    }),
  };
  return (isMultiValueAlb(event) ? proxies.multiValue : proxies.single)(event, context);
}

/** The fields of a CloudFormation custom resource event that matter here. */
interface CustomResourceEvent {
  RequestType?: 'Create' | 'Update' | 'Delete';
  PhysicalResourceId?: string;
}

export interface MigrateResponse {
  PhysicalResourceId: string;
  Data: { applied: string; count: number };
  applied: string[];
}

/**
 * Applies pending migrations. Answers in the shape of the CDK custom-resource Provider framework (PhysicalResourceId,
 * Data), which a Trigger or a plain invocation ignores. A Delete of the resource leaves the database alone.
 */
export async function migrate(event: CustomResourceEvent = {}): Promise<MigrateResponse> {
  const physicalResourceId = event.PhysicalResourceId ?? 'flagstack-database-schema';
  if (event.RequestType === 'Delete') return { PhysicalResourceId: physicalResourceId, Data: { applied: '', count: 0 }, applied: [] };
  const { applied } = await runMigrations(options);
  process.stdout.write(`flagstack (lambda): ${applied.length > 0 ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date'}\n`);
  return { PhysicalResourceId: physicalResourceId, Data: { applied: applied.join(','), count: applied.length }, applied };
}

/**
 * The scheduled jobs (lib/aws/scheduled-jobs.ts): EventBridge Scheduler invokes this with the schedule's input as the
 * event, `{ "job": "scheduled-changes" }` every minute and `{ "job": "ldap-sync" }` hourly with LDAP configured. An
 * event without `job` (an EventBridge rule's scheduled event, a test invocation) runs the scheduled changes.
 */
export async function scheduler(event?: unknown): Promise<SchedulerResult> {
  return runScheduledJob(options, event);
}
