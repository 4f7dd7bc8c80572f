// LDAP attributes → the local user's fields, per LDAP_AUTH_USER_FIELDS (`username=uid,first_name=givenName,…`).
// Entries come from ldapts: single values as strings, several as arrays, absent ones as [], values that are not UTF-8
// as Buffers (ignored here: no user field is binary). Attribute names are matched case-insensitively, as servers may
// answer `mail` for a request of `MAIL`.
import type { LdapUserFieldName } from '../../config/vars/ldap';

export type UserFieldMap = Partial<Record<LdapUserFieldName, string>>;

export interface DirectoryProfile {
  /** The username attribute's value, as the directory spells it. */
  username?: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** DNs of the groups the entry is a direct member of (`memberOf`). */
  memberOf: string[];
}

type EntryLike = { dn: string } & Record<string, unknown>;

/** `email=email` and `email=mail` are both accepted: whichever is configured is read first, the other as a fallback. */
const EMAIL_ALIASES = ['mail', 'email'];

function emailAttributes(configured: string): string[] {
  return EMAIL_ALIASES.includes(configured.toLowerCase()) ? [configured, ...EMAIL_ALIASES.filter((a) => a !== configured.toLowerCase())] : [configured];
}

/** The attributes a user search asks for: every mapped one, the email fallback, and memberOf. */
export function attributesToRequest(fields: UserFieldMap): string[] {
  const out = new Set<string>();
  for (const [field, attribute] of Object.entries(fields)) {
    if (!attribute) continue;
    if (field === 'email') emailAttributes(attribute).forEach((a) => out.add(a));
    else out.add(attribute);
  }
  out.add('memberOf');
  return [...out];
}

function values(entry: EntryLike, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  if (key === undefined || key === 'dn') return [];
  const raw = entry[key];
  const list = Array.isArray(raw) ? raw : [raw];
  return list.filter((v): v is string => typeof v === 'string');
}

function first(entry: EntryLike, attributes: string[]): string | undefined {
  for (const attribute of attributes) {
    const value = values(entry, attribute).map((v) => v.trim()).find((v) => v !== '');
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Reads the mapped fields of a search entry. */
export function profileFromEntry(entry: EntryLike, fields: UserFieldMap): DirectoryProfile {
  return {
    username: fields.username ? first(entry, [fields.username]) : undefined,
    email: fields.email ? first(entry, emailAttributes(fields.email)) : undefined,
    firstName: fields.first_name ? first(entry, [fields.first_name]) : undefined,
    lastName: fields.last_name ? first(entry, [fields.last_name]) : undefined,
    memberOf: values(entry, 'memberOf'),
  };
}
