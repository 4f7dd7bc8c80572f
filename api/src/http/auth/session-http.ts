// The HTTP side of cookie sessions: which cookies a request carries, the instance's session policy, and the CSRF
// check that every unsafe cookie-authenticated admin request passes (http/admin-route.ts).
import type { FastifyRequest } from 'fastify';
import { ForbiddenError } from '../../domain/errors';
import { checkCsrf, checkOrigin, CsrfError } from '../../auth/csrf';
import { cookieNamesFor, DEFAULT_SESSION_POLICY, isWellFormedSecret, parseCookies, type CookieNames, type SessionPolicy } from '../../auth/sessions';
import type { LoginPolicy } from '../../services/sessions';
import { DEFAULT_THROTTLE_POLICY } from '../../services/sign-in/throttle';
import type { AppDependencies } from '../dependencies';

export interface RequestSession {
  /** The session cookie's value (well-formed; not yet looked up). */
  secret: string;
  /** The CSRF cookie's value. */
  csrfCookie: string | undefined;
  names: CookieNames;
}

export function cookieNamesOf(req: FastifyRequest): CookieNames {
  return cookieNamesFor(req.protocol, req.host);
}

/** The session cookie of a request, if it carries a well-formed one under the name this request's scheme uses. */
export function readRequestSession(req: FastifyRequest): RequestSession | undefined {
  const names = cookieNamesOf(req);
  const cookies = parseCookies(req.headers.cookie);
  const secret = cookies.get(names.session);
  if (!isWellFormedSecret(secret)) return undefined;
  return { secret, csrfCookie: cookies.get(names.csrf), names };
}

export function sessionPolicyOf(deps: AppDependencies): SessionPolicy {
  const auth = deps.config?.auth;
  return auth ? { idleMinutes: auth.sessionIdleMinutes, absoluteHours: auth.sessionAbsoluteHours } : DEFAULT_SESSION_POLICY;
}

export function loginPolicyOf(deps: AppDependencies): LoginPolicy {
  const auth = deps.config?.auth;
  return { session: sessionPolicyOf(deps), lockTo: auth?.lockLoginToProvider, throttle: auth?.throttle ?? DEFAULT_THROTTLE_POLICY };
}

/** Origins besides the request's own that may use a session: the origin of API_URL when it is set. */
export function extraOrigins(deps: AppDependencies): string[] {
  const apiUrl = deps.config?.ui.apiUrl;
  if (!apiUrl) return [];
  try {
    return [new URL(apiUrl).origin];
  } catch {
    return [];
  }
}

function ownOrigin(req: FastifyRequest): string {
  return `${req.protocol}://${req.host}`;
}

/** 403 unless an unsafe cookie-authenticated request carries the session's CSRF token and comes from this site. */
export function enforceCsrf(req: FastifyRequest, session: RequestSession, deps: AppDependencies): void {
  try {
    checkCsrf({ method: req.method, headers: req.headers, ownOrigin: ownOrigin(req) }, session.secret, session.csrfCookie, extraOrigins(deps));
  } catch (error) {
    if (error instanceof CsrfError) throw new ForbiddenError(error.message);
    throw error;
  }
}

/** 403 when a browser says the request comes from another site (login has no session, hence no token, yet). */
export function enforceOrigin(req: FastifyRequest, deps: AppDependencies): void {
  try {
    checkOrigin(req.headers, ownOrigin(req), extraOrigins(deps));
  } catch (error) {
    if (error instanceof CsrfError) throw new ForbiddenError(error.message);
    throw error;
  }
}
