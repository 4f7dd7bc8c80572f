// openid-client Configurations per provider: OIDC providers by discovery, with the issuer pinned (the discovered
// `issuer` must be exactly the configured one — which also refuses Entra ID's multi-tenant `{tenantid}` issuer), and
// GitHub by a hand-built OAuth2 configuration. Discovery runs on the first login and is cached per provider settings
// for an hour; a failed discovery is not cached.
import type * as client from 'openid-client';
import { openidClient } from '../../auth/libraries';
import { githubEndpoints, isLoopbackUrl } from '../../auth/oidc/client-config';
import { ProviderUnavailableError, type ResolvedProvider } from './providers';

const CACHE_MS = 3_600_000;
const TIMEOUT_SECONDS = 10;

interface Cached {
  config: client.Configuration;
  until: number;
}

const cache = new Map<string, Cached>();

function cacheKey(p: ResolvedProvider): string {
  return JSON.stringify([p.name, p.source, p.version, p.kind, p.issuer, p.clientId, p.clientSecret ?? null]);
}

/** Drops cached configurations (tests; a provider that rotated its keys is handled by openid-client's JWKS refresh). */
export function clearClientCache(): void {
  cache.clear();
}

function clientAuth(p: ResolvedProvider, supported: readonly string[] | undefined): client.ClientAuth {
  const lib = openidClient();
  if (!p.clientSecret) return lib.None();
  // client_secret_basic is the OpenID default; a provider that lists only client_secret_post gets that.
  if (supported && !supported.includes('client_secret_basic') && supported.includes('client_secret_post')) return lib.ClientSecretPost(p.clientSecret);
  return lib.ClientSecretBasic(p.clientSecret);
}

function sameUrl(a: string, b: string): boolean {
  try {
    return new URL(a).href === new URL(b).href;
  } catch {
    return false;
  }
}

async function build(p: ResolvedProvider): Promise<client.Configuration> {
  const lib = openidClient();
  const issuer = new URL(p.issuer);
  const insecure = issuer.protocol === 'http:' && isLoopbackUrl(issuer);
  if (p.kind === 'github') {
    const endpoints = githubEndpoints(p.issuer);
    const config = new lib.Configuration(
      { issuer: issuer.href, authorization_endpoint: endpoints.authorize, token_endpoint: endpoints.token },
      p.clientId,
      undefined,
      // GitHub takes the client credentials in the form body.
      p.clientSecret ? lib.ClientSecretPost(p.clientSecret) : lib.None(),
    );
    config.timeout = TIMEOUT_SECONDS;
    if (insecure) lib.allowInsecureRequests(config);
    return config;
  }
  let config: client.Configuration;
  try {
    config = await lib.discovery(issuer, p.clientId, undefined, undefined, {
      timeout: TIMEOUT_SECONDS,
      execute: insecure ? [lib.allowInsecureRequests] : [],
    });
  } catch (error) {
    throw new ProviderUnavailableError(`OIDC provider ${p.name}: discovery at ${issuer.href} failed (${describe(error)})`);
  }
  const metadata = config.serverMetadata();
  if (!sameUrl(metadata.issuer, p.issuer)) {
    throw new ProviderUnavailableError(`OIDC provider ${p.name}: the provider calls itself ${metadata.issuer}, not the configured issuer ${p.issuer}`);
  }
  const configured = new lib.Configuration(metadata, p.clientId, undefined, clientAuth(p, metadata.token_endpoint_auth_methods_supported));
  configured.timeout = TIMEOUT_SECONDS;
  if (insecure) lib.allowInsecureRequests(configured);
  return configured;
}

export async function configurationFor(p: ResolvedProvider): Promise<client.Configuration> {
  const key = cacheKey(p);
  const hit = cache.get(key);
  if (hit && hit.until > Date.now()) return hit.config;
  const config = await build(p);
  for (const [k] of cache) if (JSON.parse(k)[0] === p.name) cache.delete(k);
  cache.set(key, { config, until: Date.now() + CACHE_MS });
  return config;
}

/**
 * An error's code and message for the log, with the message of the library error behind it and the name of the claim
 * or attribute that failed: what the check was, never the values (the causes also carry the callback's parameters and
 * token claims, which are left out). Long token-like runs are masked in case a provider echoes one in a message.
 */
export function describe(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const mask = (text: string) => text.replace(/[A-Za-z0-9_.~+/-]{32,}/g, '[redacted]').slice(0, 300);
  const code = (error as { code?: unknown }).code;
  const parts = [typeof code === 'string' ? `${code}: ${mask(error.message)}` : mask(error.message)];
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message !== error.message) parts.push(mask(cause.message));
  for (const source of [cause, cause instanceof Error ? (cause as { cause?: unknown }).cause : undefined]) {
    if (!source || typeof source !== 'object') continue;
    const { claim, attribute } = source as { claim?: unknown; attribute?: unknown };
    if (typeof claim === 'string') parts.push(`claim ${claim}`);
    if (typeof attribute === 'string') parts.push(`attribute ${attribute}`);
  }
  return parts.join('; ');
}
