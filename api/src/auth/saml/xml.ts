// Strict XML handling for everything SAML reads itself: a size cap and a DOCTYPE refusal before any parser sees the
// bytes (entity expansion and external entities are the classic XML attacks; SAML never needs a DTD), then a parse that
// fails on any error instead of guessing, as xmldom otherwise does.
import type { Document, Element } from '@xmldom/xmldom';
import { xmldom } from '../libraries';
import { SamlRejection } from './errors';

export const NS = {
  protocol: 'urn:oasis:names:tc:SAML:2.0:protocol',
  assertion: 'urn:oasis:names:tc:SAML:2.0:assertion',
  metadata: 'urn:oasis:names:tc:SAML:2.0:metadata',
  dsig: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** Largest SAMLResponse accepted, as sent (base64): real responses with many groups stay well below 100 KiB. */
export const MAX_SAML_RESPONSE_BASE64 = 350_000;

/** True when the text declares a DTD or an entity (however it is spelled). */
export function hasDoctype(xml: string): boolean {
  return /<!\s*(DOCTYPE|ENTITY)/i.test(xml);
}

/** Parses XML, refusing DTDs and anything xmldom reports as an error (multiple roots, unclosed tags…). */
export function parseStrict(xml: string, what: string): Document {
  if (hasDoctype(xml)) throw new SamlRejection('saml_doctype', `The ${what} contains a DOCTYPE, which is refused.`);
  let failed = false;
  const { DOMParser } = xmldom();
  const parser = new DOMParser({
    onError: (level) => {
      if (level !== 'warning') failed = true;
    },
  });
  let doc: Document;
  try {
    doc = parser.parseFromString(xml, 'text/xml');
  } catch {
    throw new SamlRejection('saml_response_malformed', `The ${what} is not well-formed XML.`);
  }
  if (failed || !doc.documentElement || doc.doctype) throw new SamlRejection('saml_response_malformed', `The ${what} is not well-formed XML.`);
  return doc;
}

/** Decodes a posted SAMLResponse: capped in size, strict base64, UTF-8, no DTD. Answers the XML and the base64 as node-saml wants it. */
export function decodeSamlResponse(raw: unknown): { xml: string; base64: string } {
  if (typeof raw !== 'string' || raw.length === 0) throw new SamlRejection('saml_response_missing', 'No SAMLResponse was posted.');
  if (raw.length > MAX_SAML_RESPONSE_BASE64) throw new SamlRejection('saml_response_too_large', 'The SAMLResponse is too large.');
  const base64 = raw.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw new SamlRejection('saml_response_malformed', 'The SAMLResponse is not base64.');
  }
  const xml = Buffer.from(base64, 'base64').toString('utf8');
  if (hasDoctype(xml)) throw new SamlRejection('saml_doctype', 'The SAML response contains a DOCTYPE, which is refused.');
  return { xml, base64 };
}

/** Direct children of an element with this namespace and local name. */
export function childrenNamed(parent: Element, ns: string, localName: string): Element[] {
  const out: Element[] = [];
  for (let node = parent.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === 1 && (node as Element).namespaceURI === ns && (node as Element).localName === localName) out.push(node as Element);
  }
  return out;
}

/** Every descendant element with this namespace and local name. */
export function descendantsNamed(root: Document | Element, ns: string, localName: string): Element[] {
  return Array.from(root.getElementsByTagNameNS(ns, localName) as unknown as ArrayLike<Element>);
}
