// `POST /api/v1/auth/login/`: credentials in, a user API token out, as Flagsmith answers. The token expires after
// AUTH_TOKEN_TTL_HOURS and is revoked by `POST /api/v1/auth/logout/`, a password change or deactivation.
import type { Actor } from '../../domain/actor';
import { hashSecret, newUserToken } from '../../auth/keys';
import * as users from '../../store/repositories/users';
import type { RequestMeta, Store } from '../../store/store';
import { verifyCredentials, type CredentialPolicy, type CredentialsInput } from './credentials';
import { assertUserMayUse } from './login-lock';

export async function loginForToken(
  store: Store,
  input: CredentialsInput,
  policy: CredentialPolicy & { tokenTtlHours?: number },
  meta: RequestMeta,
): Promise<{ key: string }> {
  const { user, method } = await verifyCredentials(store, input, policy, meta);
  const { breakGlass } = assertUserMayUse(method, policy.lockTo, user);
  const key = newUserToken();
  const expiresAt = policy.tokenTtlHours ? new Date(Date.now() + policy.tokenTtlHours * 3_600_000) : null;
  const actor: Actor = { type: 'user', userId: user.id, email: user.email, isSuperuser: user.isSuperuser };
  await store.write(actor, async (w) => {
    await users.insertApiToken(w.trx, w.traits, user.id, hashSecret(key), expiresAt);
    await users.updateUser(w.trx, user.id, { lastLoginAt: new Date() });
    w.audit({ action: 'login', resourceType: 'user', resourceId: user.id, log: `Token login (${method}${breakGlass ? ', break-glass' : ''}): ${user.email}` });
  }, meta);
  return { key };
}
