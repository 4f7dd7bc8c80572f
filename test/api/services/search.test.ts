// Searches take the user's text literally: % and _ are not wildcards, on every engine.
import { enginesUnderTest } from '../../support/databases';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';

describe.each(enginesUnderTest())('literal search on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;

  beforeAll(async () => {
    api = await startTestApi(engine);
    fx = await createFixture(api);
    for (const name of ['a_b', 'axb', '50%off', '50off', 'back\\slash']) await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name });
  });
  afterAll(async () => api?.close());

  const search = async (text: string) =>
    (await api.admin('GET', `/api/v1/projects/${fx.projectId}/features/?search=${encodeURIComponent(text)}`)).results.map((f: { name: string }) => f.name);

  test('% and _ match only themselves', async () => {
    expect(await search('_')).toEqual(['a_b']);
    expect(await search('%')).toEqual(['50%off']);
    expect(await search('0o')).toEqual(['50off']);
    expect(await search('\\')).toEqual(['back\\slash']);
  });

  test('identities search the same way', async () => {
    for (const identifier of ['user_1', 'userx1']) await api.sdk('GET', `/api/v1/identities/?identifier=${identifier}`, fx.environment.api_key);
    const found = await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/identities/?q=${encodeURIComponent('r_1')}`);
    expect(found.results.map((i: { identifier: string }) => i.identifier)).toEqual(['user_1']);
  });
});
