// LDAP sign-in against a real slapd (test/support/ldap-server.ts), through the HTTP API, on every database:
// token and cookie login, the OpenLDAP formatter and search-then-bind, StartTLS and LDAPS with the throwaway CA,
// wrong and empty credentials, filter-injection attempts, the login group, group sync on login, the default
// organisation, LOCK_LOGIN_TO, the throttle stopping binds, and an unreachable directory (503, not counted).
import { sql } from 'kysely';
import { enginesUnderTest } from '../../support/databases';
import { startTestApi, type TestApi } from '../../support/harness';
import { freePort, PEOPLE_BASE, SEED, startLdapServer, type LdapTestServer } from '../../support/ldap-server';
import {
  countRows,
  groupNamed,
  groupsInDb,
  ldapLinkedUser,
  openLdapEnv,
  sessionCookie,
  sessionLogin,
  tokenLogin,
  useLdap,
  userEmails,
  whoAmI,
} from '../../support/ldap-app';
import { authenticateWithDirectory } from '../../../api/src/services/ldap/login';
import { loadConfig } from '../../../api/src/config';
import { ValidationError } from '../../../api/src/domain/errors';

const ALICE_DN = `uid=alice,${PEOPLE_BASE}`;
const FAILED = { non_field_errors: ['Unable to log in with provided credentials.'] };

