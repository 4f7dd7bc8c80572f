// Valid requests for every admin route, for the permission matrix (permission-matrix.test.ts): one fixture with an
// object of every kind, and per route a builder that answers the path and body of a request that should succeed for
// a caller allowed by the route's declared permission. Builders of destructive routes make a disposable object for
// allowed callers (and give the caller its permission on it when the object is a new project or environment); denied
// callers are refused before the handler, so they get the fixture's objects.
//
// A route added without a builder here is still driven by `fallbackRequest` (ids by parameter name, a body built
// from its schema); when that cannot build a request the route accepts, the matrix says so: add a builder below.
import type { TSchema } from '@sinclair/typebox';
import { hashSecret, newUserToken } from '../../../api/src/auth/keys';
import type { AdminRoute } from '../../../api/src/http/admin-route';
import type { Permission } from '../../../api/src/domain/permissions';
import { SYSTEM_ACTOR } from '../../../api/src/domain/actor';
import { insertApiToken, insertUser, updateUser } from '../../../api/src/store/repositories/users';
import { hashPassword } from '../../../api/src/auth/passwords';
import { upsertMembership } from '../../../api/src/store/repositories/organisations';
import type { TestApi } from '../../support/harness';
import { samlRouteRequests } from './saml-requests';

let unique = 0;
const MATRIX_PASSWORD = 'matrix-password-long-enough';
export const uid = (prefix: string) => `${prefix}-${process.pid}-${++unique}`;

export interface Holder {
  /** What the holder holds: one key (through a role, on the fixture's project or environment), or a pseudo-permission. */
  perm: Permission;
  /** `fixture`: held on the fixture's objects; `elsewhere`: on another project of the same organisation. */
  where: 'fixture' | 'elsewhere';
  name: string;
  userId: number;
  token: string;
  /** The role that carries the holder's grant (none for organisation admins, members, instance admins, group admins). */
  roleId?: number;
}

export interface MatrixFixture {
  orgId: number;
  projectId: number;
  projectName: string;
  envId: number;
  envKey: string;
  envName: string;
  otherProjectId: number;
  otherEnvId: number;
  targetServerKeyId: number;
  tagId: number;
  featureId: number;
  featureName: string;
  mvFeatureId: number;
  optionId: number;
  defaultStateId: number;
  segmentId: number;
  featureSegmentId: number;
  segmentStateId: number;
  identityId: number;
  traitId: number;
  identityOverrideId: number;
  /** The group whose group admin is the GROUP_ADMIN holder. */
  groupId: number;
  groupName: string;
  /** A member of `groupId` that make-admin / remove-admin act on. */
  groupMemberId: number;
  /** A member that add-users / remove-users move in and out of `groupId`. */
  movingUserId: number;
  /** A group with grants and roles (no holder is in it). */
  grantGroupId: number;
  roleId: number;
  roleOrgGrantId: number;
  roleProjectGrantId: number;
  roleEnvGrantId: number;
  /** A member with grants and roles of its own (not a holder); update-role acts on it. */
  targetUserId: number;
  apiKeyId: number;
  orgUserGrantId: number;
  projectUserGrantId: number;
  envUserGrantId: number;
  orgGroupGrantId: number;
  projectGroupGrantId: number;
  envGroupGrantId: number;
  envChangeRequestId: number;
  projectChangeRequestId: number;
}

/** Inserts a member directly (no password hashing) and signs it in with a fresh token. */
export async function directMember(api: TestApi, organisationId: number | null, role: 'ADMIN' | 'USER' = 'USER', superuser = false): Promise<{ id: number; token: string }> {
  const token = newUserToken();
  const id = await api.runtime.store.write(SYSTEM_ACTOR, async (w) => {
    const id = await insertUser(w.trx, w.traits, { email: `${uid('matrix')}@example.com`, passwordHash: null, isSuperuser: superuser });
    if (organisationId !== null) await upsertMembership(w.trx, organisationId, id, role);
    await insertApiToken(w.trx, w.traits, id, hashSecret(token), null);
    return id;
  });
  return { id, token };
}

