// Scheduled jobs on EventBridge Scheduler, each invoking the `scheduler` export of the Lambda entry with the job's
// name: publishing due scheduled flag changes (every minute; the API's cached documents also switch at the exact
// moment, this makes the change durable and visible to every instance) and, with LDAP configured, syncing LDAP users
// and groups. The scheduler publishes each change exactly once even if two runs overlap (issue 7).
import { Duration } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Stack } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { acknowledge, invokeAnyVersionFinding } from './nag';

/** The jobs the `scheduler` handler runs, and the event it receives: `{ "job": <name> }`. */
export type ScheduledJobName = 'scheduled-changes' | 'ldap-sync';

export interface ScheduledJobsProps {
  /** The function running the jobs (the `scheduler` export of the Lambda entry). */
  readonly schedulerFunction: lambda.IFunction;
  /** How often due scheduled changes are published. @default 1 minute */
  readonly scheduledChangesEvery?: Duration;
  /** Sync LDAP users and groups this often; off when unset. */
  readonly ldapSyncEvery?: Duration;
  /** Turn the schedules off without removing them. @default true */
  readonly enabled?: boolean;
  /** Prefix of the schedule group name. */
  readonly groupName?: string;
}

export class ScheduledJobs extends Construct {
  readonly group: scheduler.ScheduleGroup;
  readonly schedules: Partial<Record<ScheduledJobName, scheduler.Schedule>> = {};

  constructor(scope: Construct, id: string, props: ScheduledJobsProps) {
    super(scope, id);
    this.group = new scheduler.ScheduleGroup(this, 'Group', { scheduleGroupName: props.groupName });
    this.add('scheduled-changes', props.schedulerFunction, props.scheduledChangesEvery ?? Duration.minutes(1), props.enabled);
    if (props.ldapSyncEvery) this.add('ldap-sync', props.schedulerFunction, props.ldapSyncEvery, props.enabled);
    // aws-scheduler-targets puts the role it creates for the target at the stack's root.
    for (const child of Stack.of(this).node.children) {
      if (child.node.id.startsWith('SchedulerRoleForTarget')) {
        acknowledge(child, invokeAnyVersionFinding(props.schedulerFunction), 'EventBridge Scheduler may invoke the scheduler function and its versions (ARN:*); the role is granted that one function only.');
      }
    }
  }

  private add(job: ScheduledJobName, fn: lambda.IFunction, every: Duration, enabled = true): void {
    this.schedules[job] = new scheduler.Schedule(this, job, {
      scheduleGroup: this.group,
      schedule: scheduler.ScheduleExpression.rate(every),
      description: `flagstack ${job}`,
      enabled,
      target: new targets.LambdaInvoke(fn, {
        input: scheduler.ScheduleTargetInput.fromObject({ job }),
        // A missed run is covered by the next one; retries would only pile up behind a slow database.
        retryAttempts: 0,
        maxEventAge: Duration.minutes(1),
      }),
    });
  }
}
