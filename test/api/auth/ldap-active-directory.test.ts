// Active Directory sign-in against the AD look-alike in slapd (sAMAccountName, userPrincipalName, userAccountControl,
// `group` objects with memberOf), through the HTTP API on every database. OpenLDAP refuses AD's non-DN bind names
// (`CORP\alice`, UPNs) with "invalid DN", so the AD formats are exercised as search-then-bind with the service
// account (LDAP_AUTH_CONNECTION_USERNAME); the direct-bind names a real domain controller would get are asserted on
// what slapd received.
import { enginesUnderTest } from '../../support/databases';
import { startTestApi, type TestApi } from '../../support/harness';
import { CORP_USERS, SEED, startLdapServer, type LdapTestServer } from '../../support/ldap-server';
import { adEnv, groupNamed, ldapLinkedUser, tokenLogin, useLdap, userEmails, whoAmI } from '../../support/ldap-app';

const ALICE_DN = `cn=Alice Admin,${CORP_USERS}`;

describe.each(enginesUnderTest())('Active Directory sign-in on %s', (engine) => {
  let ldap: LdapTestServer;
  let api: TestApi;
  let env: Record<string, string>;

  beforeAll(async () => {
    ldap = await startLdapServer();
    env = adEnv(ldap, {
      LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID: '1',
      LDAP_AUTH_SYNC_USER_RELATIONS: 'flagsmith_ldap.ldap.sync_user_groups',
      LDAP_SYNCED_GROUPS: SEED.corpFlagAdmins,
      LOGIN_FAILURES_PER_IP: '0',
    });
    api = await startTestApi(engine, { env });
    expect((await api.admin('POST', '/api/v1/organisations/', { name: 'Corp' })).id).toBe(1);
  });
  afterAll(async () => {
    await api?.close();
    await ldap?.stop();
  });
  afterEach(() => useLdap(api, env));

  test.each(['alice', 'CORP\\alice', 'corp\\ALICE', 'alice@corp.example.com'])(
    'format_username_active_directory: %j finds alice by the service account and binds with her DN',
    async (typed) => {
      await ldap.resetLog();
      const res = await tokenLogin(api, typed, 'alicepw');
      expect(res.statusCode).toBe(200);
      expect(await whoAmI(api, res.json().key)).toMatchObject({ email: 'alice@corp.example.com', first_name: 'Alice', last_name: 'Admin' });
      expect(await ldap.binds()).toEqual([SEED.corpServiceDn, ALICE_DN]);
      // every spelling is the one account, linked by sAMAccountName
      expect(await ldapLinkedUser(api, 'alice')).toMatchObject({ email: 'alice@corp.example.com' });
      expect((await userEmails(api)).filter((e) => e.endsWith('corp.example.com'))).toEqual(['alice@corp.example.com']);
    },
  );

  test('a DOMAIN\\user of another domain is refused before anything is sent', async () => {
    await ldap.resetLog();
    expect((await tokenLogin(api, 'OTHER\\alice', 'alicepw')).statusCode).toBe(400);
    expect(await ldap.binds()).toEqual([]);
  });

  test('format_username_active_directory_principal: alice becomes alice@<domain> (userPrincipalName search)', async () => {
    useLdap(api, {
      ...env,
      LDAP_AUTH_FORMAT_USERNAME: 'django_python3_ldap.utils.format_username_active_directory_principal',
      LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN: 'corp.example.com',
    });
    for (const typed of ['alice', 'alice@corp.example.com', 'CORP\\alice']) {
      await ldap.resetLog();
      const res = await tokenLogin(api, typed, 'alicepw');
      expect(res.statusCode).toBe(200);
      expect(await ldap.binds()).toEqual([SEED.corpServiceDn, ALICE_DN]);
    }
    const log = await ldap.log();
    expect(log).toContain('filter="(&(objectClass=user)(sAMAccountName=alice)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))"');
    // a UPN of another suffix finds nobody: the user bind is never made
    await ldap.resetLog();
    expect((await tokenLogin(api, 'alice@evil.example', 'alicepw')).statusCode).toBe(400);
    expect(await ldap.binds()).toEqual([SEED.corpServiceDn]);
  });

  test('a disabled account (userAccountControl bit 2) is not found, so its password is never tried', async () => {
    await ldap.resetLog();
    const res = await tokenLogin(api, 'dan', 'danpw');
    expect(res.statusCode).toBe(400);
    expect(await ldap.binds()).toEqual([SEED.corpServiceDn]);
    expect(await ldapLinkedUser(api, 'dan')).toBeUndefined();
  });

  test('wrong password: the user bind fails, 400', async () => {
    await ldap.resetLog();
    expect((await tokenLogin(api, 'CORP\\alice', 'wrong')).statusCode).toBe(400);
    expect(await ldap.binds()).toEqual([SEED.corpServiceDn, ALICE_DN]);
  });

  test.each(['*', 'al*', 'alice)(sAMAccountName=*', 'CORP\\*', '*@corp.example.com'])('injection attempt %j matches no entry', async (typed) => {
    await ldap.resetLog();
    expect((await tokenLogin(api, typed, 'alicepw')).statusCode).toBe(400);
    expect((await ldap.binds()).filter((dn) => dn !== SEED.corpServiceDn)).toEqual([]);
  });

  test('direct bind (no service account) sends DOMAIN\\user and user@domain exactly as a domain controller expects', async () => {
    const direct = Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('LDAP_AUTH_CONNECTION_')));
    useLdap(api, direct);
    await ldap.resetLog();
    // slapd is no domain controller: it answers "invalid DN" (34), which is a refused login, not an outage
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(400);
    useLdap(api, { ...direct, LDAP_AUTH_FORMAT_USERNAME: 'django_python3_ldap.utils.format_username_active_directory_principal', LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN: 'corp.example.com' });
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(400);
    expect(await ldap.binds()).toEqual(['CORP\\alice', 'alice@corp.example.com']);
  });

  test('group sync on login mirrors FlagAdmins (memberOf) into the default organisation', async () => {
    expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
    expect(await groupNamed(api, 'FlagAdmins')).toMatchObject({ organisationId: 1, ldapDn: SEED.corpFlagAdmins, members: ['alice@corp.example.com'] });
    ldap.modify(`dn: ${SEED.corpFlagAdmins}\nchangetype: modify\ndelete: member\nmember: ${ALICE_DN}\n`, 'dc=corp,dc=example,dc=com');
    try {
      expect((await tokenLogin(api, 'alice', 'alicepw')).statusCode).toBe(200);
      expect((await groupNamed(api, 'FlagAdmins'))!.members).toEqual([]);
    } finally {
      ldap.modify(`dn: ${SEED.corpFlagAdmins}\nchangetype: modify\nadd: member\nmember: ${ALICE_DN}\n`, 'dc=corp,dc=example,dc=com');
    }
  });
});
