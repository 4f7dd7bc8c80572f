// The sign-in libraries, loaded at first use instead of at start: SAML (node-saml with xml-crypto, xpath, xmlbuilder
// and their own xmldom copies), xmldom (our strict XML parsing), openid-client (with oauth4webapi and jose) and ldapts
// are ~900 KB of minified JavaScript that only the sign-in routes, SAML metadata checks and the LDAP sync use. Loaded
// here, they never weigh on the SDK read path or a function's cold start: the function builds keep each in a file of
// its own under lazy/ (scripts/build.ts, LAZY_CHUNKS), the container resolves it from node_modules when first needed.
//
// A plain require(), synchronous: some callers are (XML parsing, LDAP filters), and Node's module cache is the cache.
// Only the packages are deferred, not our modules that use them: those share error classes and state with the rest
// of the app (instanceof across a separately bundled copy would fail), and are small.
import type * as NodeSaml from '@node-saml/node-saml';
import type * as Xmldom from '@xmldom/xmldom';
import type * as OpenidClient from 'openid-client';
import type * as Ldapts from 'ldapts';

export function nodeSaml(): typeof NodeSaml {
  return require('@node-saml/node-saml') as typeof NodeSaml;
}

export function xmldom(): typeof Xmldom {
  return require('@xmldom/xmldom') as typeof Xmldom;
}

export function openidClient(): typeof OpenidClient {
  return require('openid-client') as typeof OpenidClient;
}

export function ldapts(): typeof Ldapts {
  return require('ldapts') as typeof Ldapts;
}
