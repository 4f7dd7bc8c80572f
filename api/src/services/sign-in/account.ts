// A user's own account: self-service signup (only when ALLOW_SIGNUP is on and no login lock points elsewhere),
// password change, and revocation of every token and session — by the user, or by an instance admin for anyone.
import type { Actor } from '../../domain/actor';
import { SYSTEM_ACTOR } from '../../domain/actor';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain/errors';
import { hashSecret, newUserToken } from '../../auth/keys';
import { checkPasswordPolicy, hashPassword, verifyPassword } from '../../auth/passwords';
import type { LoginProvider } from '../../config';
import { deleteOtherUserSessions } from '../../store/repositories/sessions';
import * as users from '../../store/repositories/users';
import type { RequestMeta, Store } from '../../store/store';
import { signupAllowed } from './login-lock';

export interface SignupInput {
  email: string;
  password: string;
  first_name?: string;
  last_name?: string;
}

export interface SignupPolicy {
  allowSignup: boolean;
  lockTo?: LoginProvider;
  tokenTtlHours?: number;
}

/** Creates a password account and answers it with a token, as Flagsmith's signup does; 403 when signup is off. */
export async function signUp(store: Store, input: SignupInput, policy: SignupPolicy, meta: RequestMeta) {
  if (!signupAllowed(policy.allowSignup, policy.lockTo)) {
    throw new ForbiddenError('Signup is disabled on this server; ask an administrator to add you to an organisation.');
  }
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+$/.test(email)) throw ValidationError.field('email', 'Enter a valid email address.');
  checkPasswordPolicy(input.password, email);
  const passwordHash = await hashPassword(input.password);
  const key = newUserToken();
  const expiresAt = policy.tokenTtlHours ? new Date(Date.now() + policy.tokenTtlHours * 3_600_000) : null;
  return store.write(SYSTEM_ACTOR, async (w) => {
    // One answer whether or not the address is taken would hide which accounts exist, but a signup form that
    // silently does nothing is worse for people; the throttle limits how fast addresses can be probed.
    if (await users.findUserByEmail(w.trx, email)) throw ValidationError.field('email', 'An account with this email already exists.');
    const id = await users.insertUser(w.trx, w.traits, { email, passwordHash, firstName: input.first_name, lastName: input.last_name });
    await users.insertApiToken(w.trx, w.traits, id, hashSecret(key), expiresAt);
    w.audit({ action: 'create', resourceType: 'user', resourceId: id, log: `Signup: ${email}` });
    return { id, email, first_name: input.first_name ?? '', last_name: input.last_name ?? '', key };
  }, meta);
}

/** The credential a request authenticated with, so revocations can spare it. */
export interface CurrentCredential {
  tokenHash?: string;
  sessionHash?: string;
}

/**
 * Changes the password after checking the current one; every other token and session of the user ends (the
 * request's own credential stays, so the person is not signed out mid-action).
 */
export async function changePassword(
  store: Store,
  actor: Actor,
  input: { current_password: string; new_password: string },
  current: CurrentCredential,
  meta: RequestMeta,
): Promise<void> {
  if (actor.type !== 'user') throw new ConflictError('Only users have a password; this request used an API key.');
  const user = await users.findUserById(store.db, actor.userId);
  if (!user) throw new NotFoundError('user', actor.userId);
  if (!user.passwordHash) throw ValidationError.field('current_password', 'This account signs in through its identity provider and has no password here.');
  if (!(await verifyPassword(user.passwordHash, input.current_password))) throw ValidationError.field('current_password', 'Incorrect password.');
  checkPasswordPolicy(input.new_password, user.email, 'new_password');
  const passwordHash = await hashPassword(input.new_password);
  await store.write(actor, async (w) => {
    await users.updateUser(w.trx, user.id, { passwordHash });
    const tokens = await users.deleteUserApiTokens(w.trx, user.id, current.tokenHash);
    const sessions = await deleteOtherUserSessions(w.trx, user.id, current.sessionHash);
    w.audit({ action: 'update', resourceType: 'user', resourceId: user.id, log: `Password changed: ${user.email}; ${tokens} token(s) and ${sessions} other session(s) revoked` });
  }, meta);
}

/** Ends every token and session of a user: yourself (all but this request's credential), or anyone for an instance admin. */
export async function revokeCredentials(store: Store, actor: Actor, userId: number, current: CurrentCredential, meta: RequestMeta) {
  const self = actor.type === 'user' && actor.userId === userId;
  if (!self && !(actor.type === 'user' && actor.isSuperuser)) throw new ForbiddenError();
  const user = await users.findUserById(store.db, userId);
  if (!user) throw new NotFoundError('user', userId);
  return store.write(actor, async (w) => {
    const tokens = await users.deleteUserApiTokens(w.trx, userId, self ? current.tokenHash : undefined);
    const sessions = await deleteOtherUserSessions(w.trx, userId, self ? current.sessionHash : undefined);
    w.audit({ action: 'revoke', resourceType: 'user', resourceId: userId, log: `Revoked ${tokens} token(s) and ${sessions} session(s) of ${user.email}` });
    return { revoked_tokens: tokens, revoked_sessions: sessions };
  }, meta);
}

/** Instance admins switch an account off (every credential ends with it) or on again. */
export async function setUserActive(store: Store, actor: Actor, userId: number, active: boolean, meta: RequestMeta): Promise<void> {
  if (!(actor.type === 'user' && actor.isSuperuser)) throw new ForbiddenError();
  if (actor.userId === userId && !active) throw ValidationError.field('is_active', 'You cannot deactivate your own account.');
  const user = await users.findUserById(store.db, userId);
  if (!user) throw new NotFoundError('user', userId);
  await store.write(actor, async (w) => {
    await users.updateUser(w.trx, userId, { isActive: active });
    if (!active) {
      await users.deleteUserApiTokens(w.trx, userId);
      await deleteOtherUserSessions(w.trx, userId);
    }
    w.audit({ action: active ? 'activate' : 'deactivate', resourceType: 'user', resourceId: userId, log: `${active ? 'Activated' : 'Deactivated'} ${user.email}` });
  }, meta);
}
