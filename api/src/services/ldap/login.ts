// Sign-in with an LDAP / Active Directory account (`{provider: "ldap", username, password}` on POST
// /api/v1/auth/login/ and /api/v1/auth/session/), configured by Flagsmith's LDAP_AUTH_* variables.
//
// The shared sign-in layer has already applied the login lock and the throttle (so no bind is made for a locked-out
// account, and flagstack cannot be used to trip the directory's own lockout). Here:
//   1. an empty password is refused before anything is sent (a DN with an empty password is an anonymous bind,
//      which Active Directory answers with success);
//   2. direct bind as the user, with the name LDAP_AUTH_FORMAT_USERNAME builds — or, with
//      LDAP_AUTH_CONNECTION_USERNAME, search-then-bind: the service account finds exactly one entry and the user binds
//      with the DN the server returned (the only way Active Directory names work against a plain LDAP server, and it
//      never builds a DN from user input);
//   3. the search `(&(objectClass=…)(<username attribute>=<name>)[(memberOf=<LDAP_LOGIN_GROUP>)])`, every value
//      escaped, sizeLimit 2 (two hits are refused as ambiguous);
//   4. the connection is unbound, then the local account is found, linked or created (signInExternalUser) and, with
//      LDAP_AUTH_SYNC_USER_RELATIONS=…sync_user_groups, its mirrored groups follow the entry's memberOf.
// Wrong credentials of any kind are one ValidationError (the throttle counts it); a directory that cannot be reached
// is a 503 that does not count against the user.
import type { Client } from 'ldapts';
import type { LdapConfig } from '../../config';
import { SYSTEM_ACTOR } from '../../domain/actor';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import {
  assertAttributeName,
  attributesToRequest,
  bindNameFor,
  entryLookupFor,
  looksLikeDn,
  parseLoginName,
  profileFromEntry,
  userFilter,
  UnusableLoginName,
  type DirectoryProfile,
  type LoginName,
  type UsernameSettings,
} from '../../auth/ldap';
import type { UserRecord } from '../../store/repositories/users';
import type { RequestMeta, Store } from '../../store/store';
import { registerCredentialVerifier, type CredentialsInput, type CredentialVerifier } from '../sign-in/credentials';
import { signInExternalUser } from '../sign-in/external-users';
import { isDirectoryAnswer, tryBind, unavailable, withDirectory, type LdapConnectOptions } from './connection';
import { syncGroupsOfUser } from './groups';

export const LOGIN_FAILED = 'Unable to log in with provided credentials.';

/** The one answer for every kind of wrong credentials: which part was wrong is not told. */
export function loginFailed(): ValidationError {
  return new ValidationError({ non_field_errors: [LOGIN_FAILED] });
}

export function usernameSettings(config: LdapConfig): UsernameSettings {
  return {
    format: config.formatUsername,
    usernameAttribute: config.userFields.username ?? 'uid',
    searchBase: config.searchBase,
    domain: config.activeDirectoryDomain,
  };
}

/** Whether the configuration is Active Directory's (AD username formats): disabled accounts are then left out. */
export function isActiveDirectory(config: LdapConfig): boolean {
  return config.formatUsername !== 'openldap';
}

/** Refuses configuration that would put something other than attribute names into filters. */
export function assertLdapConfigUsable(config: LdapConfig): void {
  if (!config.url) throw new Error('LDAP_AUTH_URL is unset');
  assertAttributeName(config.objectClass, 'LDAP_AUTH_OBJECT_CLASS');
  for (const [field, attribute] of Object.entries(config.userFields)) if (attribute) assertAttributeName(attribute, `LDAP_AUTH_USER_FIELDS (${field})`);
  if (!config.userFields.username) throw new Error('LDAP_AUTH_USER_FIELDS must map username (e.g. username=uid)');
}

/**
 * The bind name of a configured account (LDAP_AUTH_CONNECTION_USERNAME, LDAP_SYNC_USER_USERNAME): a DN is used as
 * given; a plain name is formatted like a login name (openldap: uid=<name>,<search base>; AD: DOMAIN\name or name@domain).
 */
export function serviceBindName(name: string, config: LdapConfig): string {
  if (looksLikeDn(name)) return name.trim();
  const settings = usernameSettings(config);
  return bindNameFor(parseLoginName(name, settings), settings);
}

export interface DirectoryUser extends DirectoryProfile {
  dn: string;
  /** The username attribute's value, lower-cased: the stable subject of the ldap identity link. */
  subject: string;
}

async function findEntries(client: Client, config: LdapConfig, login: LoginName): Promise<Array<{ dn: string } & Record<string, unknown>>> {
  const settings = usernameSettings(config);
  const filter = userFilter({
    objectClass: config.objectClass,
    lookup: entryLookupFor(login, settings),
    loginGroup: config.formatSearchFilters === 'login_group' ? config.loginGroup : undefined,
    excludeDisabled: isActiveDirectory(config),
  });
  try {
    const { searchEntries } = await client.search(config.searchBase, {
      scope: 'sub',
      filter,
      sizeLimit: 2,
      attributes: attributesToRequest(config.userFields),
    });
    return searchEntries;
  } catch (error) {
    // sizeLimitExceeded (4): more than one entry answers to this name — ambiguous, refused like a wrong password.
    if (isDirectoryAnswer(error) && error.code === 4) return [{ dn: '' }, { dn: '' }];
    throw unavailable(error, 'search');
  }
}

