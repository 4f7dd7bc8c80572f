// The NUL character in a request (body, query string, path) is refused with a 400 naming the field, on every database:
// PostgreSQL cannot store it and answered 500 for a login, a feature name and an identity identifier before the guard.
import { findNul } from '../../../api/src/http/nul-guard';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';
import { enginesUnderTest } from '../../support/databases';

const MESSAGE = ['Must not contain the NUL character (\\u0000).'];

test('findNul names the first offending path, keys included', () => {
  expect(findNul({ a: 'ok', traits: [{ trait_key: 'k', trait_value: 'v\u0000' }] })).toBe('traits.0.trait_value');
  expect(findNul({ ['k\u0000']: 1 })).toBe('k\u0000');
  expect(findNul('x\u0000')).toBe('non_field_errors');
  expect(findNul(['x\u0000'])).toBe('non_field_errors');
  expect(findNul([{ trait_key: 'ok' }, { trait_key: 'k\u0000' }])).toBe('trait_key');
  expect(findNul({ a: ['fine', 1, null, { b: true }] })).toBeUndefined();
});

describe.each(enginesUnderTest())('NUL guard on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;
  beforeAll(async () => {
    api = await startTestApi(engine);
    fx = await createFixture(api, 'Nul');
  });
  afterAll(async () => api?.close());

  test('admin and auth bodies: 400 naming the field, nothing stored', async () => {
    const login = await api.request('POST', '/api/v1/auth/login/', { body: { email: 'a\u0000b@example.com', password: 'whatever-password' } });
    expect([login.statusCode, login.json()]).toEqual([400, { email: MESSAGE }]);
    const feature = await api.request('POST', `/api/v1/projects/${fx.projectId}/features/`, { token: api.adminToken, body: { name: 'f\u0000x' } });
    expect([feature.statusCode, feature.json()]).toEqual([400, { name: MESSAGE }]);
    const described = await api.request('POST', `/api/v1/projects/${fx.projectId}/features/`, { token: api.adminToken, body: { name: 'nul_desc', description: 'd\u0000' } });
    expect([described.statusCode, described.json()]).toEqual([400, { description: MESSAGE }]);
    expect((await api.admin('GET', `/api/v1/projects/${fx.projectId}/features/`)).results).toEqual([]);
  });

  test('SDK bodies, query strings and paths', async () => {
    const identify = await api.sdk('POST', '/api/v1/identities/', fx.environment.api_key, { identifier: 'u\u00002', traits: [] });
    expect([identify.statusCode, identify.json()]).toEqual([400, { identifier: MESSAGE }]);
    const trait = await api.sdk('POST', '/api/v1/identities/', fx.environment.api_key, { identifier: 'u3', traits: [{ trait_key: 'k', trait_value: 'v\u0000' }] });
    expect([trait.statusCode, trait.json()]).toEqual([400, { 'traits.0.trait_value': MESSAGE }]);
    expect(identify.headers['access-control-allow-origin']).toBe('*');
    const query = await api.sdk('GET', '/api/v1/identities/?identifier=a%00b', fx.environment.api_key);
    expect([query.statusCode, query.json()]).toEqual([400, { identifier: MESSAGE }]);
    const search = await api.request('GET', `/api/v1/projects/${fx.projectId}/features/?search=%00`, { token: api.adminToken });
    expect([search.statusCode, search.json()]).toEqual([400, { search: MESSAGE }]);
  });
});
