// OIDC / OAuth2 sign-in (issue 6 item 3): authorization code + PKCE S256 + state + nonce, the flow state kept
// server-side (auth_flows, consumed exactly once) and bound to the browser that started it by a random value in a
// short-lived HttpOnly cookie whose SHA-256 is in the flow; the callback validates the response with openid-client
// (state, `iss`, ID token signature, issuer, audience, expiry and nonce), then finds, links (verified email only) or
// creates the account and opens a session. The login lock is checked before anything else on both legs.
import { randomBytes } from 'node:crypto';
import type * as client from 'openid-client';
import { openidClient } from '../../auth/libraries';
import { constantTimeEqual, hashSecret } from '../../auth/keys';
import { mapGithubProfile, mapOidcClaims, type GithubEmail, type MappedProfile } from '../../auth/oidc/claims';
import { githubEndpoints, redirectUriFor, safeReturnPath } from '../../auth/oidc/client-config';
import type { AppConfig } from '../../config';
import { ForbiddenError, ValidationError } from '../../domain/errors';
import { addGroupMember, listGroups, removeGroupMember } from '../../store/repositories/groups';
import type { UserRecord } from '../../store/repositories/users';
import type { RequestMeta, Store, WriteScope } from '../../store/store';
import { openSession, type LoginPolicy, type StartedSession } from '../sessions';
import { SignInRefusedError, signInExternalUser } from '../sign-in/external-users';
import { consumeFlow, saveFlow } from '../sign-in/flows';
import { assertMethodAllowed, type SignInMethod } from '../sign-in/login-lock';
import { configurationFor, describe } from './client';
import { ProviderUnavailableError, resolveProvider, type ResolvedProvider } from './providers';
import { SYSTEM_ACTOR } from '../../domain/actor';

/** Why a login failed, as the `error` code of `/login?error=<code>` and of the JSON answer. */
export type LoginErrorCode =
  | 'login_locked'
  | 'unknown_provider'
  | 'provider_unavailable'
  | 'invalid_state'
  | 'browser_mismatch'
  | 'provider_error'
  | 'token_rejected'
  | 'no_email'
  | 'email_unverified'
  | 'no_account'
  | 'account_disabled'
  | 'access_denied'
  | 'server_error';

export class OidcLoginError extends Error {
  constructor(
    readonly code: LoginErrorCode,
    readonly status: number,
    message: string,
    /** For the log only (never shown, never a token): what exactly failed. */
    readonly logDetail?: string,
  ) {
    super(message);
  }
}

/** The flow state saved at login and consumed at the callback. */
interface FlowPayload {
  verifier: string;
  nonce?: string;
  /** SHA-256 of the browser-binding cookie's value. */
  binding: string;
  redirectUri: string;
  returnTo: string;
}

export const FLOW_TTL_SECONDS = 600;

/** A browser-binding value: 32 random bytes, base64url (43 characters). */
export function isBindingValue(value: string | undefined): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{43}$/.test(value);
}

export interface LoginContext {
  store: Store;
  config: AppConfig | undefined;
  policy: LoginPolicy;
}

const methodOf = (name: string): SignInMethod => `oidc:${name}`;

function lockCheck(ctx: LoginContext, name: string): void {
  try {
    assertMethodAllowed(methodOf(name), ctx.policy.lockTo);
  } catch (error) {
    if (error instanceof ForbiddenError) throw new OidcLoginError('login_locked', 403, error.message);
    throw error;
  }
}

async function providerOf(ctx: LoginContext, name: string): Promise<ResolvedProvider> {
  let provider: ResolvedProvider | undefined;
  try {
    provider = await resolveProvider(ctx.store, ctx.config, name);
  } catch (error) {
    if (error instanceof ProviderUnavailableError) throw new OidcLoginError('provider_unavailable', 503, 'This sign-in provider is not usable right now.', error.message);
    throw error;
  }
  if (!provider) throw new OidcLoginError('unknown_provider', 404, 'There is no such sign-in provider.');
  return provider;
}

async function configOf(provider: ResolvedProvider): Promise<client.Configuration> {
  try {
    return await configurationFor(provider);
  } catch (error) {
    const detail = error instanceof ProviderUnavailableError ? error.message : describe(error);
    throw new OidcLoginError('provider_unavailable', 503, 'This sign-in provider is not usable right now.', detail);
  }
}

