// The login name a person types, turned into what the directory needs: the name of a direct bind (django-python3-ldap's
// format_username_openldap / _active_directory / _active_directory_principal) and the attribute=value pair that finds
// the person's entry (the search after the bind, or the search before it with a service account). Pure functions.
import type { LdapUsernameFormat } from '../../config/vars/ldap';
import { escapeDnValue } from './dn';

export interface UsernameSettings {
  format: LdapUsernameFormat;
  /** The LDAP attribute LDAP_AUTH_USER_FIELDS maps `username` to (uid, sAMAccountName). */
  usernameAttribute: string;
  searchBase: string;
  /** LDAP_AUTH_ACTIVE_DIRECTORY_DOMAIN: `CORP` (DOMAIN\user) or `corp.example.com` (user@domain). */
  domain?: string;
}

/** A typed login name, understood. */
export interface LoginName {
  /** `DOMAIN\user` typed: the DOMAIN part; `user@domain` typed: the whole name is a user principal name. */
  kind: 'plain' | 'netbios' | 'principal';
  /** The account part (`alice` of `CORP\alice`), or the whole UPN. */
  account: string;
  /** As typed, trimmed. */
  typed: string;
}

/** Refusal of a name before any directory is asked. */
export class UnusableLoginName extends Error {}

/** Longest login name accepted (the session and token routes cap the body field at 254 too). */
export const MAX_LOGIN_NAME = 254;

/**
 * Reads a typed login name. Control characters (NUL included) are refused outright; leading and trailing spaces are
 * dropped. With an Active Directory format, `DOMAIN\user` is accepted only for the configured domain (or the first
 * label of a configured DNS domain: CORP for corp.example.com), and `user@domain` is taken as a user principal name.
 */
export function parseLoginName(typed: string, settings: UsernameSettings): LoginName {
  const name = typed.trim();
  if (name === '' || name.length > MAX_LOGIN_NAME) throw new UnusableLoginName('empty or too long');
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new UnusableLoginName('control characters');
  if (settings.format === 'openldap') return { kind: 'plain', account: name, typed: name };
  const slash = name.indexOf('\\');
  if (slash >= 0) {
    const domain = name.slice(0, slash);
    const account = name.slice(slash + 1);
    if (account === '' || account.includes('\\')) throw new UnusableLoginName('malformed DOMAIN\\user');
    if (!netbiosMatches(domain, settings.domain)) throw new UnusableLoginName(`unknown domain ${domain}`);
    return { kind: 'netbios', account, typed: name };
  }
  if (name.includes('@')) {
    const at = name.lastIndexOf('@');
    if (at === 0 || at === name.length - 1) throw new UnusableLoginName('malformed user@domain');
    return { kind: 'principal', account: name, typed: name };
  }
  return { kind: 'plain', account: name, typed: name };
}

function netbiosMatches(typedDomain: string, configured: string | undefined): boolean {
  if (!configured) return false;
  const want = typedDomain.toLowerCase();
  const domain = configured.toLowerCase();
  return want === domain || (domain.includes('.') && want === domain.split('.')[0]);
}

/**
 * The name a direct bind sends, as django-python3-ldap formats it:
 * openldap `<username attribute>=<user>,<search base>` (the value escaped per RFC 4514);
 * active_directory `DOMAIN\user` (or `user` with no domain); active_directory_principal `user@domain` (or `user`).
 * A name typed as `DOMAIN\user` or `user@domain` is sent as typed: it already says which account it means.
 */
export function bindNameFor(login: LoginName, settings: UsernameSettings): string {
  switch (settings.format) {
    case 'openldap':
      return `${settings.usernameAttribute}=${escapeDnValue(login.account)},${settings.searchBase}`;
    case 'active_directory':
      if (login.kind !== 'plain') return login.typed;
      return settings.domain ? `${settings.domain}\\${login.account}` : login.account;
    case 'active_directory_principal':
      if (login.kind !== 'plain') return login.typed;
      return settings.domain ? `${login.account}@${settings.domain}` : login.account;
  }
}

/** The attribute and value that find the person's entry. */
export interface EntryLookup {
  attribute: string;
  value: string;
}

/**
 * How the person's entry is found: by the username attribute (uid / sAMAccountName) with the account part, or by
 * `userPrincipalName` when a UPN was typed or the principal format makes one (`user@domain`).
 */
export function entryLookupFor(login: LoginName, settings: UsernameSettings): EntryLookup {
  if (settings.format === 'openldap') return { attribute: settings.usernameAttribute, value: login.account };
  if (login.kind === 'principal') return { attribute: 'userPrincipalName', value: login.account };
  if (settings.format === 'active_directory_principal' && settings.domain && login.kind === 'plain') {
    return { attribute: 'userPrincipalName', value: `${login.account}@${settings.domain}` };
  }
  return { attribute: settings.usernameAttribute, value: login.account };
}

/** Whether a configured account name (service / sync account) is a DN already, rather than a name to format. */
export function looksLikeDn(name: string): boolean {
  return /^\s*([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)*)\s*=/.test(name);
}
