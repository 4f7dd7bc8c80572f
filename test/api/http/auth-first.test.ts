// Credentials are checked before the body is read: an anonymous caller gets 401, never a 400 that describes the
// route's schema.
import { startTestApi, type TestApi } from '../../support/harness';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi('sqlite');
});
afterAll(async () => api?.close());

test.each([
  ['a body with wrong types', JSON.stringify({ name: 5, bogus: true })],
  ['a body that is not JSON', '{not json'],
])('anonymous request with %s gets 401', async (_label, body) => {
  const res = await api.request('POST', '/api/v1/projects/', { body, token: null });
  expect(res.statusCode).toBe(401);
  expect(Object.keys(res.json())).toEqual(['detail']);
});

test('with valid credentials the same body gets the field errors', async () => {
  const res = await api.request('POST', '/api/v1/projects/', { body: { name: 5, bogus: true }, token: api.adminToken });
  expect(res.statusCode).toBe(400);
  expect(res.json()).toHaveProperty('bogus');
});
