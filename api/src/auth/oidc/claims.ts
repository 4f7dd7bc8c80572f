// From what a provider says about a person to the profile flagstack signs in: claim names are configurable per provider
// (Entra ID and AD FS use other names than Okta and Google), and an email counts as verified only when the provider
// says so (AUTH-NOTES.md §1.8): `email_verified` true (or "true", as some providers send it), or Entra ID's
// `xms_edov` (email domain owner verified) when the token has no `email_verified`.

export interface ClaimMapping {
  email: string;
  firstName: string;
  lastName: string;
  /** Unset: group claims are ignored. */
  groups?: string | null;
}

export const DEFAULT_CLAIMS: Required<ClaimMapping> = { email: 'email', firstName: 'given_name', lastName: 'family_name', groups: null };

export interface MappedProfile {
  subject: string;
  email?: string;
  emailVerified: boolean;
  firstName?: string;
  lastName?: string;
  /** Present when the mapping names a groups claim and the provider sent it. */
  groups?: string[];
}

/** A claim by name; a dotted name reaches into objects (`realm_access.roles`) when no claim has the literal name. */
function claim(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function text(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, max);
}

function truthy(value: unknown): boolean {
  return value === true || value === 'true' || value === 'True' || value === 1 || value === '1';
}

export function isEmailVerified(claims: Record<string, unknown>): boolean {
  if ('email_verified' in claims) return truthy(claims.email_verified);
  return truthy(claims.xms_edov);
}

export function mapOidcClaims(claims: Record<string, unknown>, mapping: ClaimMapping): MappedProfile {
  const subject = typeof claims.sub === 'string' ? claims.sub : '';
  const email = text(claim(claims, mapping.email), 254);
  const profile: MappedProfile = {
    subject,
    email,
    emailVerified: email !== undefined && isEmailVerified(claims),
    firstName: text(claim(claims, mapping.firstName), 150),
    lastName: text(claim(claims, mapping.lastName), 150),
  };
  if (mapping.groups) {
    const raw = claim(claims, mapping.groups);
    const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : undefined;
    if (list) profile.groups = list.filter((g): g is string => typeof g === 'string' && g.length > 0 && g.length <= 200).slice(0, 500);
  }
  return profile;
}

export interface GithubUser {
  id?: unknown;
  login?: unknown;
  name?: unknown;
}

export interface GithubEmail {
  email?: unknown;
  primary?: unknown;
  verified?: unknown;
}

/**
 * GitHub (OAuth2, no ID token): the numeric user id is the subject (logins can be renamed); the email is the one that
 * is primary AND verified (GET /user/emails). A primary address that is not verified is passed on as unverified, so
 * it is never used to link an existing account.
 */
export function mapGithubProfile(user: GithubUser, emails: readonly GithubEmail[]): MappedProfile {
  const id = typeof user.id === 'number' || (typeof user.id === 'string' && /^\d+$/.test(user.id)) ? String(user.id) : '';
  const primary = emails.find((e) => e.primary === true && typeof e.email === 'string');
  const email = primary ? text(primary.email, 254) : undefined;
  const name = text(user.name, 300);
  const [first, ...rest] = name ? name.split(/\s+/) : [];
  return {
    subject: id,
    email,
    emailVerified: email !== undefined && primary?.verified === true,
    firstName: first?.slice(0, 150),
    lastName: rest.length > 0 ? rest.join(' ').slice(0, 150) : undefined,
  };
}
