// User groups on Flagsmith's paths (FLAGSMITH-COMPAT.md §4.2): organisations/{id}/groups/ CRUD, add-users,
// remove-users, my-groups, users/{uid}/make-admin and remove-admin. Group admins may read their group and add or
// remove its members (GROUP_ADMIN); the rest needs MANAGE_USER_GROUPS.
import { Type } from '@sinclair/typebox';
import * as groups from '../../services/rbac/groups';
import { defineRoutes } from '../admin-route';
import { PageQuery, pageOf, strictObject } from './schemas';

const base = '/api/v1/organisations/:id/groups';
const tag = 'groups';
const OrgParam = strictObject({ id: Type.Integer({ minimum: 1 }) });
const GroupParam = strictObject({ id: Type.Integer({ minimum: 1 }), group_id: Type.Integer({ minimum: 1 }) });
const GroupUserParam = strictObject({ id: Type.Integer({ minimum: 1 }), group_id: Type.Integer({ minimum: 1 }), user_id: Type.Integer({ minimum: 1 }) });
const GroupName = Type.String({ minLength: 1, maxLength: 200 });
const GroupFields = {
  is_default: Type.Optional(Type.Boolean()),
  external_id: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 255 }), Type.Null()])),
  // Echoed back by clients that PUT a whole group; members change through add-users / remove-users.
  id: Type.Optional(Type.Integer()),
  organisation: Type.Optional(Type.Integer()),
  users: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 10_000 })),
};
const GroupBody = strictObject({ name: GroupName, ...GroupFields });
const GroupPatch = strictObject({ name: Type.Optional(GroupName), ...GroupFields });
const UserIds = strictObject({ user_ids: Type.Array(Type.Integer({ minimum: 1 }), { minItems: 1, maxItems: 1000 }) });

const orgScope = (r: { params: { id: number } }) => ({ organisation: r.params.id });
const groupScope = (r: { params: { id: number; group_id: number } }) => ({ organisation: r.params.id, group: r.params.group_id });
const input = (b: { name?: string; is_default?: boolean; external_id?: string | null }) => ({ name: b.name, is_default: b.is_default, external_id: b.external_id });

export const groupRoutes = defineRoutes([
  {
    method: 'GET', url: `${base}/`, tag, summary: 'List groups (all with MANAGE_USER_GROUPS, else those you are group admin of)', permission: 'ORGANISATION_MEMBER', scope: orgScope,
    schema: { params: OrgParam, querystring: strictObject({ ...PageQuery }) },
    handler: async (r) => groups.listGroups(r.ctx, r.params.id, pageOf(r.query), r.path),
  },
  { method: 'POST', url: `${base}/`, tag, summary: 'Create a group', permission: 'MANAGE_USER_GROUPS', scope: orgScope, schema: { params: OrgParam, body: GroupBody }, handler: async (r) => groups.createGroup(r.ctx, r.params.id, { ...input(r.body), name: r.body.name }) },
  { method: 'GET', url: `${base}/my-groups/`, tag, summary: 'The groups you belong to', permission: 'ORGANISATION_MEMBER', scope: orgScope, schema: { params: OrgParam }, handler: async (r) => groups.myGroups(r.ctx, r.params.id) },
  { method: 'GET', url: `${base}/:group_id/`, tag, summary: 'Get a group with its members', permission: 'GROUP_ADMIN', scope: groupScope, schema: { params: GroupParam }, handler: async (r) => groups.getGroup(r.ctx, r.params.id, r.params.group_id) },
  { method: 'PUT', url: `${base}/:group_id/`, tag, summary: 'Update a group', permission: 'MANAGE_USER_GROUPS', scope: groupScope, schema: { params: GroupParam, body: GroupBody }, handler: async (r) => groups.updateGroup(r.ctx, r.params.id, r.params.group_id, input(r.body)) },
  { method: 'PATCH', url: `${base}/:group_id/`, tag, summary: 'Update some fields of a group', permission: 'MANAGE_USER_GROUPS', scope: groupScope, schema: { params: GroupParam, body: GroupPatch }, handler: async (r) => groups.updateGroup(r.ctx, r.params.id, r.params.group_id, input(r.body)) },
  { method: 'DELETE', url: `${base}/:group_id/`, tag, summary: 'Delete a group (its permissions and role assignments go with it)', permission: 'MANAGE_USER_GROUPS', scope: groupScope, schema: { params: GroupParam }, status: 204, handler: async (r) => groups.deleteGroup(r.ctx, r.params.id, r.params.group_id) },
  { method: 'POST', url: `${base}/:group_id/add-users/`, tag, summary: 'Add members of the organisation to the group', permission: 'GROUP_ADMIN', scope: groupScope, schema: { params: GroupParam, body: UserIds }, status: 200, handler: async (r) => groups.addUsers(r.ctx, r.params.id, r.params.group_id, r.body.user_ids) },
  { method: 'POST', url: `${base}/:group_id/remove-users/`, tag, summary: 'Remove members from the group', permission: 'GROUP_ADMIN', scope: groupScope, schema: { params: GroupParam, body: UserIds }, status: 200, handler: async (r) => groups.removeUsers(r.ctx, r.params.id, r.params.group_id, r.body.user_ids) },
  { method: 'POST', url: `${base}/:group_id/users/:user_id/make-admin/`, tag, summary: 'Make a member admin of the group', permission: 'MANAGE_USER_GROUPS', scope: groupScope, schema: { params: GroupUserParam }, status: 200, handler: async (r) => groups.setGroupAdmin(r.ctx, r.params.id, r.params.group_id, r.params.user_id, true) },
  { method: 'POST', url: `${base}/:group_id/users/:user_id/remove-admin/`, tag, summary: 'Make a member no longer admin of the group', permission: 'MANAGE_USER_GROUPS', scope: groupScope, schema: { params: GroupUserParam }, status: 200, handler: async (r) => groups.setGroupAdmin(r.ctx, r.params.id, r.params.group_id, r.params.user_id, false) },
]);
