// Alarms and a dashboard for one environment: the API (load balancer and service, or HTTP API and function), the
// database and the jobs. Alarms notify an SNS topic (encrypted with its own key, TLS-only), which an address from the
// config can be subscribed to.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { ApiContainer } from './api-container';
import type { ApiFunction } from './api-function';
import type { FlagstackDatabase } from './database';

export interface FlagstackMonitoringProps {
  /** Subscribed to the alarm topic (the address must confirm). */
  readonly alarmEmail?: string;
  /** @default - generated */
  readonly dashboardName?: string;
  /** Server errors in five minutes that raise the API alarm. @default 10 */
  readonly serverErrorThreshold?: number;
  /** p99 latency that raises the latency alarm. @default 2 seconds */
  readonly latencyThreshold?: Duration;
}

const FIVE_MINUTES = Duration.minutes(5);

export class FlagstackMonitoring extends Construct {
  readonly topic: sns.Topic;
  readonly dashboard: cloudwatch.Dashboard;
  readonly alarms: cloudwatch.Alarm[] = [];
  private readonly props: FlagstackMonitoringProps;

  constructor(scope: Construct, id: string, props: FlagstackMonitoringProps = {}) {
    super(scope, id);
    this.props = props;
    const key = new kms.Key(this, 'TopicKey', {
      description: 'flagstack alarm topic',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // CloudWatch publishes alarms to the encrypted topic.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Alarms', { masterKey: key, enforceSSL: true, displayName: 'flagstack alarms' });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: Duration.hours(3),
    });
  }

  private alarm(id: string, metric: cloudwatch.IMetric, options: Omit<cloudwatch.CreateAlarmOptions, 'metric'>): cloudwatch.Alarm {
    const alarm = new cloudwatch.Alarm(this, id, { metric, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, ...options });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.alarms.push(alarm);
    return alarm;
  }