export async function createMatrixFixture(api: TestApi): Promise<MatrixFixture> {
  const a = api.admin;
  const org = await a('POST', '/api/v1/organisations/', { name: 'Matrix org' });
  const project = await a('POST', '/api/v1/projects/', { name: 'Matrix project', organisation: org.id });
  const env = await a('POST', '/api/v1/environments/', { name: 'Matrix env', project: project.id });
  const other = await a('POST', '/api/v1/projects/', { name: 'Elsewhere', organisation: org.id });
  const otherEnv = await a('POST', '/api/v1/environments/', { name: 'Elsewhere env', project: other.id });
  const target = await a('POST', `/api/v1/environments/${env.api_key}/api-keys/`, { name: 'target' });
  const tag = await a('POST', `/api/v1/projects/${project.id}/tags/`, { label: 'matrix' });
  const feature = await a('POST', `/api/v1/projects/${project.id}/features/`, { name: 'matrix_flag', tags: [tag.id] });
  const mv = await a('POST', `/api/v1/projects/${project.id}/features/`, { name: 'matrix_mv', multivariate_options: [{ type: 'unicode', string_value: 'a', default_percentage_allocation: 30 }] });
  const options = await a('GET', `/api/v1/projects/${project.id}/features/${mv.id}/mv-options/`);
  const states = await a('GET', `/api/v1/environments/${env.api_key}/featurestates/?feature=${feature.id}`);
  const segment = await a('POST', `/api/v1/projects/${project.id}/segments/`, { name: 'matrix segment', rules: [] });
  const override = await a('POST', `/api/v1/environments/${env.api_key}/features/${feature.id}/create-segment-override/`, { segment: segment.id, enabled: true });
  const identity = await a('POST', `/api/v1/environments/${env.api_key}/identities/`, { identifier: 'matrix-user' });
  const trait = await a('POST', `/api/v1/environments/${env.api_key}/identities/${identity.id}/traits/`, { trait_key: 'plan', trait_value: 'free' });
  const identityOverride = await a('POST', `/api/v1/environments/${env.api_key}/identities/${identity.id}/featurestates/`, { feature: feature.id, enabled: true });

  const targetUser = await directMember(api, org.id);
  const groupMember = await directMember(api, org.id);
  const moving = await directMember(api, org.id);
  const group = await a('POST', `/api/v1/organisations/${org.id}/groups/`, { name: 'Matrix group' });
  await a('POST', `/api/v1/organisations/${org.id}/groups/${group.id}/add-users/`, { user_ids: [groupMember.id] }, 200);
  const grantGroup = await a('POST', `/api/v1/organisations/${org.id}/groups/`, { name: 'Granted group' });
  const key = await a('POST', `/api/v1/organisations/${org.id}/master-api-keys/`, { name: 'matrix key', is_admin: false });
  const role = await a('POST', `/api/v1/organisations/${org.id}/roles/`, { name: 'Matrix role' });
  const roleBase = `/api/v1/organisations/${org.id}/roles/${role.id}`;
  const roleOrg = await a('POST', `${roleBase}/organisation-permissions/`, { permissions: ['CREATE_PROJECT'] });
  const roleProject = await a('POST', `${roleBase}/projects-permissions/`, { project: project.id, permissions: ['VIEW_PROJECT'] });
  const roleEnv = await a('POST', `${roleBase}/environments-permissions/`, { environment: env.id, permissions: ['VIEW_ENVIRONMENT'] });
  await a('POST', `${roleBase}/users/`, { user: targetUser.id });
  await a('POST', `${roleBase}/groups/`, { group: grantGroup.id });
  await a('POST', `${roleBase}/master-api-keys/`, { master_api_key: key.id });
  const orgUser = await a('POST', `/api/v1/organisations/${org.id}/user-permissions/`, { user: targetUser.id, permissions: ['CREATE_PROJECT'] });
  const projectUser = await a('POST', `/api/v1/projects/${project.id}/user-permissions/`, { user: targetUser.id, permissions: ['VIEW_PROJECT'] });
  const envUser = await a('POST', `/api/v1/environments/${env.api_key}/user-permissions/`, { user: targetUser.id, permissions: ['VIEW_ENVIRONMENT'] });
  const orgGroup = await a('POST', `/api/v1/organisations/${org.id}/user-group-permissions/`, { group: grantGroup.id, permissions: ['CREATE_PROJECT'] });
  const projectGroup = await a('POST', `/api/v1/projects/${project.id}/user-group-permissions/`, { group: grantGroup.id, permissions: ['VIEW_PROJECT'] });
  const envGroup = await a('POST', `/api/v1/environments/${env.api_key}/user-group-permissions/`, { group: grantGroup.id, permissions: ['VIEW_ENVIRONMENT'] });
  const envCr = await a('POST', `/api/v1/environments/${env.api_key}/create-change-request/`, { title: 'matrix', feature_states: [{ feature: feature.id, enabled: true }] });
  const projectCr = await a('POST', `/api/v1/projects/${project.id}/change-requests/`, { title: 'matrix', segments: [{ segment: segment.id, description: 'matrix' }] });
  return {
    orgId: org.id,
    projectId: project.id,
    projectName: project.name,
    envId: env.id,
    envKey: env.api_key,
    envName: env.name,
    otherProjectId: other.id,
    otherEnvId: otherEnv.id,
    targetServerKeyId: target.id,
    tagId: tag.id,
    featureId: feature.id,
    featureName: feature.name,
    mvFeatureId: mv.id,
    optionId: (Array.isArray(options) ? options : options.results)[0].id,
    defaultStateId: states.results[0].id,
    segmentId: segment.id,
    featureSegmentId: typeof override.feature_segment === 'object' ? override.feature_segment.id : override.feature_segment,
    segmentStateId: override.id,
    identityId: identity.id,
    traitId: trait.id,
    identityOverrideId: identityOverride.id,
    groupId: group.id,
    groupName: group.name,
    groupMemberId: groupMember.id,
    movingUserId: moving.id,
    grantGroupId: grantGroup.id,
    roleId: role.id,
    roleOrgGrantId: roleOrg.id,
    roleProjectGrantId: roleProject.id,
    roleEnvGrantId: roleEnv.id,
    targetUserId: targetUser.id,
    apiKeyId: key.id,
    orgUserGrantId: orgUser.id,
    projectUserGrantId: projectUser.id,
    envUserGrantId: envUser.id,
    orgGroupGrantId: orgGroup.id,
    projectGroupGrantId: projectGroup.id,
    envGroupGrantId: envGroup.id,
    envChangeRequestId: envCr.id,
    projectChangeRequestId: projectCr.id,
  };
}

export interface RequestSpec {
  path: string;
  body?: unknown;
  /**
   * A rule of the handler beyond the declared permission that may still refuse an allowed caller (403 with this
   * detail), e.g. "only the author or an admin may delete a change request".
   */
  forbiddenBy?: RegExp;
}

export interface MatrixContext {
  api: TestApi;
  fx: MatrixFixture;
  holder: Holder;
  /** Whether the holder's permission implies the route's: then the request must get through. */
  allowed: boolean;
  admin: TestApi['admin'];
  /** A call as the holder that must succeed (e.g. to create an object the holder then deletes as its author). */
  asHolder<T = any>(method: string, path: string, body?: unknown): Promise<T>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Gives the holder its permission on a new project or environment (role grant like its own). */
  grantLike(object: { projectId?: number; environmentId?: number }): Promise<void>;
}

export type Builder = (c: MatrixContext) => Promise<RequestSpec> | RequestSpec;

const both = (methods: string[], url: string, b: Builder): Record<string, Builder> => Object.fromEntries(methods.map((m) => [`${m} ${url}`, b]));
const O = '/api/v1/organisations/:id';

async function disposableProject(c: MatrixContext): Promise<number> {
  const p = await c.admin('POST', '/api/v1/projects/', { name: uid('doomed'), organisation: c.fx.orgId });
  await c.grantLike({ projectId: p.id });
  return p.id;
}

