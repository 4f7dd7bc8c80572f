// node-saml's options for one configuration, with the values AUTH-NOTES.md §2.1 settled on. Every option that has an
// unsafe default is set explicitly here, so a node-saml upgrade that changes a default changes nothing for us.
import type { CacheProvider, SamlConfig } from '@node-saml/node-saml';
import { nodeSaml } from '../libraries';
import type { IdpMetadata } from './metadata';
import type { SpUrls } from './urls';

/** How long an AuthnRequest may wait for its answer. */
export const REQUEST_TTL_MS = 10 * 60_000;
/** Clock difference tolerated between flagstack and the IdP (Flagsmith's SAML_ACCEPTED_TIME_DIFF). */
export const CLOCK_SKEW_MS = 60_000;
/** An assertion older than this (by IssueInstant) is refused whatever its NotOnOrAfter says. */
export const MAX_ASSERTION_AGE_MS = 5 * 60_000;

export interface SamlOptionsInput {
  idp: IdpMetadata;
  urls: SpUrls;
  wantResponseSigned: boolean;
  allowIdpInitiated: boolean;
  /** Where AuthnRequest ids are kept and consumed (server-side, once: services/saml/request-cache.ts). */
  cacheProvider: CacheProvider;
}

export function samlOptions(input: SamlOptionsInput): SamlConfig {
  const { ValidateInResponseTo } = nodeSaml();
  return {
    entryPoint: input.idp.ssoRedirectUrl,
    issuer: input.urls.entityId,
    callbackUrl: input.urls.acsUrl,
    // Explicit: node-saml defaults it to the issuer, and `false` would switch the check off.
    audience: input.urls.entityId,
    // Only the certificates of the uploaded metadata; a certificate inside the response's KeyInfo is never trusted.
    idpCert: input.idp.signingCerts,
    // node-saml checks this on logout messages only; services/saml/login.ts checks the assertion's Issuer itself.
    idpIssuer: input.idp.entityId,
    wantAssertionsSigned: true,
    // Entra ID and AD FS sign only the assertion by default: per configuration, off unless asked for.
    wantAuthnResponseSigned: input.wantResponseSigned,
    // 'ifPresent' lets unsolicited (IdP-initiated) responses through; they are then guarded by the replay store only.
    validateInResponseTo: input.allowIdpInitiated ? ValidateInResponseTo.ifPresent : ValidateInResponseTo.always,
    requestIdExpirationPeriodMs: REQUEST_TTL_MS,
    cacheProvider: input.cacheProvider,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    maxAssertionAgeMs: MAX_ASSERTION_AGE_MS,
    // No NameID format and no RequestedAuthnContext: the IdP's defaults, which AD FS and Entra ID need (a requested
    // PasswordProtectedTransport context makes them refuse Windows-integrated and MFA sign-ins).
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    signatureAlgorithm: 'sha256',
    digestAlgorithm: 'sha256',
  };
}
