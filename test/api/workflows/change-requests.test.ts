// Workflows on each database: change requests walked through to live flags, scheduled changes published exactly
// once by concurrent schedulers, no lost updates between concurrent writers, and who may do each step.
import { loadConfig } from '../../../api/src/config';
import { connect } from '../../../api/src/store/connect';
import { Store } from '../../../api/src/store/store';
import { publishDueChanges } from '../../../api/src/services/workflows/scheduler';
import { enginesUnderTest } from '../../support/databases';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(enginesUnderTest())('workflows on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;
  let reviewerToken: string;
  let memberToken: string;
  let reviewerId: number;

  const login = async (email: string, password: string) => (await api.request('POST', '/api/v1/auth/login/', { body: { email, password } })).json().key as string;

  beforeAll(async () => {
    api = await startTestApi(engine);
    fx = await createFixture(api);
    const reviewer = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/users/`, { email: 'reviewer@example.com', password: 'reviewer-password-1', role: 'ADMIN' });
    reviewerId = reviewer.id;
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/users/`, { email: 'member@example.com', password: 'member-password-12', role: 'USER' });
    reviewerToken = await login('reviewer@example.com', 'reviewer-password-1');
    memberToken = await login('member@example.com', 'member-password-12');
  });
  afterAll(async () => api?.close());

  const flagValue = async (name: string) => {
    const res = await api.sdk('GET', '/api/v1/flags/', fx.environment.api_key);
    const flag = res.json().find((f: { feature: { name: string } }) => f.feature.name === name);
    return { enabled: flag.enabled as boolean, value: flag.feature_state_value as unknown };
  };
  const as = (token: string, method: string, path: string, body?: unknown) => api.request(method, path, { token, body });
  const crPath = (id: number, action = '') => `/api/v1/features/workflows/change-requests/${id}/${action}`;

  test('create → approve → commit → scheduled → live, seen through the SDK endpoints', async () => {
    const env = await api.admin('POST', '/api/v1/environments/', { name: 'Guarded', project: fx.projectId, minimum_change_request_approvals: 1 });
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'guarded_flag', initial_value: 'old' });
    const state = (await api.admin('GET', `/api/v1/environments/${env.api_key}/featurestates/?feature=${feature.id}`)).results[0];
    // Direct changes are refused while approvals are required.
    const direct = await api.request('PATCH', `/api/v1/environments/${env.api_key}/featurestates/${state.id}/`, { token: api.adminToken, body: { enabled: true } });
    expect(direct.statusCode).toBe(403);
    expect(direct.json().detail).toMatch(/change request/);

    const liveFrom = new Date(Date.now() + 1500).toISOString();
    const cr = await api.admin('POST', `/api/v1/environments/${env.api_key}/create-change-request/`, {
      title: 'Turn it on',
      live_from: liveFrom,
      feature_states: [{ feature: feature.id, enabled: true, feature_state_value: 'new' }],
      approvals: [{ user: reviewerId }],
    });
    expect(cr).toMatchObject({ is_committed: false, is_approved: false, approvals: [{ user: reviewerId, approved_at: null }] });

    // Not enough approvals yet; the author cannot approve their own; the reviewer can.
    expect((await as(api.adminToken, 'POST', crPath(cr.id, 'commit/'))).statusCode).toBe(400);
    expect((await as(api.adminToken, 'POST', crPath(cr.id, 'approve/'))).statusCode).toBe(403);
    const approved = await as(reviewerToken, 'POST', crPath(cr.id, 'approve/'));
    expect(approved.statusCode).toBe(200);
    expect(approved.json().is_approved).toBe(true);

    const committed = (await as(api.adminToken, 'POST', crPath(cr.id, 'commit/'))).json();
    expect(committed).toMatchObject({ is_committed: true, is_scheduled: true, published_at: null });
    const pending = await api.admin('GET', `/api/v1/environments/${env.api_key}/scheduled-changes/`);
    expect(pending.results.map((c: { id: number }) => c.id)).toEqual([cr.id]);

    const sdkFlag = async () => {
      const res = await api.sdk('GET', '/api/v1/flags/', env.api_key);
      return res.json().find((f: { feature: { name: string } }) => f.feature.name === 'guarded_flag');
    };
    expect(await sdkFlag()).toMatchObject({ enabled: false, feature_state_value: 'old' });
    const doc = (await api.sdk('GET', '/api/v1/environment-document/', (await api.admin('POST', `/api/v1/environments/${env.api_key}/api-keys/`, { name: 's' })).key)).json();
    expect(doc.feature_states.find((s: { feature: { id: number } }) => s.feature.id === feature.id).feature_state_value).toBe('old');

    // At live_from the cached document rebuilds itself, before any scheduler has run.
    await sleep(Math.max(0, new Date(liveFrom).getTime() - Date.now()) + 100);
    expect(await sdkFlag()).toMatchObject({ enabled: true, feature_state_value: 'new' });

    // The scheduler then writes it, once.
    expect(await publishDueChanges(api.runtime.store)).toBe(1);
    expect(await publishDueChanges(api.runtime.store)).toBe(0);
    const after = await api.admin('GET', `/api/v1/environments/${env.api_key}/featurestates/${state.id}/`);
    expect(after).toMatchObject({ enabled: true, feature_state_value: 'new', version: state.version + 1 });
    expect((await api.admin('GET', crPath(cr.id))).published_at).not.toBeNull();
    expect(await sdkFlag()).toMatchObject({ enabled: true, feature_state_value: 'new' });
  });

  test('a committed change due now is published at commit; a committed live one cannot be deleted', async () => {
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'instant_flag' });
    const cr = await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/create-change-request/`, { title: 'Now', feature_states: [{ feature: feature.id, enabled: true }] });
    const committed = await api.admin('POST', crPath(cr.id, 'commit/'), undefined, 200);
    expect(committed.published_at).not.toBeNull();
    expect((await flagValue('instant_flag')).enabled).toBe(true);
    expect((await as(api.adminToken, 'DELETE', crPath(cr.id))).statusCode).toBe(409);
  });

  test('a scheduled change (direct, with live_from) can be cancelled and never goes live', async () => {
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'cancelled_flag' });
    const state = (await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/featurestates/?feature=${feature.id}`)).results[0];
    const scheduled = await api.admin('PATCH', `/api/v1/environments/${fx.environment.api_key}/featurestates/${state.id}/`, { enabled: true, live_from: new Date(Date.now() + 60_000).toISOString() });
    expect(scheduled).toMatchObject({ is_committed: true, is_scheduled: true });
    await api.admin('DELETE', crPath(scheduled.id));
    await api.runtime.store.db.updateTable('change_requests').set({ live_from: new Date(Date.now() - 1000) }).execute();
    expect(await publishDueChanges(api.runtime.store)).toBe(0);
    expect((await flagValue('cancelled_flag')).enabled).toBe(false);
  });

  test('two schedulers running at once publish every due change exactly once', async () => {
    const crIds: number[] = [];
    const stateIds: number[] = [];
    for (let i = 0; i < 6; i++) {
      const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: `race_${i}` });
      const state = (await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/featurestates/?feature=${feature.id}`)).results[0];
      stateIds.push(state.id);
      const cr = await api.admin('PATCH', `/api/v1/environments/${fx.environment.api_key}/featurestates/${state.id}/`, { enabled: true, live_from: new Date(Date.now() + 60_000).toISOString() });
      crIds.push(cr.id);
    }
    await api.runtime.store.db.updateTable('change_requests').set({ live_from: new Date(Date.now() - 1000) }).where('id', 'in', crIds).execute();
    // Two schedulers, each with its own connection pool, as two processes would have.
    const stores = await Promise.all([0, 1].map(async () => new Store(await connect(loadConfig({ DATABASE_URL: api.databaseUrl }).database.url))));
    try {
      const counts = await Promise.all(stores.map((s) => publishDueChanges(s)));
      expect(counts[0]! + counts[1]!).toBe(6);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    const states = await api.runtime.store.db.selectFrom('feature_states').select(['id', 'version', 'enabled']).where('id', 'in', stateIds).execute();
    expect(states.every((s) => Number(s.version) === 2 && (s.enabled === true || s.enabled === 1))).toBe(true);
    const publishes = await api.runtime.store.db.selectFrom('audit_log').select('resource_id').where('action', '=', 'publish').where('resource_id', 'in', crIds.map(String)).execute();
    expect(publishes).toHaveLength(6);
  });

  test('two concurrent writers with the same version: one wins, the other gets 409', async () => {
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'contended' });
    const state = (await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/featurestates/?feature=${feature.id}`)).results[0];
    const path = `/api/v1/environments/${fx.environment.api_key}/featurestates/${state.id}/`;
    const results = await Promise.all(['a', 'b'].map((v) => api.request('PATCH', path, { token: api.adminToken, body: { feature_state_value: v, version: state.version } })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const winner = results.find((r) => r.statusCode === 200)!.json().feature_state_value;
    expect((await api.admin('GET', path)).feature_state_value).toBe(winner);
    expect(results.find((r) => r.statusCode === 409)!.json().current_version).toBe(state.version + 1);
  });

  test('segment changes go through project change requests when the project requires approvals', async () => {
    const project = await api.admin('POST', '/api/v1/projects/', { name: 'Guarded project', organisation: fx.organisationId, minimum_change_request_approvals: 0 });
    const segment = await api.admin('POST', `/api/v1/projects/${project.id}/segments/`, { name: 'beta', rules: [{ type: 'ALL', rules: [], conditions: [{ operator: 'EQUAL', property: 'x', value: '1' }] }] });
    const direct = await api.request('PATCH', `/api/v1/projects/${project.id}/segments/${segment.id}/`, { token: api.adminToken, body: { name: 'beta 2' } });
    expect(direct.statusCode).toBe(403);
    const cr = await api.admin('POST', `/api/v1/projects/${project.id}/change-requests/`, { title: 'Rename', segments: [{ segment: segment.id, name: 'beta 2' }] });
    await api.admin('POST', `/api/v1/projects/${project.id}/change-requests/${cr.id}/commit/`, undefined, 200);
    expect((await api.admin('GET', `/api/v1/projects/${project.id}/segments/${segment.id}/`)).name).toBe('beta 2');
  });

  test('each step needs its permission: a member holding VIEW_ENVIRONMENT may read change requests but not create, approve or commit', async () => {
    const feature = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name: 'perm_flag' });
    const cr = await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/create-change-request/`, { title: 'Perm', feature_states: [{ feature: feature.id, enabled: true }] });
    // Members hold only what they are granted (RBAC, issue 6): without a grant they may not even read.
    expect((await as(memberToken, 'GET', crPath(cr.id))).statusCode).toBe(403);
    const member = (await api.admin('GET', `/api/v1/organisations/${fx.organisationId}/users/`)).find((u: { email: string }) => u.email === 'member@example.com');
    await api.admin('POST', `/api/v1/environments/${fx.environment.api_key}/user-permissions/`, { user: member.id, permissions: ['VIEW_ENVIRONMENT'] });
    expect((await as(memberToken, 'GET', crPath(cr.id))).statusCode).toBe(200);
    expect((await as(memberToken, 'POST', `/api/v1/environments/${fx.environment.api_key}/create-change-request/`, { title: 'x', feature_states: [{ feature: feature.id }] })).statusCode).toBe(403);
    expect((await as(memberToken, 'POST', crPath(cr.id, 'approve/'))).statusCode).toBe(403);
    expect((await as(memberToken, 'POST', crPath(cr.id, 'commit/'))).statusCode).toBe(403);
    expect((await as(memberToken, 'DELETE', crPath(cr.id))).statusCode).toBe(403);
    const audit = await api.admin('GET', `/api/v1/audit/?project=${fx.projectId}&search=Perm`);
    expect(audit.results.some((e: { action: string; related_object_type: string }) => e.action === 'create' && e.related_object_type === 'change_request')).toBe(true);
  });
});
