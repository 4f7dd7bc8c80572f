// The pure LDAP helpers (api/src/auth/ldap): login names per formatter, bind names, filters (RFC 4515 escaping, `*`
// included), attribute mapping, DNs and the LDAP_SYNCED_GROUPS list. No server.
import {
  attributesToRequest,
  bindNameFor,
  dnEquals,
  entryLookupFor,
  escapeDnValue,
  firstRdnValue,
  isAttributeName,
  looksLikeDn,
  normaliseDn,
  parseDn,
  parseGroupDnList,
  parseLoginName,
  profileFromEntry,
  userFilter,
  UnusableLoginName,
  type UsernameSettings,
} from '../../../api/src/auth/ldap';
import { loadConfig } from '../../../api/src/config';
import { assertLdapConfigUsable, serviceBindName } from '../../../api/src/services/ldap/login';

const OPENLDAP: UsernameSettings = { format: 'openldap', usernameAttribute: 'uid', searchBase: 'ou=people,dc=example,dc=com' };
const AD: UsernameSettings = { format: 'active_directory', usernameAttribute: 'sAMAccountName', searchBase: 'dc=corp,dc=example,dc=com', domain: 'CORP' };
const UPN: UsernameSettings = { ...AD, format: 'active_directory_principal', domain: 'corp.example.com' };

const bind = (typed: string, s: UsernameSettings) => bindNameFor(parseLoginName(typed, s), s);
const lookup = (typed: string, s: UsernameSettings) => entryLookupFor(parseLoginName(typed, s), s);

describe('username formatters (django-python3-ldap format_username_*)', () => {
  test('openldap: <username attribute>=<user>,<search base>, the value escaped per RFC 4514', () => {
    expect(bind('alice', OPENLDAP)).toBe('uid=alice,ou=people,dc=example,dc=com');
    expect(bind('admin,ou=admins', OPENLDAP)).toBe('uid=admin\\,ou\\=admins,ou=people,dc=example,dc=com');
    expect(bind('a+b"c<d>e;f\\g', OPENLDAP)).toBe('uid=a\\+b\\"c\\<d\\>e\\;f\\\\g,ou=people,dc=example,dc=com');
    expect(bind('#hash', OPENLDAP)).toBe('uid=\\#hash,ou=people,dc=example,dc=com');
    expect(lookup('alice', OPENLDAP)).toEqual({ attribute: 'uid', value: 'alice' });
    // an AD-looking name is just a name to OpenLDAP
    expect(lookup('CORP\\alice', OPENLDAP)).toEqual({ attribute: 'uid', value: 'CORP\\alice' });
  });

  test('active_directory: DOMAIN\\user (bare user without a domain)', () => {
    expect(bind('alice', AD)).toBe('CORP\\alice');
    expect(bind('CORP\\alice', AD)).toBe('CORP\\alice');
    expect(bind('alice@corp.example.com', AD)).toBe('alice@corp.example.com');
    expect(bind('alice', { ...AD, domain: undefined })).toBe('alice');
    expect(lookup('CORP\\alice', AD)).toEqual({ attribute: 'sAMAccountName', value: 'alice' });
    expect(lookup('corp\\alice', AD)).toEqual({ attribute: 'sAMAccountName', value: 'alice' });
    expect(lookup('alice@corp.example.com', AD)).toEqual({ attribute: 'userPrincipalName', value: 'alice@corp.example.com' });
  });

  test('active_directory_principal: user@domain', () => {
    expect(bind('alice', UPN)).toBe('alice@corp.example.com');
    expect(bind('alice@corp.example.com', UPN)).toBe('alice@corp.example.com');
    expect(bind('alice', { ...UPN, domain: undefined })).toBe('alice');
    expect(lookup('alice', UPN)).toEqual({ attribute: 'userPrincipalName', value: 'alice@corp.example.com' });
    // the NetBIOS name may be the first label of the DNS domain
    expect(lookup('CORP\\alice', UPN)).toEqual({ attribute: 'sAMAccountName', value: 'alice' });
  });

  test.each([
    ['OTHER\\alice', AD],
    ['OTHER\\alice', UPN],
    ['CORP\\', AD],
    ['CORP\\a\\b', AD],
    ['@corp', AD],
    ['alice@', AD],
    ['', OPENLDAP],
    ['   ', OPENLDAP],
    ['alice\u0000', OPENLDAP],
    ['ali\nce', AD],
    ['x'.repeat(255), OPENLDAP],
  ] as Array<[string, UsernameSettings]>)('%j is refused before any directory is asked', (typed, settings) => {
    expect(() => parseLoginName(typed, settings)).toThrow(UnusableLoginName);
  });

  test('DOMAIN\\user needs a configured domain to be accepted', () => {
    expect(() => parseLoginName('CORP\\alice', { ...AD, domain: undefined })).toThrow(UnusableLoginName);
  });

  test('configured account names: a DN is used as given, a plain name formatted', () => {
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', LDAP_AUTH_URL: 'ldap://127.0.0.1:389' }).ldap;
    expect(serviceBindName('cn=flagstack-bind,dc=example,dc=com', config)).toBe('cn=flagstack-bind,dc=example,dc=com');
    expect(serviceBindName('sync', config)).toBe('uid=sync,ou=people,dc=example,dc=com');
    expect(serviceBindName('sync', { ...config, formatUsername: 'active_directory', activeDirectoryDomain: 'CORP' })).toBe('CORP\\sync');
    expect(looksLikeDn('CORP\\svc')).toBe(false);
    expect(looksLikeDn(' uid = svc ,dc=x')).toBe(true);
  });
});

