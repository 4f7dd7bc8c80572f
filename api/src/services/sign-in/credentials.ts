// Sign-in with a login name and password, whichever checks them: flagstack's own password store, or a provider that
// registered a verifier (LDAP). Both the token login (`POST /api/v1/auth/login/`) and the cookie login
// (`POST /api/v1/auth/session/`) go through `verifyCredentials`, so the login lock and the throttle hold on both.
import { ValidationError } from '../../domain/errors';
import type { LoginProvider } from '../../config';
import type { UserRecord } from '../../store/repositories/users';
import type { RequestMeta, Store } from '../../store/store';
import { verifyPasswordLogin } from '../users';
import { assertMethodAllowed, type SignInMethod } from './login-lock';
import { assertNotThrottled, clearAccountFailures, recordLoginFailure, type ThrottlePolicy } from './throttle';

export interface CredentialsInput {
  /** `password` (default) or a provider that registered a verifier (`ldap`). */
  provider?: string;
  email?: string;
  username?: string;
  password: string;
}

/**
 * Checks a provider's credentials and answers the local user. Wrong credentials must throw a ValidationError (400,
 * one message whatever was wrong): that is what counts as a failure for the throttle.
 */
export type CredentialVerifier = (store: Store, input: CredentialsInput, meta: RequestMeta) => Promise<UserRecord>;

const verifiers = new Map<string, CredentialVerifier>([
  [
    'password',
    async (store, input, meta) => {
      if (!input.email) throw ValidationError.field('email', 'This field is required.');
      return verifyPasswordLogin(store, input.email, input.password, meta);
    },
  ],
]);

/** Lets a login provider (LDAP) sign users in with `{provider, username, password}`. */
export function registerCredentialVerifier(provider: string, verifier: CredentialVerifier): void {
  verifiers.set(provider, verifier);
}

export function hasCredentialVerifier(provider: string): boolean {
  return verifiers.has(provider);
}

export interface CredentialPolicy {
  lockTo?: LoginProvider;
  throttle: ThrottlePolicy;
}

/**
 * Lock first (a provider the lock refuses is never contacted), then the throttle (before any password is checked or
 * any LDAP bind made), then the verifier; a failure is counted, a success clears the account's count.
 */
export async function verifyCredentials(store: Store, input: CredentialsInput, policy: CredentialPolicy, meta: RequestMeta): Promise<{ user: UserRecord; method: SignInMethod }> {
  const provider = input.provider ?? 'password';
  const verifier = verifiers.get(provider);
  if (!verifier) throw ValidationError.field('provider', `Sign-in with "${provider}" is not available on this server.`);
  const method = provider as SignInMethod;
  assertMethodAllowed(method, policy.lockTo);
  const attempt = { account: input.email ?? input.username, ip: meta.ip };
  await assertNotThrottled(store, attempt, policy.throttle);
  let user: UserRecord;
  try {
    user = await verifier(store, input, meta);
  } catch (error) {
    if (error instanceof ValidationError) await recordLoginFailure(store, attempt, policy.throttle);
    throw error;
  }
  await clearAccountFailures(store, attempt, policy.throttle);
  return { user, method };
}
