// The IdP's metadata as an administrator uploads it (exported from Okta, AD FS, Entra ID, Google Workspace): its
// entity ID (the Issuer every assertion must carry), the SSO URL of the HTTP-Redirect binding (where sign-in starts)
// and every signing certificate (all of them, so a certificate rollover published in advance keeps working).
import { X509Certificate } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { SamlRejection } from './errors';
import { childrenNamed, descendantsNamed, NS, parseStrict } from './xml';

export const MAX_METADATA_CHARS = 1_000_000;
export const REDIRECT_BINDING = 'urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect';

export interface IdpMetadata {
  entityId: string;
  ssoRedirectUrl: string;
  /** PEM certificates (use="signing" or no use), in document order, without duplicates. */
  signingCerts: string[];
}

/** Why metadata was refused, in words an administrator can act on. */
export class MetadataError extends Error {}

function isAcceptableSsoUrl(value: string): boolean {
  try {
    const url = new URL(value);
    // The browser is sent there with the request: https, except a loopback IdP (tests, local development).
    return url.protocol === 'https:' || (url.protocol === 'http:' && /^(localhost|127\.0\.0\.1|\[::1\])$/.test(url.hostname));
  } catch {
    return false;
  }
}

function toPem(base64Der: string): string {
  const body = base64Der.replace(/\s+/g, '');
  const pem = `-----BEGIN CERTIFICATE-----\n${body.match(/.{1,64}/g)?.join('\n') ?? ''}\n-----END CERTIFICATE-----\n`;
  try {
    new X509Certificate(pem);
  } catch {
    throw new MetadataError('A signing certificate in the metadata is not a valid X.509 certificate.');
  }
  return pem;
}

/** The one EntityDescriptor with an IDPSSODescriptor (the root, or one inside an EntitiesDescriptor). */
function idpEntity(root: Element): { entity: Element; idp: Element } {
  const entities = root.localName === 'EntityDescriptor' && root.namespaceURI === NS.metadata ? [root] : descendantsNamed(root, NS.metadata, 'EntityDescriptor');
  const withIdp = entities.flatMap((entity) => childrenNamed(entity, NS.metadata, 'IDPSSODescriptor').map((idp) => ({ entity, idp })));
  if (withIdp.length === 0) throw new MetadataError('The metadata describes no identity provider (no IDPSSODescriptor).');
  if (withIdp.length > 1) throw new MetadataError('The metadata describes several identity providers; upload the one flagstack should trust.');
  return withIdp[0]!;
}

export function parseIdpMetadata(xml: string): IdpMetadata {
  if (xml.length > MAX_METADATA_CHARS) throw new MetadataError('The metadata is too large.');
  let root: Element;
  try {
    root = parseStrict(xml.trim(), 'metadata').documentElement!;
  } catch (error) {
    if (error instanceof SamlRejection) throw new MetadataError(error.code === 'saml_doctype' ? 'The metadata contains a DOCTYPE, which is refused.' : 'The metadata is not well-formed XML.');
    throw error;
  }
  const { entity, idp } = idpEntity(root);
  const entityId = entity.getAttribute('entityID')?.trim();
  if (!entityId || entityId.length > 1000) throw new MetadataError('The metadata has no entityID.');
  const sso = childrenNamed(idp, NS.metadata, 'SingleSignOnService').find((s) => s.getAttribute('Binding') === REDIRECT_BINDING);
  const ssoRedirectUrl = sso?.getAttribute('Location')?.trim();
  if (!ssoRedirectUrl) throw new MetadataError('The metadata has no SingleSignOnService for the HTTP-Redirect binding.');
  if (!isAcceptableSsoUrl(ssoRedirectUrl)) throw new MetadataError('The SingleSignOnService location must be an https URL.');
  const certs: string[] = [];
  for (const key of childrenNamed(idp, NS.metadata, 'KeyDescriptor')) {
    const use = key.getAttribute('use');
    if (use && use !== 'signing') continue;
    for (const cert of descendantsNamed(key, NS.dsig, 'X509Certificate')) {
      const pem = toPem(cert.textContent ?? '');
      if (!certs.includes(pem)) certs.push(pem);
    }
  }
  if (certs.length === 0) throw new MetadataError('The metadata has no signing certificate.');
  return { entityId, ssoRedirectUrl, signingCerts: certs };
}
