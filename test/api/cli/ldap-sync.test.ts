// `flagstack sync-ldap-users-and-groups` against a real slapd, on every database: the four effects of Flagsmith's
// sync (users gone, groups gone, memberships removed, memberships added), --dry-run changing nothing, the summary
// (text and --json), the audit actor, the guards (a user with another way in is unlinked, not deleted; an empty
// listing removes nobody), and a clear non-zero exit when the sync account cannot bind — in process and as the real
// `bin/flagstack.js` command.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { sql } from 'kysely';
import { main } from '../../../api/src/cli/main';
import { createAdmin } from '../../../api/src/services/users';
import type { LdapSyncSummary } from '../../../api/src/services/ldap/sync';
import { insertMirroredGroup } from '../../../api/src/store/repositories/ldap-groups';
import { enginesUnderTest } from '../../support/databases';
import { startTestApi, type TestApi } from '../../support/harness';
import { freePort, GROUPS_BASE, PEOPLE_BASE, SEED, startLdapServer, type LdapTestServer } from '../../support/ldap-server';
import { groupNamed, groupsInDb, ldapLinkedUser, openLdapEnv, tokenLogin, userEmails } from '../../support/ldap-app';

const TEMP_GROUP = `cn=temp,${GROUPS_BASE}`;

async function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; out: string[]; err: string[] }> {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await main(args, (l) => out.push(l), (l) => err.push(l));
    return { code, out, err };
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
  }
}

