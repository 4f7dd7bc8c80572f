// A SAML identity provider for tests (AUTH-NOTES.md §4): certificates from the openssl CLI, metadata, and signed
// responses built from a template and signed with xml-crypto, with an option for every field an attack changes.
// Everything is local: nothing is fetched, and the IdP's "SSO URL" is only ever parsed, never called.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { SignedXml } from 'xml-crypto';

export interface KeyPair {
  key: string;
  cert: string;
  /** The certificate's base64 DER body (what metadata and KeyInfo carry). */
  certBody: string;
}

/** A self-signed RSA-2048 certificate made by openssl (about 0.1-0.4 s). */
export function makeKeyPair(cn: string): KeyPair {
  const dir = mkdtempSync(join(tmpdir(), 'saml-idp-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', `/CN=${cn}`, '-keyout', join(dir, 'k.pem'), '-out', join(dir, 'c.pem')], { stdio: 'ignore' });
    const key = readFileSync(join(dir, 'k.pem'), 'utf8');
    const cert = readFileSync(join(dir, 'c.pem'), 'utf8');
    return { key, cert, certBody: cert.replace(/-----(BEGIN|END) CERTIFICATE-----|\s+/g, '') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function idpMetadata(o: { entityId: string; ssoUrl: string; certs: string[]; extra?: string }): string {
  const keys = o.certs
    .map((c) => `<md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>${c}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>`)
    .join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>` +
    `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="${esc(o.entityId)}">` +
    `<md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">${keys}` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(o.ssoUrl)}post"/>` +
    `<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${esc(o.ssoUrl)}"/>` +
    `</md:IDPSSODescriptor>${o.extra ?? ''}</md:EntityDescriptor>`
  );
}

/** The AuthnRequest carried by a redirect-binding URL: its ID, ACS URL and Issuer. */
export function readAuthnRequest(location: string): { id: string; acsUrl: string; issuer: string; relayState: string | null; xml: string } {
  const url = new URL(location);
  const xml = inflateRawSync(Buffer.from(url.searchParams.get('SAMLRequest')!, 'base64')).toString('utf8');
  return {
    id: /\sID="([^"]+)"/.exec(xml)![1]!,
    acsUrl: /AssertionConsumerServiceURL="([^"]+)"/.exec(xml)![1]!,
    issuer: /<saml:Issuer[^>]*>([^<]+)</.exec(xml)![1]!,
    relayState: url.searchParams.get('RelayState'),
    xml,
  };
}

export interface ResponseOptions {
  issuer: string;
  /** Audience (the SP entity ID). */
  audience: string;
  /** Recipient of the bearer confirmation (the ACS URL). */
  recipient: string;
  /** Destination on the Response; null leaves it out. Default: the recipient. */
  destination?: string | null;
  /** null: IdP-initiated (no InResponseTo anywhere). */
  inResponseTo: string | null;
  nameId: string;
  attributes?: Record<string, string | string[]>;
  /** Issuer of the assertion when it differs from the Response's. */
  assertionIssuer?: string;
  now?: Date;
  notOnOrAfter?: Date;
  notBefore?: Date;
  assertionId?: string;
  responseId?: string;
}

const iso = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
export const newId = () => `_${randomBytes(16).toString('hex')}`;

/** The unsigned XML of a Response with one assertion. */
export function responseXml(o: ResponseOptions): { xml: string; assertionId: string; responseId: string } {
  const now = o.now ?? new Date();
  const notOnOrAfter = o.notOnOrAfter ?? new Date(now.getTime() + 5 * 60_000);
  const notBefore = o.notBefore ?? new Date(now.getTime() - 60_000);
  const assertionId = o.assertionId ?? newId();
  const responseId = o.responseId ?? newId();
  const irt = o.inResponseTo === null ? '' : ` InResponseTo="${esc(o.inResponseTo)}"`;
  const destination = o.destination === null ? '' : ` Destination="${esc(o.destination ?? o.recipient)}"`;
  const attributes = Object.entries(o.attributes ?? {})
    .map(([name, value]) => `<saml:Attribute Name="${esc(name)}">${(Array.isArray(value) ? value : [value]).map((v) => `<saml:AttributeValue>${esc(v)}</saml:AttributeValue>`).join('')}</saml:Attribute>`)
    .join('');
  const xml =
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${responseId}" Version="2.0" IssueInstant="${iso(now)}"${destination}${irt}>` +
    `<saml:Issuer>${esc(o.issuer)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    `<saml:Assertion ID="${assertionId}" Version="2.0" IssueInstant="${iso(now)}">` +
    `<saml:Issuer>${esc(o.assertionIssuer ?? o.issuer)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(o.nameId)}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${irt} NotOnOrAfter="${iso(notOnOrAfter)}" Recipient="${esc(o.recipient)}"/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${iso(notBefore)}" NotOnOrAfter="${iso(notOnOrAfter)}"><saml:AudienceRestriction><saml:Audience>${esc(o.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${iso(now)}" SessionIndex="${assertionId}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (attributes ? `<saml:AttributeStatement>${attributes}</saml:AttributeStatement>` : '') +
    `</saml:Assertion></samlp:Response>`;
  return { xml, assertionId, responseId };
}

export interface SignOptions {
  key: string;
  /** Put this certificate into KeyInfo (an attacker's, to prove embedded certificates are not trusted). */
  embedCert?: string;
  sha1?: boolean;
}

/** Signs the element with this ID (enveloped signature placed after its Issuer). */
export function signElement(xml: string, id: string, o: SignOptions): string {
  const sig = new SignedXml({
    privateKey: o.key,
    publicCert: o.embedCert,
    signatureAlgorithm: o.sha1 ? 'http://www.w3.org/2000/09/xmldsig#rsa-sha1' : 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    canonicalizationAlgorithm: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  });
  sig.addReference({
    xpath: `//*[@ID='${id}']`,
    digestAlgorithm: o.sha1 ? 'http://www.w3.org/2000/09/xmldsig#sha1' : 'http://www.w3.org/2001/04/xmlenc#sha256',
    transforms: ['http://www.w3.org/2000/09/xmldsig#enveloped-signature', 'http://www.w3.org/2001/10/xml-exc-c14n#'],
  });
  sig.computeSignature(xml, { prefix: 'ds', location: { reference: `//*[@ID='${id}']/*[local-name(.)='Issuer']`, action: 'after' } });
  return sig.getSignedXml();
}

/** A response signed as asked (by default: the assertion only, RSA-SHA256, the given key). */
export function signedResponse(o: ResponseOptions & SignOptions & { signAssertion?: boolean; signResponse?: boolean }): { xml: string; assertionId: string; responseId: string } {
  const built = responseXml(o);
  let xml = built.xml;
  if (o.signAssertion ?? true) xml = signElement(xml, built.assertionId, o);
  if (o.signResponse) xml = signElement(xml, built.responseId, o);
  return { ...built, xml };
}

export const b64 = (xml: string) => Buffer.from(xml, 'utf8').toString('base64');
