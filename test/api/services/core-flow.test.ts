// The core service on each database: invariants of the write path and of the data model, checked through the API
// and the database itself.
import { enginesUnderTest } from '../../support/databases';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';

describe.each(enginesUnderTest())('core service on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;

  beforeAll(async () => {
    api = await startTestApi(engine);
    fx = await createFixture(api);
  });
  afterAll(async () => api?.close());

  const db = () => api.runtime.store.db;
  const version = async (envId: number) => Number((await db().selectFrom('environments').select('version').where('id', '=', envId).executeTakeFirstOrThrow()).version);
  const auditCount = async () => Number((await db().selectFrom('audit_log').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  test('a new feature gets a state in every environment, and a new environment a state for every feature', async () => {
    const second = await api.admin('POST', '/api/v1/environments/', { name: 'Second', project: fx.projectId });
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, {
      name: 'checkout',
      default_enabled: true,
      initial_value: '42',
      multivariate_options: [
        { type: 'unicode', string_value: 'a', default_percentage_allocation: 30 },
        { type: 'unicode', string_value: 'b', default_percentage_allocation: 20 },
      ],
    });
    expect(feature.type).toBe('MULTIVARIATE');
    for (const env of [fx.environment, second]) {
      const states = await api.admin('GET', `/api/v1/environments/${env.api_key}/featurestates/?feature=${feature.id}`);
      expect(states.count).toBe(1);
      expect(states.results[0]).toMatchObject({ enabled: true, feature_state_value: 42, identity: null, feature_segment: null });
      expect(states.results[0].multivariate_feature_state_values.map((v: { percentage_allocation: number }) => v.percentage_allocation).sort()).toEqual([20, 30]);
    }
    const third = await api.admin('POST', '/api/v1/environments/', { name: 'Third', project: fx.projectId });
    const states = await api.admin('GET', `/api/v1/environments/${third.api_key}/featurestates/?page_size=100`);
    const features = await api.admin('GET', `/api/v1/projects/${fx.projectId}/features/?page_size=100`);
    expect(states.count).toBe(features.count);
    expect(states.results.find((s: { feature: number }) => s.feature === feature.id).multivariate_feature_state_values).toHaveLength(2);
  });

  test('a write bumps the environment version and records an audit row; a rejected write does neither', async () => {
    const before = await version(fx.environment.id);
    const audits = await auditCount();
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'audited' });
    expect(await version(fx.environment.id)).toBe(before + 1);
    expect(await auditCount()).toBe(audits + 1);
    const row = await db().selectFrom('audit_log').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ action: 'create', resource_type: 'feature', actor_label: 'admin@example.com', project_id: fx.projectId });

    const duplicate = await api.request('POST', `/api/v1/projects/${fx.projectId}/features/`, { token: api.adminToken, body: { name: 'audited' } });
    expect(duplicate.statusCode).toBe(400);
    expect(duplicate.json()).toHaveProperty('name');
    expect(await version(fx.environment.id)).toBe(before + 1);
    expect(await auditCount()).toBe(audits + 1);
  });

  test('a stale write to a feature state gets 409 with the current version', async () => {
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'versioned' });
    const state = (await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/featurestates/?feature=${feature.id}`)).results[0];
    const path = `/api/v1/environments/${fx.environment.api_key}/featurestates/${state.id}/`;
    const first = await api.admin('PATCH', path, { enabled: true, version: state.version });
    expect(first.version).toBe(state.version + 1);
    const stale = await api.request('PATCH', path, { token: api.adminToken, body: { enabled: false }, headers: { 'if-match': `"${state.version}"` } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ current_version: state.version + 1 });
    expect((await api.admin('GET', path)).enabled).toBe(true);
  });

  test('segment overrides keep 0..n-1 priorities and can be reordered', async () => {
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'ordered' });
    const segIds: number[] = [];
    for (const name of ['s1', 's2', 's3']) {
      const seg = await api.admin('POST', `/api/v1/projects/${fx.projectId}/segments/`, {
        name,
        rules: [{ type: 'ALL', rules: [{ type: 'ANY', rules: [], conditions: [{ operator: 'EQUAL', property: 'tier', value: name }] }], conditions: [] }],
      });
      segIds.push(seg.id);
      await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/features/${feature.id}/create-segment-override/`, { segment: seg.id, enabled: true, feature_state_value: name });
    }
    const list = async () => api.admin('GET', `/api/v1/features/feature-segments/?environment=${fx.environment.id}&feature=${feature.id}`);
    const placed = await list();
    expect(placed.map((p: { segment: number }) => p.segment)).toEqual(segIds);
    expect(placed.map((p: { priority: number }) => p.priority)).toEqual([0, 1, 2]);
    await api.admin('POST', '/api/v1/features/feature-segments/update-priorities/', [{ id: placed[2].id, priority: 0 }], 200);
    const reordered = await list();
    expect(reordered.map((p: { segment: number }) => p.segment)).toEqual([segIds[2], segIds[0], segIds[1]]);
    expect(reordered.map((p: { priority: number }) => p.priority)).toEqual([0, 1, 2]);
    await api.admin('DELETE', `/api/v1/features/feature-segments/${reordered[1].id}/`);
    expect((await list()).map((p: { priority: number }) => p.priority)).toEqual([0, 1]);
  });

  test('identity override beats segment override beats default, through the SDK identities endpoint', async () => {
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'precedence', default_enabled: false, initial_value: 'default' });
    const seg = await api.admin('POST', `/api/v1/projects/${fx.projectId}/segments/`, {
      name: 'pro users',
      rules: [{ type: 'ALL', rules: [{ type: 'ALL', rules: [], conditions: [{ operator: 'EQUAL', property: 'plan', value: 'pro' }] }], conditions: [] }],
    });
    await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/features/${feature.id}/create-segment-override/`, { segment: seg.id, enabled: true, feature_state_value: 'segment' });
    const flagOf = async (identifier: string, traits: unknown[]) => {
      const res = await api.sdk('POST', '/api/v1/identities/', fx.environment.api_key, { identifier, traits });
      expect(res.statusCode).toBe(200);
      return res.json().flags.find((f: { feature: { name: string } }) => f.feature.name === 'precedence');
    };
    expect(await flagOf('free-user', [{ trait_key: 'plan', trait_value: 'free' }])).toMatchObject({ enabled: false, feature_state_value: 'default', feature_segment: null });
    const segmentFlag = await flagOf('pro-user', [{ trait_key: 'plan', trait_value: 'pro' }]);
    expect(segmentFlag).toMatchObject({ enabled: true, feature_state_value: 'segment' });
    expect(segmentFlag.feature_segment).not.toBeNull();

    const identity = (await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/identities/?q="pro-user"`)).results[0];
    await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/identities/${identity.id}/featurestates/`, { feature: feature.id, enabled: true, feature_state_value: 'mine' });
    const own = await flagOf('pro-user', []);
    expect(own).toMatchObject({ enabled: true, feature_state_value: 'mine', identity: identity.id });
    // The environment flags stay the defaults: /flags/ does not evaluate segments.
    const envFlags = (await api.sdk('GET', '/api/v1/flags/', fx.environment.api_key)).json();
    expect(envFlags.find((f: { feature: { name: string } }) => f.feature.name === 'precedence').feature_state_value).toBe('default');
  });

  test('traits: stored with their types, null deletes, transient ones are not stored', async () => {
    const key = fx.environment.api_key;
    await api.sdk('POST', '/api/v1/identities/', key, {
      identifier: 'trait-user',
      traits: [
        { trait_key: 'n', trait_value: 7 },
        { trait_key: 'f', trait_value: 2.5 },
        { trait_key: 'b', trait_value: true },
        { trait_key: 's', trait_value: 'x' },
        { trait_key: 'tmp', trait_value: 'gone', transient: true },
      ],
    });
    const stored = await api.sdk('GET', '/api/v1/identities/?identifier=trait-user', key);
    const traits = Object.fromEntries(stored.json().traits.map((t: { trait_key: string; trait_value: unknown }) => [t.trait_key, t.trait_value]));
    expect(traits).toEqual({ n: 7, f: 2.5, b: true, s: 'x' });
    await api.sdk('POST', '/api/v1/identities/', key, { identifier: 'trait-user', traits: [{ trait_key: 'n', trait_value: null }] });
    const after = (await api.sdk('GET', '/api/v1/identities/?identifier=trait-user', key)).json();
    expect(after.traits.map((t: { trait_key: string }) => t.trait_key).sort()).toEqual(['b', 'f', 's']);
  });

  test('deleting a feature removes its states and overrides; deleting an environment removes its identities', async () => {
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'doomed' });
    await api.admin('DELETE', `/api/v1/projects/${fx.projectId}/features/${feature.id}/`);
    const left = await db().selectFrom('feature_states').select('id').where('feature_id', '=', feature.id).execute();
    expect(left).toHaveLength(0);
    const env = await api.admin('POST', '/api/v1/environments/', { name: 'Temp', project: fx.projectId });
    await api.sdk('POST', '/api/v1/identities/', env.api_key, { identifier: 'temp-user', traits: [{ trait_key: 'a', trait_value: 1 }] });
    await api.admin('DELETE', `/api/v1/environments/${env.api_key}/`);
    expect(await db().selectFrom('identities').select('id').where('environment_id', '=', env.id).execute()).toHaveLength(0);
    expect((await api.sdk('GET', '/api/v1/flags/', env.api_key)).statusCode).toBe(403);
  });
});