describe('filters', () => {
  const filter = (value: string, extra: Partial<Parameters<typeof userFilter>[0]> = {}) =>
    userFilter({ objectClass: 'inetOrgPerson', lookup: { attribute: 'uid', value }, ...extra }).toString();

  test('the seed shape: (&(objectClass=…)(<username attribute>=<u>)[(memberOf=<login group>)])', () => {
    expect(filter('alice')).toBe('(&(objectClass=inetOrgPerson)(uid=alice))');
    expect(filter('alice', { loginGroup: 'cn=flag-admins,ou=groups,dc=example,dc=com' })).toBe(
      '(&(objectClass=inetOrgPerson)(uid=alice)(memberOf=cn=flag-admins,ou=groups,dc=example,dc=com))',
    );
    expect(filter('alice', { excludeDisabled: true })).toBe('(&(objectClass=inetOrgPerson)(uid=alice)(!(userAccountControl:1.2.840.113556.1.4.803:=2)))');
  });

  test.each([
    ['*', '(uid=\\2a)'],
    ['al*', '(uid=al\\2a)'],
    ['admin)(uid=*', '(uid=admin\\29\\28uid=\\2a)'],
    ['alice)(|(uid=*', '(uid=alice\\29\\28|\\28uid=\\2a)'],
    ['\\', '(uid=\\5c)'],
    ['\\2a', '(uid=\\5c2a)'],
    ['alice\u0000', '(uid=alice\\00)'],
    ['(uid=alice)', '(uid=\\28uid=alice\\29)'],
  ])('every RFC 4515 special is escaped: %j', (value, clause) => {
    const text = filter(value);
    expect(text).toBe(`(&(objectClass=inetOrgPerson)${clause})`);
    // exactly the two clauses we built: nothing typed opened or closed one
    expect(text.replace(/\\[0-9a-f]{2}/g, '').replace(/[^()]/g, '')).toBe('(()())');
  });

  test('attribute names from configuration are checked', () => {
    expect(isAttributeName('sAMAccountName')).toBe(true);
    expect(isAttributeName('1.2.840.113556.1.4.221')).toBe(true);
    expect(isAttributeName('uid)(objectClass=*')).toBe(false);
    expect(isAttributeName('')).toBe(false);
    const config = loadConfig({ DATABASE_URL: 'sqlite::memory:', LDAP_AUTH_URL: 'ldap://127.0.0.1:389' }).ldap;
    expect(() => assertLdapConfigUsable(config)).not.toThrow();
    expect(() => assertLdapConfigUsable({ ...config, objectClass: 'person)(uid=*' })).toThrow(/LDAP_AUTH_OBJECT_CLASS/);
    expect(() => assertLdapConfigUsable({ ...config, userFields: { username: 'uid*' } })).toThrow(/LDAP_AUTH_USER_FIELDS/);
  });
});