async function disposableEnvironment(c: MatrixContext): Promise<string> {
  const e = await c.admin('POST', '/api/v1/environments/', { name: uid('doomed'), project: c.fx.projectId });
  await c.grantLike({ environmentId: e.id });
  return e.api_key;
}

async function disposableSegment(c: MatrixContext): Promise<number> {
  return (await c.admin('POST', `/api/v1/projects/${c.fx.projectId}/segments/`, { name: uid('segment'), rules: [] })).id;
}

async function disposableRole(c: MatrixContext): Promise<number> {
  return (await c.admin('POST', `/api/v1/organisations/${c.fx.orgId}/roles/`, { name: uid('role') })).id;
}

async function disposableGroup(c: MatrixContext): Promise<number> {
  return (await c.admin('POST', `/api/v1/organisations/${c.fx.orgId}/groups/`, { name: uid('group') })).id;
}

async function freshMember(c: MatrixContext): Promise<number> {
  return (await directMember(c.api, c.fx.orgId)).id;
}

const envCr = (c: MatrixContext, title = uid('cr')) => c.admin('POST', `/api/v1/environments/${c.fx.envKey}/create-change-request/`, { title, feature_states: [{ feature: c.fx.featureId, enabled: true }] });
const projectCr = (c: MatrixContext) => c.admin('POST', `/api/v1/projects/${c.fx.projectId}/change-requests/`, { title: uid('cr'), segments: [{ segment: c.fx.segmentId, description: uid('d') }] });

/** Direct grant routes of one kind of object and principal. */
function directGrantBuilders(url: string, object: (c: MatrixContext) => string, principal: 'user' | 'group', existing: (fx: MatrixFixture) => number, keys: string[]): Record<string, Builder> {
  const base = (c: MatrixContext) => `${object(c)}/${principal === 'user' ? 'user-permissions' : 'user-group-permissions'}/`;
  const create = async (c: MatrixContext) => (await c.admin('POST', base(c), { [principal]: principal === 'user' ? await freshMember(c) : await disposableGroup(c), permissions: keys })).id;
  return {
    [`GET ${url}/`]: (c) => ({ path: base(c) }),
    [`POST ${url}/`]: async (c) => ({ path: base(c), body: { [principal]: c.allowed ? (principal === 'user' ? await freshMember(c) : await disposableGroup(c)) : principal === 'user' ? c.fx.targetUserId : c.fx.grantGroupId, permissions: keys } }),
    [`GET ${url}/:grant_id/`]: (c) => ({ path: `${base(c)}${existing(c.fx)}/` }),
    [`PUT ${url}/:grant_id/`]: (c) => ({ path: `${base(c)}${existing(c.fx)}/`, body: { permissions: keys } }),
    [`PATCH ${url}/:grant_id/`]: (c) => ({ path: `${base(c)}${existing(c.fx)}/`, body: { permissions: keys } }),
    [`DELETE ${url}/:grant_id/`]: async (c) => ({ path: `${base(c)}${c.allowed ? await create(c) : existing(c.fx)}/` }),
  };
}

/** A role's grant routes of one level. */
function roleGrantBuilders(segment: string, body: (fx: MatrixFixture) => Record<string, unknown>, existing: (fx: MatrixFixture) => number): Record<string, Builder> {
  const url = `${O}/roles/:role_id/${segment}`;
  const path = (c: MatrixContext, roleId: number) => `/api/v1/organisations/${c.fx.orgId}/roles/${roleId}/${segment}/`;
  return {
    [`GET ${url}/`]: (c) => ({ path: path(c, c.fx.roleId) }),
    [`POST ${url}/`]: async (c) => ({ path: path(c, c.allowed ? await disposableRole(c) : c.fx.roleId), body: body(c.fx) }),
    [`GET ${url}/:item_id/`]: (c) => ({ path: `${path(c, c.fx.roleId)}${existing(c.fx)}/` }),
    [`PUT ${url}/:item_id/`]: (c) => ({ path: `${path(c, c.fx.roleId)}${existing(c.fx)}/`, body: body(c.fx) }),
    [`PATCH ${url}/:item_id/`]: (c) => ({ path: `${path(c, c.fx.roleId)}${existing(c.fx)}/`, body: { permissions: body(c.fx).permissions } }),
    [`DELETE ${url}/:item_id/`]: async (c) => {
      if (!c.allowed) return { path: `${path(c, c.fx.roleId)}${existing(c.fx)}/` };
      const roleId = await disposableRole(c);
      const grant = await c.admin('POST', path(c, roleId), body(c.fx));
      return { path: `${path(c, roleId)}${grant.id}/` };
    },
  };
}

/** Role assignments seen from the role and from the assignee. */
function assignmentBuilders(segment: string, field: string, owner: string, ownerParam: string, assignee: (fx: MatrixFixture) => number, fresh: (c: MatrixContext) => Promise<number>): Record<string, Builder> {
  const byRole = (c: MatrixContext, roleId: number) => `/api/v1/organisations/${c.fx.orgId}/roles/${roleId}/${segment}/`;
  const byAssignee = (c: MatrixContext, id: number) => `/api/v1/organisations/${c.fx.orgId}/${owner}/${id}/roles/`;
  return {
    [`GET ${O}/roles/:role_id/${segment}/`]: (c) => ({ path: byRole(c, c.fx.roleId) }),
    [`POST ${O}/roles/:role_id/${segment}/`]: async (c) => ({ path: byRole(c, c.allowed ? await disposableRole(c) : c.fx.roleId), body: { [field]: assignee(c.fx) } }),
    [`DELETE ${O}/roles/:role_id/${segment}/:item_id/`]: async (c) => {
      if (!c.allowed) return { path: `${byRole(c, c.fx.roleId)}1/` };
      const roleId = await disposableRole(c);
      const assignment = await c.admin('POST', byRole(c, roleId), { [field]: assignee(c.fx) });
      return { path: `${byRole(c, roleId)}${assignment.id}/` };
    },
    [`GET ${O}/${owner}/:${ownerParam}/roles/`]: (c) => ({ path: byAssignee(c, assignee(c.fx)) }),
    [`POST ${O}/${owner}/:${ownerParam}/roles/`]: async (c) => ({ path: byAssignee(c, c.allowed ? await fresh(c) : assignee(c.fx)), body: { role: c.fx.roleId } }),
    [`DELETE ${O}/${owner}/:${ownerParam}/roles/:role_id/`]: async (c) => {
      if (!c.allowed) return { path: `${byAssignee(c, assignee(c.fx))}${c.fx.roleId}/` };
      const roleId = await disposableRole(c);
      await c.admin('POST', byAssignee(c, assignee(c.fx)), { role: roleId });
      return { path: `${byAssignee(c, assignee(c.fx))}${roleId}/` };
    },
  };
}

