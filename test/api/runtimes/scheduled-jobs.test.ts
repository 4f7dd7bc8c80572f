// The function runtimes' scheduler entry dispatches on the event's `job`: scheduled-changes (the default) and
// ldap-sync, with the events each platform sends. EventBridge Scheduler invokes the Lambda with the schedule's input as
// the event itself (lib/aws/scheduled-jobs.ts: `{ "job": "ldap-sync" }`; test/lib/aws/jobs.test.ts checks that the
// synthesized inputs parse to these jobs); an EventBridge rule sends a scheduled event with no job; Cloud Scheduler
// posts a body. Runs on a fresh SQLite database.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMigrations, runScheduledJob, scheduledJobOf, type LdapSyncModule } from '../../../api/src/runtimes/function-app';
import { Store } from '../../../api/src/store/store';
import type { AppConfig } from '../../../api/src/config';

const RULE_EVENT = {
  version: '0',
  id: '53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-11-25T10:00:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/flagstack-scheduler'],
  detail: {},
};

let dir: string;
let env: Record<string, string>;
const lambda = { runtime: 'lambda' as const };

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'flagstack-jobs-'));
  env = { DATABASE_URL: `sqlite:${join(dir, 'jobs.db')}`, LOG_LEVEL: 'silent' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('scheduledJobOf', () => {
  test.each([
    ['EventBridge Scheduler input for scheduled changes', { job: 'scheduled-changes' }, { job: 'scheduled-changes', dryRun: false }],
    ['EventBridge Scheduler input for the LDAP sync', { job: 'ldap-sync' }, { job: 'ldap-sync', dryRun: false }],
    ['a dry run asked for by hand', { job: 'ldap-sync', dryRun: true }, { job: 'ldap-sync', dryRun: true }],
    ['an EventBridge rule scheduled event (no job)', RULE_EVENT, { job: 'scheduled-changes', dryRun: false }],
    ['no event (a console test invocation, an Azure timer)', undefined, { job: 'scheduled-changes', dryRun: false }],
    ['an empty Cloud Scheduler body', Buffer.alloc(0), { job: 'scheduled-changes', dryRun: false }],
    ['a Cloud Scheduler body as bytes', Buffer.from('{"job":"ldap-sync"}'), { job: 'ldap-sync', dryRun: false }],
    ['a body as text', '{"job":"scheduled-changes"}', { job: 'scheduled-changes', dryRun: false }],
  ])('%s', (_name, event, expected) => {
    expect(scheduledJobOf(event)).toEqual(expected);
  });

  test('an unknown job or a body that is not JSON is an error, never the default job', () => {
    expect(scheduledJobOf({ job: 'ldap_sync' })).toEqual({ error: 'unknown scheduled job "ldap_sync" (known: scheduled-changes, ldap-sync)' });
    expect(scheduledJobOf({ job: 7 })).toEqual({ error: expect.stringMatching(/unknown scheduled job 7/) });
    expect(scheduledJobOf('{job:')).toEqual({ error: 'the scheduler event is not JSON' });
  });
});

describe('runScheduledJob', () => {
  test('scheduled changes: the job named, and the default for an event without one', async () => {
    await runMigrations(lambda, env);
    await expect(runScheduledJob(lambda, { job: 'scheduled-changes' }, { env })).resolves.toEqual({ job: 'scheduled-changes', status: 'ok', published: 0 });
    await expect(runScheduledJob(lambda, RULE_EVENT, { env })).resolves.toEqual({ job: 'scheduled-changes', status: 'ok', published: 0 });
  });

  test('an unknown job is logged and answered as failed', async () => {
    const logged: string[] = [];
    const result = await runScheduledJob(lambda, { job: 'reindex' }, { env, logError: (l) => logged.push(l) });
    expect(result).toEqual({ job: 'reindex', status: 'failed', error: expect.stringMatching(/unknown scheduled job "reindex"/) });
    expect(logged).toEqual([expect.stringMatching(/^scheduler: unknown scheduled job "reindex"/)]);
  });

  test('ldap-sync without LDAP configured fails without loading the sync or connecting', async () => {
    const loadLdapSync = jest.fn();
    const logged: string[] = [];
    const result = await runScheduledJob(lambda, { job: 'ldap-sync' }, { env, loadLdapSync, logError: (l) => logged.push(l) });
    expect(result).toEqual({ job: 'ldap-sync', status: 'failed', error: 'LDAP is not configured (LDAP_AUTH_URL is unset)' });
    expect(loadLdapSync).not.toHaveBeenCalled();
    expect(logged).toEqual(['ldap-sync failed: LDAP is not configured (LDAP_AUTH_URL is unset)']);
  });

  test('ldap-sync calls syncLdapUsersAndGroups(store, config, { dryRun }) and answers its summary', async () => {
    const calls: { store: unknown; config: AppConfig; options: { dryRun: boolean } }[] = [];
    const module: LdapSyncModule = {
      syncLdapUsersAndGroups: async (store, config, options) => {
        calls.push({ store, config, options });
        return { users: { created: 2, updated: 1, deactivated: 0 }, groups: { created: 1 } };
      },
    };
    const ldapEnv = { ...env, LDAP_AUTH_URL: 'ldap://ldap.example.com:389', LDAP_AUTH_SEARCH_BASE: 'dc=example,dc=com' };
    const result = await runScheduledJob(lambda, { job: 'ldap-sync', dryRun: true }, { env: ldapEnv, loadLdapSync: async () => module });
    expect(result).toEqual({ job: 'ldap-sync', status: 'ok', dryRun: true, summary: { users: { created: 2, updated: 1, deactivated: 0 }, groups: { created: 1 } } });
    expect(calls).toHaveLength(1);
    expect(calls[0]!.store).toBeInstanceOf(Store);
    expect(calls[0]!.config.ldap).toMatchObject({ enabled: true, url: 'ldap://ldap.example.com:389', searchBase: 'dc=example,dc=com' });
    expect(calls[0]!.options).toEqual({ dryRun: true });
  });

  test('ldap-sync that throws, or a module that cannot be loaded, is logged and answered as failed', async () => {
    const ldapEnv = { ...env, LDAP_AUTH_URL: 'ldap://ldap.example.com:389' };
    const logged: string[] = [];
    const logError = (l: string) => logged.push(l);
    const refused = await runScheduledJob(lambda, { job: 'ldap-sync' }, {
      env: ldapEnv,
      logError,
      loadLdapSync: async () => ({ syncLdapUsersAndGroups: async () => Promise.reject(new Error('invalid credentials (49)')) }),
    });
    expect(refused).toEqual({ job: 'ldap-sync', status: 'failed', error: 'invalid credentials (49)' });
    const missing = await runScheduledJob(lambda, { job: 'ldap-sync' }, {
      env: ldapEnv,
      logError,
      loadLdapSync: () => Promise.reject(Object.assign(new Error("Cannot find module '../services/ldap/sync'"), { code: 'MODULE_NOT_FOUND' })),
    });
    expect(missing).toEqual({ job: 'ldap-sync', status: 'failed', error: expect.stringMatching(/^the LDAP sync is not available in this build \(Cannot find module/) });
    expect(logged).toEqual(['ldap-sync failed: invalid credentials (49)', expect.stringMatching(/^ldap-sync failed: the LDAP sync is not available/)]);
  });

  test('the default loader runs api/src/services/ldap/sync (here it refuses: no LDAP_SYNC_USER_USERNAME to bind as)', async () => {
    const ldapEnv = { ...env, LDAP_AUTH_URL: 'ldap://127.0.0.1:1', LDAP_AUTH_SEARCH_BASE: 'dc=example,dc=com' };
    const logged: string[] = [];
    const result = await runScheduledJob(lambda, { job: 'ldap-sync', dryRun: true }, { env: ldapEnv, logError: (l) => logged.push(l) });
    expect(result).toEqual({ job: 'ldap-sync', status: 'failed', error: 'LDAP_SYNC_USER_USERNAME is not set: the sync binds as that account' });
    expect(logged).toEqual(['ldap-sync failed: LDAP_SYNC_USER_USERNAME is not set: the sync binds as that account']);
  });
});
