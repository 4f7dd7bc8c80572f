// Roles on Flagsmith's paths (FLAGSMITH-COMPAT.md §4.2, AUTH-NOTES.md §1.2): organisations/{id}/roles/ CRUD with
// nested organisation-permissions/, projects-permissions/ (?project=), environments-permissions/ (?environment=),
// users/, groups/, master-api-keys/; and users/{uid}/roles/, groups/{gid}/roles/, master-api-keys/{kid}/roles/.
// All for organisation admins.
import { Type } from '@sinclair/typebox';
import type { PermissionLevel } from '../../domain/permissions';
import { ValidationError } from '../../domain/errors';
import * as roles from '../../services/rbac/roles';
import * as grantService from '../../services/rbac/grants';
import type { AssigneeKind } from '../../store/repositories/roles';
import { defineRoutes, type AdminRoute } from '../admin-route';
import { grantFields } from './permissions';
import { strictObject } from './schemas';

const tag = 'roles';
const org = '/api/v1/organisations/:id';
const Id = Type.Integer({ minimum: 1 });
const OrgParam = strictObject({ id: Id });
const RoleParam = strictObject({ id: Id, role_id: Id });
const RoleChildParam = strictObject({ id: Id, role_id: Id, item_id: Id });
const RoleName = Type.String({ minLength: 1, maxLength: 200 });
const Description = Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()]));
const RoleBody = strictObject({ name: RoleName, description: Description, id: Type.Optional(Type.Integer()), organisation: Type.Optional(Type.Integer()) });
const RolePatch = Type.Partial(RoleBody, { additionalProperties: false });

const permission = 'ORGANISATION_ADMIN' as const;
const orgScope = (r: { params: { id: number } }) => ({ organisation: r.params.id });