/** The real command, as `npx flagstack …` runs it. */
function runBin(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(__dirname, '../../../bin/flagstack.js'), ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Everything the sync could change, to prove a run changed nothing. */
async function snapshot(api: TestApi) {
  const links = await sql<{ subject: string; user_id: number }>`select subject, user_id from user_identities order by subject`.execute(api.runtime.store.db);
  return { users: await userEmails(api), groups: await groupsInDb(api), links: links.rows.map((r) => [r.subject, Number(r.user_id)]) };
}

describe.each(enginesUnderTest())('flagstack sync-ldap-users-and-groups on %s', (engine) => {
  let ldap: LdapTestServer;
  let api: TestApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    ldap = await startLdapServer();
    // erin: a directory user whose flagstack account was made first, with a password (linked at her LDAP login by email)
    ldap.modify(`dn: uid=erin,${PEOPLE_BASE}
changetype: add
objectClass: inetOrgPerson
uid: erin
cn: Erin Early
givenName: Erin
sn: Early
mail: erin@example.com
userPassword: erinpw

dn: ${TEMP_GROUP}
changetype: add
objectClass: groupOfNames
cn: temp
member: uid=dave,${PEOPLE_BASE}
`);
    env = openLdapEnv(ldap, {
      LDAP_AUTH_CONNECTION_USERNAME: SEED.bindDn,
      LDAP_AUTH_CONNECTION_PASSWORD: SEED.bindPassword,
      LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID: '1',
      LDAP_AUTH_SYNC_USER_RELATIONS: 'custom_auth.ldap.sync_user_groups',
      LDAP_SYNCED_GROUPS: `${SEED.flagAdmins}:${SEED.developers}:${TEMP_GROUP}`,
      LDAP_SYNC_USER_USERNAME: SEED.bindDn,
      LDAP_SYNC_USER_PASSWORD: SEED.bindPassword,
      LOGIN_FAILURES_PER_IP: '0',
    });
    api = await startTestApi(engine, { env });
    env = { ...env, DATABASE_URL: api.databaseUrl, LOG_LEVEL: 'silent' };
    expect((await api.admin('POST', '/api/v1/organisations/', { name: 'LDAP org' })).id).toBe(1);
    await createAdmin(api.runtime.store, 'erin@example.com', 'erins-local-password-1');
    for (const [user, password] of [['alice', 'alicepw'], ['bob', 'bobpw'], ['carol*ops', 'carolpw'], ['dave', 'davepw'], ['erin', 'erinpw']]) {
      const res = await tokenLogin(api, user!, password!);
      if (res.statusCode !== 200) throw new Error(`${user} could not sign in: ${res.statusCode} ${res.body}`);
    }
    // a group an administrator made, with bob in it: the sync never touches it
    const bob = await ldapLinkedUser(api, 'bob');
    const manual = await api.admin('POST', '/api/v1/organisations/1/groups/', { name: 'manual' });
    await api.admin('POST', `/api/v1/organisations/1/groups/${manual.id}/add-users/`, { user_ids: [bob!.id] }, 200);

    expect((await groupNamed(api, 'flag-admins'))!.members).toEqual(['alice@example.com']);
    expect((await groupNamed(api, 'developers'))!.members).toEqual(['alice@example.com', 'bob@example.com', 'carol@example.com']);
    expect((await groupNamed(api, 'temp'))!.members).toEqual(['dave@example.com']);
    expect(await ldapLinkedUser(api, 'erin')).toMatchObject({ email: 'erin@example.com' });

    // The directory changes: dave and erin leave, the temp group goes, bob leaves developers, carol joins flag-admins.
    ldap.modify(`dn: uid=dave,${PEOPLE_BASE}
changetype: delete

dn: uid=erin,${PEOPLE_BASE}
changetype: delete

dn: ${TEMP_GROUP}
changetype: delete

dn: ${SEED.developers}
changetype: modify
delete: member
member: uid=bob,${PEOPLE_BASE}

dn: ${SEED.flagAdmins}
changetype: modify
add: member
member: ${SEED.carolDn}
`);
  });
  afterAll(async () => {
    await api?.close();
    await ldap?.stop();
  });

  test('the sync account cannot bind: exit 1 with a clear message, nothing changed', async () => {
    const before = await snapshot(api);
    const res = await runCli(['sync-ldap-users-and-groups'], { ...env, LDAP_SYNC_USER_PASSWORD: 'wrong' });
    expect(res.code).toBe(1);
    expect(res.err.join('\n')).toBe(
      `sync-ldap-users-and-groups: the directory refused the bind of LDAP_SYNC_USER_USERNAME (${SEED.bindDn}): check the name and LDAP_SYNC_USER_PASSWORD; nothing was changed`,
    );
    expect(await snapshot(api)).toEqual(before);
  });

  test('the directory unreachable: exit 1, nothing changed', async () => {
    const before = await snapshot(api);
    const res = await runCli(['sync-ldap-users-and-groups'], { ...env, LDAP_AUTH_URL: `ldap://127.0.0.1:${await freePort()}` });
    expect(res.code).toBe(1);
    expect(res.err.join('\n')).toMatch(/LDAP directory is unavailable \(bind: .*ECONNREFUSED.*nothing was changed/);
    expect(await snapshot(api)).toEqual(before);
  });

  test('a listing with no users at all removes nobody (wrong search base)', async () => {
    const before = await snapshot(api);
    const res = await runCli(['sync-ldap-users-and-groups'], { ...env, LDAP_AUTH_SEARCH_BASE: GROUPS_BASE });
    expect(res.code).toBe(1);
    expect(res.err.join('\n')).toMatch(/listed no users under ou=groups,dc=example,dc=com .*refusing to remove 5 LDAP user/);
    expect(await snapshot(api)).toEqual(before);
  });

  test('without LDAP configured: exit 2 and a usage message', async () => {
    const bare = Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('LDAP_')));
    const res = await runCli(['sync-ldap-users-and-groups'], bare);
    expect(res.code).toBe(2);
    expect(res.err.join('\n')).toMatch(/LDAP is not configured/);
  });

  test('--dry-run --json reports all four effects and changes nothing', async () => {
    const before = await snapshot(api);
    const res = await runCli(['sync-ldap-users-and-groups', '--dry-run', '--json'], env);
    expect(res.err).toEqual([]);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out.join('\n')) as LdapSyncSummary;
    expect(summary.dryRun).toBe(true);
    expect(summary.directoryUsers).toBe(4); // alice, bob, carol*ops, admin: the inetOrgPerson entries left under ou=people
    expect(summary.usersRemoved.map((u) => u.email)).toEqual(['dave@example.com']);
    expect(summary.usersUnlinked.map((u) => u.email)).toEqual(['erin@example.com']);
    expect(summary.groupsRemoved.map((g) => [g.name, g.dn])).toEqual([['temp', TEMP_GROUP]]);
    expect(summary.groupsCreated).toEqual([]);
    expect(summary.membershipsRemoved.map((m) => `${m.user.email} ${m.group.name}`)).toEqual(['bob@example.com developers']);
    expect(summary.membershipsAdded.map((m) => `${m.user.email} ${m.group.name}`)).toEqual(['carol@example.com flag-admins']);
    expect(await snapshot(api)).toEqual(before);
  });

  test('the sync applies them, prints a summary and audits as system:ldap-sync', async () => {
    const groupsBefore = await groupsInDb(api);
    const res = await runCli(['sync-ldap-users-and-groups'], env);
    expect(res.err).toEqual([]);
    expect(res.code).toBe(0);
    expect(res.out).toEqual([
      'LDAP sync done:',
      'users in the directory: 4',
      'users removed: 1',
      '  dave@example.com (ldap dave)',
      'users unlinked from LDAP, kept for their other sign-in: 1',
      '  erin@example.com (ldap erin)',
      'groups removed: 1',
      `  temp (${TEMP_GROUP})`,
      'groups created: 0',
      'memberships removed: 1',
      '  bob@example.com from developers',
      'memberships added: 1',
      '  carol@example.com to flag-admins',
    ]);
    // (a) dave deleted with his sessions and tokens; erin kept (password) but no longer linked
    expect(await userEmails(api)).not.toContain('dave@example.com');
    expect(await ldapLinkedUser(api, 'dave')).toBeUndefined();
    expect(await userEmails(api)).toContain('erin@example.com');
    expect(await ldapLinkedUser(api, 'erin')).toBeUndefined();
    const daveTokens = await sql<{ n: number }>`select count(*) as n from api_tokens t join users u on u.id = t.user_id where u.email = 'dave@example.com'`.execute(api.runtime.store.db);
    expect(Number(daveTokens.rows[0]!.n)).toBe(0);
    // (b) temp gone; (c) bob out of developers; (d) carol in flag-admins; the manual group untouched
    expect(await groupNamed(api, 'temp')).toBeUndefined();
    expect((await groupNamed(api, 'developers'))!.members).toEqual(['alice@example.com', 'carol@example.com']);
    expect((await groupNamed(api, 'flag-admins'))!.members).toEqual(['alice@example.com', 'carol@example.com']);
    expect(await groupNamed(api, 'manual')).toEqual(groupsBefore.find((g) => g.name === 'manual'));
    const audit = await sql<{ action: string; log: string }>`
      select action, log from audit_log where actor_label = 'system:ldap-sync' order by id`.execute(api.runtime.store.db);
    expect(audit.rows.map((r) => r.action)).toEqual(['delete', 'unlink', 'delete', 'remove_users', 'add_users']);
    expect(audit.rows[0]!.log).toMatch(/dave@example.com removed/);
  });

  test('a second run finds nothing to do', async () => {
    const before = await snapshot(api);
    const res = await runCli(['sync-ldap-users-and-groups', '--json'], env);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out.join('\n')) as LdapSyncSummary;
    expect([summary.usersRemoved, summary.usersUnlinked, summary.groupsRemoved, summary.groupsCreated, summary.membershipsRemoved, summary.membershipsAdded]).toEqual([[], [], [], [], [], []]);
    expect(await snapshot(api)).toEqual(before);
  });

  test('a synced group missing locally is created in the default organisation with its directory members', async () => {
    ldap.modify(`dn: cn=ops,${GROUPS_BASE}\nchangetype: add\nobjectClass: groupOfNames\ncn: ops\nmember: uid=bob,${PEOPLE_BASE}\n`);
    const res = await runCli(['sync-ldap-users-and-groups', '--json'], { ...env, LDAP_SYNCED_GROUPS: `${env.LDAP_SYNCED_GROUPS}:cn=ops,${GROUPS_BASE}` });
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out.join('\n')) as LdapSyncSummary;
    expect(summary.groupsCreated.map((g) => [g.name, g.organisationId])).toEqual([['ops', 1]]);
    expect(await groupNamed(api, 'ops')).toMatchObject({ organisationId: 1, ldapDn: `cn=ops,${GROUPS_BASE}`, members: ['bob@example.com'] });
  });

  test('a second mirror of one DN (two first logins at the same moment) is removed, the first kept', async () => {
    const original = (await groupNamed(api, 'developers'))!;
    const duplicate = await api.runtime.store.write({ type: 'system', name: 'test' }, (w) =>
      insertMirroredGroup(w.trx, w.traits, { organisationId: 1, name: 'developers', ldapDn: SEED.developers.toUpperCase() }),
    );
    const res = await runCli(['sync-ldap-users-and-groups', '--json'], env);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.out.join('\n')) as LdapSyncSummary;
    expect(summary.groupsRemoved.map((g) => g.id)).toEqual([duplicate]);
    expect((await groupsInDb(api)).filter((g) => g.name === 'developers')).toEqual([original]);
  });

  test('bin/flagstack.js: a refused bind exits non-zero with the message on stderr', async () => {
    const res = await runBin(['sync-ldap-users-and-groups', '--dry-run'], { ...env, LDAP_SYNC_USER_PASSWORD: 'wrong' });
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('the directory refused the bind of LDAP_SYNC_USER_USERNAME');
    const ok = await runBin(['sync-ldap-users-and-groups', '--dry-run'], env);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^dry run, nothing was changed/);
  }, 60_000);
});