export interface StartedLogin {
  authorizationUrl: string;
  /** The browser-binding cookie's value (reused when the browser already has one, so two tabs can log in at once). */
  binding: string;
}

/** `GET …/login/`: saves the flow and answers where to send the browser. */
export async function startLogin(ctx: LoginContext, name: string, input: { origin: string; returnTo?: unknown; binding?: string }): Promise<StartedLogin> {
  lockCheck(ctx, name);
  const provider = await providerOf(ctx, name);
  const config = await configOf(provider);
  const lib = openidClient();
  const binding = isBindingValue(input.binding) ? input.binding : randomBytes(32).toString('base64url');
  const verifier = lib.randomPKCECodeVerifier();
  const state = lib.randomState();
  const nonce = provider.kind === 'oidc' ? lib.randomNonce() : undefined;
  const redirectUri = redirectUriFor(input.origin, name);
  const payload: FlowPayload = { verifier, nonce, binding: hashSecret(binding), redirectUri, returnTo: safeReturnPath(input.returnTo) };
  await saveFlow(ctx.store, 'oidc', name, state, payload, FLOW_TTL_SECONDS);
  const params: Record<string, string> = {
    redirect_uri: redirectUri,
    scope: provider.scopes.join(' '),
    code_challenge: await lib.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  };
  if (nonce) params.nonce = nonce;
  return { authorizationUrl: lib.buildAuthorizationUrl(config, params).href, binding };
}

export interface FinishedLogin {
  session: StartedSession;
  user: UserRecord;
  returnTo: string;
}

/** `GET …/callback/`: consumes the flow, checks the browser, redeems the code and signs the user in. */
export async function finishLogin(
  ctx: LoginContext,
  name: string,
  input: { query: URLSearchParams; binding?: string; meta: RequestMeta & { userAgent?: string }; previousSession?: string },
): Promise<FinishedLogin> {
  lockCheck(ctx, name);
  const provider = await providerOf(ctx, name);
  const state = input.query.get('state') ?? '';
  const flow = state ? await consumeFlow<FlowPayload>(ctx.store, 'oidc', name, state) : undefined;
  if (!flow) throw new OidcLoginError('invalid_state', 400, 'This sign-in link has expired or was already used; sign in again.');
  if (!isBindingValue(input.binding) || !constantTimeEqual(hashSecret(input.binding), flow.binding)) {
    throw new OidcLoginError('browser_mismatch', 400, 'This sign-in was started in another browser; sign in again from here.');
  }
  const config = await configOf(provider);
  const profile = await redeem(ctx, provider, config, flow, input.query, state);
  const user = await provision(ctx, provider, profile, input.meta);
  const session = await openSession(ctx.store, user, methodOf(name), ctx.policy, input.meta, input.previousSession);
  return { session, user, returnTo: flow.returnTo };
}

async function redeem(ctx: LoginContext, provider: ResolvedProvider, config: client.Configuration, flow: FlowPayload, query: URLSearchParams, state: string): Promise<MappedProfile> {
  const callback = new URL(flow.redirectUri);
  for (const [k, v] of query) callback.searchParams.append(k, v);
  const lib = openidClient();
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await lib.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: state,
      expectedNonce: flow.nonce,
      idTokenExpected: provider.kind === 'oidc',
    });
  } catch (error) {
    if (error instanceof lib.AuthorizationResponseError) {
      const code = error.error === 'access_denied' ? 'access_denied' : 'provider_error';
      throw new OidcLoginError(code, 403, 'The sign-in provider did not sign you in.', `authorization error ${error.error}`);
    }
    throw new OidcLoginError('token_rejected', 403, 'The sign-in provider\'s answer did not pass the security checks.', describe(error));
  }
  try {
    if (provider.kind === 'github') return await githubProfile(provider, tokens.access_token);
    let claims = tokens.claims() as Record<string, unknown> | undefined;
    if (!claims) throw new OidcLoginError('token_rejected', 403, 'The sign-in provider sent no ID token.');
    // Providers that keep profile claims out of the ID token (oidc-provider by default, AD FS) answer them at
    // userinfo; the ID token's own claims win, and openid-client checks the userinfo `sub` is the ID token's.
    if (claims[provider.claims.email] === undefined && config.serverMetadata().userinfo_endpoint) {
      const userinfo = await lib.fetchUserInfo(config, tokens.access_token, String(claims.sub));
      claims = { ...(userinfo as Record<string, unknown>), ...claims };
    }
    return mapOidcClaims(claims, provider.claims);
  } catch (error) {
    if (error instanceof OidcLoginError) throw error;
    throw new OidcLoginError('provider_error', 502, 'The sign-in provider\'s profile could not be read.', describe(error));
  }
}