/** Grant routes of one level under a role. */
function roleGrantRoutes(level: PermissionLevel, segment: string): AdminRoute[] {
  const url = `${org}/roles/:role_id/${segment}/`;
  const objectField = level === 'project' ? 'project' : level === 'environment' ? 'environment' : undefined;
  const Create = strictObject({ ...grantFields(level), ...(objectField ? { [objectField]: Id } : {}), role: Type.Optional(Type.Integer()) });
  const Update = strictObject({ ...grantFields(level), ...(objectField ? { [objectField]: Type.Optional(Type.Integer()) } : {}), role: Type.Optional(Type.Integer()), id: Type.Optional(Type.Integer()) });
  const Patch = Type.Partial(Update, { additionalProperties: false });
  const Query = strictObject(objectField ? { [objectField]: Type.Optional(Id) } : {});
  const levelObject = { level, organisationId: 0 } as grantService.GrantObjectRef;
  const sameObject = (body: Record<string, unknown>, view: grantService.GrantView) => {
    if (objectField && body[objectField] !== undefined && body[objectField] !== view[objectField as 'project' | 'environment']) {
      throw ValidationError.field(objectField, `A permission cannot move to another ${objectField}; create a new one.`);
    }
  };
  const update = (partial: boolean) =>
    (async (r: { ctx: never; params: { id: number; role_id: number; item_id: number }; body: Record<string, unknown> & grantService.GrantInput }) => {
      await roles.getRole(r.ctx, r.params.id, r.params.role_id);
      const object = { ...levelObject, organisationId: r.params.id };
      sameObject(r.body, await grantService.getGrant(r.ctx, 'role', object, r.params.item_id, r.params.role_id));
      return grantService.updateGrant(r.ctx, 'role', object, r.params.item_id, { permissions: r.body.permissions, admin: r.body.admin, tags: r.body.tags }, { partial, principalId: r.params.role_id });
    }) as never;
  const what = `${level} permissions of a role`;
  return defineRoutes([
    {
      method: 'GET', url, tag, summary: `List the ${what}${objectField ? ` (?${objectField}= filters)` : ''}`, permission, scope: orgScope, schema: { params: RoleParam, querystring: Query },
      handler: async (r) => {
        await roles.getRole(r.ctx, r.params.id, r.params.role_id);
        const on = objectField === 'project' ? { projectId: r.query.project } : objectField === 'environment' ? { environmentId: r.query.environment } : {};
        return grantService.listRoleGrants(r.ctx, r.params.role_id, r.params.id, level, on);
      },
    },
    {
      method: 'POST', url, tag, summary: `Add ${what}`, permission, scope: orgScope, schema: { params: RoleParam, body: Create },
      handler: async (r) => {
        await roles.getRole(r.ctx, r.params.id, r.params.role_id);
        const object = await roles.roleGrantObject(r.ctx, r.params.id, level, objectField ? r.body[objectField] : undefined);
        return grantService.createGrant(r.ctx, 'role', r.params.role_id, object, { permissions: r.body.permissions, admin: r.body.admin, tags: r.body.tags });
      },
    },
    {
      method: 'GET', url: `${url}:item_id/`, tag, summary: `Get one of the ${what}`, permission, scope: orgScope, schema: { params: RoleChildParam },
      handler: async (r) => {
        await roles.getRole(r.ctx, r.params.id, r.params.role_id);
        return grantService.getGrant(r.ctx, 'role', { ...levelObject, organisationId: r.params.id }, r.params.item_id, r.params.role_id);
      },
    },
    { method: 'PUT', url: `${url}:item_id/`, tag, summary: `Replace one of the ${what}`, permission, scope: orgScope, schema: { params: RoleChildParam, body: Update }, handler: update(false) },
    { method: 'PATCH', url: `${url}:item_id/`, tag, summary: `Change one of the ${what}`, permission, scope: orgScope, schema: { params: RoleChildParam, body: Patch }, handler: update(true) },
    {
      method: 'DELETE', url: `${url}:item_id/`, tag, summary: `Remove one of the ${what}`, permission, scope: orgScope, schema: { params: RoleChildParam }, status: 204,
      handler: async (r) => {
        await roles.getRole(r.ctx, r.params.id, r.params.role_id);
        return grantService.deleteGrant(r.ctx, 'role', { ...levelObject, organisationId: r.params.id }, r.params.item_id, r.params.role_id);
      },
    },
  ]);
}

const ASSIGNEES: Array<{ kind: AssigneeKind; segment: string; field: 'user' | 'group' | 'master_api_key'; owner: string; ownerParam: string }> = [
  { kind: 'user', segment: 'users', field: 'user', owner: 'users', ownerParam: 'user_id' },
  { kind: 'group', segment: 'groups', field: 'group', owner: 'groups', ownerParam: 'group_id' },
  { kind: 'api_key', segment: 'master-api-keys', field: 'master_api_key', owner: 'master-api-keys', ownerParam: 'key_id' },
];

