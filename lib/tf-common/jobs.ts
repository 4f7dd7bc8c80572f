// The API's one-shot and periodic jobs, the same on every cloud. A container job runs the API's image with the CLI
// (CLI_COMMAND, the root Dockerfile's CMD without its `serve`) and the job's arguments; the GCP function packaging runs
// the bundle's scheduler entry point instead.
import type { EnvironmentConfig } from '../config';

export type JobId = 'migrate' | 'scheduled-changes' | 'ldap-sync';

export interface JobSpec {
  id: JobId;
  description: string;
  /** Arguments to the flagstack CLI (after CLI_COMMAND). */
  args: string[];
  /** Five-field cron expression in UTC; absent = run on demand (and on deploy, where the cloud allows it). */
  schedule?: string;
  /** Longest run before the platform stops the job. */
  timeoutSeconds: number;
}

export const MIGRATE_JOB: JobSpec = {
  id: 'migrate',
  description: 'Apply database migrations (also done by the API at start under the migration lock; run this to migrate ahead of a rollout).',
  args: ['migrate'],
  timeoutSeconds: 1800,
};

export const SCHEDULED_CHANGES_JOB: JobSpec = {
  id: 'scheduled-changes',
  description: 'Publish scheduled flag changes that are due (one pass; concurrent passes are safe).',
  args: ['run-scheduler', '--once'],
  schedule: '* * * * *',
  timeoutSeconds: 300,
};

export const LDAP_SYNC_JOB: JobSpec = {
  id: 'ldap-sync',
  description: 'Mirror LDAP users, groups and memberships into flagstack.',
  args: ['sync-ldap-users-and-groups'],
  schedule: '17 * * * *',
  timeoutSeconds: 1800,
};

/** The jobs an environment runs: migrations and scheduled changes always, LDAP sync when LDAP is configured. */
export function jobsFor(env: EnvironmentConfig): JobSpec[] {
  return env.auth.ldap ? [MIGRATE_JOB, SCHEDULED_CHANGES_JOB, LDAP_SYNC_JOB] : [MIGRATE_JOB, SCHEDULED_CHANGES_JOB];
}