const authorOrAdmin = /Only the author or an administrator/;

export const ROUTE_REQUESTS: Record<string, Builder> = {
  ...samlRouteRequests,
  // Authentication and organisations
  'GET /api/v1/auth/users/me/': () => ({ path: '/api/v1/auth/users/me/' }),
  // Holders have no password (directMember): the builder gives the caller one, then changes it to the same value.
  'POST /api/v1/auth/users/set_password/': async (c) => {
    if (c.holder.userId) await updateUser(c.api.runtime.store.db, c.holder.userId, { passwordHash: await hashPassword(MATRIX_PASSWORD) });
    return { path: '/api/v1/auth/users/set_password/', body: { current_password: MATRIX_PASSWORD, new_password: MATRIX_PASSWORD } };
  },
  // Instance-admin actions on accounts act on a disposable user, never on a holder.
  'POST /api/v1/users/:id/revoke-sessions/': async (c) => ({ path: `/api/v1/users/${(await directMember(c.api, null)).id}/revoke-sessions/` }),
  'POST /api/v1/users/:id/deactivate/': async (c) => ({ path: `/api/v1/users/${(await directMember(c.api, null)).id}/deactivate/` }),
  'POST /api/v1/users/:id/activate/': async (c) => ({ path: `/api/v1/users/${(await directMember(c.api, null)).id}/activate/` }),
  'GET /api/v1/organisations/': () => ({ path: '/api/v1/organisations/' }),
  'POST /api/v1/organisations/': () => ({ path: '/api/v1/organisations/', body: { name: uid('org') } }),
  [`GET ${O}/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/` }),
  ...both(['PUT', 'PATCH'], `${O}/`, (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/`, body: { name: 'Matrix org' } })),
  [`DELETE ${O}/`]: async (c) => {
    if (!c.allowed) return { path: `/api/v1/organisations/${c.fx.orgId}/` };
    const org = await c.admin('POST', '/api/v1/organisations/', { name: uid('doomed') });
    // The holder is admin of the fixture organisation; it gets the same standing in the one it deletes.
    if (c.holder.perm === 'ORGANISATION_ADMIN') await c.api.runtime.store.write(SYSTEM_ACTOR, (w) => upsertMembership(w.trx, org.id, c.holder.userId, 'ADMIN'));
    return { path: `/api/v1/organisations/${org.id}/` };
  },
  [`GET ${O}/users/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/users/` }),
  [`POST ${O}/users/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/users/`, body: { email: `${uid('new')}@example.com`, password: 'a-long-enough-password', role: 'USER' } }),
  [`POST ${O}/users/:user_id/update-role/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/users/${c.fx.targetUserId}/update-role/`, body: { role: 'USER' } }),
  [`DELETE ${O}/users/:user_id/`]: async (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/users/${c.allowed ? await freshMember(c) : c.fx.targetUserId}/` }),
  [`GET ${O}/master-api-keys/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/master-api-keys/` }),
  [`POST ${O}/master-api-keys/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/master-api-keys/`, body: { name: uid('key'), is_admin: false } }),
  [`DELETE ${O}/master-api-keys/:key_id/`]: async (c) => ({
    path: `/api/v1/organisations/${c.fx.orgId}/master-api-keys/${c.allowed ? (await c.admin('POST', `/api/v1/organisations/${c.fx.orgId}/master-api-keys/`, { name: uid('doomed') })).id : c.fx.apiKeyId}/`,
  }),
  [`GET ${O}/audit/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/audit/` }),

  // Projects and tags
  'GET /api/v1/projects/': () => ({ path: '/api/v1/projects/' }),
  'POST /api/v1/projects/': (c) => ({ path: '/api/v1/projects/', body: { name: uid('project'), organisation: c.fx.orgId } }),
  'GET /api/v1/projects/:id/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/` }),
  ...both(['PUT', 'PATCH'], '/api/v1/projects/:id/', (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/`, body: { name: c.fx.projectName } })),
  'DELETE /api/v1/projects/:id/': async (c) => ({ path: `/api/v1/projects/${c.allowed ? await disposableProject(c) : c.fx.projectId}/` }),
  'GET /api/v1/projects/:id/audit/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/audit/` }),
  'GET /api/v1/projects/:project_pk/tags/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/tags/` }),
  'POST /api/v1/projects/:project_pk/tags/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/tags/`, body: { label: uid('tag') } }),
  ...both(['PUT', 'PATCH'], '/api/v1/projects/:project_pk/tags/:id/', (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/tags/${c.fx.tagId}/`, body: { label: 'matrix' } })),
  'DELETE /api/v1/projects/:project_pk/tags/:id/': async (c) => ({
    path: `/api/v1/projects/${c.fx.projectId}/tags/${c.allowed ? (await c.admin('POST', `/api/v1/projects/${c.fx.projectId}/tags/`, { label: uid('doomed') })).id : c.fx.tagId}/`,
  }),

  // Environments and server-side keys
  'GET /api/v1/environments/': () => ({ path: '/api/v1/environments/' }),
  'POST /api/v1/environments/': (c) => ({ path: '/api/v1/environments/', body: { name: uid('env'), project: c.fx.projectId } }),
  'GET /api/v1/environments/:env_key/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/` }),
  ...both(['PUT', 'PATCH'], '/api/v1/environments/:env_key/', (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/`, body: { name: c.fx.envName } })),
  'DELETE /api/v1/environments/:env_key/': async (c) => ({ path: `/api/v1/environments/${c.allowed ? await disposableEnvironment(c) : c.fx.envKey}/` }),
  'GET /api/v1/environments/:env_key/document/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/document/` }),
  'GET /api/v1/environments/:env_key/api-keys/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/api-keys/` }),
  'POST /api/v1/environments/:env_key/api-keys/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/api-keys/`, body: { name: uid('server') } }),
  ...both(['PUT', 'PATCH'], '/api/v1/environments/:env_key/api-keys/:id/', (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/api-keys/${c.fx.targetServerKeyId}/`, body: { name: 'target' } })),
  'DELETE /api/v1/environments/:env_key/api-keys/:id/': async (c) => ({
    path: `/api/v1/environments/${c.fx.envKey}/api-keys/${c.allowed ? (await c.admin('POST', `/api/v1/environments/${c.fx.envKey}/api-keys/`, { name: 'doomed' })).id : c.fx.targetServerKeyId}/`,
  }),

  // Features and variants
  'GET /api/v1/projects/:project_pk/features/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/features/` }),
  'POST /api/v1/projects/:project_pk/features/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/features/`, body: { name: uid('flag').replace(/-/g, '_') } }),
  'GET /api/v1/projects/:project_pk/features/:id/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/features/${c.fx.featureId}/` }),
  ...both(['PUT', 'PATCH'], '/api/v1/projects/:project_pk/features/:id/', (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/features/${c.fx.featureId}/`, body: { name: c.fx.featureName } })),
  'DELETE /api/v1/projects/:project_pk/features/:id/': async (c) => ({
    path: `/api/v1/projects/${c.fx.projectId}/features/${c.allowed ? (await c.admin('POST', `/api/v1/projects/${c.fx.projectId}/features/`, { name: uid('doomed').replace(/-/g, '_') })).id : c.fx.featureId}/`,
  }),
  'GET /api/v1/projects/:project_pk/features/:id/evaluation-data/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/features/${c.fx.featureId}/evaluation-data/?environment_id=${c.fx.envId}` }),
  'GET /api/v1/projects/:project_pk/features/:feature_pk/mv-options/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/features/${c.fx.mvFeatureId}/mv-options/` }),
  'POST /api/v1/projects/:project_pk/features/:feature_pk/mv-options/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/features/${c.fx.mvFeatureId}/mv-options/`, body: { type: 'unicode', string_value: uid('v'), default_percentage_allocation: 0 } }),
  ...both(['PUT', 'PATCH'], '/api/v1/projects/:project_pk/features/:feature_pk/mv-options/:id/', (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/features/${c.fx.mvFeatureId}/mv-options/${c.fx.optionId}/`, body: { type: 'unicode', string_value: 'a', default_percentage_allocation: 30 } })),
  'DELETE /api/v1/projects/:project_pk/features/:feature_pk/mv-options/:id/': async (c) => {
    const base = `/api/v1/projects/${c.fx.projectId}/features/${c.fx.mvFeatureId}/mv-options/`;
    return { path: `${base}${c.allowed ? (await c.admin('POST', base, { type: 'unicode', string_value: uid('doomed'), default_percentage_allocation: 0 })).id : c.fx.optionId}/` };
  },

  // Feature states and segment overrides
  'GET /api/v1/environments/:env_key/featurestates/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/featurestates/` }),
  'GET /api/v1/environments/:env_key/featurestates/:id/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/featurestates/${c.fx.defaultStateId}/` }),
  ...both(['PUT', 'PATCH'], '/api/v1/environments/:env_key/featurestates/:id/', (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/featurestates/${c.fx.defaultStateId}/`, body: { enabled: true } })),
  'POST /api/v1/environments/:env_key/features/:feature_pk/create-segment-override/': async (c) => ({
    path: `/api/v1/environments/${c.fx.envKey}/features/${c.fx.featureId}/create-segment-override/`,
    body: { segment: c.allowed ? await disposableSegment(c) : c.fx.segmentId, enabled: true },
  }),
  'GET /api/v1/features/featurestates/': (c) => ({ path: `/api/v1/features/featurestates/?environment=${c.fx.envId}` }),
  'POST /api/v1/features/featurestates/': (c) => ({ path: '/api/v1/features/featurestates/', body: { feature: c.fx.featureId, environment: c.fx.envId, feature_segment: c.fx.featureSegmentId, enabled: true } }),
  'GET /api/v1/features/featurestates/:id/': (c) => ({ path: `/api/v1/features/featurestates/${c.fx.defaultStateId}/` }),
  ...both(['PUT', 'PATCH'], '/api/v1/features/featurestates/:id/', (c) => ({ path: `/api/v1/features/featurestates/${c.fx.defaultStateId}/`, body: { enabled: true } })),
  'DELETE /api/v1/features/featurestates/:id/': async (c) => {
    if (!c.allowed) return { path: `/api/v1/features/featurestates/${c.fx.segmentStateId}/` };
    const override = await c.admin('POST', `/api/v1/environments/${c.fx.envKey}/features/${c.fx.featureId}/create-segment-override/`, { segment: await disposableSegment(c) });
    return { path: `/api/v1/features/featurestates/${override.id}/` };
  },
  'GET /api/v1/features/feature-segments/': (c) => ({ path: `/api/v1/features/feature-segments/?environment=${c.fx.envId}` }),
  'POST /api/v1/features/feature-segments/': async (c) => ({ path: '/api/v1/features/feature-segments/', body: { feature: c.fx.featureId, segment: c.allowed ? await disposableSegment(c) : c.fx.segmentId, environment: c.fx.envId } }),
  'POST /api/v1/features/feature-segments/update-priorities/': (c) => ({ path: '/api/v1/features/feature-segments/update-priorities/', body: [{ id: c.fx.featureSegmentId, priority: 0 }] }),
  'DELETE /api/v1/features/feature-segments/:id/': async (c) => {
    if (!c.allowed) return { path: `/api/v1/features/feature-segments/${c.fx.featureSegmentId}/` };
    const fs = await c.admin('POST', '/api/v1/features/feature-segments/', { feature: c.fx.featureId, segment: await disposableSegment(c), environment: c.fx.envId });
    return { path: `/api/v1/features/feature-segments/${fs.id}/` };
  },

  // Segments
  'GET /api/v1/projects/:project_pk/segments/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/segments/` }),
  'POST /api/v1/projects/:project_pk/segments/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/segments/`, body: { name: uid('segment'), rules: [] } }),
  'GET /api/v1/projects/:project_pk/segments/:id/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/segments/${c.fx.segmentId}/` }),
  ...both(['PUT', 'PATCH'], '/api/v1/projects/:project_pk/segments/:id/', (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/segments/${c.fx.segmentId}/`, body: { name: 'matrix segment', rules: [] } })),
  'DELETE /api/v1/projects/:project_pk/segments/:id/': async (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/segments/${c.allowed ? await disposableSegment(c) : c.fx.segmentId}/` }),

  // Identities
  'GET /api/v1/environments/:env_key/identities/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/identities/` }),
  'POST /api/v1/environments/:env_key/identities/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/identities/`, body: { identifier: uid('identity') } }),
  'GET /api/v1/environments/:env_key/identities/:identity_pk/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/identities/${c.fx.identityId}/` }),
  'DELETE /api/v1/environments/:env_key/identities/:identity_pk/': async (c) => ({
    path: `/api/v1/environments/${c.fx.envKey}/identities/${c.allowed ? (await c.admin('POST', `/api/v1/environments/${c.fx.envKey}/identities/`, { identifier: uid('doomed') })).id : c.fx.identityId}/`,
  }),
  'GET /api/v1/environments/:env_key/identities/:identity_pk/traits/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/identities/${c.fx.identityId}/traits/` }),
  'POST /api/v1/environments/:env_key/identities/:identity_pk/traits/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/identities/${c.fx.identityId}/traits/`, body: { trait_key: 'plan', trait_value: 'free' } }),
  'DELETE /api/v1/environments/:env_key/identities/:identity_pk/traits/:id/': async (c) => {
    const base = `/api/v1/environments/${c.fx.envKey}/identities/${c.fx.identityId}/traits/`;
    return { path: `${base}${c.allowed ? (await c.admin('POST', base, { trait_key: uid('doomed'), trait_value: 1 })).id : c.fx.traitId}/` };
  },
  'GET /api/v1/environments/:env_key/identities/:identity_pk/featurestates/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/identities/${c.fx.identityId}/featurestates/` }),
  'POST /api/v1/environments/:env_key/identities/:identity_pk/featurestates/': async (c) => {
    const identity = c.allowed ? (await c.admin('POST', `/api/v1/environments/${c.fx.envKey}/identities/`, { identifier: uid('identity') })).id : c.fx.identityId;
    return { path: `/api/v1/environments/${c.fx.envKey}/identities/${identity}/featurestates/`, body: { feature: c.fx.featureId, enabled: true } };
  },
  'GET /api/v1/environments/:env_key/identities/:identity_pk/featurestates/:id/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/identities/${c.fx.identityId}/featurestates/${c.fx.identityOverrideId}/` }),
  ...both(['PUT', 'PATCH'], '/api/v1/environments/:env_key/identities/:identity_pk/featurestates/:id/', (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/identities/${c.fx.identityId}/featurestates/${c.fx.identityOverrideId}/`, body: { enabled: true } })),
  'DELETE /api/v1/environments/:env_key/identities/:identity_pk/featurestates/:id/': async (c) => {
    if (!c.allowed) return { path: `/api/v1/environments/${c.fx.envKey}/identities/${c.fx.identityId}/featurestates/${c.fx.identityOverrideId}/` };
    const identity = await c.admin('POST', `/api/v1/environments/${c.fx.envKey}/identities/`, { identifier: uid('doomed') });
    const override = await c.admin('POST', `/api/v1/environments/${c.fx.envKey}/identities/${identity.id}/featurestates/`, { feature: c.fx.featureId, enabled: true });
    return { path: `/api/v1/environments/${c.fx.envKey}/identities/${identity.id}/featurestates/${override.id}/` };
  },

  // Audit log
  'GET /api/v1/audit/': (c) => ({ path: `/api/v1/audit/?project=${c.fx.projectId}` }),

  // Groups
  [`GET ${O}/groups/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/` }),
  [`POST ${O}/groups/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/`, body: { name: uid('group') } }),
  [`GET ${O}/groups/my-groups/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/my-groups/` }),
  [`GET ${O}/groups/:group_id/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/${c.fx.groupId}/` }),
  ...both(['PUT', 'PATCH'], `${O}/groups/:group_id/`, (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/${c.fx.groupId}/`, body: { name: c.fx.groupName } })),
  [`DELETE ${O}/groups/:group_id/`]: async (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/${c.allowed ? await disposableGroup(c) : c.fx.groupId}/` }),
  [`POST ${O}/groups/:group_id/add-users/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/${c.fx.groupId}/add-users/`, body: { user_ids: [c.fx.movingUserId] } }),
  [`POST ${O}/groups/:group_id/remove-users/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/${c.fx.groupId}/remove-users/`, body: { user_ids: [c.fx.movingUserId] } }),
  [`POST ${O}/groups/:group_id/users/:user_id/make-admin/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/${c.fx.groupId}/users/${c.fx.groupMemberId}/make-admin/` }),
  [`POST ${O}/groups/:group_id/users/:user_id/remove-admin/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/groups/${c.fx.groupId}/users/${c.fx.groupMemberId}/remove-admin/` }),

  // Roles
  [`GET ${O}/roles/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/roles/` }),
  [`POST ${O}/roles/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/roles/`, body: { name: uid('role') } }),
  [`GET ${O}/roles/:role_id/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/roles/${c.fx.roleId}/` }),
  ...both(['PUT', 'PATCH'], `${O}/roles/:role_id/`, (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/roles/${c.fx.roleId}/`, body: { name: 'Matrix role' } })),
  [`DELETE ${O}/roles/:role_id/`]: async (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/roles/${c.allowed ? await disposableRole(c) : c.fx.roleId}/` }),
  ...roleGrantBuilders('organisation-permissions', () => ({ permissions: ['CREATE_PROJECT'] }), (fx) => fx.roleOrgGrantId),
  ...roleGrantBuilders('projects-permissions', (fx) => ({ project: fx.projectId, permissions: ['VIEW_PROJECT'] }), (fx) => fx.roleProjectGrantId),
  ...roleGrantBuilders('environments-permissions', (fx) => ({ environment: fx.envId, permissions: ['VIEW_ENVIRONMENT'] }), (fx) => fx.roleEnvGrantId),
  ...assignmentBuilders('users', 'user', 'users', 'user_id', (fx) => fx.targetUserId, freshMember),
  ...assignmentBuilders('groups', 'group', 'groups', 'group_id', (fx) => fx.grantGroupId, disposableGroup),
  ...assignmentBuilders('master-api-keys', 'master_api_key', 'master-api-keys', 'key_id', (fx) => fx.apiKeyId, async (c) => (await c.admin('POST', `/api/v1/organisations/${c.fx.orgId}/master-api-keys/`, { name: uid('key'), is_admin: false })).id),

  // Permission keys, my-permissions and direct grants
  'GET /api/v1/organisations/permissions/': () => ({ path: '/api/v1/organisations/permissions/' }),
  'GET /api/v1/projects/permissions/': () => ({ path: '/api/v1/projects/permissions/' }),
  'GET /api/v1/environments/permissions/': () => ({ path: '/api/v1/environments/permissions/' }),
  [`GET ${O}/my-permissions/`]: (c) => ({ path: `/api/v1/organisations/${c.fx.orgId}/my-permissions/` }),
  'GET /api/v1/projects/:project_pk/my-permissions/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/my-permissions/` }),
  'GET /api/v1/environments/:env_key/my-permissions/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/my-permissions/` }),
  ...directGrantBuilders(`${O}/user-permissions`, (c) => `/api/v1/organisations/${c.fx.orgId}`, 'user', (fx) => fx.orgUserGrantId, ['CREATE_PROJECT']),
  ...directGrantBuilders(`${O}/user-group-permissions`, (c) => `/api/v1/organisations/${c.fx.orgId}`, 'group', (fx) => fx.orgGroupGrantId, ['CREATE_PROJECT']),
  ...directGrantBuilders('/api/v1/projects/:project_pk/user-permissions', (c) => `/api/v1/projects/${c.fx.projectId}`, 'user', (fx) => fx.projectUserGrantId, ['VIEW_PROJECT']),
  ...directGrantBuilders('/api/v1/projects/:project_pk/user-group-permissions', (c) => `/api/v1/projects/${c.fx.projectId}`, 'group', (fx) => fx.projectGroupGrantId, ['VIEW_PROJECT']),
  ...directGrantBuilders('/api/v1/environments/:env_key/user-permissions', (c) => `/api/v1/environments/${c.fx.envKey}`, 'user', (fx) => fx.envUserGrantId, ['VIEW_ENVIRONMENT']),
  ...directGrantBuilders('/api/v1/environments/:env_key/user-group-permissions', (c) => `/api/v1/environments/${c.fx.envKey}`, 'group', (fx) => fx.envGroupGrantId, ['VIEW_ENVIRONMENT']),

  // Instance settings
  'GET /api/v1/auth/ldap/settings/': () => ({ path: '/api/v1/auth/ldap/settings/' }),
  // OIDC providers added through the API (instance admins): each request gets a provider of its own.
  'GET /api/v1/auth/oidc/providers/': () => ({ path: '/api/v1/auth/oidc/providers/' }),
  'POST /api/v1/auth/oidc/providers/': () => ({ path: '/api/v1/auth/oidc/providers/', body: { name: uid('idp'), issuer: 'https://idp.example.com', client_id: 'matrix' } }),
  'GET /api/v1/auth/oidc/providers/:name/': async (c) => ({ path: `/api/v1/auth/oidc/providers/${await disposableOidcProvider(c)}/` }),
  'PATCH /api/v1/auth/oidc/providers/:name/': async (c) => ({ path: `/api/v1/auth/oidc/providers/${await disposableOidcProvider(c)}/`, body: { allow_signup: true } }),
  'DELETE /api/v1/auth/oidc/providers/:name/': async (c) => ({ path: `/api/v1/auth/oidc/providers/${await disposableOidcProvider(c)}/` }),

  // Change requests (workflows): the author or an admin may edit and delete; nobody approves their own.
  'POST /api/v1/environments/:env_key/create-change-request/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/create-change-request/`, body: { title: uid('cr'), feature_states: [{ feature: c.fx.featureId, enabled: true }] } }),
  'GET /api/v1/environments/:env_key/list-change-requests/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/list-change-requests/` }),
  'GET /api/v1/environments/:env_key/scheduled-changes/': (c) => ({ path: `/api/v1/environments/${c.fx.envKey}/scheduled-changes/` }),
  'GET /api/v1/features/workflows/change-requests/:id/': (c) => ({ path: `/api/v1/features/workflows/change-requests/${c.fx.envChangeRequestId}/` }),
  ...both(['PUT', 'PATCH'], '/api/v1/features/workflows/change-requests/:id/', async (c) => {
    if (!c.allowed) return { path: `/api/v1/features/workflows/change-requests/${c.fx.envChangeRequestId}/`, body: { title: 'x' } };
    const own = await c.asHolder('POST', `/api/v1/environments/${c.fx.envKey}/create-change-request/`, { title: uid('cr'), feature_states: [{ feature: c.fx.featureId, enabled: true }] });
    return { path: `/api/v1/features/workflows/change-requests/${own.id}/`, body: { title: uid('renamed') } };
  }),
  'DELETE /api/v1/features/workflows/change-requests/:id/': async (c) => {
    if (!c.allowed) return { path: `/api/v1/features/workflows/change-requests/${c.fx.envChangeRequestId}/` };
    const own = await c.asHolder('POST', `/api/v1/environments/${c.fx.envKey}/create-change-request/`, { title: uid('cr'), feature_states: [{ feature: c.fx.featureId, enabled: true }] });
    return { path: `/api/v1/features/workflows/change-requests/${own.id}/` };
  },
  'POST /api/v1/features/workflows/change-requests/:id/approve/': async (c) => ({ path: `/api/v1/features/workflows/change-requests/${c.allowed ? (await envCr(c)).id : c.fx.envChangeRequestId}/approve/` }),
  'POST /api/v1/features/workflows/change-requests/:id/commit/': async (c) => ({ path: `/api/v1/features/workflows/change-requests/${c.allowed ? (await envCr(c)).id : c.fx.envChangeRequestId}/commit/` }),
  'POST /api/v1/projects/:project_pk/change-requests/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/change-requests/`, body: { title: uid('cr'), segments: [{ segment: c.fx.segmentId, description: uid('d') }] } }),
  'GET /api/v1/projects/:project_pk/change-requests/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/change-requests/` }),
  'GET /api/v1/projects/:project_pk/change-requests/:id/': (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/change-requests/${c.fx.projectChangeRequestId}/` }),
  'DELETE /api/v1/projects/:project_pk/change-requests/:id/': async (c) => ({
    path: `/api/v1/projects/${c.fx.projectId}/change-requests/${c.allowed ? (await projectCr(c)).id : c.fx.projectChangeRequestId}/`,
    // services/workflows lets the author or a project admin delete; MANAGE_PROJECT_LEVEL_CHANGE_REQUESTS alone is not enough there.
    forbiddenBy: authorOrAdmin,
  }),
  'POST /api/v1/projects/:project_pk/change-requests/:id/approve/': async (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/change-requests/${c.allowed ? (await projectCr(c)).id : c.fx.projectChangeRequestId}/approve/` }),
  'POST /api/v1/projects/:project_pk/change-requests/:id/commit/': async (c) => ({ path: `/api/v1/projects/${c.fx.projectId}/change-requests/${c.allowed ? (await projectCr(c)).id : c.fx.projectChangeRequestId}/commit/` }),
};

