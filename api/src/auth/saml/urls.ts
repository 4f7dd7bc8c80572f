// The service provider's URLs for one configuration. The configuration's name is in each of them, and the entity ID
// is the metadata URL (what Flagsmith does, and what IdPs expect to be able to fetch).
export interface SpUrls {
  entityId: string;
  metadataUrl: string;
  requestUrl: string;
  acsUrl: string;
}

/** Path segments of their own under /api/v1/auth/saml/, which therefore cannot name a configuration. */
export const RESERVED_SAML_NAMES: readonly string[] = ['configuration', 'attribute-mapping', 'login'];

/** `base`: the API's public origin, e.g. https://flags.example.com (no trailing slash). */
export function spUrls(base: string, name: string): SpUrls {
  const root = `${base.replace(/\/+$/, '')}/api/v1/auth/saml/${encodeURIComponent(name)}`;
  return { entityId: `${root}/metadata/`, metadataUrl: `${root}/metadata/`, requestUrl: `${root}/request/`, acsUrl: `${root}/response/` };
}

/**
 * The API's public origin for SAML URLs. API_URL, when set, wins: the Host header is the client's to choose, and the
 * audience and ACS URL every response is checked against must not be. Otherwise the request's own scheme and host,
 * with https forced by SAML_FORCE_SSL (TLS ending at a proxy that does not say so).
 */
export function publicBase(request: { protocol: string; host: string }, options: { apiUrl?: string; forceSsl: boolean }): string {
  if (options.apiUrl) {
    const url = new URL(options.apiUrl);
    if (options.forceSsl) url.protocol = 'https:';
    return url.origin;
  }
  return `${options.forceSsl ? 'https' : request.protocol}://${request.host}`;
}

/**
 * A relative path to continue to after sign-in, or undefined: RelayState comes from the browser (and in IdP-initiated
 * sign-in from whoever made the form), so only a path on the dashboard is ever followed — never `//host`, a scheme,
 * or a backslash that some browsers read as a slash.
 */
export function safeRelativePath(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) return undefined;
  if (!value.startsWith('/') || value.startsWith('//') || /[\\\s\u0000-\u001f]/.test(value)) return undefined;
  try {
    const resolved = new URL(value, 'https://relay.invalid');
    if (resolved.origin !== 'https://relay.invalid') return undefined;
    return resolved.pathname + resolved.search + resolved.hash;
  } catch {
    return undefined;
  }
}

/** Where the browser goes after sign-in: the configuration's frontend URL, and the relative path below it if one was kept. */
export function afterLoginUrl(frontendUrl: string, relative: string | undefined): string {
  if (!relative) return frontendUrl;
  const base = new URL(frontendUrl);
  return new URL(relative, base.origin).toString();
}
