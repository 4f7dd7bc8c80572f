// Permission records on Flagsmith's paths (FLAGSMITH-COMPAT.md §4.2): the key lists, `my-permissions` on
// organisations, projects and environments, and the direct user and group grants (`user-permissions/`,
// `user-group-permissions/`) on organisations (organisation admins), projects (project admins) and environments
// (environment admins). Role grants are in roles.ts.
import { Type, type TObject, type TProperties } from '@sinclair/typebox';
import {
  ENVIRONMENT_PERMISSIONS,
  ORGANISATION_PERMISSIONS,
  PERMISSION_DESCRIPTIONS,
  PROJECT_PERMISSIONS,
  TAG_LIMITABLE_PERMISSIONS,
  type Permission,
  type PermissionKey,
  type PermissionLevel,
} from '../../domain/permissions';
import * as grantService from '../../services/rbac/grants';
import { myEnvironmentPermissions, myOrganisationPermissions, myProjectPermissions } from '../../services/rbac/my-permissions';
import type { ScopeRef, ResolvedScope } from '../../services/scope';
import { defineRoutes, type AdminRoute } from '../admin-route';
import { strictObject } from './schemas';

const keyList = (keys: readonly PermissionKey[]) => keys.map((key) => ({ key, description: PERMISSION_DESCRIPTIONS[key], supports_tag: TAG_LIMITABLE_PERMISSIONS.has(key) }));

export const PermissionKeys = Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 50 });
export const TagIds = Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100 });

/** Body fields of a grant at a level: permissions, and for projects and environments the admin flag and tags. */
export function grantFields(level: PermissionLevel): TProperties {
  const fields: TProperties = { permissions: PermissionKeys };
  if (level !== 'organisation') Object.assign(fields, { admin: Type.Optional(Type.Boolean()), tags: Type.Optional(TagIds) });
  return fields;
}

interface DirectGrantOptions {
  /** URL up to and including the object's parameter, e.g. `/api/v1/projects/:project_pk`. */
  base: string;
  level: PermissionLevel;
  principal: 'user' | 'group';
  permission: Permission;
  params: TObject;
  scope: (params: Record<string, unknown>) => ScopeRef;
}

function objectOf(level: PermissionLevel, scope: ResolvedScope): grantService.GrantObjectRef {
  return { level, organisationId: scope.organisationId, projectId: level === 'organisation' ? undefined : scope.projectId, environmentId: level === 'environment' ? scope.environmentId : undefined };
}

/** list / create / get / update / delete of the direct grants of one principal kind on one kind of object. */
function directGrantRoutes(o: DirectGrantOptions): AdminRoute[] {
  const segment = o.principal === 'user' ? 'user-permissions' : 'user-group-permissions';
  const url = `${o.base}/${segment}/`;
  const tag = 'permissions';
  const what = `${o.principal === 'user' ? 'user' : 'group'} permissions on this ${o.level}`;
  const Create = strictObject({ [o.principal]: Type.Integer({ minimum: 1 }), ...grantFields(o.level) });
  const Update = strictObject({ ...grantFields(o.level), [o.principal]: Type.Optional(Type.Integer()), id: Type.Optional(Type.Integer()), [o.level]: Type.Optional(Type.Integer()) });
  const Patch = Type.Partial(Update, { additionalProperties: false });
  const ChildParams = strictObject({ ...o.params.properties, grant_id: Type.Integer({ minimum: 1 }) });
  const scope = (r: { params: Record<string, unknown> }) => o.scope(r.params);
  const update = (partial: boolean) => async (r: { ctx: never; scope: ResolvedScope; params: { grant_id: number }; body: grantService.GrantInput }) =>
    grantService.updateGrant(r.ctx, o.principal, objectOf(o.level, r.scope), r.params.grant_id, { permissions: r.body.permissions, admin: r.body.admin, tags: r.body.tags }, { partial });
  return defineRoutes([
    { method: 'GET', url, tag, summary: `List ${what}`, permission: o.permission, scope, schema: { params: o.params }, handler: async (r) => grantService.listGrants(r.ctx, o.principal, objectOf(o.level, r.scope)) },
    {
      method: 'POST', url, tag, summary: `Grant ${what}`, permission: o.permission, scope, schema: { params: o.params, body: Create },
      handler: async (r) => grantService.createGrant(r.ctx, o.principal, r.body[o.principal], objectOf(o.level, r.scope), { permissions: r.body.permissions, admin: r.body.admin, tags: r.body.tags }),
    },
    { method: 'GET', url: `${url}:grant_id/`, tag, summary: `Get one of the ${what}`, permission: o.permission, scope, schema: { params: ChildParams }, handler: async (r) => grantService.getGrant(r.ctx, o.principal, objectOf(o.level, r.scope), r.params.grant_id) },
    { method: 'PUT', url: `${url}:grant_id/`, tag, summary: `Replace one of the ${what}`, permission: o.permission, scope, schema: { params: ChildParams, body: Update }, handler: update(false) as never },
    { method: 'PATCH', url: `${url}:grant_id/`, tag, summary: `Change one of the ${what}`, permission: o.permission, scope, schema: { params: ChildParams, body: Patch }, handler: update(true) as never },
    { method: 'DELETE', url: `${url}:grant_id/`, tag, summary: `Revoke one of the ${what}`, permission: o.permission, scope, schema: { params: ChildParams }, status: 204, handler: async (r) => grantService.deleteGrant(r.ctx, o.principal, objectOf(o.level, r.scope), r.params.grant_id) },
  ]);
}

