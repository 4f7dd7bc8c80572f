// Browser sessions of the admin UI: sign in (credentials, or a session opened by the SAML / OIDC callbacks), rotation
// on login, sign out, and what the UI needs to know about the session.
import type { Actor } from '../domain/actor';
import { UnauthenticatedError, ValidationError } from '../domain/errors';
import {
  csrfTokenFor,
  isSessionLive,
  isWellFormedSecret,
  newSessionSecret,
  sessionKeyHash,
  type SessionPolicy,
} from '../auth/sessions';
import * as sessions from '../store/repositories/sessions';
import { updateUser, type UserRecord } from '../store/repositories/users';
import type { RequestMeta, Store } from '../store/store';
import { describeUser } from './users';
import { verifyCredentials, type CredentialPolicy, type CredentialsInput } from './sign-in/credentials';
import { assertUserMayUse, type SignInMethod } from './sign-in/login-lock';

/** What `POST /api/v1/auth/session/` takes: the credentials of a password or LDAP sign-in. */
export type SessionLoginInput = CredentialsInput;

export { registerCredentialVerifier, hasCredentialVerifier } from './sign-in/credentials';

export interface SessionView {
  user: Awaited<ReturnType<typeof describeUser>>;
  csrf_token: string;
  /** Absolute expiry (ISO 8601). */
  expires_at: string;
  /** The session ends after this many seconds without a request. */
  idle_timeout_seconds: number;
}

export interface StartedSession {
  secret: string;
  view: SessionView;
  maxAgeSeconds: number;
}

export interface LoginPolicy extends CredentialPolicy {
  session: SessionPolicy;
}

/** Signs in with credentials: verifies them (lock, throttle), ends the browser's old session, creates a new one. */
export async function startSession(
  store: Store,
  input: SessionLoginInput,
  policy: LoginPolicy,
  meta: RequestMeta & { userAgent?: string },
  previousSecret?: string,
): Promise<StartedSession> {
  const { user, method } = await verifyCredentials(store, input, policy, meta);
  return openSession(store, user, method, policy, meta, previousSecret);
}

/**
 * Opens a browser session for a user some sign-in method has verified (credentials here; SAML and OIDC from their
 * callbacks): the login lock is checked against the verified user (break-glass), the session the browser had ends
 * (rotation against fixation), and the login is audited with its method.
 */
export async function openSession(
  store: Store,
  user: UserRecord,
  method: SignInMethod,
  policy: LoginPolicy,
  meta: RequestMeta & { userAgent?: string },
  previousSecret?: string,
): Promise<StartedSession> {
  const { breakGlass } = assertUserMayUse(method, policy.lockTo, user);
  const now = new Date();
  const secret = newSessionSecret();
  const expiresAt = new Date(now.getTime() + policy.session.absoluteHours * 3_600_000);
  const actor: Actor = { type: 'user', userId: user.id, email: user.email, isSuperuser: user.isSuperuser };
  await store.write(actor, async (w) => {
    if (isWellFormedSecret(previousSecret)) await sessions.deleteSessionByHash(w.trx, sessionKeyHash(previousSecret));
    await sessions.deleteExpiredSessions(w.trx, now, new Date(now.getTime() - policy.session.idleMinutes * 60_000));
    await sessions.insertSession(w.trx, w.traits, { keyHash: sessionKeyHash(secret), userId: user.id, now, expiresAt, ip: meta.ip, userAgent: meta.userAgent });
    await updateUser(w.trx, user.id, { lastLoginAt: now });
    w.audit({ action: 'login', resourceType: 'user', resourceId: user.id, log: `Session login (${method}${breakGlass ? ', break-glass' : ''}): ${user.email}` });
  }, meta);
  return {
    secret,
    maxAgeSeconds: Math.floor((expiresAt.getTime() - now.getTime()) / 1000),
    view: {
      user: await describeUser(store, actor),
      csrf_token: csrfTokenFor(secret),
      expires_at: expiresAt.toISOString(),
      idle_timeout_seconds: policy.session.idleMinutes * 60,
    },
  };
}

/** The session a secret names, if live: what `GET /api/v1/auth/session/` answers. */
export async function describeSession(store: Store, secret: string | undefined, policy: SessionPolicy): Promise<SessionView> {
  if (!isWellFormedSecret(secret)) throw new UnauthenticatedError('Not signed in.');
  const found = await sessions.findSessionByHash(store.db, sessionKeyHash(secret));
  const now = new Date();
  if (!found || !found.user.isActive || !isSessionLive(found, policy, now)) {
    throw new UnauthenticatedError('Your session has expired or was signed out; sign in again.');
  }
  const actor: Actor = { type: 'user', userId: found.user.id, email: found.user.email, isSuperuser: found.user.isSuperuser };
  return {
    user: await describeUser(store, actor),
    csrf_token: csrfTokenFor(secret),
    expires_at: found.expiresAt.toISOString(),
    idle_timeout_seconds: policy.idleMinutes * 60,
  };
}

/** Signs out: deletes the session (the cookies are cleared by the route). */
export async function endSession(store: Store, secret: string, meta: RequestMeta): Promise<void> {
  const found = await sessions.findSessionByHash(store.db, sessionKeyHash(secret));
  if (!found) return;
  const actor: Actor = { type: 'user', userId: found.user.id, email: found.user.email, isSuperuser: found.user.isSuperuser };
  await store.write(actor, async (w) => {
    await sessions.deleteSession(w.trx, found.id);
    w.audit({ action: 'logout', resourceType: 'user', resourceId: found.user.id, log: `Session logout: ${found.user.email}` });
  }, meta);
}
