// Search filters from user input. Every value goes through ldapts's EqualityFilter, which escapes all RFC 4515
// specials — `*` included (django-python3-ldap lets `*` through, AUTH-NOTES.md §1.5) — so a login name can neither
// widen a search (`*`, `admin)(uid=*`) nor break out of its clause. Attribute names come from configuration, never
// from users, and are checked to be attribute descriptions before they reach a filter.
import type { ExtensibleFilter, Filter } from 'ldapts';
import { ldapts } from '../libraries';
import type { EntryLookup } from './username';

const ATTRIBUTE = /^([A-Za-z][A-Za-z0-9-]*|\d+(\.\d+)+)(;[A-Za-z0-9-]+)*$/;

/** Whether `name` is an LDAP attribute description (name or OID, options allowed). */
export function isAttributeName(name: string): boolean {
  return ATTRIBUTE.test(name);
}

/** Throws with the variable's name when a configured attribute or object class is not a plain name. */
export function assertAttributeName(name: string, variable: string): void {
  if (!isAttributeName(name)) throw new Error(`${variable}: ${JSON.stringify(name)} is not an LDAP attribute name`);
}

/** Active Directory's "account disabled" bit (userAccountControl & 2), by the bitwise-AND matching rule. */
export function adAccountDisabled(): ExtensibleFilter {
  return new (ldapts().ExtensibleFilter)({ matchType: 'userAccountControl', rule: '1.2.840.113556.1.4.803', value: '2' });
}

export interface UserFilterOptions {
  objectClass: string;
  lookup: EntryLookup;
  /** LDAP_LOGIN_GROUP with the login-group filter: only its members match. */
  loginGroup?: string;
  /** Active Directory: leave out disabled accounts. */
  excludeDisabled?: boolean;
}

/** `(&(objectClass=…)(<attribute>=<value>)[(memberOf=<login group>)][(!(userAccountControl:…:=2))])`, every value escaped. */
export function userFilter(options: UserFilterOptions): Filter {
  const { AndFilter, EqualityFilter, NotFilter } = ldapts();
  const filters: Filter[] = [
    new EqualityFilter({ attribute: 'objectClass', value: options.objectClass }),
    new EqualityFilter({ attribute: options.lookup.attribute, value: options.lookup.value }),
  ];
  if (options.loginGroup !== undefined) filters.push(new EqualityFilter({ attribute: 'memberOf', value: options.loginGroup }));
  if (options.excludeDisabled) filters.push(new NotFilter({ filter: adAccountDisabled() }));
  return new AndFilter({ filters });
}

/** Every user entry: `(&(objectClass=…)(<username attribute>=*))` (the sync's directory listing). */
export function allUsersFilter(objectClass: string, usernameAttribute: string): Filter {
  const { AndFilter, EqualityFilter, PresenceFilter } = ldapts();
  return new AndFilter({
    filters: [new EqualityFilter({ attribute: 'objectClass', value: objectClass }), new PresenceFilter({ attribute: usernameAttribute })],
  });
}
