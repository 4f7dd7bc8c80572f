// Browser sessions of the admin UI: sign in (password today; other providers register a verifier), rotation on
// login, sign out, and what the UI needs to know about the session.
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
import type { LoginProvider } from '../config';
import * as sessions from '../store/repositories/sessions';
import { updateUser, type UserRecord } from '../store/repositories/users';
import type { RequestMeta, Store } from '../store/store';
import { describeUser, verifyPasswordLogin } from './users';

export interface SessionLoginInput {
  /** `password` (default) or another provider that registered a credential verifier (e.g. `ldap`). */
  provider?: string;
  email?: string;
  username?: string;
  password: string;
}

/** Checks a provider's credentials and answers the local user, or throws a ValidationError naming the field. */
export type CredentialVerifier = (store: Store, input: SessionLoginInput, meta: RequestMeta) => Promise<UserRecord>;

const verifiers = new Map<string, CredentialVerifier>([
  [
    'password',
    async (store, input, meta) => {
      if (!input.email) throw ValidationError.field('email', 'This field is required.');
      return verifyPasswordLogin(store, input.email, input.password, meta);
    },
  ],
]);

/** Lets a login provider (LDAP) sign users in through `POST /api/v1/auth/session/` with `{provider, username, password}`. */
export function registerCredentialVerifier(provider: string, verifier: CredentialVerifier): void {
  verifiers.set(provider, verifier);
}

export function hasCredentialVerifier(provider: string): boolean {
  return verifiers.has(provider);
}

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

export interface LoginPolicy {
  session: SessionPolicy;
  /** LOCK_LOGIN_TO: only this provider may sign in (instance superusers keep password login as a break-glass). */
  lockTo?: LoginProvider;
}

/** Signs in: verifies the credentials, ends the session the browser had (rotation), and creates a new one. */
export async function startSession(
  store: Store,
  input: SessionLoginInput,
  policy: LoginPolicy,
  meta: RequestMeta & { userAgent?: string },
  previousSecret?: string,
): Promise<StartedSession> {
  const provider = input.provider ?? 'password';
  const verifier = verifiers.get(provider);
  if (!verifier) throw ValidationError.field('provider', `Sign-in with "${provider}" is not available on this server.`);
  const user = await verifier(store, input, meta);
  if (policy.lockTo && policy.lockTo !== provider && !(provider === 'password' && user.isSuperuser)) {
    throw new ValidationError({ non_field_errors: [`Sign-in is restricted to ${policy.lockTo}.`] });
  }
  const now = new Date();
  const secret = newSessionSecret();
  const expiresAt = new Date(now.getTime() + policy.session.absoluteHours * 3_600_000);
  const actor: Actor = { type: 'user', userId: user.id, email: user.email, isSuperuser: user.isSuperuser };
  await store.write(actor, async (w) => {
    if (isWellFormedSecret(previousSecret)) await sessions.deleteSessionByHash(w.trx, sessionKeyHash(previousSecret));
    await sessions.deleteExpiredSessions(w.trx, now, new Date(now.getTime() - policy.session.idleMinutes * 60_000));
    await sessions.insertSession(w.trx, w.traits, { keyHash: sessionKeyHash(secret), userId: user.id, now, expiresAt, ip: meta.ip, userAgent: meta.userAgent });
    await updateUser(w.trx, user.id, { lastLoginAt: now });
    w.audit({ action: 'login', resourceType: 'user', resourceId: user.id, log: `Session login (${provider}): ${user.email}` });
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
