// The checks node-saml leaves to the application (AUTH-NOTES.md §2.1, verified there): which algorithms signed the
// response, the Destination the IdP addressed it to, and — from the signed assertion bytes node-saml hands back —
// the Issuer, the Recipient of the bearer confirmation, and the assertion's ID and lifetime for the replay store.
import type { Element } from '@xmldom/xmldom';
import { SamlRejection } from './errors';
import { childrenNamed, descendantsNamed, NS, parseStrict } from './xml';

/**
 * Signature and digest algorithms accepted: SHA-2 RSA only. SHA-1 (collisions are practical) and HMAC (a shared-key
 * algorithm: a "signature" any holder of the public certificate could make with a confused verifier) are refused.
 */
const SIGNATURE_ALGORITHMS = new Set([
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
  'http://www.w3.org/2001/04/xmldsig-more#rsa-sha512',
  'http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1',
]);
const DIGEST_ALGORITHMS = new Set(['http://www.w3.org/2001/04/xmlenc#sha256', 'http://www.w3.org/2001/04/xmlenc#sha512']);

const BEARER = 'urn:oasis:names:tc:SAML:2.0:cm:bearer';

/**
 * Before node-saml runs: the document is one well-formed samlp:Response without a DTD; every signature in it uses an
 * accepted algorithm (so the one node-saml verifies does too); its Destination, when present, is our ACS URL.
 */
export function inspectResponse(xml: string, acsUrl: string): void {
  const doc = parseStrict(xml, 'SAML response');
  const root = doc.documentElement!;
  if (root.namespaceURI !== NS.protocol || root.localName !== 'Response') {
    throw new SamlRejection('saml_response_malformed', 'The posted message is not a SAML Response.');
  }
  for (const method of descendantsNamed(doc, NS.dsig, 'SignatureMethod')) {
    if (!SIGNATURE_ALGORITHMS.has(method.getAttribute('Algorithm') ?? '')) {
      throw new SamlRejection('saml_weak_algorithm', 'The sign-in response is signed with an algorithm flagstack refuses (SHA-1 or HMAC); configure the identity provider for RSA-SHA256.');
    }
  }
  for (const digest of descendantsNamed(doc, NS.dsig, 'DigestMethod')) {
    if (!DIGEST_ALGORITHMS.has(digest.getAttribute('Algorithm') ?? '')) {
      throw new SamlRejection('saml_weak_algorithm', 'The sign-in response uses a digest flagstack refuses (SHA-1); configure the identity provider for SHA-256.');
    }
  }
  // SAML core 3.2.2: a Destination names the URL the IdP sent the message to; one of another service is refused.
  if (root.hasAttribute('Destination') && root.getAttribute('Destination') !== acsUrl) {
    throw new SamlRejection('saml_destination', 'The sign-in response was addressed to another service.');
  }
}

export interface SignedAssertionFacts {
  assertionId: string;
  /** The earliest NotOnOrAfter of the assertion's conditions and bearer confirmations: how long a replay must be refused. */
  notOnOrAfter: Date | undefined;
}

function timeOf(element: Element, attribute: string): Date | undefined {
  const raw = element.getAttribute(attribute);
  if (!raw) return undefined;
  const at = new Date(raw);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

/** After node-saml accepted the response: checks on the signed assertion it answers (`profile.getAssertionXml()`). */
export function checkSignedAssertion(assertionXml: string, expected: { idpEntityId: string; acsUrl: string }): SignedAssertionFacts {
  const assertion = parseStrict(assertionXml, 'SAML assertion').documentElement!;
  if (assertion.namespaceURI !== NS.assertion || assertion.localName !== 'Assertion') {
    throw new SamlRejection('saml_response_invalid', 'The signed part of the response is not an assertion.');
  }
  const issuers = childrenNamed(assertion, NS.assertion, 'Issuer');
  if (issuers.length !== 1 || (issuers[0]!.textContent ?? '').trim() !== expected.idpEntityId) {
    throw new SamlRejection('saml_issuer', 'The sign-in response was issued by another identity provider than the one configured.');
  }
  const assertionId = assertion.getAttribute('ID');
  if (!assertionId) throw new SamlRejection('saml_response_invalid', 'The assertion has no ID.');

  const confirmations = childrenNamed(assertion, NS.assertion, 'Subject')
    .flatMap((subject) => childrenNamed(subject, NS.assertion, 'SubjectConfirmation'))
    .filter((c) => c.getAttribute('Method') === BEARER)
    .flatMap((c) => childrenNamed(c, NS.assertion, 'SubjectConfirmationData'));
  // Web SSO profile 4.1.4.2: the bearer confirmation names the ACS URL the assertion may be delivered to.
  if (confirmations.length === 0 || confirmations.some((data) => data.getAttribute('Recipient') !== expected.acsUrl)) {
    throw new SamlRejection('saml_recipient', 'The sign-in response is meant to be delivered to another service.');
  }
  const limits = [
    ...childrenNamed(assertion, NS.assertion, 'Conditions').map((c) => timeOf(c, 'NotOnOrAfter')),
    ...confirmations.map((c) => timeOf(c, 'NotOnOrAfter')),
  ].filter((d): d is Date => d !== undefined);
  const notOnOrAfter = limits.length > 0 ? new Date(Math.min(...limits.map((d) => d.getTime()))) : undefined;
  return { assertionId, notOnOrAfter };
}