describe('attribute mapping (LDAP_AUTH_USER_FIELDS)', () => {
  const fields = { username: 'uid', first_name: 'givenName', last_name: 'sn', email: 'mail' };

  test('requested attributes: the mapped ones, both email spellings, memberOf', () => {
    expect(attributesToRequest(fields).sort()).toEqual(['email', 'givenName', 'mail', 'memberOf', 'sn', 'uid'].sort());
  });

  test('single and multiple values, case-insensitive names, Buffers ignored', () => {
    const profile = profileFromEntry(
      { dn: 'uid=alice,dc=x', UID: 'alice', givenname: ['Alice', 'Al'], sn: [], mail: Buffer.from([0xff]), memberOf: 'cn=g,dc=x' },
      fields,
    );
    expect(profile).toEqual({ username: 'alice', firstName: 'Alice', lastName: undefined, email: undefined, memberOf: ['cn=g,dc=x'] });
  });

  test('email=email and email=mail are both accepted', () => {
    const entry = { dn: 'uid=a,dc=x', uid: 'a', mail: 'a@example.com' };
    expect(profileFromEntry(entry, { ...fields, email: 'email' }).email).toBe('a@example.com');
    expect(profileFromEntry(entry, { ...fields, email: 'mail' }).email).toBe('a@example.com');
    expect(profileFromEntry({ dn: 'uid=a,dc=x', email: 'e@example.com', mail: 'm@example.com' }, { ...fields, email: 'email' }).email).toBe('e@example.com');
  });

  test('the default LDAP_AUTH_USER_FIELDS is username=uid,first_name=givenName,last_name=sn,email=mail', () => {
    expect(loadConfig({ DATABASE_URL: 'sqlite::memory:', LDAP_AUTH_URL: 'ldap://h' }).ldap.userFields).toEqual(fields);
  });
});

describe('DNs and LDAP_SYNCED_GROUPS', () => {
  test('parse, escape and normalise', () => {
    expect(parseDn('cn=Smith\\2C Carol (ops),ou=people,dc=example,dc=com')).toEqual([
      { type: 'cn', value: 'Smith, Carol (ops)' },
      { type: 'ou', value: 'people' },
      { type: 'dc', value: 'example' },
      { type: 'dc', value: 'com' },
    ]);
    expect(normaliseDn('CN=Flag Admins, OU=Groups,DC=Example,DC=com')).toBe('cn=flag admins,ou=groups,dc=example,dc=com');
    expect(dnEquals('cn=Smith\\, Carol,dc=x', 'CN=smith\\2c carol, DC=X')).toBe(true);
    expect(dnEquals('cn=a,dc=x', 'cn=b,dc=x')).toBe(false);
    expect(escapeDnValue(' lead and trail ')).toBe('\\ lead and trail\\ ');
    expect(() => parseDn('not a dn')).toThrow();
    expect(() => parseDn('cn=a,')).toThrow();
  });

  test('a mirrored group is named after the first RDN', () => {
    expect(firstRdnValue('cn=flag-admins,ou=groups,dc=example,dc=com')).toBe('flag-admins');
    expect(firstRdnValue('CN=Smith\\, Carol,dc=x')).toBe('Smith, Carol');
  });

  test('colon-separated (Flagsmith) and comma-separated lists; escaped commas never split; duplicates once', () => {
    expect(parseGroupDnList('cn=a,ou=groups,dc=example,dc=com:cn=b,ou=groups,dc=example,dc=com')).toEqual([
      'cn=a,ou=groups,dc=example,dc=com',
      'cn=b,ou=groups,dc=example,dc=com',
    ]);
    expect(parseGroupDnList('cn=a,ou=groups,dc=example,dc=com,cn=Smith\\, Carol,dc=example,dc=com')).toEqual([
      'cn=a,ou=groups,dc=example,dc=com',
      'cn=Smith\\, Carol,dc=example,dc=com',
    ]);
    expect(parseGroupDnList('cn=a,dc=x:CN=A, DC=X')).toEqual(['cn=a,dc=x']);
    expect(parseGroupDnList('  ')).toEqual([]);
    expect(() => parseGroupDnList('cn=a,dc=x:oops')).toThrow();
  });
});
