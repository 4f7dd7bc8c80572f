// SAML sign-in for one configuration: the SP-initiated start (an AuthnRequest by the redirect binding, its id kept
// server-side) and the assertion consumer (node-saml's validation plus the checks it leaves to us, then the account,
// group sync and a session). The order matters and is the point of this file:
//   1. the login lock, before anything is read;
//   2. size, base64 and DOCTYPE, before any XML parser runs;
//   3. algorithms and Destination on the parsed document, before node-saml verifies anything;
//   4. node-saml: signature against the metadata's certificates only, audience, time, InResponseTo (consumed once);
//   5. on the signed assertion bytes: Issuer, Recipient; the browser that started the flow; the replay store;
//   6. only then the account, in one transaction with group sync, and the session.
import { createHash, randomBytes } from 'node:crypto';
import { nodeSaml } from '../../auth/libraries';
import { ForbiddenError } from '../../domain/errors';
import { checkSignedAssertion, inspectResponse } from '../../auth/saml/checks';
import { rejectionFromNodeSaml, SamlRejection } from '../../auth/saml/errors';
import { MetadataError, parseIdpMetadata, type IdpMetadata } from '../../auth/saml/metadata';
import { samlOptions } from '../../auth/saml/options';
import { assertedUser } from '../../auth/saml/profile';
import { afterLoginUrl, safeRelativePath, spUrls, type SpUrls } from '../../auth/saml/urls';
import { decodeSamlResponse } from '../../auth/saml/xml';
import * as repo from '../../store/repositories/saml';
import type { RequestMeta, Store } from '../../store/store';
import { openSession, type LoginPolicy, type StartedSession } from '../sessions';
import { signInExternalUser } from '../sign-in/external-users';
import { assertMethodAllowed, type SignInMethod } from '../sign-in/login-lock';
import { syncSamlGroups } from './group-sync';
import { recordAssertionOnce } from './replay';
import { SamlRequestCache } from './request-cache';

interface LoadedConfiguration {
  configuration: repo.SamlConfigurationRecord;
  idp: IdpMetadata;
  urls: SpUrls;
}

const methodOf = (name: string): SignInMethod => `saml:${name}`;
const bindingHash = (secret: string) => createHash('sha256').update(secret).digest('hex');

async function loadConfiguration(store: Store, name: string, base: string): Promise<LoadedConfiguration> {
  const configuration = await repo.findConfigurationByName(store.db, name);
  if (!configuration) throw new SamlRejection('saml_configuration_unknown', 'There is no SAML configuration of this name.');
  if (!configuration.idpMetadataXml) throw new SamlRejection('saml_not_configured', 'This SAML configuration has no identity provider metadata yet.');
  let idp: IdpMetadata;
  try {
    idp = parseIdpMetadata(configuration.idpMetadataXml);
  } catch (error) {
    if (error instanceof MetadataError) throw new SamlRejection('saml_not_configured', `This SAML configuration's metadata is unusable: ${error.message}`);
    throw error;
  }
  return { configuration, idp, urls: spUrls(base, name) };
}

export interface StartedSamlLogin {
  /** The IdP's SSO URL with the deflated, encoded AuthnRequest. */
  redirectUrl: string;
  /** A secret for the browser-binding cookie, when the browser can keep one (services below check it at the ACS). */
  bindingSecret?: string;
}

/**
 * Starts an SP-initiated sign-in. `bindBrowser`: whether the browser can keep a SameSite=None cookie (only over TLS);
 * then the response must come back through the same browser (login CSRF: someone else's valid response posted in it).
 */
export async function startSamlLogin(store: Store, name: string, base: string, options: { next?: unknown; bindBrowser: boolean; lockTo?: LoginPolicy['lockTo'] }): Promise<StartedSamlLogin> {
  assertMethodAllowed(methodOf(name), options.lockTo);
  const { configuration, idp, urls } = await loadConfiguration(store, name, base);
  const bindingSecret = options.bindBrowser ? randomBytes(32).toString('base64url') : undefined;
  const cache = new SamlRequestCache(store, name, {
    ...(safeRelativePath(options.next) ? { next: safeRelativePath(options.next) } : {}),
    ...(bindingSecret ? { binding: bindingHash(bindingSecret) } : {}),
  });
  const saml = new (nodeSaml().SAML)(samlOptions({ idp, urls, wantResponseSigned: configuration.wantResponseSigned, allowIdpInitiated: configuration.allowIdpInitiated, cacheProvider: cache }));
  // No RelayState goes to the IdP: where to continue is kept server-side with the request.
  const redirectUrl = await saml.getAuthorizeUrlAsync('', undefined, {});
  return { redirectUrl, ...(bindingSecret ? { bindingSecret } : {}) };
}

