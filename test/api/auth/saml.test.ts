// SAML sign-in through the real HTTP API, on every database: the SP-initiated flow (request → the test IdP → ACS →
// a session cookie that works), IdP-initiated sign-in when allowed, group sync, and every attack of AUTH-NOTES.md §4
// that the code must refuse — each refusal asserted by status, code, and the absence of a session.
import type { LightMyRequestResponse } from 'fastify';
import { DOMParser, XMLSerializer, type Element } from '@xmldom/xmldom';
import { sql } from 'kysely';
import { ADMIN_EMAIL, createFixture, startTestApi, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';
import { b64, esc, idpMetadata, makeKeyPair, readAuthnRequest, responseXml, signElement, signedResponse, type KeyPair, type ResponseOptions } from '../../support/saml-idp';
import { directMember } from '../rbac/route-requests';

const HOST = 'localhost:8000';
const BASE = `http://${HOST}`;
const IDP_ENTITY = 'https://idp.example.test/metadata';
const SSO_URL = 'https://idp.example.test/sso';
const FRONTEND = 'https://flags.example.com/app/';
const SAML_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';

let idp: KeyPair;
let evil: KeyPair;
beforeAll(() => {
  idp = makeKeyPair('test-idp');
  evil = makeKeyPair('evil-idp');
});

function setCookies(res: LightMyRequestResponse): string[] {
  const raw = res.headers['set-cookie'];
  return raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
}
const cookieValue = (res: LightMyRequestResponse, name: string) => setCookies(res).find((c) => c.startsWith(`${name}=`))?.split(';')[0]!.split('=').slice(1).join('=');
const sessionOf = (res: LightMyRequestResponse) => cookieValue(res, '__Host-flagstack') || undefined;

describe.each(enginesUnderTest())('SAML sign-in on %s', (engine) => {
  let api: TestApi;
  let orgId: number;
  let otherOrgId: number;
  const name = `acme-${engine}`;
  const unsolicited = `acme-idp-${engine}`;
  const groups: Record<string, number> = {};

  const call = (method: string, url: string, headers: Record<string, string> = {}, payload?: string) =>
    api.app.inject({ method: method as never, url, headers: { host: HOST, ...headers }, payload });

  const acsOf = (n: string) => `${BASE}/api/v1/auth/saml/${n}/response/`;
  const entityOf = (n: string) => `${BASE}/api/v1/auth/saml/${n}/metadata/`;

  beforeAll(async () => {
    api = await startTestApi(engine);
    orgId = (await createFixture(api, 'SAML')).organisationId;
    otherOrgId = (await api.admin('POST', '/api/v1/organisations/', { name: 'Other org' })).id;
    const metadata = idpMetadata({ entityId: IDP_ENTITY, ssoUrl: SSO_URL, certs: [idp.certBody] });
    await api.admin('POST', '/api/v1/auth/saml/configuration/', { name, organisation: orgId, frontend_url: FRONTEND, idp_metadata_xml: metadata });
    await api.admin('POST', '/api/v1/auth/saml/configuration/', { name: unsolicited, organisation: orgId, frontend_url: FRONTEND, idp_metadata_xml: metadata, allow_idp_initiated: true });
    for (const [label, externalId] of [['Engineers', 'eng'], ['Ops', 'ops'], ['Local', null]] as const) {
      groups[label] = (await api.admin('POST', `/api/v1/organisations/${orgId}/groups/`, { name: label, external_id: externalId })).id;
    }
  }, 120_000);
  afterAll(async () => api?.close());

  /** Starts SP-initiated sign-in like a browser: the AuthnRequest the IdP would get, and the binding cookie. */
  async function startFlow(config = name, query = ''): Promise<{ id: string; acsUrl: string; spEntity: string; binding: string; location: string }> {
    const res = await call('GET', `/api/v1/auth/saml/${config}/request/${query}`);
    expect(res.statusCode).toBe(302);
    const location = String(res.headers.location);
    expect(location.startsWith(`${SSO_URL}?SAMLRequest=`)).toBe(true);
    const request = readAuthnRequest(location);
    return { id: request.id, acsUrl: request.acsUrl, spEntity: request.issuer, binding: cookieValue(res, '__Host-flagstack-saml')!, location };
  }

  function post(config: string, xml: string, o: { binding?: string; relayState?: string; raw?: string } = {}) {
    const form = new URLSearchParams({ SAMLResponse: o.raw ?? b64(xml), ...(o.relayState !== undefined ? { RelayState: o.relayState } : {}) }).toString();
    return call('POST', `/api/v1/auth/saml/${config}/response/`, {
      'content-type': 'application/x-www-form-urlencoded',
      // A cross-site POST from the IdP: another origin, no CSRF token.
      origin: 'https://idp.example.test',
      ...(o.binding ? { cookie: `__Host-flagstack-saml=${o.binding}` } : {}),
    }, form);
  }

  /** Options of a correct answer to a flow. */
  function answer(flow: { id: string; acsUrl: string; spEntity: string }, nameId: string, extra: Partial<ResponseOptions> = {}): ResponseOptions & { key: string } {
    return { issuer: IDP_ENTITY, audience: flow.spEntity, recipient: flow.acsUrl, inResponseTo: flow.id, nameId, key: idp.key, ...extra };
  }

  async function whoIs(session: string | undefined): Promise<string | undefined> {
    if (!session) return undefined;
    const res = await call('GET', '/api/v1/auth/session/', { cookie: `__Host-flagstack=${session}` });
    return res.statusCode === 200 ? res.json().user.email : undefined;
  }

  async function expectRefused(res: LightMyRequestResponse, status: number, code: string): Promise<void> {
    expect({ status: res.statusCode, code: res.json().code }).toEqual({ status, code });
    expect(sessionOf(res)).toBeUndefined();
    // Never an echo of the response or a stack.
    expect(res.body).not.toMatch(/PHNhbWxw|samlp:|at .+\.js:\d+/);
  }

  async function userIdOf(email: string): Promise<number | undefined> {
    const row = await api.runtime.store.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
    return row?.id;
  }

  async function groupNamesOf(email: string): Promise<string[]> {
    const id = await userIdOf(email);
    if (id === undefined) return [];
    const rows = await api.runtime.store.db.selectFrom('user_group_members').innerJoin('user_groups', 'user_groups.id', 'user_group_members.group_id').select('user_groups.name').where('user_group_members.user_id', '=', id).execute();
    return rows.map((r) => r.name).sort();
  }

  // -- the flow ----------------------------------------------------------------------------------------------------

  test('SP-initiated: request → IdP → ACS → 302 to the frontend with a working session cookie', async () => {
    const flow = await startFlow(name, '?next=/projects/7/');
    expect(flow.acsUrl).toBe(acsOf(name));
    expect(flow.spEntity).toBe(entityOf(name));
    expect(flow.binding).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const { xml } = signedResponse({ ...answer(flow, 'alice-subject'), attributes: { email: 'Alice@Corp.example', givenName: 'Alice', sn: 'Liddell', groups: ['eng'] } });
    const res = await post(name, xml, { binding: flow.binding });
    expect(res.statusCode).toBe(302);
    // The relative path kept with the request, on the frontend's origin.
    expect(res.headers.location).toBe('https://flags.example.com/projects/7/');
    expect(setCookies(res).find((c) => c.startsWith('__Host-flagstack='))).toMatch(/HttpOnly; Secure$/);
    expect(setCookies(res).some((c) => c.startsWith('__Host-csrf='))).toBe(true);
    expect(await whoIs(sessionOf(res))).toBe('alice@corp.example');

    const me = await call('GET', '/api/v1/auth/users/me/', { cookie: `__Host-flagstack=${sessionOf(res)}` });
    expect(me.json()).toMatchObject({ email: 'alice@corp.example', first_name: 'Alice', last_name: 'Liddell' });
    const alice = (await userIdOf('alice@corp.example'))!;
    const link = await api.runtime.store.db.selectFrom('user_identities' as never).selectAll().where('user_id' as never, '=', alice as never).execute();
    expect(link).toMatchObject([{ provider: `saml:${name}`, subject: 'alice-subject' }]);
    const membership = await api.runtime.store.db.selectFrom('organisation_users').select('role').where('organisation_id', '=', orgId).where('user_id', '=', alice).executeTakeFirst();
    expect(membership?.role).toBe('USER');
    expect(await groupNamesOf('alice@corp.example')).toEqual(['Engineers']);
    // The second sign-in finds the same account through the link (a changed email does not make a new one).
    const again = await startFlow();
    const second = await post(name, signedResponse({ ...answer(again, 'alice-subject'), attributes: { email: 'alice@corp.example', groups: ['eng'] } }).xml, { binding: again.binding });
    expect(second.statusCode).toBe(302);
    expect(await whoIs(sessionOf(second))).toBe('alice@corp.example');
  });

  test('a response signed over the whole Response as well is accepted; want_response_signed demands it', async () => {
    const flow = await startFlow();
    const both = signedResponse({ ...answer(flow, 'dora@corp.example'), signResponse: true });
    expect((await post(name, both.xml, { binding: flow.binding })).statusCode).toBe(302);
    const strict = `strict-${engine}`;
    await api.admin('POST', '/api/v1/auth/saml/configuration/', { name: strict, organisation: orgId, frontend_url: FRONTEND, idp_metadata_xml: idpMetadata({ entityId: IDP_ENTITY, ssoUrl: SSO_URL, certs: [idp.certBody] }), want_response_signed: true });
    const f2 = await startFlow(strict);
    await expectRefused(await post(strict, signedResponse(answer(f2, 'dora@corp.example')).xml, { binding: f2.binding }), 403, 'saml_signature_invalid');
    const f3 = await startFlow(strict);
    expect((await post(strict, signedResponse({ ...answer(f3, 'dora@corp.example'), signResponse: true }).xml, { binding: f3.binding })).statusCode).toBe(302);
  });

  test('RelayState never leads off-site: IdP-initiated sign-in follows only a relative path', async () => {
    const offsite = await post(unsolicited, signedResponse({ ...answer({ id: '', acsUrl: acsOf(unsolicited), spEntity: entityOf(unsolicited) }, 'erin@corp.example'), inResponseTo: null }).xml, { relayState: 'https://evil.example/phish' });
    expect(offsite.statusCode).toBe(302);
    expect(offsite.headers.location).toBe(FRONTEND);
    const slashes = await post(unsolicited, signedResponse({ ...answer({ id: '', acsUrl: acsOf(unsolicited), spEntity: entityOf(unsolicited) }, 'erin@corp.example'), inResponseTo: null }).xml, { relayState: '//evil.example/x' });
    expect(slashes.headers.location).toBe(FRONTEND);
    const relative = await post(unsolicited, signedResponse({ ...answer({ id: '', acsUrl: acsOf(unsolicited), spEntity: entityOf(unsolicited) }, 'erin@corp.example'), inResponseTo: null }).xml, { relayState: '/organisation/1/settings' });
    expect(relative.headers.location).toBe('https://flags.example.com/organisation/1/settings');
    expect(await whoIs(sessionOf(relative))).toBe('erin@corp.example');
  });

  test('SP metadata: XML by default, JSON on request, with the ACS and entity ID of the configuration', async () => {
    const xml = await call('GET', `/api/v1/auth/saml/${name}/metadata/`);
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toMatch(/^application\/samlmetadata\+xml/);
    expect(xml.body).toContain(`entityID="${entityOf(name)}"`);
    expect(xml.body).toContain(`Location="${acsOf(name)}"`);
    const json = await call('GET', `/api/v1/auth/saml/${name}/metadata/?format=json`);
    // Each document has its own random ID; otherwise the same.
    const withoutId = (x: string) => x.replace(/ ID="[^"]+"/, '');
    expect({ ...json.json(), metadata_xml: withoutId(json.json().metadata_xml) }).toEqual({ entity_id: entityOf(name), response_url: acsOf(name), metadata_xml: withoutId(xml.body) });
    expect((await call('GET', `/api/v1/auth/saml/${name}/metadata/`, { accept: 'application/json' })).json().entity_id).toBe(entityOf(name));
    expect((await call('GET', '/api/v1/auth/saml/nope/metadata/')).statusCode).toBe(404);
  });

  test('POST request/ with Accept: application/json answers the IdP URL in JSON and in Location', async () => {
    const res = await call('POST', `/api/v1/auth/saml/${name}/request/`, { accept: 'application/json' });
    expect(res.statusCode).toBe(200);
    expect(res.json().redirect_url).toBe(res.headers.location);
    expect(readAuthnRequest(res.json().redirect_url).acsUrl).toBe(acsOf(name));
  });

  test('the login screen lists each configuration with metadata', async () => {
    const res = (await call('GET', '/api/v1/auth/providers/')).json();
    expect(res.providers).toContainEqual({ id: `saml:${name}`, type: 'saml', label: name, login_url: `/api/v1/auth/saml/${name}/request/` });
  });

  // -- group sync --------------------------------------------------------------------------------------------------

  test('group sync adds the claimed groups, removes the other mapped ones, never touches groups without external_id', async () => {
    const login = async (claim: string[]) => {
      const flow = await startFlow();
      const res = await post(name, signedResponse({ ...answer(flow, 'bob@corp.example'), attributes: { groups: claim } }).xml, { binding: flow.binding });
      expect(res.statusCode).toBe(302);
    };
    await login(['eng', 'unknown-group']);
    expect(await groupNamesOf('bob@corp.example')).toEqual(['Engineers']);
    const bob = (await userIdOf('bob@corp.example'))!;
    await api.admin('POST', `/api/v1/organisations/${orgId}/groups/${groups.Local}/add-users/`, { user_ids: [bob] }, 200);
    await login(['ops']);
    expect(await groupNamesOf('bob@corp.example')).toEqual(['Local', 'Ops']);
    await login([]);
    expect(await groupNamesOf('bob@corp.example')).toEqual(['Local']);
    // Groups are never created from a claim.
    const names = (await api.admin('GET', `/api/v1/organisations/${orgId}/groups/?page_size=100`)).results.map((g: { name: string }) => g.name);
    expect(names).not.toContain('unknown-group');
    const audit = await api.runtime.store.db
      .selectFrom('audit_log')
      .select(['action', 'actor_label', 'resource_id'])
      .where('resource_type', '=', 'group')
      .where('log', 'like', '%bob@corp.example%group sync%')
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.actor_label, Number(a.resource_id)])).toEqual([
      ['add_users', 'system:saml-login', groups.Engineers],
      ['remove_users', 'system:saml-login', groups.Engineers],
      ['add_users', 'system:saml-login', groups.Ops],
      ['remove_users', 'system:saml-login', groups.Ops],
    ]);
  });

  test('an attribute mapping decides where the email and groups come from (Entra ID style claims)', async () => {
    const entra = `entra-${engine}`;
    const config = await api.admin('POST', '/api/v1/auth/saml/configuration/', { name: entra, organisation: orgId, frontend_url: FRONTEND, idp_metadata_xml: idpMetadata({ entityId: IDP_ENTITY, ssoUrl: SSO_URL, certs: [idp.certBody] }) });
    const claim = (n: string) => `http://schemas.microsoft.com/identity/claims/${n}`;
    await api.admin('POST', '/api/v1/auth/saml/attribute-mapping/', { saml_configuration: config.id, django_attribute_name: 'email', idp_attribute_name: claim('upn') });
    await api.admin('POST', '/api/v1/auth/saml/attribute-mapping/', { saml_configuration: config.id, django_attribute_name: 'groups', idp_attribute_name: claim('roles') });
    const flow = await startFlow(entra);
    const res = await post(entra, signedResponse({ ...answer(flow, 'opaque-entra-object-id'), attributes: { [claim('upn')]: 'frank@corp.example', email: 'not-this@corp.example', [claim('roles')]: ['ops'] } }).xml, { binding: flow.binding });
    expect(res.statusCode).toBe(302);
    expect(await whoIs(sessionOf(res))).toBe('frank@corp.example');
    expect(await groupNamesOf('frank@corp.example')).toEqual(['Ops']);
  });

  // -- accounts SAML may not speak for -----------------------------------------------------------------------------

  test('an organisation IdP cannot sign in an instance admin, nor a member of another organisation', async () => {
    const f1 = await startFlow();
    await expectRefused(await post(name, signedResponse(answer(f1, ADMIN_EMAIL)).xml, { binding: f1.binding }), 403, 'saml_forbidden');
    const other = await directMember(api, otherOrgId);
    const email = (await api.runtime.store.db.selectFrom('users').select('email').where('id', '=', other.id).executeTakeFirstOrThrow()).email;
    const f2 = await startFlow();
    await expectRefused(await post(name, signedResponse(answer(f2, email)).xml, { binding: f2.binding }), 403, 'saml_forbidden');
    // Nothing was kept of either attempt: no link, no membership.
    const links = await api.runtime.store.db.selectFrom('user_identities' as never).select('subject' as never).where('subject' as never, 'in', [ADMIN_EMAIL, email] as never).execute();
    expect(links).toEqual([]);
    const joined = await api.runtime.store.db.selectFrom('organisation_users').select('user_id').where('organisation_id', '=', orgId).where('user_id', '=', other.id).execute();
    expect(joined).toEqual([]);
  });

  // -- attacks -----------------------------------------------------------------------------------------------------

  test('unsigned assertion', async () => {
    const flow = await startFlow();
    const { xml } = responseXml(answer(flow, 'mallory@corp.example'));
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_signature_invalid');
  });

  test('only the Response signed, the assertion not (assertions must be signed)', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse({ ...answer(flow, 'mallory@corp.example'), signAssertion: false, signResponse: true });
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_signature_invalid');
  });

  test('wrong signer, with its certificate in KeyInfo', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse({ ...answer(flow, 'mallory@corp.example'), key: evil.key, embedCert: evil.cert });
    expect(xml).toContain(evil.certBody.slice(0, 40));
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_signature_invalid');
  });

  test('NameID changed after signing', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'nobody@corp.example'));
    await expectRefused(await post(name, xml.replace('nobody@corp.example', 'alice@corp.example'), { binding: flow.binding }), 403, 'saml_signature_invalid');
  });

  test('wrong audience (a response for another service provider)', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'mallory@corp.example', { audience: 'https://other-sp.example/saml' }));
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_audience');
  });

  test("a response for another configuration's audience", async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'mallory@corp.example', { audience: entityOf(unsolicited) }));
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_audience');
  });

  test('expired NotOnOrAfter (beyond the 60 s skew), and not yet valid', async () => {
    const flow = await startFlow();
    const past = new Date(Date.now() - 3 * 60_000);
    const { xml } = signedResponse(answer(flow, 'mallory@corp.example', { now: new Date(Date.now() - 4 * 60_000), notOnOrAfter: past }));
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_expired');
    const f2 = await startFlow();
    const future = signedResponse(answer(f2, 'mallory@corp.example', { notBefore: new Date(Date.now() + 5 * 60_000) }));
    await expectRefused(await post(name, future.xml, { binding: f2.binding }), 403, 'saml_expired');
  });

  test('within the skew: NotOnOrAfter 20 s ago is accepted', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'gina@corp.example', { now: new Date(Date.now() - 60_000), notOnOrAfter: new Date(Date.now() - 20_000) }));
    expect((await post(name, xml, { binding: flow.binding })).statusCode).toBe(302);
  });

  test('replayed InResponseTo: the same response twice, and two posts at once', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'henry@corp.example'));
    expect((await post(name, xml, { binding: flow.binding })).statusCode).toBe(302);
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_in_response_to');
    const f2 = await startFlow();
    const second = signedResponse(answer(f2, 'henry@corp.example')).xml;
    const results = await Promise.all([post(name, second, { binding: f2.binding }), post(name, second, { binding: f2.binding })]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([302, 403]);
  });

  test('unknown InResponseTo, and one of another configuration', async () => {
    const flow = await startFlow();
    await expectRefused(await post(name, signedResponse(answer(flow, 'mallory@corp.example', { inResponseTo: '_never-issued' })).xml, { binding: flow.binding }), 403, 'saml_in_response_to');
    const elsewhere = await startFlow(unsolicited);
    const { xml } = signedResponse(answer({ ...elsewhere, acsUrl: acsOf(name), spEntity: entityOf(name) }, 'mallory@corp.example'));
    await expectRefused(await post(name, xml, { binding: elsewhere.binding }), 403, 'saml_in_response_to');
  });

  test('IdP-initiated (no InResponseTo) when the configuration does not allow it', async () => {
    const { xml } = signedResponse({ ...answer({ id: '', acsUrl: acsOf(name), spEntity: entityOf(name) }, 'mallory@corp.example'), inResponseTo: null });
    await expectRefused(await post(name, xml), 403, 'saml_in_response_to');
  });

  test('replayed assertion (IdP-initiated): accepted once, refused after', async () => {
    const { xml } = signedResponse({ ...answer({ id: '', acsUrl: acsOf(unsolicited), spEntity: entityOf(unsolicited) }, 'ivan@corp.example'), inResponseTo: null });
    const first = await post(unsolicited, xml);
    expect(first.statusCode).toBe(302);
    expect(await whoIs(sessionOf(first))).toBe('ivan@corp.example');
    await expectRefused(await post(unsolicited, xml), 403, 'saml_replay');
    // The replay marker is kept server-side, hashed.
    const markers = await sql<{ n: number }>`select count(*) as n from auth_flows where kind = 'saml' and provider = ${unsolicited}`.execute(api.runtime.store.db);
    expect(Number(markers.rows[0]!.n)).toBeGreaterThan(0);
  });

  test('a response posted in another browser than the one that started the flow (login CSRF)', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'judy@corp.example'));
    await expectRefused(await post(name, xml), 403, 'saml_browser_mismatch');
    const f2 = await startFlow();
    await expectRefused(await post(name, signedResponse(answer(f2, 'judy@corp.example')).xml, { binding: flow.binding }), 403, 'saml_browser_mismatch');
  });

  test('wrong Issuer (assertion signed with the right key but issued by someone else)', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'mallory@corp.example', { issuer: 'https://other-idp.example/metadata' }));
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_issuer');
  });

  test('wrong Recipient, wrong Destination', async () => {
    const flow = await startFlow();
    const recipient = signedResponse(answer(flow, 'mallory@corp.example', { recipient: 'https://other-sp.example/acs', destination: flow.acsUrl }));
    await expectRefused(await post(name, recipient.xml, { binding: flow.binding }), 403, 'saml_recipient');
    const f2 = await startFlow();
    const destination = signedResponse({ ...answer(f2, 'mallory@corp.example', { destination: 'https://other-sp.example/acs' }), signResponse: true });
    await expectRefused(await post(name, destination.xml, { binding: f2.binding }), 403, 'saml_destination');
    // The ACS URL of another configuration of this very instance is "another service" too.
    const f3 = await startFlow();
    const sibling = signedResponse(answer(f3, 'mallory@corp.example', { recipient: acsOf(unsolicited), destination: null }));
    await expectRefused(await post(name, sibling.xml, { binding: f3.binding }), 403, 'saml_recipient');
  });

  test('SHA-1 signature and digest are refused', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse({ ...answer(flow, 'mallory@corp.example'), sha1: true });
    expect(xml).toContain('xmldsig#rsa-sha1');
    await expectRefused(await post(name, xml, { binding: flow.binding }), 403, 'saml_weak_algorithm');
  });

  test('DOCTYPE (entity expansion) is refused before parsing', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'mallory@corp.example'));
    const withDtd = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${xml}`;
    await expectRefused(await post(name, withDtd, { binding: flow.binding }), 400, 'saml_doctype');
  });

  test('two root elements, and something that is not a SAML Response', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'mallory@corp.example'));
    await expectRefused(await post(name, xml + xml, { binding: flow.binding }), 400, 'saml_response_malformed');
    await expectRefused(await post(name, '<hello/>', { binding: flow.binding }), 400, 'saml_response_malformed');
    await expectRefused(await post(name, '', { raw: '%%%not-base64%%%', binding: flow.binding }), 400, 'saml_response_malformed');
  });

  describe('XML signature wrapping', () => {
    const parse = (xml: string) => new DOMParser().parseFromString(xml, 'text/xml');
    const serialize = (node: unknown) => new XMLSerializer().serializeToString(node as never);
    const firstNs = (root: Element, local: string): Element => root.getElementsByTagNameNS(SAML_NS, local)[0] as Element;

    /** A signed response, and an unsigned evil copy of its assertion naming someone else. */
    async function material(victim: string) {
      const flow = await startFlow();
      const signed = signedResponse(answer(flow, 'xsw-legit@corp.example'));
      const doc = parse(signed.xml);
      const response = doc.documentElement!;
      const original = firstNs(response, 'Assertion');
      const evilAssertion = original.cloneNode(true) as Element;
      evilAssertion.setAttribute('ID', '_evil');
      const sig = evilAssertion.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0];
      if (sig) evilAssertion.removeChild(sig);
      firstNs(evilAssertion, 'NameID').textContent = victim;
      return { flow, doc, response, original, evilAssertion };
    }

    test('XSW3: an evil assertion beside the signed one', async () => {
      const m = await material('alice@corp.example');
      m.response.insertBefore(m.evilAssertion, m.original);
      await expectRefused(await post(name, serialize(m.doc), { binding: m.flow.binding }), 403, 'saml_signature_invalid');
    });

    test('XSW4: the evil assertion wraps the signed one', async () => {
      const m = await material('alice@corp.example');
      m.response.replaceChild(m.evilAssertion, m.original);
      m.evilAssertion.appendChild(m.original);
      await expectRefused(await post(name, serialize(m.doc), { binding: m.flow.binding }), 403, 'saml_signature_invalid');
    });

    test('XSW7: the signed assertion hidden in Extensions, the evil one in its place', async () => {
      const m = await material('alice@corp.example');
      const extensions = m.doc.createElementNS('urn:oasis:names:tc:SAML:2.0:protocol', 'samlp:Extensions');
      m.response.replaceChild(m.evilAssertion, m.original);
      extensions.appendChild(m.original);
      m.response.insertBefore(extensions, m.evilAssertion);
      await expectRefused(await post(name, serialize(m.doc), { binding: m.flow.binding }), 403, 'saml_signature_invalid');
    });

    test("XSW8: the signed assertion inside the evil assertion's copied Signature/Object", async () => {
      const m = await material('alice@corp.example');
      const signature = m.original.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!.cloneNode(true) as Element;
      const object = m.doc.createElementNS('http://www.w3.org/2000/09/xmldsig#', 'ds:Object');
      const inner = m.original.cloneNode(true) as Element;
      inner.removeChild(inner.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0]!);
      object.appendChild(inner);
      signature.appendChild(object);
      m.evilAssertion.insertBefore(signature, firstNs(m.evilAssertion, 'Subject'));
      m.response.replaceChild(m.evilAssertion, m.original);
      await expectRefused(await post(name, serialize(m.doc), { binding: m.flow.binding }), 403, 'saml_signature_invalid');
    });

    test('XSW1: a signed Response wrapped inside an evil Response', async () => {
      const flow = await startFlow();
      const signed = signedResponse({ ...answer(flow, 'xsw-legit@corp.example'), signResponse: true });
      const doc = parse(signed.xml);
      const original = doc.documentElement!;
      const evilResponse = original.cloneNode(true) as Element;
      evilResponse.setAttribute('ID', '_evil-response');
      const evilSig = Array.from({ length: evilResponse.childNodes.length }, (_, i) => evilResponse.childNodes[i] as Element).find((n) => n.localName === 'Signature')!;
      // The original, signed Response goes inside the copied signature; the outer one names the victim.
      evilSig.appendChild(original.cloneNode(true));
      const assertion = firstNs(evilResponse, 'Assertion');
      const asig = assertion.getElementsByTagNameNS('http://www.w3.org/2000/09/xmldsig#', 'Signature')[0];
      if (asig) assertion.removeChild(asig);
      firstNs(assertion, 'NameID').textContent = 'alice@corp.example';
      await expectRefused(await post(name, serialize(evilResponse), { binding: flow.binding }), 403, 'saml_signature_invalid');
    });
  });

  test('comment injected into the signed NameID yields the full signed value, not the truncated one', async () => {
    await directMember(api, orgId).then(async (m) => {
      await api.runtime.store.db.updateTable('users').set({ email: 'victim@example.com' }).where('id', '=', m.id).execute();
    });
    const flow = await startFlow();
    const { xml } = signedResponse(answer(flow, 'victim@example.com.evil.com'));
    const injected = xml.replace('victim@example.com.evil.com</saml:NameID>', 'victim@example.com<!---->.evil.com</saml:NameID>');
    expect(injected).not.toBe(xml);
    const res = await post(name, injected, { binding: flow.binding });
    expect(res.statusCode).toBe(302);
    expect(await whoIs(sessionOf(res))).toBe('victim@example.com.evil.com');
    const victim = (await userIdOf('victim@example.com'))!;
    const links = await api.runtime.store.db.selectFrom('user_identities' as never).select('subject' as never).where('user_id' as never, '=', victim as never).execute();
    expect(links).toEqual([]);
  });

  test('oversized body: 413 past the body limit, 400 past the SAMLResponse cap; no session either way', async () => {
    const flow = await startFlow();
    const huge = await post(name, '', { raw: 'A'.repeat(800_000), binding: flow.binding });
    expect(huge.statusCode).toBe(413);
    expect(sessionOf(huge)).toBeUndefined();
    const big = await post(name, '', { raw: 'A'.repeat(400_000), binding: flow.binding });
    expect(big.statusCode).toBe(400);
    expect(sessionOf(big)).toBeUndefined();
  });

  test('unknown configuration: 404 on request and ACS', async () => {
    expect((await call('GET', '/api/v1/auth/saml/does-not-exist/request/')).statusCode).toBe(404);
    const res = await post('does-not-exist', '<x/>');
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('saml_configuration_unknown');
  });

  test('the ACS needs no CSRF token even with a session cookie present; the old session ends (rotation)', async () => {
    const f1 = await startFlow();
    const first = await post(name, signedResponse(answer(f1, 'kate@corp.example')).xml, { binding: f1.binding });
    const old = sessionOf(first)!;
    const f2 = await startFlow();
    const res = await call('POST', `/api/v1/auth/saml/${name}/response/`, {
      'content-type': 'application/x-www-form-urlencoded',
      cookie: `__Host-flagstack=${old}; __Host-flagstack-saml=${f2.binding}`,
    }, new URLSearchParams({ SAMLResponse: b64(signedResponse(answer(f2, 'kate@corp.example')).xml) }).toString());
    expect(res.statusCode).toBe(302);
    expect(await whoIs(sessionOf(res))).toBe('kate@corp.example');
    expect(await whoIs(old)).toBeUndefined();
  });

  test('XML-escaped attribute values are read as text', async () => {
    const flow = await startFlow();
    const { xml } = signedResponse({ ...answer(flow, 'liam@corp.example'), attributes: { givenName: '<b>Liam</b> & co' } });
    expect(xml).toContain(esc('<b>Liam</b> & co'));
    const res = await post(name, xml, { binding: flow.binding });
    const me = await call('GET', '/api/v1/auth/users/me/', { cookie: `__Host-flagstack=${sessionOf(res)}` });
    expect(me.json().first_name).toBe('<b>Liam</b> & co');
  });

  test('signElement signs what it is given (the builder itself is sound)', () => {
    const built = responseXml({ issuer: IDP_ENTITY, audience: 'a', recipient: 'r', inResponseTo: null, nameId: 'n' });
    expect(signElement(built.xml, built.assertionId, { key: idp.key })).toContain('<ds:SignatureValue>');
  });
});

describe.each(enginesUnderTest())('SAML with LOCK_LOGIN_TO=ldap and SAML_FORCE_SSL on %s', (engine) => {
  let api: TestApi;
  let idp2: KeyPair;
  const name = `locked-${engine}`;

  beforeAll(async () => {
    idp2 = makeKeyPair('locked-idp');
    api = await startTestApi(engine, { env: { LOCK_LOGIN_TO: 'ldap', LDAP_AUTH_URL: 'ldap://127.0.0.1:3890', SAML_FORCE_SSL: 'true' } });
    const org = (await createFixture(api, 'Locked')).organisationId;
    await api.admin('POST', '/api/v1/auth/saml/configuration/', { name, organisation: org, frontend_url: FRONTEND, idp_metadata_xml: idpMetadata({ entityId: IDP_ENTITY, ssoUrl: SSO_URL, certs: [idp2.certBody] }) });
  }, 120_000);
  afterAll(async () => api?.close());

  test('the lock refuses SAML sign-in at the request and at the ACS, before anything is read', async () => {
    const start = await api.app.inject({ method: 'GET', url: `/api/v1/auth/saml/${name}/request/`, headers: { host: HOST } });
    expect(start.statusCode).toBe(403);
    expect(start.json().detail).toMatch(/restricted to ldap/);
    const acs = `https://${HOST}/api/v1/auth/saml/${name}/response/`;
    const { xml } = signedResponse({ issuer: IDP_ENTITY, audience: `https://${HOST}/api/v1/auth/saml/${name}/metadata/`, recipient: acs, inResponseTo: null, nameId: 'x@corp.example', key: idp2.key });
    const res = await api.app.inject({ method: 'POST', url: `/api/v1/auth/saml/${name}/response/`, headers: { host: HOST, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ SAMLResponse: b64(xml) }).toString() });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('login_locked');
    expect(sessionOf(res)).toBeUndefined();
    // A browser (the IdP's auto-submitted form asks for HTML) is sent back to the login screen with the code.
    const browser = await api.app.inject({ method: 'POST', url: `/api/v1/auth/saml/${name}/response/`, headers: { host: HOST, accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ SAMLResponse: b64(xml) }).toString() });
    expect([browser.statusCode, browser.headers.location]).toEqual([302, '/login?error=login_locked']);
    expect(sessionOf(browser)).toBeUndefined();
    // Each refused response is a failed login in the audit log, with its code and never the response.
    const failed = await api.runtime.store.db.selectFrom('audit_log').select(['log', 'actor_label']).where('action', '=', 'login_failed').execute();
    expect(failed.filter((r) => r.log === `Failed SAML login through ${name}: login_locked`)).toHaveLength(2);
    expect(failed.every((r) => r.actor_label === 'system:saml-login' && !r.log.includes('PHNhbWw'))).toBe(true);
    expect(await api.runtime.store.db.selectFrom('users').select('id').where('email', '=', 'x@corp.example').execute()).toEqual([]);
    // Not offered on the login screen either.
    const providers = (await api.request('GET', '/api/v1/auth/providers/')).json();
    expect(providers.providers.map((p: { id: string }) => p.id)).toEqual(['ldap']);
  });

  test('SAML_FORCE_SSL builds https ACS and entity URLs for a request that arrived over http', async () => {
    const json = (await api.app.inject({ method: 'GET', url: `/api/v1/auth/saml/${name}/metadata/?format=json`, headers: { host: 'flags.internal:8000' } })).json();
    expect(json.entity_id).toBe(`https://flags.internal:8000/api/v1/auth/saml/${name}/metadata/`);
    expect(json.response_url).toBe(`https://flags.internal:8000/api/v1/auth/saml/${name}/response/`);
  });
});
