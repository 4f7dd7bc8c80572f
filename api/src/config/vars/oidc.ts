// Env-configured OIDC/OAuth providers: a fixed set, each with OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET,
// _SCOPES. (Organisations can add more providers in the database; these are the instance-wide ones.)
import type { TOptional, TString } from '@sinclair/typebox';
import { checkHttpUrl } from '../formats';
import { envString, type Defaulted } from '../env-var';

export const OIDC_PROVIDERS = ['okta', 'adfs', 'azure_ad', 'google', 'github'] as const;
export type OidcProviderName = (typeof OIDC_PROVIDERS)[number];

const LABELS: Record<OidcProviderName, string> = {
  okta: 'Okta',
  adfs: 'AD FS',
  azure_ad: 'Azure AD (Entra ID)',
  google: 'Google',
  github: 'GitHub',
};

/** Providers with a well-known issuer get it as a default; the others need OIDC_<NAME>_ISSUER. */
const DEFAULT_ISSUERS: Partial<Record<OidcProviderName, string>> = {
  google: 'https://accounts.google.com',
  github: 'https://github.com',
};

const DEFAULT_SCOPES: Record<OidcProviderName, string> = {
  okta: 'openid email profile',
  adfs: 'openid email profile',
  azure_ad: 'openid email profile',
  google: 'openid email profile',
  github: 'read:user user:email',
};

type Upper<N extends OidcProviderName> = Uppercase<N>;
type OidcProviderVars<N extends OidcProviderName> = {
  [K in `OIDC_${Upper<N>}_ISSUER` | `OIDC_${Upper<N>}_CLIENT_ID` | `OIDC_${Upper<N>}_CLIENT_SECRET`]: TOptional<TString>;
} & { [K in `OIDC_${Upper<N>}_SCOPES`]: Defaulted<TString> };

export function oidcEnvName(provider: OidcProviderName, field: 'ISSUER' | 'CLIENT_ID' | 'CLIENT_SECRET' | 'SCOPES'): string {
  return `OIDC_${provider.toUpperCase()}_${field}`;
}

function providerVars<N extends OidcProviderName>(provider: N): OidcProviderVars<N> {
  const label = LABELS[provider];
  const path = `auth.oidc.${provider}`;
  const issuer = DEFAULT_ISSUERS[provider];
  const issuerMeta = {
    description: `${label}: issuer URL${issuer ? '' : ' (required with the client id)'}.`,
    group: 'oidc' as const,
    configPath: `${path}.issuer`,
    check: checkHttpUrl,
  };
  return {
    [oidcEnvName(provider, 'ISSUER')]: issuer ? envString({ ...issuerMeta, default: issuer }) : envString(issuerMeta),
    [oidcEnvName(provider, 'CLIENT_ID')]: envString({
      description: `${label}: OAuth client id; setting it enables the provider.`,
      group: 'oidc',
      configPath: `${path}.clientId`,
    }),
    [oidcEnvName(provider, 'CLIENT_SECRET')]: envString({
      description: `${label}: OAuth client secret.`,
      group: 'oidc',
      configPath: `${path}.clientSecret`,
      secret: true,
    }),
    [oidcEnvName(provider, 'SCOPES')]: envString({
      description: `${label}: space- or comma-separated scopes to request.`,
      group: 'oidc',
      configPath: `${path}.scopes`,
      default: DEFAULT_SCOPES[provider],
    }),
  } as OidcProviderVars<N>;
}

export const oidcVars = {
  ...providerVars('okta'),
  ...providerVars('adfs'),
  ...providerVars('azure_ad'),
  ...providerVars('google'),
  ...providerVars('github'),
};
