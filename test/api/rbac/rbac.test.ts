// RBAC on each database (issue 6, FLAGSMITH-COMPAT.md §4.3): effective rights are the union of a user's own, group
// and role grants; roles on non-admin API keys; tag-limited grants; creators become admins; members see only what
// they are granted; group admins manage their own group only; every permission change is in the audit log.
import { enginesUnderTest } from '../../support/databases';
import { createFixture, startTestApi, type Fixture, type TestApi } from '../../support/harness';

const PASSWORD = 'rbac-member-password';

describe.each(enginesUnderTest())('RBAC on %s', (engine) => {
  let api: TestApi;
  let fx: Fixture;
  let counter = 0;

  beforeAll(async () => {
    api = await startTestApi(engine);
    fx = await createFixture(api, 'RBAC');
  });
  afterAll(async () => api?.close());

  const db = () => api.runtime.store.db;
  const as = (token: string, method: string, path: string, body?: unknown) => api.request(method, path, { token, body });
  const status = async (token: string, method: string, path: string, body?: unknown) => (await as(token, method, path, body)).statusCode;
  const ok = async (token: string, method: string, path: string, body?: unknown) => {
    const res = await as(token, method, path, body);
    if (res.statusCode >= 300) throw new Error(`${method} ${path} -> ${res.statusCode}: ${res.body}`);
    return res.body ? res.json() : undefined;
  };

  /** A new member of the fixture organisation (role USER unless said), signed in. */
  async function member(role: 'USER' | 'ADMIN' = 'USER', organisationId = fx.organisationId): Promise<{ id: number; email: string; token: string }> {
    const email = `rbac-${engine}-${++counter}@example.com`;
    const user = await api.admin('POST', `/api/v1/organisations/${organisationId}/users/`, { email, password: PASSWORD, role });
    const login = await api.request('POST', '/api/v1/auth/login/', { body: { email, password: PASSWORD } });
    return { id: user.id, email, token: login.json().key };
  }

  async function role(name: string): Promise<number> {
    return (await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/`, { name })).id;
  }

  async function feature(name: string, tags: number[] = []): Promise<{ id: number; stateId: number }> {
    const f = await api.admin('POST', `/api/v1/projects/${fx.projectId}/features/`, { name, tags });
    const states = await api.admin('GET', `/api/v1/environments/${fx.environment.api_key}/featurestates/?feature=${f.id}`);
    return { id: f.id, stateId: states.results[0].id };
  }

  const projectPath = () => `/api/v1/projects/${fx.projectId}/`;
  const envPath = () => `/api/v1/environments/${fx.environment.api_key}/`;

  test('a member without grants belongs to the organisation but sees no project or environment', async () => {
    const m = await member();
    expect((await ok(m.token, 'GET', '/api/v1/organisations/')).map((o: { id: number }) => o.id)).toContain(fx.organisationId);
    expect(await ok(m.token, 'GET', '/api/v1/projects/')).toEqual([]);
    expect(await ok(m.token, 'GET', `/api/v1/projects/?organisation=${fx.organisationId}`)).toEqual([]);
    expect(await ok(m.token, 'GET', '/api/v1/environments/')).toEqual([]);
    expect(await status(m.token, 'GET', projectPath())).toBe(403);
    expect(await status(m.token, 'GET', envPath())).toBe(403);
    expect(await status(m.token, 'GET', `/api/v1/projects/${fx.projectId}/features/`)).toBe(403);
    expect(await status(m.token, 'POST', '/api/v1/projects/', { name: 'nope', organisation: fx.organisationId })).toBe(403);
    expect(await ok(m.token, 'GET', `/api/v1/projects/${fx.projectId}/my-permissions/`)).toEqual({ permissions: [], admin: false, tag_based_permissions: [] });
    expect(await ok(m.token, 'GET', `/api/v1/organisations/${fx.organisationId}/my-permissions/`)).toEqual({ permissions: [], admin: false });
    // An instance admin and an organisation admin see everything.
    const admin = await member('ADMIN');
    expect((await ok(admin.token, 'GET', '/api/v1/projects/')).map((p: { id: number }) => p.id)).toContain(fx.projectId);
    expect((await ok(admin.token, 'GET', `/api/v1/environments/?project=${fx.projectId}`)).map((e: { id: number }) => e.id)).toContain(fx.environment.id);
    expect((await ok(admin.token, 'GET', `/api/v1/projects/${fx.projectId}/my-permissions/`)).admin).toBe(true);
  });

  test('effective rights are the union of own, group and role grants, and each source can be taken away', async () => {
    const m = await member();
    const group = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/`, { name: `union-${engine}` });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/${group.id}/add-users/`, { user_ids: [m.id] }, 200);

    // Own grant: VIEW_PROJECT.
    const own = await api.admin('POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { user: m.id, permissions: ['VIEW_PROJECT'] });
    // Group's direct grant: CREATE_FEATURE.
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/user-group-permissions/`, { group: group.id, permissions: ['CREATE_FEATURE'] });
    // Role on the group: MANAGE_SEGMENTS.
    const groupRole = await role(`group-role-${engine}`);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/${groupRole}/projects-permissions/`, { project: fx.projectId, permissions: ['MANAGE_SEGMENTS'] });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/${group.id}/roles/`, { role: groupRole });
    // Role on the user: VIEW_ENVIRONMENT and MANAGE_IDENTITIES on the environment.
    const userRole = await role(`user-role-${engine}`);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/${userRole}/environments-permissions/`, { environment: fx.environment.id, permissions: ['VIEW_ENVIRONMENT', 'MANAGE_IDENTITIES'] });
    const assignment = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/${userRole}/users/`, { user: m.id });

    expect(await status(m.token, 'GET', projectPath())).toBe(200);
    expect(await status(m.token, 'POST', `/api/v1/projects/${fx.projectId}/features/`, { name: `union_flag_${engine}` })).toBe(201);
    expect(await status(m.token, 'POST', `/api/v1/projects/${fx.projectId}/segments/`, { name: 'union segment', rules: [] })).toBe(201);
    expect(await status(m.token, 'GET', envPath())).toBe(200);
    expect(await status(m.token, 'POST', `${envPath()}identities/`, { identifier: `union-${engine}` })).toBe(201);
    // Nothing else: not DELETE_FEATURE, not MANAGE_TAGS, not project admin, not UPDATE_FEATURE_STATE.
    expect(await status(m.token, 'POST', `/api/v1/projects/${fx.projectId}/tags/`, { label: 'nope' })).toBe(403);
    expect(await status(m.token, 'PATCH', projectPath(), { name: 'nope' })).toBe(403);
    const f = await feature(`union_other_${engine}`);
    expect(await status(m.token, 'PATCH', `${envPath()}featurestates/${f.stateId}/`, { enabled: true })).toBe(403);
    expect(await status(m.token, 'DELETE', `/api/v1/projects/${fx.projectId}/features/${f.id}/`)).toBe(403);

    expect((await ok(m.token, 'GET', '/api/v1/projects/')).map((p: { id: number }) => p.id)).toEqual([fx.projectId]);
    expect((await ok(m.token, 'GET', '/api/v1/environments/')).map((e: { id: number }) => e.id)).toEqual([fx.environment.id]);
    expect(await ok(m.token, 'GET', `/api/v1/projects/${fx.projectId}/my-permissions/`)).toEqual({ permissions: ['VIEW_PROJECT', 'CREATE_FEATURE', 'MANAGE_SEGMENTS'], admin: false, tag_based_permissions: [] });
    expect((await ok(m.token, 'GET', `${envPath()}my-permissions/`)).permissions).toEqual(['VIEW_ENVIRONMENT', 'MANAGE_IDENTITIES']);
    expect(await ok(m.token, 'GET', `/api/v1/organisations/${fx.organisationId}/groups/my-groups/`)).toEqual([{ id: group.id, name: `union-${engine}` }]);

    // Take each source away: own grant, role on the user, role on the group, membership of the group.
    await api.admin('DELETE', `/api/v1/projects/${fx.projectId}/user-permissions/${own.id}/`);
    expect(await status(m.token, 'GET', projectPath())).toBe(403);
    await api.admin('DELETE', `/api/v1/organisations/${fx.organisationId}/roles/${userRole}/users/${assignment.id}/`);
    expect(await status(m.token, 'GET', envPath())).toBe(403);
    await api.admin('DELETE', `/api/v1/organisations/${fx.organisationId}/groups/${group.id}/roles/${groupRole}/`);
    expect(await status(m.token, 'POST', `/api/v1/projects/${fx.projectId}/segments/`, { name: 'gone', rules: [] })).toBe(403);
    expect(await status(m.token, 'POST', `/api/v1/projects/${fx.projectId}/features/`, { name: `union_flag2_${engine}` })).toBe(201);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/${group.id}/remove-users/`, { user_ids: [m.id] }, 200);
    expect(await status(m.token, 'POST', `/api/v1/projects/${fx.projectId}/features/`, { name: `union_flag3_${engine}` })).toBe(403);
  });

  test('a non-admin organisation API key holds only the roles assigned to it; an admin key holds everything', async () => {
    const readKey = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/master-api-keys/`, { name: 'automation', is_admin: false });
    const adminKey = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/master-api-keys/`, { name: 'admin automation' });
    const key = (k: string) => ({ authorization: `Api-Key ${k}` });
    const call = (k: string, method: string, path: string, body?: unknown) => api.request(method, path, { headers: key(k), body });

    expect((await call(readKey.key, 'GET', projectPath())).statusCode).toBe(403);
    expect((await call(readKey.key, 'GET', '/api/v1/projects/')).json()).toEqual([]);
    expect((await call(adminKey.key, 'GET', projectPath())).statusCode).toBe(200);

    const automation = await role(`automation-${engine}`);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/${automation}/projects-permissions/`, { project: fx.projectId, permissions: ['VIEW_PROJECT', 'CREATE_FEATURE'] });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/master-api-keys/${readKey.id}/roles/`, { role: automation });
    expect((await api.admin('GET', `/api/v1/organisations/${fx.organisationId}/roles/${automation}/master-api-keys/`))[0]).toMatchObject({ role: automation, master_api_key: readKey.id });

    expect((await call(readKey.key, 'GET', projectPath())).statusCode).toBe(200);
    expect((await call(readKey.key, 'GET', '/api/v1/projects/')).json().map((p: { id: number }) => p.id)).toEqual([fx.projectId]);
    expect((await call(readKey.key, 'POST', `/api/v1/projects/${fx.projectId}/features/`, { name: `key_flag_${engine}` })).statusCode).toBe(201);
    expect((await call(readKey.key, 'POST', `/api/v1/projects/${fx.projectId}/segments/`, { name: 'nope', rules: [] })).statusCode).toBe(403);
    expect((await call(readKey.key, 'GET', envPath())).statusCode).toBe(403);
    expect((await call(readKey.key, 'GET', `/api/v1/organisations/${fx.organisationId}/roles/`)).statusCode).toBe(403);
    expect((await call(readKey.key, 'GET', `/api/v1/projects/${fx.projectId}/my-permissions/`)).json()).toMatchObject({ permissions: ['VIEW_PROJECT', 'CREATE_FEATURE'], admin: false });

    // A role of the key's organisation never reaches another organisation.
    const other = await api.admin('POST', '/api/v1/organisations/', { name: `other-${engine}` });
    const otherProject = await api.admin('POST', '/api/v1/projects/', { name: 'other', organisation: other.id });
    expect((await call(readKey.key, 'GET', `/api/v1/projects/${otherProject.id}/`)).statusCode).toBe(403);
    expect((await call(adminKey.key, 'GET', `/api/v1/projects/${otherProject.id}/`)).statusCode).toBe(403);
    // Roles and keys of one organisation cannot be linked across organisations.
    const foreignRole = (await api.admin('POST', `/api/v1/organisations/${other.id}/roles/`, { name: 'foreign' })).id;
    expect((await api.request('POST', `/api/v1/organisations/${other.id}/roles/${foreignRole}/master-api-keys/`, { token: api.adminToken, body: { master_api_key: readKey.id } })).statusCode).toBe(400);

    await api.admin('DELETE', `/api/v1/organisations/${fx.organisationId}/master-api-keys/${readKey.id}/roles/${automation}/`);
    expect((await call(readKey.key, 'GET', projectPath())).statusCode).toBe(403);
  });

  test('a tag-limited UPDATE_FEATURE_STATE allows tagged features only', async () => {
    const tag = await api.admin('POST', `/api/v1/projects/${fx.projectId}/tags/`, { label: `limited-${engine}` });
    const tagged = await feature(`tagged_${engine}`, [tag.id]);
    const untagged = await feature(`untagged_${engine}`);
    const m = await member();
    const grant = await api.admin('POST', `${envPath()}user-permissions/`, { user: m.id, permissions: ['VIEW_ENVIRONMENT', 'UPDATE_FEATURE_STATE'], tags: [tag.id] });
    expect(grant).toMatchObject({ user: m.id, environment: fx.environment.id, permissions: ['VIEW_ENVIRONMENT', 'UPDATE_FEATURE_STATE'], admin: false, tags: [tag.id] });

    expect(await status(m.token, 'PATCH', `${envPath()}featurestates/${tagged.stateId}/`, { enabled: true })).toBe(200);
    expect(await status(m.token, 'PATCH', `${envPath()}featurestates/${untagged.stateId}/`, { enabled: true })).toBe(403);
    expect(await status(m.token, 'PUT', `/api/v1/features/featurestates/${tagged.stateId}/`, { enabled: false })).toBe(200);
    expect(await status(m.token, 'PUT', `/api/v1/features/featurestates/${untagged.stateId}/`, { enabled: false })).toBe(403);
    // VIEW_ENVIRONMENT is not tag-limitable: it holds for every feature.
    expect(await status(m.token, 'GET', `${envPath()}featurestates/${untagged.stateId}/`)).toBe(200);
    expect(await ok(m.token, 'GET', `${envPath()}my-permissions/`)).toEqual({ permissions: ['VIEW_ENVIRONMENT'], admin: false, tag_based_permissions: [{ permissions: ['UPDATE_FEATURE_STATE'], tags: [tag.id] }] });

    // Tagging the other feature extends the grant to it; deleting the tag narrows, never widens.
    await api.admin('PATCH', `/api/v1/projects/${fx.projectId}/features/${untagged.id}/`, { tags: [tag.id] });
    expect(await status(m.token, 'PATCH', `${envPath()}featurestates/${untagged.stateId}/`, { enabled: true })).toBe(200);
    await api.admin('DELETE', `/api/v1/projects/${fx.projectId}/tags/${tag.id}/`);
    expect(await status(m.token, 'PATCH', `${envPath()}featurestates/${tagged.stateId}/`, { enabled: false })).toBe(403);

    // Tags must be the project's, and only limit tag-limitable keys.
    const otherProject = await api.admin('POST', '/api/v1/projects/', { name: `tags-${engine}`, organisation: fx.organisationId });
    const foreignTag = await api.admin('POST', `/api/v1/projects/${otherProject.id}/tags/`, { label: 'foreign' });
    const bad = await api.request('POST', `${envPath()}user-permissions/`, { token: api.adminToken, body: { user: (await member()).id, permissions: ['UPDATE_FEATURE_STATE'], tags: [foreignTag.id] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toHaveProperty('tags');
    const notLimitable = await api.request('POST', `${envPath()}user-permissions/`, { token: api.adminToken, body: { user: (await member()).id, permissions: ['VIEW_ENVIRONMENT'], tags: [1] } });
    expect(notLimitable.statusCode).toBe(400);
  });

  test('a tag-limited DELETE_FEATURE and MANAGE_SEGMENT_OVERRIDES follow the feature the request acts on', async () => {
    const tag = await api.admin('POST', `/api/v1/projects/${fx.projectId}/tags/`, { label: `deletable-${engine}` });
    const tagged = await feature(`del_tagged_${engine}`, [tag.id]);
    const untagged = await feature(`del_untagged_${engine}`);
    const segment = await api.admin('POST', `/api/v1/projects/${fx.projectId}/segments/`, { name: `seg-${engine}`, rules: [] });
    const m = await member();
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { user: m.id, permissions: ['DELETE_FEATURE'], tags: [tag.id] });
    await api.admin('POST', `${envPath()}user-permissions/`, { user: m.id, permissions: ['MANAGE_SEGMENT_OVERRIDES'], tags: [tag.id] });
    expect(await status(m.token, 'POST', `${envPath()}features/${untagged.id}/create-segment-override/`, { segment: segment.id })).toBe(403);
    expect(await status(m.token, 'POST', `${envPath()}features/${tagged.id}/create-segment-override/`, { segment: segment.id })).toBe(201);
    expect(await status(m.token, 'POST', '/api/v1/features/feature-segments/', { feature: untagged.id, segment: segment.id, environment: fx.environment.id })).toBe(403);
    expect(await status(m.token, 'DELETE', `/api/v1/projects/${fx.projectId}/features/${untagged.id}/`)).toBe(403);
    expect(await status(m.token, 'DELETE', `/api/v1/projects/${fx.projectId}/features/${tagged.id}/`)).toBe(204);
  });

  test('tag-limited change-request keys must reach every feature a change request names', async () => {
    const tag = await api.admin('POST', `/api/v1/projects/${fx.projectId}/tags/`, { label: `cr-${engine}` });
    const tagged = await feature(`cr_tagged_${engine}`, [tag.id]);
    const untagged = await feature(`cr_untagged_${engine}`);
    const m = await member();
    await api.admin('POST', `${envPath()}user-permissions/`, { user: m.id, permissions: ['VIEW_ENVIRONMENT', 'CREATE_CHANGE_REQUEST', 'APPROVE_CHANGE_REQUEST'], tags: [tag.id] });
    const propose = (features: number[]) => as(m.token, 'POST', `${envPath()}create-change-request/`, { title: 'tagged', feature_states: features.map((f) => ({ feature: f, enabled: true })) });
    expect((await propose([tagged.id])).statusCode).toBe(201);
    expect((await propose([untagged.id])).statusCode).toBe(403);
    expect((await propose([tagged.id, untagged.id])).statusCode).toBe(403);
    const crOn = async (f: number) => (await api.admin('POST', `${envPath()}create-change-request/`, { title: 'by admin', feature_states: [{ feature: f, enabled: true }] })).id;
    expect(await status(m.token, 'POST', `/api/v1/features/workflows/change-requests/${await crOn(tagged.id)}/approve/`)).toBe(200);
    expect(await status(m.token, 'POST', `/api/v1/features/workflows/change-requests/${await crOn(untagged.id)}/approve/`)).toBe(403);
  });

  test('creators become admin of the projects and environments they create, in the same write', async () => {
    const creator = await member();
    const creators = await role(`creators-${engine}`);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/${creators}/organisation-permissions/`, { permissions: ['CREATE_PROJECT'] });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/users/${creator.id}/roles/`, { role: creators });
    expect(await ok(creator.token, 'GET', `/api/v1/organisations/${fx.organisationId}/my-permissions/`)).toEqual({ permissions: ['CREATE_PROJECT'], admin: false });

    const project = await ok(creator.token, 'POST', '/api/v1/projects/', { name: `mine-${engine}`, organisation: fx.organisationId });
    expect(await ok(creator.token, 'GET', `/api/v1/projects/${project.id}/my-permissions/`)).toMatchObject({ admin: true });
    expect(await status(creator.token, 'PATCH', `/api/v1/projects/${project.id}/`, { name: `mine2-${engine}` })).toBe(200);
    const env = await ok(creator.token, 'POST', '/api/v1/environments/', { name: 'mine', project: project.id });
    expect(await status(creator.token, 'PATCH', `/api/v1/environments/${env.api_key}/`, { description: 'x' })).toBe(200);
    const grants = await db().selectFrom('perm_grants').selectAll().where('user_id', '=', creator.id).where('project_id', '=', project.id).execute();
    expect(grants.map((g) => [g.environment_id, Boolean(g.is_admin)]).sort()).toEqual([[env.id, true], [null, true]].sort());
    const audit = await db().selectFrom('audit_log').select(['action', 'resource_type', 'project_id', 'environment_id']).where('project_id', '=', project.id).where('action', '=', 'grant').execute();
    expect(audit.map((a) => a.resource_type).sort()).toEqual(['user_environment_permission', 'user_project_permission']);

    // Others see none of it; the creator sees it listed.
    const other = await member();
    expect((await ok(other.token, 'GET', '/api/v1/projects/')).map((p: { id: number }) => p.id)).not.toContain(project.id);
    expect((await ok(creator.token, 'GET', '/api/v1/projects/')).map((p: { id: number }) => p.id)).toContain(project.id);

    // restrict_project_create_to_admin leaves project creation to admins.
    await api.admin('PATCH', `/api/v1/organisations/${fx.organisationId}/`, { restrict_project_create_to_admin: true });
    expect(await status(creator.token, 'POST', '/api/v1/projects/', { name: 'blocked', organisation: fx.organisationId })).toBe(403);
    await api.admin('PATCH', `/api/v1/organisations/${fx.organisationId}/`, { restrict_project_create_to_admin: false });
  });

  test('project admin implies every project and environment key; environment admin every key of its environment only', async () => {
    const pa = await member();
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { user: pa.id, permissions: [], admin: true });
    expect(await status(pa.token, 'POST', `/api/v1/projects/${fx.projectId}/tags/`, { label: `pa-${engine}` })).toBe(201);
    expect(await status(pa.token, 'GET', `${envPath()}identities/`)).toBe(200);
    expect(await status(pa.token, 'GET', `${envPath()}api-keys/`)).toBe(200);
    expect((await ok(pa.token, 'GET', `${envPath()}my-permissions/`)).admin).toBe(true);

    const ea = await member();
    await api.admin('POST', `${envPath()}user-permissions/`, { user: ea.id, permissions: [], admin: true });
    expect(await status(ea.token, 'GET', `${envPath()}identities/`)).toBe(200);
    expect(await status(ea.token, 'GET', `${envPath()}api-keys/`)).toBe(200);
    expect(await status(ea.token, 'GET', projectPath())).toBe(403);
    expect(await status(ea.token, 'POST', `/api/v1/projects/${fx.projectId}/tags/`, { label: 'nope' })).toBe(403);
    const second = await api.admin('POST', '/api/v1/environments/', { name: `second-${engine}`, project: fx.projectId });
    expect(await status(ea.token, 'GET', `/api/v1/environments/${second.api_key}/`)).toBe(403);
    expect(await status(pa.token, 'GET', `/api/v1/environments/${second.api_key}/`)).toBe(200);
    // A project admin may manage the project's grants; an environment admin only its environment's.
    expect(await status(pa.token, 'POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { user: ea.id, permissions: ['VIEW_PROJECT'] })).toBe(201);
    expect(await status(ea.token, 'POST', `/api/v1/environments/${second.api_key}/user-permissions/`, { user: ea.id, permissions: ['VIEW_ENVIRONMENT'] })).toBe(403);
  });

  test('group admins add and remove members of their own group only', async () => {
    const lead = await member();
    const newcomer = await member();
    const mine = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/`, { name: `mine-${engine}` });
    const theirs = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/`, { name: `theirs-${engine}` });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/${mine.id}/add-users/`, { user_ids: [lead.id] }, 200);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/${mine.id}/users/${lead.id}/make-admin/`, undefined, 200);
    const groups = `/api/v1/organisations/${fx.organisationId}/groups`;

    const added = await ok(lead.token, 'POST', `${groups}/${mine.id}/add-users/`, { user_ids: [newcomer.id] });
    expect(added.users.map((u: { id: number; group_admin: boolean }) => [u.id, u.group_admin])).toEqual([[lead.id, true], [newcomer.id, false]]);
    expect(await status(lead.token, 'GET', `${groups}/${mine.id}/`)).toBe(200);
    expect(await status(lead.token, 'POST', `${groups}/${theirs.id}/add-users/`, { user_ids: [newcomer.id] })).toBe(403);
    expect(await status(lead.token, 'GET', `${groups}/${theirs.id}/`)).toBe(403);
    expect(await status(lead.token, 'POST', `${groups}/${mine.id}/users/${newcomer.id}/make-admin/`)).toBe(403);
    expect(await status(lead.token, 'PATCH', `${groups}/${mine.id}/`, { name: 'renamed' })).toBe(403);
    expect(await status(lead.token, 'POST', groups + '/', { name: 'new' })).toBe(403);
    // Only members of the organisation can join.
    const outsider = await api.admin('POST', '/api/v1/organisations/', { name: `outside-${engine}` });
    const stranger = await member('USER', outsider.id);
    const refused = await as(lead.token, 'POST', `${groups}/${mine.id}/add-users/`, { user_ids: [stranger.id] });
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toHaveProperty('user_ids');
    // The list shows a group admin their groups; MANAGE_USER_GROUPS shows all.
    expect((await ok(lead.token, 'GET', `${groups}/`)).results.map((g: { id: number }) => g.id)).toEqual([mine.id]);
    expect((await ok(lead.token, 'POST', `${groups}/${mine.id}/remove-users/`, { user_ids: [newcomer.id] })).users.map((u: { id: number }) => u.id)).toEqual([lead.id]);

    await api.admin('POST', `${groups}/${mine.id}/users/${lead.id}/remove-admin/`, undefined, 200);
    expect(await status(lead.token, 'POST', `${groups}/${mine.id}/add-users/`, { user_ids: [newcomer.id] })).toBe(403);
    const managers = await role(`group-managers-${engine}`);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/${managers}/organisation-permissions/`, { permissions: ['MANAGE_USER_GROUPS'] });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/${managers}/users/`, { user: lead.id });
    expect(await status(lead.token, 'POST', `${groups}/${theirs.id}/add-users/`, { user_ids: [newcomer.id] })).toBe(200);
    expect((await ok(lead.token, 'GET', `${groups}/?page_size=100`)).results.map((g: { id: number }) => g.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
  });

  test('every grant, role and group change writes an audit row in the same transaction', async () => {
    const m = await member();
    const since = Number((await db().selectFrom('audit_log').select((eb) => eb.fn.max('id').as('n')).executeTakeFirstOrThrow()).n);
    const grant = await api.admin('POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { user: m.id, permissions: ['VIEW_PROJECT'] });
    await api.admin('PATCH', `/api/v1/projects/${fx.projectId}/user-permissions/${grant.id}/`, { permissions: ['VIEW_PROJECT', 'MANAGE_TAGS'] });
    await api.admin('DELETE', `/api/v1/projects/${fx.projectId}/user-permissions/${grant.id}/`);
    const r = await role(`audited-${engine}`);
    const rp = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/roles/${r}/environments-permissions/`, { environment: fx.environment.id, permissions: ['VIEW_ENVIRONMENT'], admin: true });
    await api.admin('PUT', `/api/v1/organisations/${fx.organisationId}/roles/${r}/environments-permissions/${rp.id}/`, { permissions: [], admin: false });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/users/${m.id}/roles/`, { role: r });
    const g = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/`, { name: `audited-${engine}` });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/${g.id}/add-users/`, { user_ids: [m.id] }, 200);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/${g.id}/users/${m.id}/make-admin/`, undefined, 200);
    await api.admin('DELETE', `/api/v1/organisations/${fx.organisationId}/roles/${r}/`);

    const rows = await db().selectFrom('audit_log').selectAll().where('id', '>', since).orderBy('id').execute();
    expect(rows.map((row) => `${row.action} ${row.resource_type}`)).toEqual([
      'grant user_project_permission',
      'update user_project_permission',
      'revoke user_project_permission',
      'create role',
      'grant role_environment_permission',
      'update role_environment_permission',
      'assign_role role',
      'create group',
      'add_users group',
      'make_group_admin group',
      'delete role',
    ]);
    for (const row of rows) expect(row).toMatchObject({ organisation_id: fx.organisationId, actor_label: 'admin@example.com' });
    const update = rows[1]!;
    expect(JSON.parse(update.before_json!)).toMatchObject({ permissions: ['VIEW_PROJECT'] });
    expect(JSON.parse(update.after_json!)).toMatchObject({ permissions: ['VIEW_PROJECT', 'MANAGE_TAGS'] });
    expect(rows[0]).toMatchObject({ project_id: fx.projectId });
    expect(rows[4]).toMatchObject({ environment_id: fx.environment.id });

    // A refused change writes nothing.
    const count = rows.length;
    expect((await as(m.token, 'POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { user: m.id, permissions: ['VIEW_PROJECT'], admin: true })).statusCode).toBe(403);
    expect((await api.request('POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { token: api.adminToken, body: { user: m.id, permissions: ['CREATE_PROJECT'] } })).statusCode).toBe(400);
    expect(await db().selectFrom('audit_log').select('id').where('id', '>', since).execute()).toHaveLength(count);
  });

  test('leaving the organisation takes the grants, groups and roles there with it; a rejoining member starts empty', async () => {
    const m = await member();
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/user-permissions/`, { user: m.id, permissions: ['VIEW_PROJECT'] });
    const g = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/`, { name: `leavers-${engine}` });
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/${g.id}/add-users/`, { user_ids: [m.id] }, 200);
    const r = await role(`leavers-${engine}`);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/users/${m.id}/roles/`, { role: r });
    expect(await status(m.token, 'GET', projectPath())).toBe(200);

    await api.admin('DELETE', `/api/v1/organisations/${fx.organisationId}/users/${m.id}/`);
    expect(await status(m.token, 'GET', projectPath())).toBe(403);
    expect(await db().selectFrom('perm_grants').select('id').where('user_id', '=', m.id).execute()).toEqual([]);
    expect(await db().selectFrom('user_group_members').select('group_id').where('user_id', '=', m.id).execute()).toEqual([]);
    expect(await db().selectFrom('role_users').select('id').where('user_id', '=', m.id).execute()).toEqual([]);
    await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/users/`, { email: m.email, role: 'USER' });
    expect(await status(m.token, 'GET', projectPath())).toBe(403);
  });

  test('a default group takes in every new member', async () => {
    const g = await api.admin('POST', `/api/v1/organisations/${fx.organisationId}/groups/`, { name: `everyone-${engine}`, is_default: true });
    await api.admin('POST', `/api/v1/projects/${fx.projectId}/user-group-permissions/`, { group: g.id, permissions: ['VIEW_PROJECT'] });
    const m = await member();
    expect(await status(m.token, 'GET', projectPath())).toBe(200);
    await api.admin('PATCH', `/api/v1/organisations/${fx.organisationId}/groups/${g.id}/`, { is_default: false });
  });

  test('grant payloads are checked: level of each key, one grant per principal and object, principals of the organisation', async () => {
    const m = await member();
    const post = (path: string, body: unknown) => api.request('POST', path, { token: api.adminToken, body });
    expect((await post(`/api/v1/projects/${fx.projectId}/user-permissions/`, { user: m.id, permissions: ['VIEW_ENVIRONMENT'] })).statusCode).toBe(400);
    expect((await post(`/api/v1/organisations/${fx.organisationId}/user-permissions/`, { user: m.id, permissions: ['VIEW_PROJECT'] })).statusCode).toBe(400);
    expect((await post(`/api/v1/organisations/${fx.organisationId}/user-permissions/`, { user: m.id, permissions: ['CREATE_PROJECT'], admin: true })).statusCode).toBe(400);
    expect((await post(`/api/v1/projects/${fx.projectId}/user-permissions/`, { user: m.id, permissions: ['VIEW_PROJECT'] })).statusCode).toBe(201);
    expect((await post(`/api/v1/projects/${fx.projectId}/user-permissions/`, { user: m.id, permissions: ['MANAGE_TAGS'] })).statusCode).toBe(409);
    const outsider = await api.admin('POST', '/api/v1/organisations/', { name: `payloads-${engine}` });
    const stranger = await member('USER', outsider.id);
    expect((await post(`/api/v1/projects/${fx.projectId}/user-permissions/`, { user: stranger.id, permissions: ['VIEW_PROJECT'] })).statusCode).toBe(400);
    const foreignProject = await api.admin('POST', '/api/v1/projects/', { name: 'foreign', organisation: outsider.id });
    const r = await role(`payloads-${engine}`);
    expect((await post(`/api/v1/organisations/${fx.organisationId}/roles/${r}/projects-permissions/`, { project: foreignProject.id, permissions: ['VIEW_PROJECT'] })).statusCode).toBe(400);
    // A grant of another project is not reachable through this one's URL.
    const rp = await api.admin('POST', `/api/v1/projects/${foreignProject.id}/user-permissions/`, { user: stranger.id, permissions: ['VIEW_PROJECT'] });
    expect((await api.request('GET', `/api/v1/projects/${fx.projectId}/user-permissions/${rp.id}/`, { token: api.adminToken })).statusCode).toBe(404);
    const list = await api.admin('GET', `/api/v1/projects/${fx.projectId}/user-permissions/`);
    expect(list.find((g: { user: { id: number } }) => g.user.id === m.id)).toMatchObject({ user: { id: m.id, email: m.email }, permissions: ['VIEW_PROJECT'], admin: false, tags: [] });
  });

  test('the key lists name every key with a description', async () => {
    const org = await api.admin('GET', '/api/v1/organisations/permissions/');
    const project = await api.admin('GET', '/api/v1/projects/permissions/');
    const env = await api.admin('GET', '/api/v1/environments/permissions/');
    expect(org.map((k: { key: string }) => k.key)).toEqual(['CREATE_PROJECT', 'MANAGE_USER_GROUPS']);
    expect(project.map((k: { key: string }) => k.key)).toContain('VIEW_PROJECT');
    expect(env.find((k: { key: string }) => k.key === 'UPDATE_FEATURE_STATE')).toMatchObject({ supports_tag: true, description: expect.any(String) });
    for (const k of [...org, ...project, ...env]) expect(k.description.length).toBeGreaterThan(10);
  });
});
