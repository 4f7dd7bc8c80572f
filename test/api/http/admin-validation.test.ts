// Explicit request-validation cases with exact expectations: DRF-style 400 bodies that name the field, 401/403/404/
// 413/415 with JSON bodies, SDK limits, segment rule paths, permissions of members and read-only API keys. Every
// response of the suite is recorded; the last test checks that every error body was JSON and echoed no secret, and
// every refused write is checked to have left the database as it was.
import type { LightMyRequestResponse } from 'fastify';
import { startTestApi, ADMIN_PASSWORD, type TestApi } from '../../support/harness';
import { changedTables, createFixtureSet, fingerprint, login, MEMBER_PASSWORD, uid, type FixtureSet } from './helpers';

interface CallOptions {
  body?: unknown;
  /** Sent as is, with `contentType` (default application/json). */
  raw?: string;
  contentType?: string;
  token?: string | null;
  authorization?: string;
  headers?: Record<string, string>;
}

describe('admin and SDK request validation (in-memory SQLite)', () => {
  let api: TestApi;
  let fx: FixtureSet;
  let memberToken: string;
  let readKey: string;
  const memberEmail = `${uid('member')}@example.com`;
  const recorded: Array<{ label: string; res: LightMyRequestResponse }> = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    api = await startTestApi('sqlite', { env: { DATABASE_URL: 'sqlite::memory:' } });
    fx = await createFixtureSet(api, 'validation');
    const member = await api.admin('POST', `/api/v1/organisations/${fx.orgId}/users/`, { email: memberEmail, password: MEMBER_PASSWORD, role: 'USER' });
    expect(member).toMatchObject({ email: memberEmail, role: 'USER' });
    memberToken = await login(api, memberEmail, MEMBER_PASSWORD);
    // Read grants for the member (through the direct grant routes) and for a non-admin key (through a role).
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { user: member.id, permissions: ['VIEW_PROJECT'] });
    await api.admin('POST', `/api/v1/environments/${fx.envKey}/user-permissions/`, { user: member.id, permissions: ['VIEW_ENVIRONMENT', 'VIEW_IDENTITIES'] });
    const key = await api.admin('POST', `/api/v1/organisations/${fx.orgId}/master-api-keys/`, { name: 'read only', is_admin: false });
    readKey = key.key;
    const role = await api.admin('POST', `/api/v1/organisations/${fx.orgId}/roles/`, { name: 'readers' });
    await api.admin('POST', `/api/v1/organisations/${fx.orgId}/roles/${role.id}/projects-permissions/`, { project: fx.projectId, permissions: ['VIEW_PROJECT'] });
    await api.admin('POST', `/api/v1/organisations/${fx.orgId}/roles/${role.id}/environments-permissions/`, { environment: fx.envId, permissions: ['VIEW_ENVIRONMENT'] });
    await api.admin('POST', `/api/v1/organisations/${fx.orgId}/roles/${role.id}/master-api-keys/`, { master_api_key: key.id });
    secrets.push(api.adminToken, ADMIN_PASSWORD, memberToken, MEMBER_PASSWORD, readKey, fx.serverKey);
  });
  afterAll(async () => api?.close());

  async function call(method: string, path: string, o: CallOptions = {}): Promise<LightMyRequestResponse> {
    const headers: Record<string, string> = { ...o.headers };
    const payload = o.raw ?? (o.body === undefined ? undefined : JSON.stringify(o.body));
    if (payload !== undefined) headers['content-type'] = o.contentType ?? 'application/json';
    if (o.authorization) headers.authorization = o.authorization;
    else if (o.token !== null) headers.authorization = `Token ${o.token ?? api.adminToken}`;
    const res = await api.app.inject({ method: method as never, url: path, payload, headers });
    recorded.push({ label: `${method} ${path}`, res });
    return res;
  }

  /** Sends a write that must be refused with `status`; checks its JSON body and that no table changed. */
  async function refused(method: string, path: string, status: number, o: CallOptions = {}): Promise<Record<string, unknown>> {
    const before = await fingerprint(api);
    const res = await call(method, path, o);
    expect({ status: res.statusCode, body: res.body.slice(0, 500) }).toEqual({ status, body: expect.any(String) });
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const after = await fingerprint(api);
    expect(changedTables(before, after)).toEqual([]);
    return res.json();
  }

  const orgs = '/api/v1/organisations/';
  const features = () => `/api/v1/projects/${fx.projectId}/features/`;
  const segments = () => `/api/v1/projects/${fx.projectId}/segments/`;

  describe('bodies', () => {
    test('a wrong type is 400 naming the field', async () => {
      expect(await refused('POST', orgs, 400, { body: { name: 5 } })).toEqual({ name: ['Expected string.'] });
      expect(await refused('PATCH', `/api/v1/projects/${fx.projectId}/`, 400, { body: { hide_disabled_flags: 'yes' } })).toEqual({ hide_disabled_flags: ['Expected boolean.'] });
      expect(await refused('POST', features(), 400, { body: { name: 'typed', tags: 'x' } })).toEqual({ tags: ['Expected array.'] });
      expect(await refused('POST', features(), 400, { body: { name: 'typed', tags: ['x'] } })).toEqual({ 'tags[0]': ['Expected integer.'] });
      expect(await refused('POST', features(), 400, { body: { name: 'typed', multivariate_options: [{ type: 'unicode', default_percentage_allocation: '10' }] } })).toEqual({
        'multivariate_options[0].default_percentage_allocation': ['Expected number.'],
      });
      // No coercion: "1" is not an organisation id.
      expect(await refused('POST', '/api/v1/projects/', 400, { body: { name: 'p', organisation: String(fx.orgId) } })).toEqual({ organisation: ['Expected integer.'] });
    });

    test('a body that is not an object is 400 non_field_errors', async () => {
      expect(await refused('POST', orgs, 400, { body: ['name'] })).toEqual({ non_field_errors: ['Expected object.'] });
      expect(await refused('POST', orgs, 400, { raw: 'null' })).toEqual({ non_field_errors: ['Expected object.'] });
    });

    test('an unknown field is 400 naming it, whatever its name', async () => {
      expect(await refused('POST', orgs, 400, { body: { name: 'x', colour: 'red' } })).toEqual({ colour: ['Unknown field.'] });
      expect(await refused('POST', orgs, 400, { raw: '{"name":"x","constructor":1}' })).toEqual({ constructor: ['Unknown field.'] });
      expect(await refused('POST', orgs, 400, { raw: '{"name":"x","toString":null,"hasOwnProperty":1}' })).toEqual({ toString: ['Unknown field.'], hasOwnProperty: ['Unknown field.'] });
      expect(await refused('PATCH', `/api/v1/environments/${fx.envKey}/`, 400, { body: { Name: 'x' } })).toEqual({ Name: ['Unknown field.'] });
      expect(await refused('POST', features(), 400, { body: { name: 'deep', multivariate_options: [{ type: 'unicode', colour: 1 }] } })).toEqual({ 'multivariate_options[0].colour': ['Unknown field.'] });
    });

    test('a missing required field is 400 "This field is required."', async () => {
      expect(await refused('POST', '/api/v1/projects/', 400, { body: { name: 'no org' } })).toEqual({ organisation: ['This field is required.'] });
      expect(await refused('POST', orgs, 400, { body: {} })).toEqual({ name: ['This field is required.'] });
      expect(await refused('POST', `/api/v1/environments/${fx.envKey}/identities/${fx.identityId}/traits/`, 400, { body: { trait_key: 'k' } })).toEqual({ trait_value: ['This field is required.'] });
      expect(await refused('POST', orgs, 400, { body: { name: '' } })).toEqual({ name: ['This field may not be blank.'] });
    });

    test('malformed JSON is 400 with a detail', async () => {
      for (const raw of ['{"name": ', "{'name': 'x'}", '{"name":"x"}trailing', '']) {
        const body = await refused('POST', orgs, 400, { raw });
        expect(Object.keys(body)).toEqual(['detail']);
        expect(body.detail).toMatch(/^JSON parse error - /);
      }
    });

    test('a body in another format than JSON is 415', async () => {
      for (const contentType of ['application/xml', 'multipart/form-data; boundary=x', 'application/octet-stream']) {
        expect(await refused('POST', orgs, 415, { raw: '<name>x</name>', contentType })).toEqual({ detail: `Unsupported media type "${contentType}" in request.` });
      }
      // Text bodies are parsed as a string, which is not an object.
      expect(await refused('POST', orgs, 400, { raw: '{"name":"x"}', contentType: 'text/plain' })).toEqual({ non_field_errors: ['Expected object.'] });
    });

    test('a body over 1 MiB is 413, under it is read', async () => {
      expect(await refused('POST', orgs, 413, { body: { name: 'x'.repeat(1024 * 1024) } })).toEqual({ detail: 'Request body is too large.' });
      // Just under the limit the body is parsed and the field limit applies.
      expect(await refused('POST', orgs, 400, { body: { name: 'x'.repeat(1024 * 1024 - 20) } })).toEqual({ name: ['Ensure this field has no more than 2000 characters.'] });
      const ok = await call('POST', orgs, { body: { name: 'x'.repeat(2000) } });
      expect(ok.statusCode).toBe(201);
    });

    test('dates must be real: a leap second is refused, not turned into an Invalid Date', async () => {
      // The field is `date-time | null`: its messages cover both branches, and all of them are under its name.
      const dateError = { expiry_date: expect.arrayContaining(['Must match format "date-time".']) };
      expect(await refused('POST', `/api/v1/organisations/${fx.orgId}/master-api-keys/`, 400, { body: { name: 'k', expiry_date: '2016-12-31T23:59:60Z' } })).toEqual(dateError);
      expect(await refused('POST', `/api/v1/environments/${fx.envKey}/api-keys/`, 400, { body: { name: 'k', expires_at: 'tomorrow' } })).toEqual({ expires_at: expect.arrayContaining(['Must match format "date-time".']) });
      const ok = await call('POST', `/api/v1/environments/${fx.envKey}/api-keys/`, { body: { name: 'dated', expires_at: '2099-12-31T23:59:59Z' } });
      expect(ok.statusCode).toBe(201);
      secrets.push(ok.json().key);
      expect(ok.json().expires_at).toBe('2099-12-31T23:59:59.000Z');
    });
  });

  describe('ids in paths', () => {
    test('unknown ids are 404 {"detail": "Not found."}', async () => {
      const paths: Array<[string, string]> = [
        ['GET', '/api/v1/organisations/999999/'],
        ['PATCH', '/api/v1/projects/999999/'],
        ['GET', '/api/v1/environments/no-such-environment-key/'],
        ['DELETE', `${features()}999999/`],
        ['PUT', `${segments()}999999/`],
        ['DELETE', `/api/v1/environments/${fx.envKey}/identities/999999/`],
        ['PATCH', `/api/v1/environments/${fx.envKey}/featurestates/999999/`],
        ['DELETE', `/api/v1/organisations/${fx.orgId}/master-api-keys/999999/`],
        ['PATCH', `/api/v1/environments/${fx.envKey}/api-keys/999999/`],
      ];
      for (const [method, path] of paths) {
        const body = method === 'GET' || method === 'DELETE' ? undefined : method === 'PUT' ? { name: 'x', rules: [] } : {};
        const res = method === 'GET' ? await call(method, path) : null;
        const json = res ? (expect(res.statusCode).toBe(404), res.json()) : await refused(method, path, 404, { body });
        expect({ path, detail: json.detail }).toEqual({ path, detail: 'Not found.' });
      }
      // An unknown route too.
      const none = await call('GET', '/api/v1/no-such-thing/');
      expect(none.statusCode).toBe(404);
      expect(none.json()).toEqual({ detail: 'Not found.' });
    });

    test('an id of another parent is not found under this one', async () => {
      const other = await createFixtureSet(api, 'elsewhere');
      expect((await refused('PATCH', `${features()}${other.featureId}/`, 404, { body: { description: 'moved?' } })).detail).toBe('Not found.');
      expect((await refused('PATCH', `/api/v1/environments/${fx.envKey}/api-keys/${other.targetServerKeyId}/`, 404, { body: {} })).detail).toBe('Not found.');
      expect((await refused('DELETE', `/api/v1/environments/${fx.envKey}/identities/${other.identityId}/`, 404)).detail).toBe('Not found.');
    });

    test('ids that are not positive integers are 400 naming the parameter', async () => {
      expect(await refused('PATCH', '/api/v1/organisations/abc/', 400, { body: {} })).toEqual({ id: ['Expected integer.'] });
      expect(await refused('PATCH', '/api/v1/projects/1.5/', 400, { body: {} })).toEqual({ id: ['Expected integer.'] });
      expect(await refused('DELETE', '/api/v1/projects/0/', 400)).toEqual({ id: ['Must be >= 1.'] });
      expect(await refused('DELETE', `${features()}-3/`, 400)).toEqual({ id: ['Must be >= 1.'] });
      expect(await refused('DELETE', `/api/v1/projects/x/features/1/`, 400)).toEqual({ project_pk: ['Expected integer.'] });
      expect(await refused('PATCH', `/api/v1/environments/${'k'.repeat(150)}/`, 400, { body: {} })).toEqual({ env_key: ['Ensure this field has no more than 100 characters.'] });
      // Longer than the router keeps for a parameter: no such object.
      expect(await refused('PATCH', `/api/v1/environments/${'k'.repeat(250)}/`, 404, { body: {} })).toEqual({ detail: 'Not found.' });
      expect(await refused('PATCH', '/api/v1/environments/%E0%A4%A/', 400, { body: {} })).toEqual({ detail: 'Malformed URL.' });
    });
  });

  describe('credentials', () => {
    test('no credentials, a bad token or an unknown scheme are 401', async () => {
      expect(await refused('POST', orgs, 401, { body: { name: 'x' }, token: null })).toEqual({ detail: 'Authentication credentials were not provided.' });
      expect(await refused('POST', orgs, 401, { body: { name: 'x' }, authorization: 'Token 0123456789abcdef0123456789abcdef01234567' })).toEqual({ detail: 'Invalid token.' });
      expect(await refused('POST', orgs, 401, { body: { name: 'x' }, authorization: 'Api-Key not-a-key' })).toEqual({ detail: 'Invalid API key.' });
      expect((await refused('POST', orgs, 401, { body: { name: 'x' }, authorization: `Basic ${Buffer.from(`admin@example.com:${ADMIN_PASSWORD}`).toString('base64')}` })).detail).toMatch(/authorization scheme/);
      expect((await call('GET', `/api/v1/organisations/${fx.orgId}/`, { token: null })).statusCode).toBe(401);
    });

    test('a logged-out token is 401', async () => {
      const token = await login(api, memberEmail, MEMBER_PASSWORD);
      expect((await call('GET', `/api/v1/organisations/${fx.orgId}/`, { token })).statusCode).toBe(200);
      expect((await call('POST', '/api/v1/auth/logout/', { token })).statusCode).toBe(204);
      expect(await refused('GET', `/api/v1/organisations/${fx.orgId}/`, 401, { token })).toEqual({ detail: 'Invalid token.' });
    });

    test('a revoked organisation API key is 401', async () => {
      const key = await api.admin('POST', `/api/v1/organisations/${fx.orgId}/master-api-keys/`, { name: 'soon revoked' });
      const auth = `Api-Key ${key.key}`;
      secrets.push(key.key);
      expect((await call('GET', `/api/v1/organisations/${fx.orgId}/`, { authorization: auth })).statusCode).toBe(200);
      await api.admin('DELETE', `/api/v1/organisations/${fx.orgId}/master-api-keys/${key.id}/`);
      expect(await refused('GET', `/api/v1/organisations/${fx.orgId}/`, 401, { authorization: auth })).toEqual({ detail: 'Invalid API key.' });
      expect(await refused('POST', '/api/v1/projects/', 401, { authorization: auth, body: { name: 'p', organisation: fx.orgId } })).toEqual({ detail: 'Invalid API key.' });
    });

    test('a revoked server-side key gets 403 on /api/v1/environment-document/', async () => {
      const created = await api.admin('POST', `/api/v1/environments/${fx.envKey}/api-keys/`, { name: 'soon revoked' });
      secrets.push(created.key);
      expect(created.key).toMatch(/^ser\./);
      const doc = await api.sdk('GET', '/api/v1/environment-document/', created.key);
      expect(doc.statusCode).toBe(200);
      await api.admin('DELETE', `/api/v1/environments/${fx.envKey}/api-keys/${created.id}/`);
      const after = await api.sdk('GET', '/api/v1/environment-document/', created.key);
      recorded.push({ label: 'GET environment-document (revoked)', res: after });
      expect(after.statusCode).toBe(403);
      expect(after.json()).toEqual({ detail: 'Invalid or missing Environment Key' });
      // A client key is not a server-side key.
      const client = await api.sdk('GET', '/api/v1/environment-document/', fx.envKey);
      recorded.push({ label: 'GET environment-document (client key)', res: client });
      expect(client.statusCode).toBe(403);
    });

    test('a member reads but may not write', async () => {
      const reads = [
        `/api/v1/organisations/${fx.orgId}/`,
        `/api/v1/projects/${fx.projectId}/`,
        `${features()}`,
        `/api/v1/environments/${fx.envKey}/featurestates/`,
        `/api/v1/environments/${fx.envKey}/identities/`,
      ];
      for (const path of reads) expect({ path, status: (await call('GET', path, { token: memberToken })).statusCode }).toEqual({ path, status: 200 });
      const forbidden = { detail: 'You do not have permission to perform this action.' };
      expect(await refused('POST', features(), 403, { token: memberToken, body: { name: 'by member' } })).toEqual(forbidden);
      expect(await refused('PATCH', `/api/v1/projects/${fx.projectId}/`, 403, { token: memberToken, body: { name: 'renamed' } })).toEqual(forbidden);
      expect(await refused('PATCH', `/api/v1/environments/${fx.envKey}/featurestates/${fx.defaultStateId}/`, 403, { token: memberToken, body: { enabled: true } })).toEqual(forbidden);
      expect(await refused('DELETE', `${segments()}${fx.segmentId}/`, 403, { token: memberToken })).toEqual(forbidden);
      expect(await refused('POST', `/api/v1/organisations/${fx.orgId}/master-api-keys/`, 403, { token: memberToken, body: { name: 'mine' } })).toEqual(forbidden);
      expect(await refused('POST', `/api/v1/organisations/${fx.orgId}/users/`, 403, { token: memberToken, body: { email: 'friend@example.com', password: MEMBER_PASSWORD } })).toEqual(forbidden);
    });

    test('an organisation API key with is_admin false reads but may not write', async () => {
      const auth = `Api-Key ${readKey}`;
      for (const path of [`/api/v1/organisations/${fx.orgId}/`, `/api/v1/projects/${fx.projectId}/`, features(), `/api/v1/environments/${fx.envKey}/featurestates/`]) {
        expect({ path, status: (await call('GET', path, { authorization: auth })).statusCode }).toEqual({ path, status: 200 });
      }
      const forbidden = { detail: 'You do not have permission to perform this action.' };
      expect(await refused('POST', features(), 403, { authorization: auth, body: { name: 'by key' } })).toEqual(forbidden);
      expect(await refused('DELETE', `${features()}${fx.featureId}/`, 403, { authorization: auth })).toEqual(forbidden);
      expect(await refused('PATCH', `/api/v1/environments/${fx.envKey}/`, 403, { authorization: auth, body: { name: 'renamed' } })).toEqual(forbidden);
      expect(await refused('POST', `/api/v1/projects/${fx.projectId}/tags/`, 403, { authorization: auth, body: { label: 'by key' } })).toEqual(forbidden);
    });
  });

  describe('domain rules', () => {
    test('a duplicate feature name is 400 name', async () => {
      await api.admin('POST', features(), { name: 'unique-name' });
      const body = await refused('POST', features(), 400, { body: { name: 'unique-name' } });
      expect(Object.keys(body)).toEqual(['name']);
      expect(body.name).toEqual([expect.any(String)]);
    });

    test('segment rule errors name the exact path', async () => {
      const cond = (over: Record<string, unknown> = {}) => ({ operator: 'EQUAL', property: 'plan', value: 'pro', ...over });
      const rule = (conditions: unknown[], rules: unknown[] = []) => ({ type: 'ALL', rules: [{ type: 'ANY', rules, conditions }], conditions: [] });
      const create = (rules: unknown) => refused('POST', segments(), 400, { body: { name: 'bad', rules } });

      expect(await create([{ type: 'ALL', rules: [], conditions: [cond(), cond({ operator: 'EQUALS' })] }])).toEqual({ 'rules[0].conditions[1].operator': [expect.stringMatching(/^Expected one of EQUAL/)] });
      expect(await create([rule([cond(), cond({ operator: 'LIKE' })])])).toEqual({ 'rules[0].rules[0].conditions[1].operator': [expect.stringMatching(/^Expected one of /)] });
      expect(await create([{ type: 'SOME', rules: [], conditions: [] }])).toEqual({ 'rules[0].type': ['Expected one of ALL, ANY, NONE.'] });
      expect(await create([rule([cond({ property: undefined })])])).toEqual({ 'rules[0].rules[0].conditions[0].property': ['Required for EQUAL.'] });
      expect(await create([rule([cond({ colour: 'red' })])])).toEqual({ 'rules[0].rules[0].conditions[0].colour': ['Unknown field.'] });
      expect(await create([rule([cond({ value: { a: 1 } })])])).toEqual({ 'rules[0].rules[0].conditions[0].value': ['Expected a string.'] });
      expect(await create([{ type: 'ALL', rules: 'x', conditions: [] }])).toEqual({ 'rules[0].rules': ['Expected a list of rules.'] });
      expect(await create(['x'])).toEqual({ 'rules[0]': ['Expected a rule object.'] });
      expect(await refused('POST', segments(), 400, { body: { name: 'bad' } })).toEqual({ rules: ['This field is required.'] });
    });

    test('MODULO values are "divisor|remainder"', async () => {
      const modulo = (value: unknown) => ({ name: uid('modulo'), rules: [{ type: 'ALL', rules: [], conditions: [{ operator: 'MODULO', property: 'n', value }] }] });
      for (const value of ['2', '2|', '|0', 'a|b', '2|0|1', '2 | 0', '']) {
        expect({ value, body: await refused('POST', segments(), 400, { body: modulo(value) }) }).toEqual({ value, body: { 'rules[0].conditions[0].value': ['Expected "divisor|remainder", e.g. "2|0".'] } });
      }
      for (const value of ['2|0', '3|1', '2.5|0.5', '-4|1']) {
        const res = await call('POST', segments(), { body: modulo(value) });
        expect({ value, status: res.statusCode }).toEqual({ value, status: 201 });
        expect(res.json().rules[0].conditions[0]).toMatchObject({ operator: 'MODULO', value });
      }
    });

    test('multivariate allocations over 100 are 400 naming the field', async () => {
      const option = (allocation: number, value: string) => ({ type: 'unicode', string_value: value, default_percentage_allocation: allocation });
      expect(Object.keys(await refused('POST', features(), 400, { body: { name: 'too-much', multivariate_options: [option(60, 'a'), option(50, 'b')] } }))).toEqual(['multivariate_options']);
      expect(await refused('POST', features(), 400, { body: { name: 'way-too-much', multivariate_options: [option(101, 'a')] } })).toEqual({ 'multivariate_options[0].default_percentage_allocation': ['Must be <= 100.'] });
      // The fixture's variants hold 30 + 20: adding 51 would make 101.
      expect(Object.keys(await refused('POST', `${features()}${fx.mvFeatureId}/mv-options/`, 400, { body: option(51, 'c') }))).toEqual(['default_percentage_allocation']);
      expect(Object.keys(await refused('PATCH', `${features()}${fx.mvFeatureId}/mv-options/${fx.optionId}/`, 400, { body: { default_percentage_allocation: 81 } }))).toEqual(['default_percentage_allocation']);
      expect(await refused('PATCH', `${features()}${fx.mvFeatureId}/mv-options/${fx.optionId}/`, 400, { body: { type: 'bool' } })).toEqual({ boolean_value: ['A boolean is required for type "bool".'] });
      // Environment weights: the state's variant weights may not exceed 100 either.
      const state = (await api.admin('GET', `/api/v1/environments/${fx.envKey}/featurestates/?feature=${fx.mvFeatureId}`)).results[0];
      const weights = state.multivariate_feature_state_values.map((v: { multivariate_feature_option: number }) => ({ multivariate_feature_option: v.multivariate_feature_option, percentage_allocation: 60 }));
      const body = await refused('PATCH', `/api/v1/environments/${fx.envKey}/featurestates/${state.id}/`, 400, { body: { multivariate_feature_state_values: weights } });
      expect(Object.keys(body)).toEqual(['multivariate_feature_state_values']);
    });
  });

  describe('SDK limits', () => {
    test('a trait value over 2,000 characters is 400; 2,000 is fine', async () => {
      const key = fx.envKey;
      const sdk = async (method: string, path: string, body: unknown) => {
        const res = await api.sdk(method, path, key, body);
        recorded.push({ label: `SDK ${method} ${path}`, res });
        return res;
      };
      const before = await fingerprint(api);
      const long = await sdk('POST', '/api/v1/identities/', { identifier: 'long-trait', traits: [{ trait_key: 'bio', trait_value: 'x'.repeat(2001) }] });
      expect(long.statusCode).toBe(400);
      expect(long.json()).toEqual({ 'traits[0].trait_value': ['Ensure this value has at most 2000 characters (it has 2001).'] });
      const single = await sdk('POST', '/api/v1/traits/', { identity: { identifier: 'long-trait' }, trait_key: 'bio', trait_value: 'x'.repeat(2001) });
      expect(single.statusCode).toBe(400);
      expect(Object.keys(single.json())).toEqual(['trait_value']);
      const bulk = await sdk('PUT', '/api/v1/traits/bulk/', [{ identity: { identifier: 'long-trait' }, trait_key: 'bio', trait_value: 'x'.repeat(2001) }]);
      expect(bulk.statusCode).toBe(400);
      expect(bulk.json()).toEqual({ detail: ['Invalid request data'] });
      // A list whose str() is over the limit, and one nested far deeper than the stack would allow.
      const nested = await sdk('POST', '/api/v1/identities/', { identifier: 'long-trait', traits: [{ trait_key: 'bio', trait_value: Array.from({ length: 500 }, () => 'abcd') }] });
      expect(nested.statusCode).toBe(400);
      const deep = await api.app.inject({ method: 'POST', url: '/api/v1/identities/', headers: { 'x-environment-key': key, 'content-type': 'application/json' }, payload: `{"identifier":"long-trait","traits":[{"trait_key":"bio","trait_value":${'['.repeat(20_000)}${']'.repeat(20_000)}}]}` });
      recorded.push({ label: 'SDK deep trait', res: deep });
      expect(deep.statusCode).toBe(400);
      expect(Object.keys(deep.json())).toEqual(['traits[0].trait_value']);
      expect(changedTables(before, await fingerprint(api))).toEqual([]);

      const ok = await sdk('POST', '/api/v1/identities/', { identifier: 'long-trait', traits: [{ trait_key: 'bio', trait_value: 'x'.repeat(2000) }] });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().traits).toEqual([expect.objectContaining({ trait_key: 'bio', trait_value: 'x'.repeat(2000) })]);
    });

    test('an identifier that is a list or object is 400, a number is its text', async () => {
      for (const identifier of [['a'], { a: 1 }, true]) {
        const res = await api.sdk('POST', '/api/v1/identities/', fx.envKey, { identifier });
        recorded.push({ label: 'SDK identifier', res });
        expect({ identifier, status: res.statusCode, body: res.json() }).toEqual({ identifier, status: 400, body: { identifier: ['Not a valid string.'] } });
      }
      const numeric = await api.sdk('POST', '/api/v1/identities/', fx.envKey, { identifier: 42 });
      expect(numeric.statusCode).toBe(200);
      expect(numeric.json().identifier).toBe('42');
    });

    test('SDK write routes without a valid key are 403 with Core\'s body', async () => {
      for (const [method, path] of [['POST', '/api/v1/identities/'], ['POST', '/api/v1/traits/'], ['PUT', '/api/v1/traits/bulk/'], ['POST', '/api/v1/traits/increment-value/'], ['POST', '/api/v1/analytics/flags/'], ['POST', '/api/v2/analytics/flags/']] as const) {
        const res = await api.sdk(method, path, 'no-such-key', {});
        recorded.push({ label: `SDK ${path} bad key`, res });
        expect({ path, status: res.statusCode, body: res.json() }).toEqual({ path, status: 403, body: { detail: 'Invalid or missing Environment Key' } });
      }
    });
  });

  describe('secrets', () => {
    test('errors do not echo credentials or passwords', async () => {
      // A failed login, a short password, a token in a malformed body, a token as the credential: none comes back.
      const failed = await call('POST', '/api/v1/auth/login/', { token: null, body: { email: memberEmail, password: `${MEMBER_PASSWORD}-wrong` } });
      expect(failed.statusCode).toBe(400);
      expect(failed.json()).toEqual({ non_field_errors: ['Unable to log in with provided credentials.'] });
      expect(failed.body).not.toContain(MEMBER_PASSWORD);
      const short = await refused('POST', `/api/v1/organisations/${fx.orgId}/users/`, 400, { body: { email: `${uid('short')}@example.com`, password: 'hunter2-pw' } });
      expect(JSON.stringify(short)).not.toContain('hunter2-pw');
      expect(Object.keys(short)).toEqual(['password']);
      const badJson = await refused('POST', orgs, 400, { raw: `{"name": "${api.adminToken}"` });
      expect(JSON.stringify(badJson)).not.toContain(api.adminToken);
      const badKey = await call('GET', `/api/v1/organisations/${fx.orgId}/`, { authorization: `Token ${api.adminToken}x` });
      expect(badKey.statusCode).toBe(401);
      expect(badKey.body).not.toContain(api.adminToken);
    });

    test('every error answered in this suite was JSON and echoed no secret', () => {
      const errors = recorded.filter((r) => r.res.statusCode >= 400);
      expect(errors.length).toBeGreaterThan(60);
      const problems: string[] = [];
      for (const { label, res } of errors) {
        if (!String(res.headers['content-type'] ?? '').startsWith('application/json')) problems.push(`${label}: ${res.statusCode} is ${res.headers['content-type']}`);
        else {
          try {
            JSON.parse(res.body);
          } catch {
            problems.push(`${label}: ${res.statusCode} body is not JSON`);
          }
        }
        const leaked = secrets.filter((s) => res.body.includes(s));
        if (leaked.length > 0) problems.push(`${label}: ${res.statusCode} echoes a secret`);
      }
      expect(problems).toEqual([]);
    });
  });
});