async function githubProfile(provider: ResolvedProvider, accessToken: string): Promise<MappedProfile> {
  const api = githubEndpoints(provider.issuer).api;
  const get = async (path: string): Promise<unknown> => {
    const res = await fetch(`${api}${path}`, {
      headers: { accept: 'application/vnd.github+json', authorization: `Bearer ${accessToken}`, 'user-agent': 'flagstack', 'x-github-api-version': '2022-11-28' },
      redirect: 'error',
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new Error(`GitHub ${path} answered ${res.status}`);
    return res.json();
  };
  const user = (await get('/user')) as Record<string, unknown>;
  const emails = await get('/user/emails');
  return mapGithubProfile(user, Array.isArray(emails) ? (emails as GithubEmail[]) : []);
}

async function provision(ctx: LoginContext, provider: ResolvedProvider, profile: MappedProfile, meta: RequestMeta): Promise<UserRecord> {
  const method = methodOf(provider.name);
  if (!profile.subject) throw new OidcLoginError('token_rejected', 403, 'The sign-in provider sent no user id.');
  try {
    return await signInExternalUser(
      ctx.store,
      { method, subject: profile.subject, email: profile.email, emailVerified: profile.emailVerified, firstName: profile.firstName, lastName: profile.lastName },
      {
        mayCreate: provider.allowSignup,
        organisationId: provider.organisationId,
        afterLink:
          provider.organisationId !== undefined && provider.claims.groups && profile.groups
            ? (w, user) => syncGroups(w, provider.organisationId!, user, profile.groups!, method)
            : undefined,
      },
      meta,
    );
  } catch (error) {
    if (error instanceof ForbiddenError || error instanceof ValidationError) {
      const code = refusalCode(error, profile);
      await auditRefusal(ctx.store, method, profile, code, meta);
      throw new OidcLoginError(code, 403, error.message, `${code}: ${error.message}`);
    }
    throw error;
  }
}

/** Names signInExternalUser's refusal for the login screen. */
function refusalCode(error: Error, profile: MappedProfile): LoginErrorCode {
  if (error instanceof ValidationError) return 'token_rejected';
  if (error instanceof SignInRefusedError) {
    // No account could be found; with an unverified email, linking was not even tried: say that.
    if (error.reason === 'no_account') return profile.email && !profile.emailVerified ? 'email_unverified' : 'no_account';
    return error.reason;
  }
  return 'access_denied';
}

async function auditRefusal(store: Store, method: SignInMethod, profile: MappedProfile, code: LoginErrorCode, meta: RequestMeta): Promise<void> {
  const who = profile.email ?? `subject ${profile.subject.slice(0, 100)}`;
  await store.write(SYSTEM_ACTOR, async (w) => {
    w.audit({ action: 'login_failed', resourceType: 'user', resourceId: null, log: `Refused ${method} sign-in for ${who}: ${code}` });
  }, meta);
}

/** Mirrors the groups claim onto the organisation's groups that have an external id (never creates groups). */
async function syncGroups(w: WriteScope, organisationId: number, user: UserRecord, claimed: string[], method: SignInMethod): Promise<void> {
  const wanted = new Set(claimed);
  const added: string[] = [];
  const removed: string[] = [];
  for (const group of await listGroups(w.trx, organisationId)) {
    if (!group.externalId) continue;
    if (wanted.has(group.externalId)) {
      if (await addGroupMember(w.trx, group.id, user.id)) added.push(group.name);
    } else if (await removeGroupMember(w.trx, group.id, user.id)) {
      removed.push(group.name);
    }
  }
  if (added.length > 0) w.audit({ action: 'add_users', resourceType: 'group', organisationId, log: `${user.email} added to ${added.join(', ')} by ${method} sign-in` });
  if (removed.length > 0) w.audit({ action: 'remove_users', resourceType: 'group', organisationId, log: `${user.email} removed from ${removed.join(', ')} by ${method} sign-in` });
}