export interface SamlResponseInput {
  samlResponse: unknown;
  relayState?: unknown;
  /** The browser-binding cookie, if the browser sent one. */
  bindingSecret?: string;
  /** The browser's current session cookie: it ends when the new session starts (rotation). */
  previousSession?: string;
}

export interface FinishedSamlLogin {
  session: StartedSession;
  redirectTo: string;
  userId: number;
}

/** Validates a posted SAMLResponse and signs its user in; throws SamlRejection (or ForbiddenError) on every failure. */
export async function finishSamlLogin(
  store: Store,
  name: string,
  base: string,
  input: SamlResponseInput,
  policy: LoginPolicy,
  meta: RequestMeta & { userAgent?: string },
): Promise<FinishedSamlLogin> {
  const method = methodOf(name);
  assertMethodAllowed(method, policy.lockTo);
  const { xml, base64 } = decodeSamlResponse(input.samlResponse);
  const { configuration, idp, urls } = await loadConfiguration(store, name, base);
  inspectResponse(xml, urls.acsUrl);

  const cache = new SamlRequestCache(store, name);
  const saml = new (nodeSaml().SAML)(samlOptions({ idp, urls, wantResponseSigned: configuration.wantResponseSigned, allowIdpInitiated: configuration.allowIdpInitiated, cacheProvider: cache }));
  let profile;
  try {
    ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: base64 }));
  } catch (error) {
    throw rejectionFromNodeSaml(error);
  }
  if (!profile?.getAssertionXml) throw new SamlRejection('saml_response_invalid', 'The posted message is not a sign-in response.');

  const facts = checkSignedAssertion(profile.getAssertionXml(), { idpEntityId: idp.entityId, acsUrl: urls.acsUrl });
  const request = cache.consumed;
  if (request?.binding && (!input.bindingSecret || bindingHash(input.bindingSecret) !== request.binding)) {
    throw new SamlRejection('saml_browser_mismatch', 'This sign-in was started in another browser; start again here.');
  }
  if (!request && !configuration.allowIdpInitiated) {
    // node-saml's 'always' already refuses this; kept so the rule does not depend on one option.
    throw new SamlRejection('saml_in_response_to', 'Sign-in must start at flagstack for this configuration.');
  }
  await recordAssertionOnce(store, name, facts.assertionId, facts.notOnOrAfter);

  const asserted = assertedUser(profile as { nameID?: string; attributes?: Record<string, unknown> }, await repo.listMappings(store.db, [configuration.id]));
  const organisationId = configuration.organisationId;
  const user = await signInExternalUser(
    store,
    { method, subject: asserted.subject, email: asserted.email, emailVerified: true, firstName: asserted.firstName, lastName: asserted.lastName },
    {
      mayCreate: true,
      organisationId,
      afterLink: async (w, u) => {
        // An organisation's administrators control its IdP, so its assertions may speak only for accounts of that
        // organisation alone: never for an instance admin, never for someone who also belongs elsewhere (Flagsmith:
        // SAML users belong to one organisation). Throwing here rolls back the link and the membership too.
        if (u.isSuperuser) throw new ForbiddenError('Instance administrators cannot sign in through an organisation\'s SAML configuration.');
        const elsewhere = await w.trx.selectFrom('organisation_users').select('organisation_id').where('user_id', '=', u.id).where('organisation_id', '!=', organisationId).executeTakeFirst();
        if (elsewhere) throw new ForbiddenError('This account belongs to other organisations too; it cannot sign in through this organisation\'s SAML configuration.');
        await syncSamlGroups(w, organisationId, u, asserted.groups, method);
      },
    },
    meta,
  );
  const session = await openSession(store, user, method, policy, meta, input.previousSession);
  const next = request ? request.next : safeRelativePath(input.relayState);
  return { session, redirectTo: afterLoginUrl(configuration.frontendUrl, next), userId: user.id };
}

/** The SP metadata XML of a configuration (no metadata of the IdP is needed for it). */
export async function serviceProviderMetadata(store: Store, name: string, base: string): Promise<{ urls: SpUrls; xml: string }> {
  const configuration = await repo.findConfigurationByName(store.db, name);
  if (!configuration) throw new SamlRejection('saml_configuration_unknown', 'There is no SAML configuration of this name.');
  const urls = spUrls(base, name);
  // node-saml needs an idpCert to construct; SP metadata does not use it.
  const saml = new (nodeSaml().SAML)({ issuer: urls.entityId, callbackUrl: urls.acsUrl, idpCert: 'unused', identifierFormat: null, wantAssertionsSigned: true, wantAuthnResponseSigned: configuration.wantResponseSigned });
  return { urls, xml: saml.generateServiceProviderMetadata(null, null) };
}

/** Configurations a login screen can offer: those with IdP metadata. */
export async function samlLoginNames(store: Store): Promise<string[]> {
  return (await repo.listConfigurations(store.db, null)).filter((c) => c.idpMetadataXml).map((c) => c.name);
}