function toDirectoryUser(entry: { dn: string } & Record<string, unknown>, config: LdapConfig): DirectoryUser | undefined {
  const profile = profileFromEntry(entry, config.userFields);
  if (!profile.username) return undefined;
  return { ...profile, dn: entry.dn, subject: profile.username.toLowerCase() };
}

/**
 * Checks a username and password against the directory and answers the person's entry. Throws loginFailed() for
 * wrong credentials of any kind, ForbiddenError when a direct bind succeeded but the entry is not allowed to sign in
 * (not in LDAP_LOGIN_GROUP), DirectoryUnavailableError when the directory could not be asked.
 */
export async function authenticateWithDirectory(config: LdapConfig, username: string, password: string, connect: LdapConnectOptions = {}): Promise<DirectoryUser> {
  // Before any connection: nothing to send for these.
  if (password === '' || password.length > 1024) throw loginFailed();
  let login: LoginName;
  try {
    login = parseLoginName(username, usernameSettings(config));
  } catch (error) {
    if (error instanceof UnusableLoginName) throw loginFailed();
    throw error;
  }

  return withDirectory(config, connect, async (client) => {
    if (config.connectionUsername) {
      // Search-then-bind: the service account finds the entry; the user binds with the DN the server returned.
      if (!(await tryBind(client, serviceBindName(config.connectionUsername, config), config.connectionPassword ?? ''))) {
        throw unavailable(new Error('the directory refused LDAP_AUTH_CONNECTION_USERNAME / LDAP_AUTH_CONNECTION_PASSWORD'), 'service account bind');
      }
      const entries = await findEntries(client, config, login);
      if (entries.length !== 1) throw loginFailed();
      const user = toDirectoryUser(entries[0]!, config);
      if (!user || !(await tryBind(client, entries[0]!.dn, password))) throw loginFailed();
      return user;
    }
    // Direct bind with the formatted name, then the search as that user.
    if (!(await tryBind(client, bindNameFor(login, usernameSettings(config)), password))) throw loginFailed();
    const entries = await findEntries(client, config, login);
    if (entries.length > 1) throw loginFailed();
    const user = entries[0] && toDirectoryUser(entries[0], config);
    if (!user) {
      throw new ForbiddenError(
        config.formatSearchFilters === 'login_group'
          ? 'Your directory account is not a member of the group allowed to sign in to flagstack.'
          : 'Your directory account was not found under LDAP_AUTH_SEARCH_BASE with LDAP_AUTH_OBJECT_CLASS; ask an administrator.',
      );
    }
    return user;
  });
}

/** The whole LDAP sign-in: directory check, then the local account (created, linked, group-synced) in one transaction. */
export async function signInWithLdap(store: Store, config: LdapConfig, input: CredentialsInput, meta: RequestMeta, connect: LdapConnectOptions = {}): Promise<UserRecord> {
  const username = input.username ?? input.email;
  if (!username) throw ValidationError.field('username', 'This field is required.');
  let person: DirectoryUser;
  try {
    person = await authenticateWithDirectory(config, username, input.password, connect);
  } catch (error) {
    if (error instanceof ValidationError) {
      await store.write(SYSTEM_ACTOR, async (w) => {
        w.audit({ action: 'login_failed', resourceType: 'user', resourceId: null, log: `Failed LDAP login for ${JSON.stringify(username.slice(0, 200))}` });
      }, meta);
    }
    throw error;
  }
  return signInExternalUser(
    store,
    { method: 'ldap', subject: person.subject, email: person.email, emailVerified: true, firstName: person.firstName, lastName: person.lastName },
    {
      mayCreate: true,
      organisationId: config.defaultOrganisationId,
      afterLink: config.syncUserRelations === 'sync_user_groups' ? (w, user) => syncGroupsOfUser(w, config, user, person.memberOf) : undefined,
    },
    meta,
  );
}

interface Registration {
  config: LdapConfig;
  connect: LdapConnectOptions;
}

// The credential verifiers are one table per process; the LDAP configuration belongs to an app (its store), so that
// two apps in one process (tests, or an embedding application) each sign in against their own directory.
const registrations = new WeakMap<Store, Registration>();

const verifyLdapCredentials: CredentialVerifier = async (store, input, meta) => {
  const registration = registrations.get(store);
  if (!registration) throw ValidationError.field('provider', 'Sign-in with "ldap" is not available on this server.');
  return signInWithLdap(store, registration.config, input, meta, registration.connect);
};

/** Turns LDAP sign-in on for the app that uses `store` (http/app.ts calls this when LDAP_AUTH_URL is set). */
export function enableLdapLogin(store: Store, config: LdapConfig, connect: LdapConnectOptions = {}): void {
  assertLdapConfigUsable(config);
  registrations.set(store, { config, connect });
  registerCredentialVerifier('ldap', verifyLdapCredentials);
}