async function disposableOidcProvider(c: MatrixContext): Promise<string> {
  return (await c.admin('POST', '/api/v1/auth/oidc/providers/', { name: uid('idp'), issuer: 'https://idp.example.com', client_id: 'matrix' })).name;
}

// -- fallback for routes without a builder ----------------------------------------------------------------------

const ID_BY_PARAM: Record<string, (fx: MatrixFixture) => number | string> = {
  project_pk: (fx) => fx.projectId,
  env_key: (fx) => fx.envKey,
  feature_pk: (fx) => fx.featureId,
  identity_pk: (fx) => fx.identityId,
  group_id: (fx) => fx.groupId,
  role_id: (fx) => fx.roleId,
  user_id: (fx) => fx.targetUserId,
  key_id: (fx) => fx.apiKeyId,
};

const ID_BY_FIELD: Record<string, (fx: MatrixFixture) => number> = {
  organisation: (fx) => fx.orgId,
  project: (fx) => fx.projectId,
  environment: (fx) => fx.envId,
  feature: (fx) => fx.featureId,
  segment: (fx) => fx.segmentId,
  user: (fx) => fx.targetUserId,
  group: (fx) => fx.grantGroupId,
  role: (fx) => fx.roleId,
  identity: (fx) => fx.identityId,
  feature_segment: (fx) => fx.featureSegmentId,
};