const OrgParam = strictObject({ id: Type.Integer({ minimum: 1 }) });
const ProjectParam = strictObject({ project_pk: Type.Integer({ minimum: 1 }) });
const EnvParam = strictObject({ env_key: Type.String({ minLength: 1, maxLength: 100 }) });
const orgScope = (p: Record<string, unknown>): ScopeRef => ({ organisation: p.id as number });
const projectScope = (p: Record<string, unknown>): ScopeRef => ({ project: p.project_pk as number });
const envScope = (p: Record<string, unknown>): ScopeRef => ({ environmentKey: p.env_key as string });

const direct = (['user', 'group'] as const).flatMap((principal) => [
  ...directGrantRoutes({ base: '/api/v1/organisations/:id', level: 'organisation', principal, permission: 'ORGANISATION_ADMIN', params: OrgParam, scope: orgScope }),
  ...directGrantRoutes({ base: '/api/v1/projects/:project_pk', level: 'project', principal, permission: 'PROJECT_ADMIN', params: ProjectParam, scope: projectScope }),
  ...directGrantRoutes({ base: '/api/v1/environments/:env_key', level: 'environment', principal, permission: 'ENVIRONMENT_ADMIN', params: EnvParam, scope: envScope }),
]);

export const permissionRoutes = defineRoutes([
  { method: 'GET', url: '/api/v1/organisations/permissions/', tag: 'permissions', summary: 'The organisation permission keys', permission: 'AUTHENTICATED', handler: async () => keyList(ORGANISATION_PERMISSIONS) },
  { method: 'GET', url: '/api/v1/projects/permissions/', tag: 'permissions', summary: 'The project permission keys', permission: 'AUTHENTICATED', handler: async () => keyList(PROJECT_PERMISSIONS) },
  { method: 'GET', url: '/api/v1/environments/permissions/', tag: 'permissions', summary: 'The environment permission keys', permission: 'AUTHENTICATED', handler: async () => keyList(ENVIRONMENT_PERMISSIONS) },
  {
    method: 'GET', url: '/api/v1/organisations/:id/my-permissions/', tag: 'permissions', summary: 'Your permissions in this organisation', permission: 'ORGANISATION_MEMBER',
    scope: (r) => ({ organisation: r.params.id }), schema: { params: OrgParam }, handler: async (r) => myOrganisationPermissions(r.ctx, r.params.id),
  },
  {
    method: 'GET', url: '/api/v1/projects/:project_pk/my-permissions/', tag: 'permissions', summary: 'Your permissions on this project', permission: 'ORGANISATION_MEMBER',
    scope: (r) => ({ project: r.params.project_pk }), schema: { params: ProjectParam }, handler: async (r) => myProjectPermissions(r.ctx, r.scope.organisationId, r.scope.projectId!),
  },
  {
    method: 'GET', url: '/api/v1/environments/:env_key/my-permissions/', tag: 'permissions', summary: 'Your permissions on this environment', permission: 'ORGANISATION_MEMBER',
    scope: (r) => ({ environmentKey: r.params.env_key }), schema: { params: EnvParam }, handler: async (r) => myEnvironmentPermissions(r.ctx, r.scope.organisationId, r.scope.projectId!, r.scope.environmentId!),
  },
  ...direct,
]);
