// Why a SAML sign-in was refused. Every refusal has a stable code (the UI and the tests key on it), a message fit for
// the person signing in, and a status: 400 for input that is not a usable SAML message at all, 403 for a message that
// is one but proves nothing (bad signature, wrong audience, replay…). Messages never quote the SAML response.
export type SamlRejectionCode =
  | 'saml_configuration_unknown'
  | 'saml_not_configured'
  | 'saml_response_missing'
  | 'saml_response_too_large'
  | 'saml_response_malformed'
  | 'saml_doctype'
  | 'saml_weak_algorithm'
  | 'saml_signature_invalid'
  | 'saml_in_response_to'
  | 'saml_browser_mismatch'
  | 'saml_audience'
  | 'saml_expired'
  | 'saml_issuer'
  | 'saml_recipient'
  | 'saml_destination'
  | 'saml_replay'
  | 'saml_idp_error'
  | 'saml_response_invalid';

const STATUS_400: ReadonlySet<SamlRejectionCode> = new Set([
  'saml_response_missing',
  'saml_response_too_large',
  'saml_response_malformed',
  'saml_doctype',
]);

export class SamlRejection extends Error {
  readonly status: 400 | 403 | 404;
  constructor(readonly code: SamlRejectionCode, message: string) {
    super(message);
    this.status = code === 'saml_configuration_unknown' ? 404 : STATUS_400.has(code) ? 400 : 403;
  }
}

/**
 * Translates node-saml's errors (plain Errors distinguished only by message) into rejections. Unknown messages become
 * a generic refusal: the detail goes to the log as a reason, never to the client.
 */
export function rejectionFromNodeSaml(error: unknown): SamlRejection {
  if (error instanceof SamlRejection) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/InResponseTo/i.test(message)) return new SamlRejection('saml_in_response_to', 'This sign-in response does not answer a sign-in started here, or was used already; start again.');
  if (/signature|multiple assertions|Cannot obtain assertion|too many transforms/i.test(message)) {
    return new SamlRejection('saml_signature_invalid', 'The sign-in response is not validly signed by the identity provider.');
  }
  if (/audience/i.test(message)) return new SamlRejection('saml_audience', 'The sign-in response is meant for another service.');
  if (/not yet valid|expired|NotOnOrAfter|NotBefore|subject confirmation/i.test(message)) {
    return new SamlRejection('saml_expired', 'The sign-in response has expired or is not valid yet; start again.');
  }
  if (/SAML provider returned/i.test(message)) return new SamlRejection('saml_idp_error', 'The identity provider did not sign you in.');
  if (/non-whitespace|invalid xml|unclosed|parse|Missing SAML assertion|Unknown SAML response|entity/i.test(message)) {
    return new SamlRejection('saml_response_malformed', 'The sign-in response is not a SAML response.');
  }
  return new SamlRejection('saml_response_invalid', 'The sign-in response was refused.');
}
