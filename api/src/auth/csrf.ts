// CSRF defence for cookie-authenticated requests (AUTH-NOTES.md §5): an unsafe method must carry the session's CSRF
// token in X-CSRF-Token, equal to the CSRF cookie (double submit) and to the token derived from the session secret
// (so a cookie planted by another site does not help); and a browser's Origin (or Sec-Fetch-Site) must say the
// request comes from this site. Requests authenticated by an Authorization header never reach this check.
import { constantTimeEqual } from './keys';
import { csrfTokenFor, CSRF_HEADER } from './sessions';

export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class CsrfError extends Error {}

type Headers = Record<string, string | string[] | undefined>;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `scheme://host[:port]` in URL's canonical form (lower case, default port dropped), or undefined for "null"/garbage. */
function normaliseOrigin(value: string): string | undefined {
  try {
    const origin = new URL(value).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Checks that a browser request comes from an allowed origin: the origin the request was addressed to
 * (`<protocol>://<host>`) or one of `allowedOrigins` (the UI's origin when API_URL puts the API elsewhere).
 * A request without Origin is accepted only when Sec-Fetch-Site does not say cross-site.
 */
export function checkOrigin(headers: Headers, ownOrigin: string, allowedOrigins: readonly string[] = []): void {
  const origin = header(headers, 'origin');
  if (origin !== undefined) {
    const normalised = normaliseOrigin(origin);
    if (normalised !== undefined && [ownOrigin, ...allowedOrigins].some((o) => normaliseOrigin(o) === normalised)) return;
    throw new CsrfError(`Origin ${origin === 'null' ? '"null"' : origin} is not allowed to use this session.`);
  }
  const site = header(headers, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new CsrfError('Cross-site requests may not use this session.');
  }
}

/** The token check of an unsafe method; `cookieToken` is the CSRF cookie's value. */
export function checkCsrfToken(headers: Headers, sessionSecret: string, cookieToken: string | undefined): void {
  const sent = header(headers, CSRF_HEADER);
  if (!sent) throw new CsrfError('CSRF token missing: send the X-CSRF-Token header.');
  const expected = csrfTokenFor(sessionSecret);
  const matchesSession = constantTimeEqual(sent, expected);
  const matchesCookie = cookieToken !== undefined && constantTimeEqual(sent, cookieToken);
  if (!matchesSession || !matchesCookie) throw new CsrfError('CSRF token incorrect.');
}

/** The whole check for a cookie-authenticated request. */
export function checkCsrf(
  request: { method: string; headers: Headers; ownOrigin: string },
  sessionSecret: string,
  cookieToken: string | undefined,
  allowedOrigins: readonly string[] = [],
): void {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return;
  checkOrigin(request.headers, request.ownOrigin, allowedOrigins);
  checkCsrfToken(request.headers, sessionSecret, cookieToken);
}
