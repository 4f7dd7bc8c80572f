import { loadConfig, splitGroupDns, validateEnv, type Env } from '../../../api/src/config';

const problems = (env: Env) => Object.fromEntries(validateEnv(env).map((i) => [i.variable, i.problem]));

describe('LDAP settings', () => {
  it("has Flagsmith's defaults and is off without LDAP_AUTH_URL", () => {
    expect(loadConfig({}).ldap).toEqual({
      enabled: false,
      url: undefined,
      useTls: false,
      searchBase: 'ou=people,dc=example,dc=com',
      objectClass: 'inetOrgPerson',
      userFields: { username: 'uid', first_name: 'givenName', last_name: 'sn', email: 'mail' },
      userLookupFields: ['username'],
      cleanUserData: 'default',
      syncUserRelations: 'none',
      formatSearchFilters: 'default',
      formatUsername: 'openldap',
      activeDirectoryDomain: undefined,
      connectionUsername: undefined,
      connectionPassword: undefined,
      connectTimeoutSeconds: undefined,
      receiveTimeoutSeconds: undefined,
      defaultOrganisationId: undefined,
      syncedGroups: [],
      loginGroup: undefined,
      syncUser: { username: undefined, password: undefined },
    });
  });

  it('reads an Active Directory setup written with the dotted Django names', () => {
    const c = loadConfig({
      LDAP_AUTH_URL: 'ldaps://ad.corp.example.com:636',
      LDAP_AUTH_SEARCH_BASE: 'ou=Users,dc=corp,dc=example,dc=com',
      LDAP_AUTH_OBJECT_CLASS: 'user',
      LDAP_AUTH_USER_FIELDS: 'username=sAMAccountName,first_name=givenName,last_name=sn,email=mail',
      LDAP_AUTH_USER_LOOKUP_FIELDS: 'username',
      LDAP_AUTH_CLEAN_USER_DATA: 'django_python3_ldap.utils.clean_user_data',
      LDAP_AUTH_SYNC_USER_RELATIONS: 'custom_auth.ldap.sync_user_groups',
      LDAP_AUTH_FORMAT_SEARCH_FILTERS: 'custom_auth.ldap.login_group_search_filter',
      LDAP_AUTH_FORMAT_USERNAME: 'django_python3_ldap.utils.format_username_active_directory_principal',
      LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN: 'corp.example.com',
      LDAP_AUTH_CONNECTION_USERNAME: 'cn=svc,dc=corp,dc=example,dc=com',
      LDAP_AUTH_CONNECTION_PASSWORD: 'bind-pw',
      LDAP_AUTH_CONNECT_TIMEOUT: '5',
      LDAP_AUTH_RECEIVE_TIMEOUT: '2.5',
      LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID: '3',
      LDAP_SYNCED_GROUPS: 'cn=devs,ou=groups,dc=corp,dc=example,dc=com:cn=ops,ou=groups,dc=corp,dc=example,dc=com',
      LDAP_LOGIN_GROUP: 'cn=flagstack,ou=groups,dc=corp,dc=example,dc=com',
      LDAP_SYNC_USER_USERNAME: 'svc-sync',
      LDAP_SYNC_USER_PASSWORD: 'sync-pw',
    });
    expect(c.ldap).toEqual({
      enabled: true,
      url: 'ldaps://ad.corp.example.com:636',
      useTls: false,
      searchBase: 'ou=Users,dc=corp,dc=example,dc=com',
      objectClass: 'user',
      userFields: { username: 'sAMAccountName', first_name: 'givenName', last_name: 'sn', email: 'mail' },
      userLookupFields: ['username'],
      cleanUserData: 'default',
      syncUserRelations: 'sync_user_groups',
      formatSearchFilters: 'login_group',
      formatUsername: 'active_directory_principal',
      activeDirectoryDomain: 'corp.example.com',
      connectionUsername: 'cn=svc,dc=corp,dc=example,dc=com',
      connectionPassword: 'bind-pw',
      connectTimeoutSeconds: 5,
      receiveTimeoutSeconds: 2.5,
      defaultOrganisationId: 3,
      syncedGroups: ['cn=devs,ou=groups,dc=corp,dc=example,dc=com', 'cn=ops,ou=groups,dc=corp,dc=example,dc=com'],
      loginGroup: 'cn=flagstack,ou=groups,dc=corp,dc=example,dc=com',
      syncUser: { username: 'svc-sync', password: 'sync-pw' },
    });
  });

  it.each([
    ['format_username_openldap', 'openldap'],
    ['django_python3_ldap.utils.format_username_active_directory', 'active_directory'],
    ['flagsmith_ldap.ldap.format_username_active_directory', 'active_directory'],
  ])('accepts LDAP_AUTH_FORMAT_USERNAME=%s', (raw, expected) => {
    expect(loadConfig({ LDAP_AUTH_FORMAT_USERNAME: raw }).ldap.formatUsername).toBe(expected);
  });

  it("accepts Flagsmith EE's own module path for the group functions", () => {
    const c = loadConfig({
      LDAP_AUTH_SYNC_USER_RELATIONS: 'flagsmith_ldap.ldap.sync_user_groups',
      LDAP_AUTH_FORMAT_SEARCH_FILTERS: 'flagsmith_ldap.ldap.login_group_search_filter',
      LDAP_LOGIN_GROUP: 'cn=g,dc=x',
    });
    expect([c.ldap.syncUserRelations, c.ldap.formatSearchFilters]).toEqual(['sync_user_groups', 'login_group']);
  });

  it('accepts the short email=email form of the user fields', () => {
    expect(loadConfig({ LDAP_AUTH_USER_FIELDS: 'username=uid,email=email' }).ldap.userFields).toEqual({ username: 'uid', email: 'email' });
  });

  it('splits synced groups on colons (Flagsmith) or after each DN when comma-separated', () => {
    expect(splitGroupDns('cn=a,ou=g,dc=example,dc=com:cn=b,ou=g,dc=example,dc=com')).toEqual(['cn=a,ou=g,dc=example,dc=com', 'cn=b,ou=g,dc=example,dc=com']);
    expect(splitGroupDns('cn=a,ou=g,dc=example,dc=com, cn=b,ou=g,dc=example,dc=com')).toEqual(['cn=a,ou=g,dc=example,dc=com', 'cn=b,ou=g,dc=example,dc=com']);
    expect(splitGroupDns('cn=only,dc=example,dc=com')).toEqual(['cn=only,dc=example,dc=com']);
    // An escaped comma belongs to its value and never splits.
    expect(splitGroupDns('cn=Smith\\, Carol,ou=g,dc=example,dc=com,cn=b,dc=example,dc=com')).toEqual(['cn=Smith\\, Carol,ou=g,dc=example,dc=com', 'cn=b,dc=example,dc=com']);
    // A malformed DN is refused when the configuration is read, naming the variable.
    expect(() => loadConfig({ LDAP_AUTH_URL: 'ldap://127.0.0.1:389', LDAP_SYNCED_GROUPS: 'not a dn' })).toThrow(/LDAP_SYNCED_GROUPS/);
  });

  it('names invalid values and inconsistent settings', () => {
    expect(
      problems({
        LDAP_AUTH_URL: 'ldaps://ad',
        LDAP_AUTH_USE_TLS: 'true',
        LDAP_AUTH_USER_FIELDS: 'username=uid,nickname=cn',
        LDAP_AUTH_FORMAT_USERNAME: 'format_username_novell',
        LDAP_AUTH_SYNC_USER_RELATIONS: 'my.module.sync',
        LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID: '0',
      }),
    ).toEqual({
      LDAP_AUTH_USER_FIELDS:
        'expected field=attribute pairs separated by commas, fields among username, first_name, last_name, email, got "username=uid,nickname=cn"',
      LDAP_AUTH_SYNC_USER_RELATIONS:
        'expected one of django_python3_ldap.utils.sync_user_relations, custom_auth.ldap.sync_user_groups, got "my.module.sync"',
      LDAP_AUTH_FORMAT_USERNAME:
        'expected one of django_python3_ldap.utils.format_username_openldap, django_python3_ldap.utils.format_username_active_directory, django_python3_ldap.utils.format_username_active_directory_principal, got "format_username_novell"',
      LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID: 'expected an integer of at least 1, got "0"',
      LDAP_AUTH_USE_TLS: 'StartTLS cannot be used with an ldaps:// URL (the connection is already TLS)',
    });
    expect(
      problems({
        LDAP_AUTH_USER_FIELDS: 'email=mail',
        LDAP_AUTH_FORMAT_SEARCH_FILTERS: 'custom_auth.ldap.login_group_search_filter',
        LDAP_AUTH_FORMAT_USERNAME: 'format_username_active_directory_principal',
        LDAP_AUTH_CONNECTION_PASSWORD: 'x',
        LDAP_SYNC_USER_PASSWORD: 'y',
      }),
    ).toEqual({
      LDAP_AUTH_USER_LOOKUP_FIELDS: 'username must also be mapped in LDAP_AUTH_USER_FIELDS (mapped: email)',
      LDAP_LOGIN_GROUP: 'required when LDAP_AUTH_FORMAT_SEARCH_FILTERS is the login group filter',
      LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN:
        'required when LDAP_AUTH_FORMAT_USERNAME is format_username_active_directory_principal (user@domain)',
      LDAP_AUTH_CONNECTION_USERNAME: 'required when LDAP_AUTH_CONNECTION_PASSWORD is set',
      LDAP_SYNC_USER_USERNAME: 'required when LDAP_SYNC_USER_PASSWORD is set',
    });
  });
});