  addContainer(api: ApiContainer): void {
    const lb = api.service.loadBalancer.metrics;
    const tg = api.service.targetGroup.metrics;
    const service = api.service.service;
    const errors = tg.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { period: FIVE_MINUTES, statistic: 'Sum' });
    const lbErrors = lb.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { period: FIVE_MINUTES, statistic: 'Sum' });
    const latency = tg.targetResponseTime({ period: FIVE_MINUTES, statistic: 'p99' });
    const unhealthy = tg.unhealthyHostCount({ period: Duration.minutes(1), statistic: 'Maximum' });
    const cpu = service.metricCpuUtilization({ period: FIVE_MINUTES });
    const memory = service.metricMemoryUtilization({ period: FIVE_MINUTES });
    this.alarm('ApiServerErrors', errors, { threshold: this.props.serverErrorThreshold ?? 10, evaluationPeriods: 1, alarmDescription: 'The API answered with 5xx.' });
    this.alarm('LoadBalancerErrors', lbErrors, { threshold: this.props.serverErrorThreshold ?? 10, evaluationPeriods: 1, alarmDescription: 'The load balancer answered 5xx (no healthy task, timeouts).' });
    this.alarm('ApiLatency', latency, { threshold: (this.props.latencyThreshold ?? Duration.seconds(2)).toSeconds(), evaluationPeriods: 3, alarmDescription: 'p99 response time is high.' });
    this.alarm('UnhealthyTasks', unhealthy, { threshold: 1, evaluationPeriods: 5, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, alarmDescription: 'A task fails the readiness check (database unreachable?).' });
    this.alarm('ServiceCpu', cpu, { threshold: 85, evaluationPeriods: 3, alarmDescription: 'CPU stays high although autoscaling should add tasks (at the maximum?).' });
    this.alarm('ServiceMemory', memory, { threshold: 85, evaluationPeriods: 3, alarmDescription: 'Memory use is high.' });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: '## API (ECS Fargate behind the load balancer)', width: 24, height: 1 }),
      new cloudwatch.GraphWidget({ title: 'Requests and errors', left: [tg.requestCount({ period: Duration.minutes(1), statistic: 'Sum' })], right: [errors, lbErrors], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Response time', left: [tg.targetResponseTime({ statistic: 'p50' }), latency], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Tasks: CPU and memory', left: [cpu, memory], right: [tg.healthyHostCount(), unhealthy], width: 8 }),
    );
  }

  addFunction(api: ApiFunction): void {
    const fn = api.lambda.function;
    const errors = fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' });
    const throttles = fn.metricThrottles({ period: FIVE_MINUTES, statistic: 'Sum' });
    const duration = fn.metricDuration({ period: FIVE_MINUTES, statistic: 'p99' });
    const apiErrors = api.httpApi.metricServerError({ period: FIVE_MINUTES, statistic: 'Sum' });
    const latency = api.httpApi.metricLatency({ period: FIVE_MINUTES, statistic: 'p99' });
    this.alarm('ApiServerErrors', apiErrors, { threshold: this.props.serverErrorThreshold ?? 10, evaluationPeriods: 1, alarmDescription: 'The HTTP API answered with 5xx.' });
    this.alarm('FunctionErrors', errors, { threshold: 5, evaluationPeriods: 1, alarmDescription: 'The API function failed invocations.' });
    this.alarm('FunctionThrottles', throttles, { threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, alarmDescription: 'Requests were throttled (scaling.max reached).' });
    this.alarm('ApiLatency', latency, { threshold: (this.props.latencyThreshold ?? Duration.seconds(2)).toMilliseconds(), evaluationPeriods: 3, alarmDescription: 'p99 latency is high.' });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: '## API (Lambda behind the HTTP API)', width: 24, height: 1 }),
      new cloudwatch.GraphWidget({ title: 'Requests and errors', left: [api.httpApi.metricCount({ period: Duration.minutes(1) })], right: [apiErrors, errors, throttles], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Latency and duration', left: [latency], right: [duration], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Concurrency', left: [fn.metric('ConcurrentExecutions', { statistic: 'Maximum' })], width: 8 }),
    );
  }

  addDatabase(db: FlagstackDatabase): void {
    const source = db.instance ?? db.cluster!;
    const cpu = source.metricCPUUtilization({ period: FIVE_MINUTES });
    const connections = source.metricDatabaseConnections({ period: FIVE_MINUTES });
    this.alarm('DatabaseCpu', cpu, { threshold: 80, evaluationPeriods: 3, alarmDescription: 'Database CPU stays above 80%.' });
    const widgets: cloudwatch.IWidget[] = [
      new cloudwatch.TextWidget({ markdown: `## Database (${db.aurora ? 'Aurora PostgreSQL' : `RDS ${db.engine}`})`, width: 24, height: 1 }),
      new cloudwatch.GraphWidget({ title: 'CPU', left: [cpu], width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Connections', left: [connections], width: 8 }),
    ];
    if (db.instance) {
      const free = db.instance.metricFreeStorageSpace({ period: FIVE_MINUTES, statistic: 'Minimum' });
      this.alarm('DatabaseStorage', free, {
        threshold: 2 * 1024 ** 3,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        alarmDescription: 'Less than 2 GiB of storage left (storage autoscaling reached its maximum?).',
      });
      widgets.push(new cloudwatch.GraphWidget({ title: 'Free storage', left: [free], width: 8 }));
    } else {
      const acu = db.cluster!.metricServerlessDatabaseCapacity({ period: FIVE_MINUTES, statistic: 'Maximum' });
      widgets.push(new cloudwatch.GraphWidget({ title: 'Capacity (ACU)', left: [acu], width: 8 }));
    }
    this.dashboard.addWidgets(...widgets);
  }

  /** An alarm on any failure of a job function (migration, scheduler). */
  addJob(name: string, fn: lambda.IFunction): void {
    const errors = fn.metricErrors({ period: FIVE_MINUTES, statistic: 'Sum' });
    this.alarm(`${name}Errors`, errors, { threshold: 1, evaluationPeriods: 1, comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD, alarmDescription: `The ${name} job failed.` });
    this.dashboard.addWidgets(new cloudwatch.GraphWidget({ title: `Job ${name}`, left: [fn.metricInvocations({ period: FIVE_MINUTES })], right: [errors], width: 8 }));
  }
}
