// Who signed in, from a validated assertion: the stable subject and the attributes flagstack keeps. Defaults follow
// Flagsmith (AUTH-NOTES.md §1.4) plus the claim URIs Entra ID and AD FS send; a mapping row for a field replaces the
// defaults of that field entirely, so an administrator's choice is never second-guessed.
export type LocalField = 'email' | 'first_name' | 'last_name' | 'groups';
export const LOCAL_FIELDS: readonly LocalField[] = ['email', 'first_name', 'last_name', 'groups'];

const DEFAULTS: Record<LocalField, string[]> = {
  email: ['mail', 'email', 'emailAddress', 'urn:oid:0.9.2342.19200300.100.1.3', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress'],
  first_name: ['gn', 'givenName', 'urn:oid:2.5.4.42', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname'],
  last_name: ['sn', 'surname', 'urn:oid:2.5.4.4', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname'],
  groups: ['groups', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'],
};
const SUBJECT_ATTRIBUTES = ['urn:oasis:names:tc:SAML:attribute:subject-id', 'subject-id', 'uid', 'urn:oid:0.9.2342.19200300.100.1.1'];
const DISPLAY_NAME = ['displayName', 'urn:oid:2.16.840.1.113730.3.1.241', 'http://schemas.microsoft.com/identity/claims/displayname'];
const EMAIL_SHAPE = /^[^@\s]+@[^@\s]+$/;

export interface AssertedUser {
  subject: string;
  email?: string;
  firstName?: string;
  lastName?: string;
  /** The groups claim; empty when the IdP sent none (group sync then removes every mapped membership). */
  groups: string[];
}

/** What node-saml's profile carries that we read. */
export interface ProfileLike {
  nameID?: string;
  attributes?: Record<string, unknown>;
}

/** String values of an attribute (multi-valued attributes are arrays; values with child elements are not strings). */
function valuesOf(attributes: Record<string, unknown>, name: string): string[] {
  const raw = attributes[name];
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.filter((v): v is string => typeof v === 'string').map((v) => v.trim()).filter((v) => v.length > 0);
}

function first(attributes: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    const [value] = valuesOf(attributes, name);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function assertedUser(profile: ProfileLike, mappings: ReadonlyArray<{ localField: string; idpAttribute: string }>): AssertedUser {
  const attributes = profile.attributes ?? {};
  const names = (field: LocalField) => {
    const mapped = mappings.find((m) => m.localField === field);
    return mapped ? [mapped.idpAttribute] : DEFAULTS[field];
  };
  const nameId = profile.nameID?.trim();
  const subject = first(attributes, SUBJECT_ATTRIBUTES) ?? nameId ?? '';
  let email = first(attributes, names('email'));
  // Many IdPs send the email only as the NameID (Okta's and Google's default format).
  if (email === undefined && nameId && EMAIL_SHAPE.test(nameId)) email = nameId;
  let firstName = first(attributes, names('first_name'));
  let lastName = first(attributes, names('last_name'));
  const display = first(attributes, DISPLAY_NAME);
  if (display && firstName === undefined && lastName === undefined) {
    const [given, ...rest] = display.split(/\s+/);
    firstName = given;
    lastName = rest.join(' ') || undefined;
  }
  const groups = [...new Set(names('groups').flatMap((name) => valuesOf(attributes, name)))];
  return { subject, email, firstName, lastName, groups };
}