describe.each(enginesUnderTest())('LDAP sign-in on %s', (engine) => {
  let ldap: LdapTestServer;
  let api: TestApi;
  let env: Record<string, string>;
  let organisationId: number;

  beforeAll(async () => {
    ldap = await startLdapServer();
    env = openLdapEnv(ldap, {
      LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID: '1',
      LDAP_AUTH_SYNC_USER_RELATIONS: 'custom_auth.ldap.sync_user_groups',
      LDAP_SYNCED_GROUPS: `${SEED.flagAdmins}:${SEED.developers}`,
      // the injection and throttle cases fail many logins from one address: only the per-account throttle counts here
      LOGIN_FAILURES_PER_IP: '0',
    });
    api = await startTestApi(engine, { env });
    const org = await api.admin('POST', '/api/v1/organisations/', { name: 'LDAP org' });
    organisationId = org.id;
    expect(organisationId).toBe(1); // LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID above
  });
  afterAll(async () => {
    await api?.close();
    await ldap?.stop();
  });
  afterEach(() => useLdap(api, env)); // tests that switch the configuration leave the start-up one behind

  test('token login: bind as uid=<user>,<search base>, account created from the mapped attributes', async () => {
    await ldap.resetLog();
    const res = await tokenLogin(api, 'alice', 'alicepw');
    expect(res.statusCode).toBe(200);
    const { key } = res.json();
    expect(key).toEqual(expect.any(String));
    expect(await whoAmI(api, key)).toMatchObject({ email: 'alice@example.com', first_name: 'Alice', last_name: 'Admin' });
    expect(await ldap.binds()).toEqual([ALICE_DN]);
    expect(await ldapLinkedUser(api, 'alice')).toMatchObject({ email: 'alice@example.com' });
    // no usable local password: the account signs in through the directory only
    const pw = await sql<{ password_hash: string | null }>`select password_hash from users where email = 'alice@example.com'`.execute(api.runtime.store.db);
    expect(pw.rows[0]!.password_hash).toBeNull();
    const password = await api.request('POST', '/api/v1/auth/login/', { body: { email: 'alice@example.com', password: 'alicepw' } });
    expect(password.statusCode).toBe(400);
  });

  test('cookie login through POST /api/v1/auth/session/ opens a session for the same account', async () => {
    const res = await sessionLogin(api, 'alice', 'alicepw');
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ email: 'alice@example.com' });
    const cookie = sessionCookie(res);
    expect(cookie).toMatch(/^__Host-flagstack=/);
    const me = await api.app.inject({ method: 'GET', url: '/api/v1/auth/session/', headers: { host: 'localhost:8000', cookie: cookie! } });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe('alice@example.com');
    const audit = await sql<{ log: string }>`select log from audit_log where log like ${'Session login (ldap)%'}`.execute(api.runtime.store.db);
    expect(audit.rows.length).toBeGreaterThan(0);
  });

  test('the username is matched case-insensitively and links to one account (subject from the directory, lower-cased)', async () => {
    const before = await countRows(api, 'users');
    const res = await tokenLogin(api, 'ALICE', 'alicepw');
    expect(res.statusCode).toBe(200);
    expect((await whoAmI(api, res.json().key)).email).toBe('alice@example.com');
    expect(await countRows(api, 'users')).toBe(before);
    const links = await sql<{ subject: string }>`select subject from user_identities where provider = 'ldap'`.execute(api.runtime.store.db);
    expect(links.rows.map((r) => r.subject)).toEqual(['alice']);
  });

  test('the new account joins LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID as a plain member', async () => {
    const alice = await ldapLinkedUser(api, 'alice');
    const rows = await sql<{ organisation_id: number; role: string }>`
      select organisation_id, role from organisation_users where user_id = ${alice!.id}`.execute(api.runtime.store.db);
    expect(rows.rows.map((r) => [Number(r.organisation_id), r.role])).toEqual([[organisationId, 'USER']]);
  });

  test('wrong password and unknown user: the same 400, no account, and the failure is audited', async () => {
    const users = await userEmails(api);
    await ldap.resetLog();
    const wrong = await tokenLogin(api, 'bob', 'not-bobs');
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual(FAILED);
    // the connection whose bind failed is unbound, not left open
    const log = await ldap.log();
    const conn = /conn=(\d+) op=0 BIND dn="uid=bob,/.exec(log)![1];
    expect(log).toMatch(new RegExp(`conn=${conn} op=0 RESULT tag=97 err=49`));
    expect(log).toMatch(new RegExp(`conn=${conn} op=1 UNBIND`));
    const unknown = await tokenLogin(api, 'nobody', 'whatever');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toEqual(FAILED);
    expect(await userEmails(api)).toEqual(users);
    const audit = await sql<{ log: string }>`select log from audit_log where action = 'login_failed' and log like ${'Failed LDAP login%'}`.execute(api.runtime.store.db);
    expect(audit.rows.map((r) => r.log)).toEqual(expect.arrayContaining(['Failed LDAP login for "bob"', 'Failed LDAP login for "nobody"']));
  });

  test('an empty password is refused before any bind (HTTP and the verifier itself)', async () => {
    await ldap.resetLog();
    const res = await tokenLogin(api, 'alice', '');
    expect(res.statusCode).toBe(400);
    const config = loadConfig({ DATABASE_URL: api.databaseUrl, ...env }).ldap;
    await expect(authenticateWithDirectory(config, 'alice', '')).rejects.toBeInstanceOf(ValidationError);
    // A directory that does not exist proves no connection is even opened.
    await expect(authenticateWithDirectory({ ...config, url: 'ldap://192.0.2.1:389', connectTimeoutSeconds: 30 }, 'alice', '')).rejects.toBeInstanceOf(ValidationError);
    expect(await ldap.binds()).toEqual([]);
  });

  // Direct bind: the name becomes `uid=<escaped>,ou=people,…`, which names no entry; nothing logs in, nothing is created.
  const INJECTIONS: Array<[string, string]> = [
    ['*', 'alicepw'],
    ['al*', 'alicepw'],
    ['admin)(uid=*', 'adminpw'],
    ['admin)(uid=*', 'alicepw'],
    ['alice)(|(uid=*', 'alicepw'],
    ['*)(uid=*))(|(uid=*', 'alicepw'],
    ['(uid=alice)', 'alicepw'],
    ['alice\\', 'alicepw'],
    ['\\2a', 'alicepw'],
    ['alice\u0000', 'alicepw'],
    ['alice\u0000)(uid=*', 'alicepw'],
    ['alice,ou=people,dc=example,dc=com', 'alicepw'],
    ['carol*', 'carolpw'],
  ];

  test.each(INJECTIONS)('injection attempt %j (direct bind) neither logs in nor matches another entry', async (username, password) => {
    const users = await userEmails(api);
    const res = await tokenLogin(api, username, password);
    expect(res.statusCode).toBe(400);
    // A NUL is refused by the API's request guard before any sign-in code runs (naming the field); the rest fail as
    // wrong credentials do.
    expect(res.json()).toEqual(username.includes('\u0000') ? { username: ['Must not contain the NUL character (\\u0000).'] } : FAILED);
    expect(await userEmails(api)).toEqual(users);
  });

  test.each(INJECTIONS)('injection attempt %j (search-then-bind) matches no entry: only the service account binds', async (username, password) => {
    useLdap(api, { ...env, LDAP_AUTH_CONNECTION_USERNAME: SEED.bindDn, LDAP_AUTH_CONNECTION_PASSWORD: SEED.bindPassword });
    await ldap.resetLog();
    const users = await userEmails(api);
    const res = await tokenLogin(api, username, password);
    expect(res.statusCode).toBe(400);
    expect(await userEmails(api)).toEqual(users);
    const binds = await ldap.binds();
    // refused before connecting (control characters) or searched as the service account and found nobody
    expect(binds.every((dn) => dn === SEED.bindDn)).toBe(true);
  });

  test('search-then-bind finds carol*ops literally (the * escaped) and binds with the DN the server returned', async () => {
    useLdap(api, { ...env, LDAP_AUTH_CONNECTION_USERNAME: SEED.bindDn, LDAP_AUTH_CONNECTION_PASSWORD: SEED.bindPassword });
    await ldap.resetLog();
    const res = await tokenLogin(api, 'carol*ops', 'carolpw');
    expect(res.statusCode).toBe(200);
    expect((await whoAmI(api, res.json().key)).email).toBe('carol@example.com');
    expect(await ldap.binds()).toEqual([SEED.bindDn, 'cn=Smith\\2C Carol (ops),ou=people,dc=example,dc=com']);
    expect(await ldapLinkedUser(api, 'carol*ops')).toMatchObject({ email: 'carol@example.com' });
    // the wrong password for the entry found: refused after the user bind
    const wrong = await tokenLogin(api, 'carol*ops', 'alicepw');
    expect(wrong.statusCode).toBe(400);
  });

  test('a service account the directory refuses is the server misconfigured: 503, not a failed login', async () => {
    useLdap(api, { ...env, LDAP_AUTH_CONNECTION_USERNAME: SEED.bindDn, LDAP_AUTH_CONNECTION_PASSWORD: 'wrong' });
    const res = await tokenLogin(api, 'alice', 'alicepw');
    expect(res.statusCode).toBe(503);
    expect(res.json().detail).toMatch(/LDAP directory is unavailable.*LDAP_AUTH_CONNECTION_USERNAME/);
  });

  test('login group (direct bind): members sign in, a non-member with the right password gets 403', async () => {
    useLdap(api, { ...env, LDAP_AUTH_FORMAT_SEARCH_FILTERS: 'custom_auth.ldap.login_group_search_filter', LDAP_LOGIN_GROUP: SEED.flagAdmins });
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
    const users = await userEmails(api);
    const bob = await tokenLogin(api, 'bob', 'bobpw');
    expect(bob.statusCode).toBe(403);
    expect(bob.json().detail).toMatch(/not a member of the group allowed to sign in/);
    expect(await userEmails(api)).toEqual(users);
  });

  test('login group (search-then-bind): a non-member is not found, so the user bind is never made', async () => {
    useLdap(api, {
      ...env,
      LDAP_AUTH_FORMAT_SEARCH_FILTERS: 'custom_auth.ldap.login_group_search_filter',
      LDAP_LOGIN_GROUP: SEED.flagAdmins,
      LDAP_AUTH_CONNECTION_USERNAME: SEED.bindDn,
      LDAP_AUTH_CONNECTION_PASSWORD: SEED.bindPassword,
    });
    await ldap.resetLog();
    const bob = await tokenLogin(api, 'bob', 'bobpw');
    expect(bob.statusCode).toBe(400);
    expect(await ldap.binds()).toEqual([SEED.bindDn]);
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
  });

  test('group sync on login: mirrored groups created in the default organisation, memberships added and removed', async () => {
    // A group an administrator made, with alice in it: never touched by the sync.
    const alice = await ldapLinkedUser(api, 'alice');
    const manual = await api.admin('POST', `/api/v1/organisations/${organisationId}/groups/`, { name: 'manual' });
    await api.admin('POST', `/api/v1/organisations/${organisationId}/groups/${manual.id}/add-users/`, { user_ids: [alice!.id] }, 200);

    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
    expect(await groupNamed(api, 'flag-admins')).toMatchObject({ organisationId, ldapDn: SEED.flagAdmins, members: ['alice@example.com'] });
    // carol signed in above (search-then-bind) and is a developer too
    expect(await groupNamed(api, 'developers')).toMatchObject({ organisationId, ldapDn: SEED.developers, members: ['alice@example.com', 'carol@example.com'] });

    // alice leaves developers in the directory: her next login takes her out of the mirrored group only
    ldap.modify(`dn: ${SEED.developers}\nchangetype: modify\ndelete: member\nmember: ${ALICE_DN}\n`);
    try {
      expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
      expect((await groupNamed(api, 'developers'))!.members).toEqual(['carol@example.com']);
      expect((await groupNamed(api, 'flag-admins'))!.members).toEqual(['alice@example.com']);
      expect((await groupNamed(api, 'manual'))!.members).toEqual(['alice@example.com']);
      const audit = await sql<{ actor_label: string; log: string }>`
        select actor_label, log from audit_log where action = 'remove_users' and resource_type = 'group'`.execute(api.runtime.store.db);
      expect(audit.rows).toEqual([expect.objectContaining({ actor_label: 'system:ldap-login', log: expect.stringContaining('alice@example.com removed from developers') })]);
    } finally {
      ldap.modify(`dn: ${SEED.developers}\nchangetype: modify\nadd: member\nmember: ${ALICE_DN}\n`);
    }
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
    expect((await groupNamed(api, 'developers'))!.members).toEqual(['alice@example.com', 'carol@example.com']);
    // one mirrored group per DN however often people sign in
    expect((await groupsInDb(api)).filter((g) => g.ldapDn !== null).map((g) => g.name).sort()).toEqual(['developers', 'flag-admins']);
  });

  test('without the sync_user_groups setting, login leaves groups alone', async () => {
    useLdap(api, { ...env, LDAP_AUTH_SYNC_USER_RELATIONS: 'django_python3_ldap.utils.sync_user_relations' });
    ldap.modify(`dn: ${SEED.developers}\nchangetype: modify\ndelete: member\nmember: ${ALICE_DN}\n`);
    try {
      expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
      expect((await groupNamed(api, 'developers'))!.members).toEqual(['alice@example.com', 'carol@example.com']);
    } finally {
      ldap.modify(`dn: ${SEED.developers}\nchangetype: modify\nadd: member\nmember: ${ALICE_DN}\n`);
    }
  });

  test('StartTLS (LDAP_AUTH_USE_TLS) with the throwaway CA; without it the certificate is refused (503)', async () => {
    const tlsEnv = { ...env, LDAP_AUTH_USE_TLS: 'true' };
    useLdap(api, tlsEnv, { tlsOptions: { ca: [ldap.caPem] } });
    await ldap.resetLog();
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
    const log = await ldap.log();
    expect(log).toMatch(/STARTTLS/);
    expect(log).toMatch(/TLS established/);
    expect(log).toMatch(new RegExp(`BIND dn="${ALICE_DN}" mech=SIMPLE bind_ssf=0 ssf=256`));

    useLdap(api, tlsEnv); // Node's own trust store: the self-signed certificate is not in it
    await ldap.resetLog();
    const untrusted = await tokenLogin(api, 'alice', 'alicepw');
    expect(untrusted.statusCode).toBe(503);
    expect(untrusted.json().detail).toMatch(/StartTLS/);
    expect(await ldap.binds()).toEqual([]); // the password never went over an untrusted connection
  });

  test('LDAPS (ldaps:// URL) with the throwaway CA; without it 503 and no bind', async () => {
    const ldapsEnv = { ...env, LDAP_AUTH_URL: ldap.ldapsUrl };
    useLdap(api, ldapsEnv, { tlsOptions: { ca: [ldap.caPem] } });
    await ldap.resetLog();
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
    expect(await ldap.binds()).toEqual([ALICE_DN]);
    useLdap(api, ldapsEnv);
    await ldap.resetLog();
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(503);
    expect(await ldap.binds()).toEqual([]);
  });

  test('the throttle stops binds: after the free failures the directory sees no further attempt', async () => {
    // LOGIN_FAILURES_PER_ACCOUNT defaults to 5: the 6th failure starts a delay
    await ldap.resetLog();
    for (let i = 0; i < 6; i++) expect((await tokenLogin(api, 'dave', `wrong-${i}`)).statusCode).toBe(400);
    const blocked = await tokenLogin(api, 'dave', 'davepw'); // the right password, but too soon
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    const daveBinds = (await ldap.binds()).filter((dn) => dn.startsWith('uid=dave,'));
    expect(daveBinds).toHaveLength(6); // the 7th attempt never reached slapd
    const session = await sessionLogin(api, 'DAVE', 'davepw'); // the cookie login counts the same account
    expect(session.statusCode).toBe(429);
    expect((await ldap.binds()).filter((dn) => dn.startsWith('uid=dave,'))).toHaveLength(6);
  });

  test('directory unreachable: 503 with a clear body, and never counted as a failed login', async () => {
    const failuresOfBob = async () => {
      const rows = await sql<{ failures: number }>`select failures from login_throttle where bucket = 'account:bob'`.execute(api.runtime.store.db);
      return rows.rows.length === 0 ? 0 : Number(rows.rows[0]!.failures);
    };
    const before = await failuresOfBob();
    const closed = await freePort();
    useLdap(api, { ...env, LDAP_AUTH_URL: `ldap://127.0.0.1:${closed}` });
    for (let i = 0; i < 8; i++) {
      const res = await tokenLogin(api, 'bob', 'bobpw');
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBeDefined();
      expect(res.json().detail).toMatch(/^The LDAP directory is unavailable \(bind: connect ECONNREFUSED/);
    }
    expect(await failuresOfBob()).toBe(before); // 8 attempts > the 5 free failures, and still no 429
    useLdap(api, env);
    expect((await tokenLogin(api, 'bob', 'bobpw')).statusCode).toBe(200);
    expect(await failuresOfBob()).toBe(0);
  });

  test('LDAP is offered on the login screen and its settings are readable (read-only)', async () => {
    const providers = await api.request('GET', '/api/v1/auth/providers/');
    expect(providers.json().providers).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'ldap', type: 'ldap' })]));
  });
});

describe.each(enginesUnderTest())('LDAP with LOCK_LOGIN_TO=saml on %s', (engine) => {
  let ldap: LdapTestServer;
  let api: TestApi;
  beforeAll(async () => {
    ldap = await startLdapServer();
    api = await startTestApi(engine, { env: { ...openLdapEnv(ldap), LOCK_LOGIN_TO: 'saml' } });
  });
  afterAll(async () => {
    await api?.close();
    await ldap?.stop();
  });

  test('LDAP sign-in is refused before the directory is contacted, on both login routes', async () => {
    await ldap.resetLog();
    const token = await tokenLogin(api, 'alice', 'alicepw');
    expect(token.statusCode).toBe(403);
    expect(token.json().detail).toMatch(/restricted to saml/);
    expect((await sessionLogin(api, 'alice', 'alicepw')).statusCode).toBe(403);
    expect(await ldap.binds()).toEqual([]);
    expect(await ldapLinkedUser(api, 'alice')).toBeUndefined();
  });
});
