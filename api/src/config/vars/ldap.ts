// LDAP / Active Directory: the variables of Flagsmith's LDAP module (django-python3-ldap underneath), with its
// defaults. Function-valued Django settings are accepted in their dotted spellings and mapped to a choice.
import { checkLdapUrl } from '../formats';
import { envBoolean, envEnum, envInteger, envNumber, envString } from '../env-var';

/** Local user fields LDAP attributes can fill (Flagsmith's user model). */
export const LDAP_USER_FIELD_NAMES = ['username', 'first_name', 'last_name', 'email'] as const;
export type LdapUserFieldName = (typeof LDAP_USER_FIELD_NAMES)[number];

export const LDAP_FORMAT_USERNAME_VALUES = {
  openldap: 'django_python3_ldap.utils.format_username_openldap',
  active_directory: 'django_python3_ldap.utils.format_username_active_directory',
  active_directory_principal: 'django_python3_ldap.utils.format_username_active_directory_principal',
} as const;
export type LdapUsernameFormat = keyof typeof LDAP_FORMAT_USERNAME_VALUES;

export const LDAP_SYNC_USER_RELATIONS_VALUES = {
  none: 'django_python3_ldap.utils.sync_user_relations',
  sync_user_groups: 'custom_auth.ldap.sync_user_groups',
} as const;
export const LDAP_FORMAT_SEARCH_FILTERS_VALUES = {
  default: 'django_python3_ldap.utils.format_search_filters',
  login_group: 'custom_auth.ldap.login_group_search_filter',
} as const;
export const LDAP_CLEAN_USER_DATA_VALUES = { default: 'django_python3_ldap.utils.clean_user_data' } as const;

/** Also accept the short function name and Flagsmith EE's own module path for each dotted value. */
function aliasesOf<V extends string>(values: readonly V[]): Record<string, V> {
  const out: Record<string, V> = {};
  for (const v of values) {
    const fn = v.slice(v.lastIndexOf('.') + 1);
    out[fn] = v;
    out[`flagsmith_ldap.ldap.${fn}`] = v;
    out[`custom_auth.ldap.${fn}`] = v;
    out[`django_python3_ldap.utils.${fn}`] = v;
  }
  return out;
}

const formatUsername = Object.values(LDAP_FORMAT_USERNAME_VALUES);
const syncRelations = Object.values(LDAP_SYNC_USER_RELATIONS_VALUES);
const searchFilters = Object.values(LDAP_FORMAT_SEARCH_FILTERS_VALUES);
const cleanUserData = Object.values(LDAP_CLEAN_USER_DATA_VALUES);

export function checkLdapUserFields(raw: string): string | undefined {
  const expected = `expected field=attribute pairs separated by commas, fields among ${LDAP_USER_FIELD_NAMES.join(', ')}`;
  const pairs = raw.split(',').map((p) => p.split('='));
  const ok = pairs.every(
    ([k, v, ...rest]) =>
      rest.length === 0 && v !== undefined && v.trim() !== '' && (LDAP_USER_FIELD_NAMES as readonly string[]).includes(k.trim()),
  );
  return ok ? undefined : expected;
}

