// The SAML configuration admin API on every database: CRUD keyed by name and attribute mappings by id, field errors
// for every bad input (metadata included: parsed at write time, DOCTYPE refused), who may manage which organisation's
// configurations, lists limited to what the caller administers, and the audit trail.
import { startTestApi, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';
import { idpMetadata, makeKeyPair, type KeyPair } from '../../support/saml-idp';
import { directMember } from '../rbac/route-requests';

const C = '/api/v1/auth/saml/configuration/';
const M = '/api/v1/auth/saml/attribute-mapping/';
const FRONTEND = 'https://flags.example.com/';

let idp: KeyPair;
beforeAll(() => {
  idp = makeKeyPair('admin-test-idp');
});

describe.each(enginesUnderTest())('SAML configuration admin API on %s', (engine) => {
  let api: TestApi;
  let orgA: number;
  let orgB: number;
  let adminA: { id: number; token: string };
  let memberA: { id: number; token: string };
  const metadata = () => idpMetadata({ entityId: 'https://idp.example.test/metadata', ssoUrl: 'https://idp.example.test/sso', certs: [idp.certBody] });
  const as = (token: string, method: string, path: string, body?: unknown) => api.request(method, path, { token, body });
  let n = 0;
  const unique = (p: string) => `${p}-${engine}-${++n}`;

  beforeAll(async () => {
    api = await startTestApi(engine);
    orgA = (await api.admin('POST', '/api/v1/organisations/', { name: 'A' })).id;
    orgB = (await api.admin('POST', '/api/v1/organisations/', { name: 'B' })).id;
    adminA = await directMember(api, orgA, 'ADMIN');
    memberA = await directMember(api, orgA, 'USER');
  }, 120_000);
  afterAll(async () => api?.close());

  test('create, read, list, update, delete; name and organisation never change', async () => {
    const name = unique('okta');
    const created = await api.admin('POST', C, { name, organisation: orgA, frontend_url: FRONTEND, idp_metadata_xml: metadata() });
    expect(created).toEqual({ id: expect.any(Number), name, organisation: orgA, frontend_url: FRONTEND, idp_metadata_xml: metadata(), allow_idp_initiated: false, want_response_signed: false });
    expect(await api.admin('GET', `${C}${name}/`)).toEqual(created);
    expect((await api.admin('GET', `${C}?organisation=${orgA}`)).map((c: { name: string }) => c.name)).toContain(name);
    const patched = await api.admin('PATCH', `${C}${name}/`, { allow_idp_initiated: true, want_response_signed: true });
    expect(patched).toMatchObject({ allow_idp_initiated: true, want_response_signed: true, frontend_url: FRONTEND });
    // A PUT may echo what it read (id, name, organisation), and may remove the metadata.
    const put = await api.admin('PUT', `${C}${name}/`, { ...patched, frontend_url: 'https://other.example.com/', idp_metadata_xml: null });
    expect(put).toMatchObject({ frontend_url: 'https://other.example.com/', idp_metadata_xml: null, allow_idp_initiated: true });
    expect((await api.request('PATCH', `${C}${name}/`, { token: api.adminToken, body: { name: 'renamed' } })).json()).toEqual({ name: [expect.stringMatching(/cannot change/)] });
    expect((await api.request('PATCH', `${C}${name}/`, { token: api.adminToken, body: { organisation: orgB } })).json()).toEqual({ organisation: [expect.stringMatching(/cannot change/)] });
    await api.admin('DELETE', `${C}${name}/`);
    expect((await api.request('GET', `${C}${name}/`, { token: api.adminToken })).statusCode).toBe(404);
  });

  test('field errors: name, unknown fields, URLs, duplicate and reserved names', async () => {
    const bad = async (body: Record<string, unknown>) => {
      const res = await api.request('POST', C, { token: api.adminToken, body: { organisation: orgA, frontend_url: FRONTEND, ...body } });
      expect(res.statusCode).toBe(400);
      return res.json();
    };
    expect(Object.keys(await bad({ name: 'has space' }))).toEqual(['name']);
    expect(Object.keys(await bad({ name: 'a/b' }))).toEqual(['name']);
    expect(Object.keys(await bad({ name: 'x'.repeat(101) }))).toEqual(['name']);
    expect(await bad({ name: unique('ok'), extra: 1 })).toEqual({ extra: ['Unknown field.'] });
    expect(Object.keys(await bad({ name: unique('ok'), frontend_url: 'not a url' }))).toEqual(['frontend_url']);
    expect(Object.keys(await bad({ name: unique('ok'), frontend_url: 'javascript:alert(1)' }))).toEqual(['frontend_url']);
    expect(Object.keys(await bad({ name: unique('ok'), allow_idp_initiated: 'yes' }))).toEqual(['allow_idp_initiated']);
    expect(Object.keys(await bad({ name: 'configuration' }))).toEqual(['name']);
    const taken = unique('Taken');
    await api.admin('POST', C, { name: taken, organisation: orgA, frontend_url: FRONTEND });
    expect(await bad({ name: taken })).toEqual({ name: ['A SAML configuration with this name already exists.'] });
    // Names differing in case only would collide on MySQL and confuse people everywhere.
    expect(await bad({ name: taken.toLowerCase() })).toEqual({ name: ['A SAML configuration with this name already exists.'] });
    expect((await api.request('POST', C, { token: api.adminToken, body: { name: unique('x'), organisation: 999_999, frontend_url: FRONTEND } })).statusCode).toBe(404);
  });

  test('IdP metadata is checked when written: DOCTYPE, not XML, no certificate, no redirect SSO, plain-http SSO', async () => {
    const metadataError = async (xml: string) => {
      const res = await api.request('POST', C, { token: api.adminToken, body: { name: unique('m'), organisation: orgA, frontend_url: FRONTEND, idp_metadata_xml: xml } });
      expect(res.statusCode).toBe(400);
      expect(Object.keys(res.json())).toEqual(['idp_metadata_xml']);
      return res.json().idp_metadata_xml[0] as string;
    };
    expect(await metadataError(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${metadata()}`)).toMatch(/DOCTYPE/);
    expect(await metadataError(metadata().replace('<?xml version="1.0" encoding="UTF-8"?>', '<!doctype x>'))).toMatch(/DOCTYPE/);
    expect(await metadataError('not xml at all <')).toMatch(/well-formed|identity provider/);
    expect(await metadataError(idpMetadata({ entityId: 'https://idp', ssoUrl: 'https://idp/sso', certs: [] }))).toMatch(/signing certificate/);
    expect(await metadataError(idpMetadata({ entityId: 'https://idp', ssoUrl: 'https://idp/sso', certs: ['bm90IGEgY2VydA=='] }))).toMatch(/X\.509/);
    expect(await metadataError(metadata().replace(/<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"[^>]*\/>/, ''))).toMatch(/HTTP-Redirect/);
    expect(await metadataError(idpMetadata({ entityId: 'https://idp', ssoUrl: 'http://idp.example.test/sso', certs: [idp.certBody] }))).toMatch(/https/);
    expect(await metadataError(metadata().replace(/entityID="[^"]*"/, ''))).toMatch(/entityID/);
  });

  test('organisation admins manage their own organisation only; members and others get 403; lists show what one administers', async () => {
    const mine = unique('mine');
    const theirs = unique('theirs');
    const created = await as(adminA.token, 'POST', C, { name: mine, organisation: orgA, frontend_url: FRONTEND });
    expect(created.statusCode).toBe(201);
    expect((await as(adminA.token, 'POST', C, { name: theirs, organisation: orgB, frontend_url: FRONTEND })).statusCode).toBe(403);
    await api.admin('POST', C, { name: theirs, organisation: orgB, frontend_url: FRONTEND });
    for (const [method, body] of [['GET'], ['PATCH', { allow_idp_initiated: true }], ['DELETE']] as const) {
      expect([method, (await as(adminA.token, method, `${C}${theirs}/`, body)).statusCode]).toEqual([method, 403]);
      expect([method, (await as(memberA.token, method, `${C}${mine}/`, body)).statusCode]).toEqual([method, 403]);
    }
    expect((await as(memberA.token, 'POST', C, { name: unique('nope'), organisation: orgA, frontend_url: FRONTEND })).statusCode).toBe(403);
    const listed = (await as(adminA.token, 'GET', C)).json().map((c: { name: string }) => c.name);
    expect(listed).toContain(mine);
    expect(listed).not.toContain(theirs);
    expect((await as(adminA.token, 'GET', `${C}?organisation=${orgB}`)).json()).toEqual([]);
    expect((await as(memberA.token, 'GET', C)).json()).toEqual([]);
    const all = (await api.admin('GET', C)).map((c: { name: string }) => c.name);
    expect(all).toEqual(expect.arrayContaining([mine, theirs]));
    // Mappings follow their configuration's organisation.
    const theirsId = (await api.admin('GET', `${C}${theirs}/`)).id;
    expect((await as(adminA.token, 'POST', M, { saml_configuration: theirsId, django_attribute_name: 'email', idp_attribute_name: 'mail' })).statusCode).toBe(403);
    const mapping = await api.admin('POST', M, { saml_configuration: theirsId, django_attribute_name: 'email', idp_attribute_name: 'mail' });
    expect((await as(adminA.token, 'GET', `${M}${mapping.id}/`)).statusCode).toBe(403);
    expect((await as(adminA.token, 'GET', M)).json().map((m: { id: number }) => m.id)).not.toContain(mapping.id);
    // Anonymous callers learn nothing.
    expect((await api.request('GET', C)).statusCode).toBe(401);
    expect((await api.request('POST', C, { body: {} })).statusCode).toBe(401);
  });

  test('attribute mappings: one per field and configuration, fixed to their configuration, listed per configuration', async () => {
    const a = await api.admin('POST', C, { name: unique('entra'), organisation: orgA, frontend_url: FRONTEND });
    const b = await api.admin('POST', C, { name: unique('adfs'), organisation: orgA, frontend_url: FRONTEND });
    const claim = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress';
    const email = await api.admin('POST', M, { saml_configuration: a.id, django_attribute_name: 'email', idp_attribute_name: claim });
    expect(email).toEqual({ id: expect.any(Number), saml_configuration: a.id, django_attribute_name: 'email', idp_attribute_name: claim });
    const dup = await api.request('POST', M, { token: api.adminToken, body: { saml_configuration: a.id, django_attribute_name: 'email', idp_attribute_name: 'mail' } });
    expect(dup.statusCode).toBe(400);
    expect(Object.keys(dup.json())).toEqual(['django_attribute_name']);
    const badField = await api.request('POST', M, { token: api.adminToken, body: { saml_configuration: a.id, django_attribute_name: 'is_superuser', idp_attribute_name: 'x' } });
    expect(badField.statusCode).toBe(400);
    expect(Object.keys(badField.json())).toEqual(['django_attribute_name']);
    const moved = await api.request('PATCH', `${M}${email.id}/`, { token: api.adminToken, body: { saml_configuration: b.id } });
    expect(moved.statusCode).toBe(400);
    expect(Object.keys(moved.json())).toEqual(['saml_configuration']);
    const groups = await api.admin('POST', M, { saml_configuration: b.id, django_attribute_name: 'groups', idp_attribute_name: 'memberOf' });
    expect((await api.admin('GET', `${M}?saml_configuration=${a.id}`)).map((m: { id: number }) => m.id)).toEqual([email.id]);
    expect(await api.admin('PATCH', `${M}${groups.id}/`, { idp_attribute_name: 'roles' })).toMatchObject({ idp_attribute_name: 'roles' });
    // Deleting a configuration deletes its mappings.
    await api.admin('DELETE', `${C}${b.name}/`);
    expect((await api.request('GET', `${M}${groups.id}/`, { token: api.adminToken })).statusCode).toBe(404);
    await api.admin('DELETE', `${M}${email.id}/`);
    expect(await api.admin('GET', `${M}?saml_configuration=${a.id}`)).toEqual([]);
  });

  test('every change is audited with its organisation; the metadata by digest, not content', async () => {
    const name = unique('audited');
    const created = await as(adminA.token, 'POST', C, { name, organisation: orgA, frontend_url: FRONTEND, idp_metadata_xml: metadata() });
    const id = created.json().id;
    await as(adminA.token, 'PATCH', `${C}${name}/`, { allow_idp_initiated: true });
    const mapping = (await as(adminA.token, 'POST', M, { saml_configuration: id, django_attribute_name: 'groups', idp_attribute_name: 'memberOf' })).json();
    await as(adminA.token, 'DELETE', `${C}${name}/`);
    const rows = await api.runtime.store.db
      .selectFrom('audit_log')
      .select(['action', 'resource_type', 'resource_id', 'organisation_id', 'actor_id', 'before_json', 'after_json'])
      .where((eb) => eb.or([eb.and([eb('resource_type', '=', 'saml_configuration'), eb('resource_id', '=', String(id))]), eb.and([eb('resource_type', '=', 'saml_attribute_mapping'), eb('resource_id', '=', String(mapping.id))])]))
      .orderBy('id')
      .execute();
    expect(rows.map((r) => [r.action, r.resource_type, r.organisation_id, r.actor_id])).toEqual([
      ['create', 'saml_configuration', orgA, adminA.id],
      ['update', 'saml_configuration', orgA, adminA.id],
      ['create', 'saml_attribute_mapping', orgA, adminA.id],
      ['delete', 'saml_configuration', orgA, adminA.id],
    ]);
    const update = { before: JSON.parse(rows[1]!.before_json!), after: JSON.parse(rows[1]!.after_json!) };
    expect(update.before).toMatchObject({ allow_idp_initiated: false, idp_metadata_sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(update.after).toMatchObject({ allow_idp_initiated: true });
    expect(rows.every((r) => !(r.after_json ?? '').includes('X509Certificate') && !(r.before_json ?? '').includes('X509Certificate'))).toBe(true);
  });

  test('deleting an organisation deletes its configurations', async () => {
    const org = (await api.admin('POST', '/api/v1/organisations/', { name: 'Doomed' })).id;
    const name = unique('doomed');
    await api.admin('POST', C, { name, organisation: org, frontend_url: FRONTEND });
    await api.admin('DELETE', `/api/v1/organisations/${org}/`);
    expect((await api.request('GET', `${C}${name}/`, { token: api.adminToken })).statusCode).toBe(404);
  });
});
