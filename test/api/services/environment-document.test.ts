// The environment document local-evaluation SDKs read, and the cache behind every SDK answer: a change made by one
// API instance reaches another instance on the same database within the poll interval.
import { loadConfig } from '../../../api/src/config';
import { createApiRuntime, type ApiRuntime } from '../../../api/src/runtimes/bootstrap';
import { enginesUnderTest } from '../../support/databases';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';

describe.each(enginesUnderTest())('environment document and cache on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;
  let featureId: number;
  let segmentId: number;

  beforeAll(async () => {
    api = await startTestApi(engine);
    fx = await createFixture(api);
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, {
      name: 'colour',
      initial_value: 'red',
      default_enabled: true,
      multivariate_options: [{ type: 'unicode', string_value: 'green', default_percentage_allocation: 40 }],
    });
    featureId = feature.id;
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'secret_thing', is_server_key_only: true });
    const segment = await api.admin('POST', `/api/v1/projects/${fx.projectId}/segments/`, {
      name: 'beta',
      rules: [{ type: 'ALL', rules: [{ type: 'ANY', rules: [], conditions: [{ operator: 'IN', property: 'group', value: 'beta,alpha' }] }], conditions: [] }],
    });
    segmentId = segment.id;
    await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/features/${featureId}/create-segment-override/`, { segment: segmentId, enabled: true, feature_state_value: 'blue' });
    const identity = await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/identities/`, { identifier: 'vip' });
    await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/identities/${identity.id}/featurestates/`, { feature: featureId, enabled: false, feature_state_value: 'gold' });
  });
  afterAll(async () => api?.close());

  test('has the shape local-evaluation SDKs read', async () => {
    const res = await api.sdk('GET', '/api/v1/environment-document/', fx.serverKey);
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc).toMatchObject({ api_key: fx.environment.api_key, allow_client_traits: true, use_identity_composite_key_for_hashing: true });
    expect(doc.project.server_key_only_feature_ids).toHaveLength(1);
    const colour = doc.feature_states.find((s: { feature: { name: string } }) => s.feature.name === 'colour');
    expect(colour).toMatchObject({ enabled: true, feature_state_value: 'red', feature_segment: null, feature: { id: featureId, type: 'MULTIVARIATE' } });
    expect(typeof colour.django_id).toBe('number');
    expect(colour.featurestate_uuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(colour.multivariate_feature_state_values[0]).toMatchObject({ percentage_allocation: 40, multivariate_feature_option: { value: 'green' } });
    const segment = doc.project.segments.find((s: { id: number }) => s.id === segmentId);
    expect(segment.rules[0].rules[0].conditions[0]).toEqual({ operator: 'IN', property_: 'group', value: 'beta,alpha' });
    expect(segment.feature_states[0]).toMatchObject({ feature_state_value: 'blue', enabled: true, feature_segment: { priority: 0 } });
    expect(doc.identity_overrides).toHaveLength(1);
    expect(doc.identity_overrides[0]).toMatchObject({ identifier: 'vip', identity_features: [{ feature_state_value: 'gold', enabled: false }] });
  });

  test('answers 304 to If-Modified-Since and refuses client keys', async () => {
    const first = await api.sdk('GET', '/api/v1/environment-document/', fx.serverKey);
    const notModified = await api.sdk('GET', '/api/v1/environment-document/', fx.serverKey, undefined, { 'if-modified-since': first.headers['last-modified'] as string });
    expect(notModified.statusCode).toBe(304);
    const client = await api.sdk('GET', '/api/v1/environment-document/', fx.environment.api_key);
    expect(client.statusCode).toBe(403);
    expect(client.json()).toEqual({ detail: 'Invalid or missing Environment key' });
  });

  test('a change made through another API instance is served within the poll interval', async () => {
    const other: ApiRuntime = await createApiRuntime(loadConfig({ DATABASE_URL: api.databaseUrl, LOG_LEVEL: 'silent', CACHE_POLL_INTERVAL_MS: '100' }));
    try {
      const read = async () => {
        const res = await other.app.inject({ method: 'GET', url: '/api/v1/flags/', headers: { 'x-environment-key': fx.environment.api_key } });
        return res.json().find((f: { feature: { name: string } }) => f.feature.name === 'colour').feature_state_value;
      };
      expect(await read()).toBe('red');
      const state = (await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/featurestates/?feature=${featureId}`)).results[0];
      await api.admin('PATCH', `/api/v1/environments/${fx.environment.api_key}/featurestates/${state.id}/`, { feature_state_value: 'purple' });
      const changedAt = Date.now();
      let value = await read();
      while (value !== 'purple' && Date.now() - changedAt < 2000) {
        await new Promise((r) => setTimeout(r, 25));
        value = await read();
      }
      expect(value).toBe('purple');
      expect(Date.now() - changedAt).toBeLessThan(1000);
    } finally {
      await other.close();
    }
  });
});
