// A trait sent as 5.0 stays a float through the SDK body, storage and evaluation, as in Core: the condition
// EQUAL "5.0" matches a float 5.0 (float("5.0") == 5.0) but not an int 5 (int("5.0") fails).
import { enginesUnderTest } from '../../support/databases';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';

describe.each(enginesUnderTest())('float traits on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;

  beforeAll(async () => {
    api = await startTestApi(engine);
    fx = await createFixture(api);
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'score_gate', default_enabled: false });
    const segment = await api.admin('POST', `/api/v1/projects/${fx.projectId}/segments/`, {
      name: 'score is 5.0',
      rules: [{ type: 'ALL', rules: [{ type: 'ALL', rules: [], conditions: [{ operator: 'EQUAL', property: 'score', value: '5.0' }] }], conditions: [] }],
    });
    await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/features/${feature.id}/create-segment-override/`, { segment: segment.id, enabled: true });
  });
  afterAll(async () => api?.close());

  const gate = (body: { flags: Array<{ feature: { name: string }; enabled: boolean }> }) => body.flags.find((f) => f.feature.name === 'score_gate')!.enabled;

  const identify = async (raw: string) => {
    const res = await api.request('POST', '/api/v1/identities/', { body: raw, headers: { 'x-environment-key': fx.environment.api_key } });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  test('a float 5.0 matches EQUAL "5.0", an int 5 does not', async () => {
    expect(gate(await identify('{"identifier":"float-user","traits":[{"trait_key":"score","trait_value":5.0}]}'))).toBe(true);
    expect(gate(await identify('{"identifier":"int-user","traits":[{"trait_key":"score","trait_value":5}]}'))).toBe(false);
  });

  test('the stored trait stays a float', async () => {
    const stored = await api.sdk('GET', '/api/v1/identities/?identifier=float-user', fx.environment.api_key);
    expect(gate(stored.json())).toBe(true);
    const row = await api.runtime.store.db
      .selectFrom('traits')
      .innerJoin('identities', 'identities.id', 'traits.identity_id')
      .select('traits.value_json')
      .where('identities.identifier', '=', 'float-user')
      .executeTakeFirstOrThrow();
    expect(row.value_json).toBe('5.0');
  });
});
