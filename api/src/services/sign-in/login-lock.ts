// LOCK_LOGIN_TO (issue 6 item 5): when set, every sign-in method but one is refused by the API itself — token
// login, cookie login, LDAP, each OIDC callback, each SAML ACS and signup — not only hidden in the UI. The one
// exception is the break-glass: an instance superuser may still sign in with a password, so a broken identity provider
// cannot lock every administrator out; such logins are audited as break-glass.
import { ForbiddenError } from '../../domain/errors';
import type { LoginProvider } from '../../config';

/** A sign-in method as the lock sees it: `password`, `ldap`, `oidc:<name>` or `saml:<configuration name>`. */
export type SignInMethod = 'password' | 'ldap' | `oidc:${string}` | `saml:${string}`;

/** Whether `method` is the one the lock allows (`saml` allows every SAML configuration). */
export function methodMatchesLock(method: SignInMethod, lockTo: LoginProvider | undefined): boolean {
  if (!lockTo) return true;
  if (lockTo === 'saml') return method.startsWith('saml:');
  return method === lockTo;
}

export function lockMessage(lockTo: LoginProvider): string {
  return `Sign-in is restricted to ${lockTo} on this server.`;
}

/** 403: the login lock refused this method (a class of its own so SSO routes can name it `login_locked`). */
export class LoginLockedError extends ForbiddenError {
  constructor(lockTo: LoginProvider) {
    super(lockMessage(lockTo));
  }
}

/**
 * Refuses a method the lock does not allow, before any credential is checked or any account created. Password
 * attempts pass here when locked elsewhere, because only the verified user tells whether the break-glass applies:
 * `assertUserMayUse` decides after verification.
 */
export function assertMethodAllowed(method: SignInMethod, lockTo: LoginProvider | undefined): void {
  if (method === 'password') return;
  if (!methodMatchesLock(method, lockTo)) throw new LoginLockedError(lockTo!);
}

/** After verification: answers whether this login is a break-glass; refuses what the lock does not allow. */
export function assertUserMayUse(method: SignInMethod, lockTo: LoginProvider | undefined, user: { isSuperuser: boolean }): { breakGlass: boolean } {
  if (methodMatchesLock(method, lockTo)) return { breakGlass: false };
  if (method === 'password' && user.isSuperuser) return { breakGlass: true };
  throw new LoginLockedError(lockTo!);
}

/** Self-service signup is possible only when ALLOW_SIGNUP is on and no lock points away from passwords. */
export function signupAllowed(allowSignup: boolean, lockTo: LoginProvider | undefined): boolean {
  return allowSignup && (!lockTo || lockTo === 'password');
}