/** Assignments seen from the role (`roles/{rid}/users/`) and from the assignee (`users/{uid}/roles/`). */
function assignmentRoutes(a: (typeof ASSIGNEES)[number]): AdminRoute[] {
  const byRole = `${org}/roles/:role_id/${a.segment}/`;
  const byAssignee = `${org}/${a.owner}/:${a.ownerParam}/roles/`;
  const AssigneeParam = strictObject({ id: Id, [a.ownerParam]: Id });
  const AssigneeRoleParam = strictObject({ id: Id, [a.ownerParam]: Id, role_id: Id });
  const noun = a.kind === 'api_key' ? 'organisation API keys' : `${a.kind}s`;
  return defineRoutes([
    { method: 'GET', url: byRole, tag, summary: `List the ${noun} a role is assigned to`, permission, scope: orgScope, schema: { params: RoleParam }, handler: async (r) => roles.listAssignments(r.ctx, r.params.id, r.params.role_id, a.kind) },
    {
      method: 'POST', url: byRole, tag, summary: `Assign a role to one of the ${noun}`, permission, scope: orgScope,
      schema: { params: RoleParam, body: strictObject({ [a.field]: Id, role: Type.Optional(Type.Integer()) }) },
      handler: async (r) => roles.assignRole(r.ctx, r.params.id, r.params.role_id, a.kind, r.body[a.field]),
    },
    { method: 'DELETE', url: `${byRole}:item_id/`, tag, summary: `Remove an assignment of a role to one of the ${noun}`, permission, scope: orgScope, schema: { params: RoleChildParam }, status: 204, handler: async (r) => roles.removeAssignment(r.ctx, r.params.id, r.params.role_id, a.kind, r.params.item_id) },
    { method: 'GET', url: byAssignee, tag, summary: `The roles of one of the ${noun}`, permission, scope: orgScope, schema: { params: AssigneeParam }, handler: async (r) => roles.rolesOf(r.ctx, r.params.id, a.kind, r.params[a.ownerParam]) },
    {
      method: 'POST', url: byAssignee, tag, summary: `Give one of the ${noun} a role`, permission, scope: orgScope, schema: { params: AssigneeParam, body: strictObject({ role: Id }) },
      handler: async (r) => {
        await roles.requireAssigneeExists(r.ctx, r.params.id, a.kind, r.params[a.ownerParam]);
        return roles.assignRole(r.ctx, r.params.id, r.body.role, a.kind, r.params[a.ownerParam]);
      },
    },
    { method: 'DELETE', url: `${byAssignee}:role_id/`, tag, summary: `Take a role from one of the ${noun}`, permission, scope: orgScope, schema: { params: AssigneeRoleParam }, status: 204, handler: async (r) => roles.removeRoleFrom(r.ctx, r.params.id, a.kind, r.params[a.ownerParam], r.params.role_id) },
  ]);
}

export const roleRoutes = defineRoutes([
  { method: 'GET', url: `${org}/roles/`, tag, summary: 'List roles', permission, scope: orgScope, schema: { params: OrgParam }, handler: async (r) => roles.listRoles(r.ctx, r.params.id) },
  { method: 'POST', url: `${org}/roles/`, tag, summary: 'Create a role', permission, scope: orgScope, schema: { params: OrgParam, body: RoleBody }, handler: async (r) => roles.createRole(r.ctx, r.params.id, { name: r.body.name, description: r.body.description }) },
  { method: 'GET', url: `${org}/roles/:role_id/`, tag, summary: 'Get a role', permission, scope: orgScope, schema: { params: RoleParam }, handler: async (r) => roles.getRole(r.ctx, r.params.id, r.params.role_id) },
  { method: 'PUT', url: `${org}/roles/:role_id/`, tag, summary: 'Update a role', permission, scope: orgScope, schema: { params: RoleParam, body: RoleBody }, handler: async (r) => roles.updateRole(r.ctx, r.params.id, r.params.role_id, { name: r.body.name, description: r.body.description }) },
  { method: 'PATCH', url: `${org}/roles/:role_id/`, tag, summary: 'Update some fields of a role', permission, scope: orgScope, schema: { params: RoleParam, body: RolePatch }, handler: async (r) => roles.updateRole(r.ctx, r.params.id, r.params.role_id, { name: r.body.name, description: r.body.description }) },
  { method: 'DELETE', url: `${org}/roles/:role_id/`, tag, summary: 'Delete a role with its permissions and assignments', permission, scope: orgScope, schema: { params: RoleParam }, status: 204, handler: async (r) => roles.deleteRole(r.ctx, r.params.id, r.params.role_id) },
  ...roleGrantRoutes('organisation', 'organisation-permissions'),
  ...roleGrantRoutes('project', 'projects-permissions'),
  ...roleGrantRoutes('environment', 'environments-permissions'),
  ...ASSIGNEES.flatMap(assignmentRoutes),
]);