export const ldapVars = {
  LDAP_AUTH_URL: envString({
    description: 'LDAP server URL (ldap:// or ldaps://); setting it enables LDAP login.',
    group: 'ldap',
    configPath: 'ldap.url',
    check: checkLdapUrl,
  }),
  LDAP_AUTH_USE_TLS: envBoolean({
    description: 'Upgrade ldap:// connections with StartTLS.',
    group: 'ldap',
    configPath: 'ldap.useTls',
    default: false,
  }),
  LDAP_AUTH_SEARCH_BASE: envString({
    description: 'Base DN of user searches.',
    group: 'ldap',
    configPath: 'ldap.searchBase',
    default: 'ou=people,dc=example,dc=com',
  }),
  LDAP_AUTH_OBJECT_CLASS: envString({
    description: 'Object class of user entries (Active Directory: user).',
    group: 'ldap',
    configPath: 'ldap.objectClass',
    default: 'inetOrgPerson',
  }),
  LDAP_AUTH_USER_FIELDS: envString({
    description: `Local user field = LDAP attribute pairs, comma-separated (fields: ${LDAP_USER_FIELD_NAMES.join(', ')}; Active Directory: username=sAMAccountName).`,
    group: 'ldap',
    configPath: 'ldap.userFields',
    check: checkLdapUserFields,
    default: 'username=uid,first_name=givenName,last_name=sn,email=mail',
  }),
  LDAP_AUTH_USER_LOOKUP_FIELDS: envString({
    description: 'Comma-separated local fields that identify a user (each must appear in LDAP_AUTH_USER_FIELDS).',
    group: 'ldap',
    configPath: 'ldap.userLookupFields',
    default: 'username',
  }),
  LDAP_AUTH_CLEAN_USER_DATA: envEnum(cleanUserData, {
    description: 'Flagsmith compatibility: how LDAP attributes are cleaned (only the default is supported).',
    group: 'ldap',
    configPath: 'ldap.cleanUserData',
    aliases: aliasesOf(cleanUserData),
    default: LDAP_CLEAN_USER_DATA_VALUES.default,
  }),
  LDAP_AUTH_SYNC_USER_RELATIONS: envEnum(syncRelations, {
    description: `At login, ${LDAP_SYNC_USER_RELATIONS_VALUES.sync_user_groups} adds/removes the user in the groups of LDAP_SYNCED_GROUPS; the default does nothing.`,
    group: 'ldap',
    configPath: 'ldap.syncUserRelations',
    aliases: aliasesOf(syncRelations),
    default: LDAP_SYNC_USER_RELATIONS_VALUES.none,
  }),
  LDAP_AUTH_FORMAT_SEARCH_FILTERS: envEnum(searchFilters, {
    description: `${LDAP_FORMAT_SEARCH_FILTERS_VALUES.login_group} lets only members of LDAP_LOGIN_GROUP log in; the default filters on object class and username.`,
    group: 'ldap',
    configPath: 'ldap.formatSearchFilters',
    aliases: aliasesOf(searchFilters),
    default: LDAP_FORMAT_SEARCH_FILTERS_VALUES.default,
  }),
  LDAP_AUTH_FORMAT_USERNAME: envEnum(formatUsername, {
    description:
      'How the bind name is built: …_openldap uid=<user>,<search base>; …_active_directory DOMAIN\\<user>; …_active_directory_principal <user>@<domain>.',
    group: 'ldap',
    configPath: 'ldap.formatUsername',
    aliases: aliasesOf(formatUsername),
    default: LDAP_FORMAT_USERNAME_VALUES.openldap,
  }),
  LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN: envString({
    description: 'Active Directory domain: DOMAIN for DOMAIN\\user, or example.com for user@example.com.',
    group: 'ldap',
    configPath: 'ldap.activeDirectoryDomain',
  }),
  LDAP_AUTH_CONNECTION_USERNAME: envString({
    description: 'Bind DN/user for searches before the user bind (optional; anonymous otherwise).',
    group: 'ldap',
    configPath: 'ldap.connectionUsername',
  }),
  LDAP_AUTH_CONNECTION_PASSWORD: envString({
    description: 'Password of LDAP_AUTH_CONNECTION_USERNAME.',
    group: 'ldap',
    configPath: 'ldap.connectionPassword',
    secret: true,
  }),
  LDAP_AUTH_CONNECT_TIMEOUT: envNumber({
    description: 'Connect timeout (seconds).',
    group: 'ldap',
    configPath: 'ldap.connectTimeoutSeconds',
    exclusiveMinimum: 0,
    maximum: 600,
  }),
  LDAP_AUTH_RECEIVE_TIMEOUT: envNumber({
    description: 'Timeout of each LDAP operation (seconds).',
    group: 'ldap',
    configPath: 'ldap.receiveTimeoutSeconds',
    exclusiveMinimum: 0,
    maximum: 600,
  }),
  LDAP_DEFAULT_FLAGSMITH_ORGANISATION_ID: envInteger({
    description: 'Organisation that every user created by LDAP login joins.',
    group: 'ldap',
    configPath: 'ldap.defaultOrganisationId',
    minimum: 1,
  }),
  LDAP_SYNCED_GROUPS: envString({
    description:
      "Group DNs mirrored into flagstack groups: colon-separated as in Flagsmith, or comma-separated (split after each DN's last dc= component).",
    group: 'ldap',
    configPath: 'ldap.syncedGroups',
  }),
  LDAP_LOGIN_GROUP: envString({
    description: 'DN of the only group allowed to log in (with the login_group_search_filter setting).',
    group: 'ldap',
    configPath: 'ldap.loginGroup',
  }),
  LDAP_SYNC_USER_USERNAME: envString({
    description: 'Service account used by `flagstack sync-ldap-users-and-groups`.',
    group: 'ldap',
    configPath: 'ldap.syncUser.username',
  }),
  LDAP_SYNC_USER_PASSWORD: envString({
    description: 'Password of LDAP_SYNC_USER_USERNAME.',
    group: 'ldap',
    configPath: 'ldap.syncUser.password',
    secret: true,
  }),
};
