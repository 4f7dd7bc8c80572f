// The migration job (custom resource through the Provider framework, run on every deploy), the scheduled jobs on
// EventBridge Scheduler, monitoring (alarms, dashboard, topic) and the WAF.
import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApiFirewall, FlagstackMonitoring, MigrationJob, ScheduledJobs } from '../../../lib/aws';
import { bareStack, nagFindings, onlyResource, resources } from './helpers';
import { SCHEDULED_JOBS, scheduledJobOf } from '../../../api/src/runtimes/function-app';

function jobFunction(scope: ReturnType<typeof bareStack>, id: string): lambda.Function {
  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
}

describe('MigrationJob', () => {
  const stack = bareStack();
  const migrate = jobFunction(stack, 'Migrate');
  const job = new MigrationJob(stack, 'Migration', { migrateFunction: migrate, deployId: 'deploy-1' });
  const template = Template.fromStack(stack);
  const migrateId = stack.resolve(stack.getLogicalId(migrate.node.defaultChild as lambda.CfnFunction));

  it('is a custom resource whose Provider invokes the migrate function itself', () => {
    template.hasResource('Custom::FlagstackMigration', { Properties: { DeployId: 'deploy-1', ServiceToken: Match.anyValue() } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { USER_ON_EVENT_FUNCTION_ARN: { 'Fn::GetAtt': [migrateId, 'Arn'] } } },
    });
    expect(job.provider).toBeDefined();
  });

  it('reruns when the deploy id changes, so every deploy migrates', () => {
    const again = bareStack();
    new MigrationJob(again, 'Migration', { migrateFunction: jobFunction(again, 'Migrate'), deployId: 'deploy-2' });
    const [, first] = onlyResource(template, 'Custom::FlagstackMigration');
    const [, second] = onlyResource(Template.fromStack(again), 'Custom::FlagstackMigration');
    expect(first.Properties!.DeployId).not.toEqual(second.Properties!.DeployId);
  });

  it('keeps the Provider\'s logs with a retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });
});

describe('ScheduledJobs', () => {
  const stack = bareStack();
  const fn = jobFunction(stack, 'Scheduler');
  const fnId = stack.resolve(stack.getLogicalId(fn.node.defaultChild as lambda.CfnFunction));
  new ScheduledJobs(stack, 'Jobs', { schedulerFunction: fn, ldapSyncEvery: Duration.hours(1) });
  const template = Template.fromStack(stack);
  const schedules = Object.values(resources(template, 'AWS::Scheduler::Schedule')).map((s) => s.Properties as Record<string, any>);

  it('publishes due scheduled changes every minute and syncs LDAP hourly, each by job name', () => {
    expect(schedules.map((s) => [s.ScheduleExpression, JSON.parse(s.Target.Input)]).sort()).toEqual([
      ['rate(1 hour)', { job: 'ldap-sync' }],
      ['rate(1 minute)', { job: 'scheduled-changes' }],
    ]);
    for (const s of schedules) {
      expect(s.Target.Arn).toEqual({ 'Fn::GetAtt': [fnId, 'Arn'] });
      expect(s.Target.RetryPolicy).toEqual({ MaximumEventAgeInSeconds: 60, MaximumRetryAttempts: 0 });
      expect(s.State).toBe('ENABLED');
    }
    template.resourceCountIs('AWS::Scheduler::ScheduleGroup', 1);
  });

  it('each input, delivered by EventBridge Scheduler as the event itself, selects that job in the scheduler entry', () => {
    // lib/ may not import the API's runtime (DESIGN.md §1), so the two lists of job names are held equal here.
    for (const s of schedules) {
      const event = JSON.parse(s.Target.Input);
      expect(scheduledJobOf(event)).toEqual({ job: event.job, dryRun: false });
      expect(SCHEDULED_JOBS).toContain(event.job);
    }
  });

  it('has no LDAP schedule without LDAP', () => {
    const other = bareStack();
    new ScheduledJobs(other, 'Jobs', { schedulerFunction: jobFunction(other, 'Scheduler') });
    Template.fromStack(other).resourceCountIs('AWS::Scheduler::Schedule', 1);
  });

  it('may invoke only the scheduler function, acknowledged for cdk-nag', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'lambda:InvokeFunction', Resource: [{ 'Fn::GetAtt': [fnId, 'Arn'] }, Match.anyValue()] })] },
    });
    expect(nagFindings(stack).filter((f) => f.includes('SchedulerRoleForTarget') || f.startsWith('AwsSolutions-IAM5'))).toEqual([]);
  });
});

describe('FlagstackMonitoring', () => {
  const stack = bareStack();
  const monitoring = new FlagstackMonitoring(stack, 'Monitoring', { alarmEmail: 'oncall@example.com' });
  monitoring.addJob('Scheduler', jobFunction(stack, 'Scheduler'));
  const template = Template.fromStack(stack);

  it('notifies an encrypted, TLS-only topic with an email subscription', () => {
    const [keyId] = onlyResource(template, 'AWS::KMS::Key');
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' } })]) },
    });
  });

  it('alarms on job failures into the topic, and draws a dashboard', () => {
    const [topicId] = onlyResource(template, 'AWS::SNS::Topic');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [{ Ref: topicId }],
      OKActions: [{ Ref: topicId }],
    });
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    expect(monitoring.alarms).toHaveLength(1);
  });
});

describe('ApiFirewall', () => {
  const stack = bareStack();
  new ApiFirewall(stack, 'Firewall', { resourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1' });
  const template = Template.fromStack(stack);

  it('blocks by rate per address and applies the AWS managed rule groups, counting (not blocking) large bodies', () => {
    const [, acl] = onlyResource(template, 'AWS::WAFv2::WebACL');
    const rules = acl.Properties!.Rules as Record<string, any>[];
    expect(acl.Properties).toMatchObject({ Scope: 'REGIONAL', DefaultAction: { Allow: {} } });
    expect(rules.map((r) => r.Name)).toEqual(['RateLimitPerAddress', 'AWSManagedRulesAmazonIpReputationList', 'AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet']);
    expect(rules[0].Statement.RateBasedStatement).toEqual({ Limit: 6000, AggregateKeyType: 'IP' });
    expect(rules[2].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', { ResourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/x/1' });
  });
});
