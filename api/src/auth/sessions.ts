// Browser sessions, the pure parts (AUTH-NOTES.md §5): an opaque 32-byte secret in an HttpOnly cookie, only its
// SHA-256 in the database; a CSRF token derived from the secret (so a token is bound to its session and cannot be
// planted by another site); cookie names, attributes and parsing.
import { createHmac, randomBytes } from 'node:crypto';
import { hashSecret } from './keys';

/**
 * Cookie names. `__Host-` cookies must be Secure, have Path=/ and no Domain, so neither plain http nor a sibling
 * subdomain can set or shadow them. Browsers accept Secure cookies from http://localhost and 127.0.0.1 too.
 * A deployment reached over plain http on another host cannot keep Secure cookies at all: there the cookies go
 * without the prefix and without Secure (docs/ui.md says to put TLS in front); an https request never reads those.
 */
export const SECURE_COOKIES = { session: '__Host-flagstack', csrf: '__Host-csrf' } as const;
export const PLAIN_COOKIES = { session: 'flagstack_session', csrf: 'flagstack_csrf' } as const;
export type CookieNames = typeof SECURE_COOKIES | typeof PLAIN_COOKIES;

/** The header the UI echoes the CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteHours: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMinutes: 60, absoluteHours: 12 };

/** A new session secret: 32 random bytes, base64url (43 characters). */
export function newSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sessionKeyHash(secret: string): string {
  return hashSecret(secret);
}

/** The CSRF token of a session: HMAC of a fixed label under the session secret. */
export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('flagstack-csrf-v1').digest('base64url');
}

/** A well-formed session secret: what newSessionSecret makes, nothing longer (bounds the work per request). */
export function isWellFormedSecret(value: string | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d+)?$/i;

/** Whether cookies for this request can be Secure: https, or a loopback host (browsers treat those as secure). */
export function canUseSecureCookies(protocol: string, host: string | undefined): boolean {
  return protocol === 'https' || (host !== undefined && LOOPBACK.test(host));
}

export function cookieNamesFor(protocol: string, host: string | undefined): CookieNames {
  return canUseSecureCookies(protocol, host) ? SECURE_COOKIES : PLAIN_COOKIES;
}

/** Parses a Cookie header; the first occurrence of a name wins (as browsers send the most specific first). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (!out.has(name)) out.set(name, value);
  }
  return out;
}

export interface CookieOptions {
  httpOnly: boolean;
  secure: boolean;
  /** Seconds; 0 deletes the cookie. Omitted: a browser-session cookie. */
  maxAge?: number;
}

/** Serialises one Set-Cookie value; always Path=/ and SameSite=Lax, never a Domain. */
export function serializeCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [`${name}=${value}`, 'Path=/', 'SameSite=Lax'];
  if (options.maxAge !== undefined) {
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAge))}`);
    if (options.maxAge <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  }
  if (options.httpOnly) parts.push('HttpOnly');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** The two cookies a login sets: the session (HttpOnly) and the CSRF token (readable by the UI's script). */
export function sessionCookies(names: CookieNames, secret: string, maxAgeSeconds: number): string[] {
  const secure = names === SECURE_COOKIES;
  return [
    serializeCookie(names.session, secret, { httpOnly: true, secure, maxAge: maxAgeSeconds }),
    serializeCookie(names.csrf, csrfTokenFor(secret), { httpOnly: false, secure, maxAge: maxAgeSeconds }),
  ];
}

/** Set-Cookie values that delete both cookies. */
export function clearedSessionCookies(names: CookieNames): string[] {
  const secure = names === SECURE_COOKIES;
  return [
    serializeCookie(names.session, '', { httpOnly: true, secure, maxAge: 0 }),
    serializeCookie(names.csrf, '', { httpOnly: false, secure, maxAge: 0 }),
  ];
}

/** When a session ends by inactivity, given when it was last seen. */
export function idleDeadline(lastSeenAt: Date, policy: SessionPolicy): Date {
  return new Date(lastSeenAt.getTime() + policy.idleMinutes * 60_000);
}

/** A session is live while neither its absolute expiry nor its idle deadline has passed. */
export function isSessionLive(session: { lastSeenAt: Date; expiresAt: Date }, policy: SessionPolicy, now: Date): boolean {
  return session.expiresAt > now && idleDeadline(session.lastSeenAt, policy) > now;
}

/**
 * Writes last_seen_at at most once a minute (or a quarter of the idle timeout, if shorter) per session, so reads do
 * not each cost a write; the idle timeout is therefore exact to within that interval.
 */
export function shouldTouchSession(session: { lastSeenAt: Date }, now: Date, policy: SessionPolicy): boolean {
  const interval = Math.min(60_000, (policy.idleMinutes * 60_000) / 4);
  return now.getTime() - session.lastSeenAt.getTime() >= interval;
}
