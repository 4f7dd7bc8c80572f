// One-time use of assertions (AUTH-NOTES.md §2.1): node-saml refuses a second answer to one AuthnRequest, but an
// IdP-initiated response answers none, so a captured one could be posted again until it expires. Every accepted
// assertion's ID is recorded until its NotOnOrAfter; recording it a second time hits the unique key, and that is the
// replay. The insert is the check, so two concurrent posts cannot both pass.
import type { Store } from '../../store/store';
import { isUniqueViolation } from '../../store/errors';
import { SamlRejection } from '../../auth/saml/errors';
import { CLOCK_SKEW_MS, MAX_ASSERTION_AGE_MS } from '../../auth/saml/options';
import { saveFlow } from '../sign-in/flows';

export async function recordAssertionOnce(store: Store, configurationName: string, assertionId: string, notOnOrAfter: Date | undefined, now = new Date()): Promise<void> {
  // Kept as long as node-saml would still accept the assertion: its NotOnOrAfter (bounded by the maximum age) plus skew.
  const until = Math.min(notOnOrAfter?.getTime() ?? Infinity, now.getTime() + MAX_ASSERTION_AGE_MS) + CLOCK_SKEW_MS;
  const ttlSeconds = Math.max(60, Math.ceil((until - now.getTime()) / 1000));
  try {
    await saveFlow(store, 'saml', configurationName, `assertion:${configurationName}:${assertionId}`, {}, ttlSeconds);
  } catch (error) {
    if (isUniqueViolation(error)) throw new SamlRejection('saml_replay', 'This sign-in response was used already; start again.');
    throw error;
  }
}