/** A minimal value valid against a (typebox) JSON schema; ids by field name from the fixture. */
export function sampleOf(schema: TSchema | undefined, fx: MatrixFixture, field = ''): unknown {
  if (!schema) return undefined;
  const s = schema as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (s.default !== undefined) return s.default;
  if (s.const !== undefined) return s.const;
  if (Array.isArray(s.anyOf)) return sampleOf(s.anyOf.find((o: { type?: string }) => o.type !== 'null') ?? s.anyOf[0], fx, field);
  if (Array.isArray(s.enum)) return s.enum[0];
  switch (s.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const name of (s.required as string[] | undefined) ?? []) out[name] = sampleOf(s.properties?.[name], fx, name);
      return out;
    }
    case 'array':
      return Array.from({ length: s.minItems ?? 0 }, () => sampleOf(s.items, fx, field));
    case 'integer':
    case 'number':
      return ID_BY_FIELD[field]?.(fx) ?? Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return false;
    case 'string': {
      if (s.format === 'date-time') return new Date(Date.now() + 86_400_000).toISOString();
      if (s.format === 'email') return `${uid('x')}@example.com`;
      return uid(field || 'x').slice(0, s.maxLength ?? 64).padEnd(s.minLength ?? 1, 'x');
    }
    default:
      return null;
  }
}

/** A request for a route without a builder: path ids by parameter name, a body and query built from the schemas. */
export function fallbackRequest(route: AdminRoute, fx: MatrixFixture): RequestSpec {
  const path = route.url.replace(/:(\w+)/g, (_m, name: string) => {
    if (name === 'id') {
      if (route.url.startsWith('/api/v1/organisations/:id')) return String(fx.orgId);
      if (route.url.startsWith('/api/v1/projects/:id')) return String(fx.projectId);
    }
    const id = ID_BY_PARAM[name];
    return id ? String(id(fx)) : '1';
  });
  const query = sampleOf(route.schema?.querystring, fx) as Record<string, unknown> | undefined;
  const qs = query && Object.keys(query).length > 0 ? '?' + new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString() : '';
  return { path: path + qs, body: sampleOf(route.schema?.body, fx) };
}
