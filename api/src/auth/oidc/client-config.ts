// The pure side of OIDC/OAuth login (no I/O): which provider names are allowed, what an issuer may be, where GitHub's
// endpoints are, the redirect URI of a provider, and which return paths a login may end on.

export type ProviderKind = 'oidc' | 'github';

/** Names of the providers configured by environment variables (OIDC_<NAME>_*); a database provider cannot take them. */
export const ENV_PROVIDER_NAMES = ['okta', 'adfs', 'azure_ad', 'google', 'github'] as const;

/** `providers` is the admin path segment (/api/v1/auth/oidc/providers/), so no provider may be called that. */
const RESERVED = new Set<string>([...ENV_PROVIDER_NAMES, 'providers']);

/** Lower-case letters, digits, `-` and `_`, 1–50 characters, starting with a letter or digit: safe in a URL path. */
export const PROVIDER_NAME = /^[a-z0-9][a-z0-9_-]{0,49}$/;

export function isProviderName(name: string): boolean {
  return PROVIDER_NAME.test(name);
}

export function isReservedProviderName(name: string): boolean {
  return RESERVED.has(name);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackUrl(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname);
}

/**
 * Why an issuer (or GitHub base URL) is unusable, or undefined: https only (http is accepted for loopback hosts,
 * where development and test providers run), no credentials, query or fragment.
 */
export function issuerProblem(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'Enter an absolute https:// URL.';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url))) return 'The issuer must use https (http only on localhost).';
  if (url.username || url.password) return 'The issuer URL must not carry credentials.';
  if (url.search || url.hash) return 'The issuer URL must not have a query or fragment.';
  return undefined;
}

/** Entra ID's multi-tenant endpoints publish a `{tenantid}` placeholder issuer: any tenant's users would get in. */
export function entraTenantProblem(issuer: string): string | undefined {
  const url = new URL(issuer);
  if (url.hostname !== 'login.microsoftonline.com') return undefined;
  const tenant = url.pathname.split('/').filter(Boolean)[0]?.toLowerCase();
  if (!tenant || ['common', 'organizations', 'consumers'].includes(tenant)) {
    return 'Use your tenant issuer, https://login.microsoftonline.com/<tenant id>/v2.0, not common/organizations/consumers.';
  }
  return undefined;
}

export interface GithubEndpoints {
  authorize: string;
  token: string;
  /** REST API root, without a trailing slash. */
  api: string;
}

/** github.com, or a GitHub Enterprise Server at `base` (its REST API lives under /api/v3). */
export function githubEndpoints(base: string): GithubEndpoints {
  const url = new URL(base);
  const root = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  if (url.hostname === 'github.com') {
    return { authorize: 'https://github.com/login/oauth/authorize', token: 'https://github.com/login/oauth/access_token', api: 'https://api.github.com' };
  }
  return { authorize: `${root}/login/oauth/authorize`, token: `${root}/login/oauth/access_token`, api: `${root}/api/v3` };
}

export function loginPath(name: string): string {
  return `/api/v1/auth/oidc/${name}/login/`;
}

export function callbackPath(name: string): string {
  return `/api/v1/auth/oidc/${name}/callback/`;
}

/** The redirect URI to register at the provider: this API's origin + the callback path. */
export function redirectUriFor(origin: string, name: string): string {
  return `${origin.replace(/\/+$/, '')}${callbackPath(name)}`;
}

/**
 * Where a finished login may send the browser: a path on this site only. Anything else — absolute URLs,
 * scheme-relative `//host`, backslashes browsers read as slashes, control characters — falls back to `/`.
 */
export function safeReturnPath(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0 || raw.length > 500) return '/';
  if (!raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
  if (/[\u0000-\u001f\u007f\s]/.test(raw)) return '/';
  try {
    const url = new URL(raw, 'http://flagstack.invalid');
    if (url.origin !== 'http://flagstack.invalid') return '/';
    return url.pathname + url.search + url.hash;
  } catch {
    return '/';
  }
}

/** Scope tokens (RFC 6749 §3.3); the `openid` scope is what makes a provider answer with an ID token. */
export const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,100}$/;

export function normaliseScopes(kind: ProviderKind, scopes: readonly string[]): string[] {
  const unique = [...new Set(scopes.map((s) => s.trim()).filter(Boolean))];
  if (kind === 'oidc' && !unique.includes('openid')) unique.unshift('openid');
  return unique;
}

export const DEFAULT_SCOPES: Record<ProviderKind, string[]> = {
  oidc: ['openid', 'email', 'profile'],
  github: ['read:user', 'user:email'],
};
