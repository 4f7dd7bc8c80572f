// User accounts: the first admin, password login and the tokens it hands out, and who a request's credentials name.
import { SYSTEM_ACTOR, type Actor } from '../domain/actor';
import { ConflictError, UnauthenticatedError, ValidationError } from '../domain/errors';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../auth/passwords';
import { hashSecret } from '../auth/keys';
import { isSessionLive, sessionKeyHash, shouldTouchSession, type SessionPolicy } from '../auth/sessions';
import { deleteUserSessions, findSessionByHash, touchSession } from '../store/repositories/sessions';
import * as users from '../store/repositories/users';
import { findOrganisationApiKeyByHash } from '../store/repositories/organisation-api-keys';
import type { RequestMeta, Store } from '../store/store';

export interface CreateAdminResult {
  id: number;
  email: string;
  created: boolean;
}

/** Creates an instance administrator (or makes an existing account one, with the new password). */
export async function createAdmin(store: Store, email: string, password: string): Promise<CreateAdminResult> {
  const normalised = email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(normalised)) throw ValidationError.field('email', 'Enter a valid email address.');
  checkPasswordPolicy(password, normalised);
  const passwordHash = await hashPassword(password);
  const existing = await users.findUserByEmail(store.db, normalised);
  return store.write(SYSTEM_ACTOR, async (w) => {
    if (existing) {
      await users.updateUser(w.trx, existing.id, { passwordHash, isSuperuser: true, isActive: true });
      // A new password ends the browser sessions signed in with the old one (AUTH-NOTES.md §5).
      await deleteUserSessions(w.trx, existing.id);
      w.audit({ action: 'update', resourceType: 'user', resourceId: existing.id, log: `Instance admin updated: ${normalised}` });
      return { id: existing.id, email: normalised, created: false };
    }
    const id = await users.insertUser(w.trx, w.traits, { email: normalised, passwordHash, isSuperuser: true });
    w.audit({ action: 'create', resourceType: 'user', resourceId: id, log: `Instance admin created: ${normalised}` });
    return { id, email: normalised, created: true };
  });
}

/** On first start with ADMIN_EMAIL/ADMIN_PASSWORD: creates that admin when there are no users yet. */
export async function ensureFirstAdmin(store: Store, email?: string, password?: string): Promise<CreateAdminResult | null> {
  if (!email || !password) return null;
  if ((await users.countUsers(store.db)) > 0) return null;
  try {
    return await createAdmin(store, email, password);
  } catch (error) {
    // Two instances starting at once: the other one created it.
    if ((await users.countUsers(store.db)) > 0) return null;
    throw error;
  }
}

const LOGIN_FAILED = 'Unable to log in with provided credentials.';

/** The checks of a password login (shared by token and cookie-session login): the user, or 400 with one message. */
export async function verifyPasswordLogin(store: Store, email: string, password: string, meta: RequestMeta): Promise<users.UserRecord> {
  const user = await users.findUserByEmail(store.db, email.trim());
  const ok = await verifyPassword(user?.passwordHash, password);
  if (!user || !ok || !user.isActive) {
    await store.write(SYSTEM_ACTOR, async (w) => {
      w.audit({ action: 'login_failed', resourceType: 'user', resourceId: user?.id ?? null, log: `Failed password login for ${email.slice(0, 254)}` });
    }, meta);
    throw new ValidationError({ non_field_errors: [LOGIN_FAILED] });
  }
  return user;
}

/** Revokes the token a request carries (`POST /api/v1/auth/logout/`), audited when it named a user. */
export async function logout(store: Store, token: string, meta: RequestMeta = {}): Promise<void> {
  const user = await users.findUserByTokenHash(store.db, hashSecret(token));
  if (!user) return;
  const actor: Actor = { type: 'user', userId: user.id, email: user.email, isSuperuser: user.isSuperuser };
  await store.write(actor, async (w) => {
    await users.deleteApiToken(w.trx, hashSecret(token));
    w.audit({ action: 'logout', resourceType: 'user', resourceId: user.id, log: `Token logout: ${user.email}` });
  }, meta);
}

/** A browser session cookie's secret, with the instance's expiry policy. */
export interface SessionCredential {
  secret: string;
  policy: SessionPolicy;
}

/**
 * Resolves an `Authorization` header value to an actor, or throws 401. Without the header, a session cookie's
 * secret (when given) signs the request in; the caller then applies the CSRF check (http/admin-route.ts).
 */
export async function authenticate(store: Store, authorization: string | undefined, session?: SessionCredential): Promise<Actor> {
  if (!authorization && session) return authenticateSession(store, session);
  if (!authorization) throw new UnauthenticatedError();
  const space = authorization.indexOf(' ');
  const scheme = space > 0 ? authorization.slice(0, space).toLowerCase() : '';
  const credential = space > 0 ? authorization.slice(space + 1).trim() : '';
  if (!credential) throw new UnauthenticatedError('Invalid token header. No credentials provided.');
  if (scheme === 'token' || scheme === 'bearer') {
    const user = await users.findUserByTokenHash(store.db, hashSecret(credential));
    if (!user || !user.isActive) throw new UnauthenticatedError('Invalid token.');
    if (user.tokenExpiresAt && user.tokenExpiresAt <= new Date()) throw new UnauthenticatedError('Token has expired.');
    return { type: 'user', userId: user.id, email: user.email, isSuperuser: user.isSuperuser };
  }
  if (scheme === 'api-key') {
    const key = await findOrganisationApiKeyByHash(store.db, hashSecret(credential));
    if (!key || key.revoked) throw new UnauthenticatedError('Invalid API key.');
    if (key.expiresAt && key.expiresAt <= new Date()) throw new UnauthenticatedError('API key has expired.');
    return { type: 'api_key', keyId: key.id, organisationId: key.organisationId, isAdmin: key.isAdmin, name: key.name };
  }
  throw new UnauthenticatedError('Unsupported authorization scheme; use "Token <key>" or "Api-Key <key>".');
}

async function authenticateSession(store: Store, session: SessionCredential): Promise<Actor> {
  const now = new Date();
  const found = await findSessionByHash(store.db, sessionKeyHash(session.secret));
  if (!found || !isSessionLive(found, session.policy, now) || !found.user.isActive) {
    throw new UnauthenticatedError('Your session has expired or was signed out; sign in again.');
  }
  if (shouldTouchSession(found, now, session.policy)) await touchSession(store.db, found.id, now);
  return { type: 'user', userId: found.user.id, email: found.user.email, isSuperuser: found.user.isSuperuser };
}

export async function describeUser(store: Store, actor: Actor) {
  if (actor.type !== 'user') throw new ConflictError('Only users have a profile; this request used an API key.');
  const user = await users.findUserById(store.db, actor.userId);
  return {
    id: actor.userId,
    email: user?.email ?? actor.email,
    first_name: user?.firstName ?? '',
    last_name: user?.lastName ?? '',
    is_superuser: actor.isSuperuser,
    auth_type: user?.authProvider === 'password' ? 'EMAIL' : (user?.authProvider ?? 'EMAIL').toUpperCase(),
  };
}
