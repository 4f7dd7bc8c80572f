// Roles (Flagsmith's RBAC module): named sets of organisation, project and environment grants, assigned to users,
// groups and organisation API keys. Everything here is for organisation admins; every change is audited.
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import type { PermissionLevel } from '../../domain/permissions';
import * as roles from '../../store/repositories/roles';
import type { AssigneeKind, RoleRecord } from '../../store/repositories/roles';
import { findMembership } from '../../store/repositories/organisations';
import { findGroup } from '../../store/repositories/groups';
import { findProject } from '../../store/repositories/projects';
import { findEnvironment } from '../../store/repositories/environments';
import { write, type ServiceContext } from '../context';
import * as grantService from './grants';

export async function getRole(ctx: ServiceContext, organisationId: number, roleId: number): Promise<RoleRecord> {
  const role = await roles.findRole(ctx.store.db, roleId);
  if (!role || role.organisation !== organisationId) throw new NotFoundError('Role', roleId);
  return role;
}

export function listRoles(ctx: ServiceContext, organisationId: number): Promise<RoleRecord[]> {
  return roles.listRoles(ctx.store.db, organisationId);
}

export async function createRole(ctx: ServiceContext, organisationId: number, input: { name: string; description?: string | null }): Promise<RoleRecord> {
  const id = await write(ctx, async (w) => {
    const id = await roles.insertRole(w.trx, w.traits, organisationId, input);
    w.audit({ action: 'create', resourceType: 'role', resourceId: id, organisationId, log: `Role created: ${input.name}`, after: input });
    return id;
  });
  return getRole(ctx, organisationId, id);
}

export async function updateRole(ctx: ServiceContext, organisationId: number, roleId: number, input: { name?: string; description?: string | null }): Promise<RoleRecord> {
  const before = await getRole(ctx, organisationId, roleId);
  await write(ctx, async (w) => {
    await roles.updateRole(w.trx, roleId, input);
    w.audit({ action: 'update', resourceType: 'role', resourceId: roleId, organisationId, log: `Role updated: ${before.name}`, before, after: input });
  });
  return getRole(ctx, organisationId, roleId);
}

export async function deleteRole(ctx: ServiceContext, organisationId: number, roleId: number): Promise<void> {
  const before = await getRole(ctx, organisationId, roleId);
  await write(ctx, async (w) => {
    w.audit({ action: 'delete', resourceType: 'role', resourceId: roleId, organisationId, log: `Role deleted (with its permissions and assignments): ${before.name}`, before });
    await roles.deleteRole(w.trx, roleId);
  });
}

// A role's grants

/** The object of a role grant: the organisation, or a project / environment of it (else 400 on the field). */
export async function roleGrantObject(ctx: ServiceContext, organisationId: number, level: PermissionLevel, objectId?: number): Promise<grantService.GrantObjectRef> {
  if (level === 'organisation') return { level, organisationId };
  if (level === 'project') {
    const project = objectId === undefined ? undefined : await findProject(ctx.store.db, objectId);
    if (!project || project.organisation !== organisationId) throw ValidationError.field('project', `Project ${objectId} is not a project of this organisation.`);
    return { level, organisationId, projectId: project.id };
  }
  const env = objectId === undefined ? undefined : await findEnvironment(ctx.store.db, objectId);
  const project = env && (await findProject(ctx.store.db, env.project));
  if (!env || !project || project.organisation !== organisationId) throw ValidationError.field('environment', `Environment ${objectId} is not an environment of this organisation.`);
  return { level, organisationId, projectId: project.id, environmentId: env.id };
}

// Assignments

export type AssignmentView = { id: number; role: number } & ({ user: number } | { group: number } | { master_api_key: number });

const FIELD: Record<AssigneeKind, 'user' | 'group' | 'master_api_key'> = { user: 'user', group: 'group', api_key: 'master_api_key' };

function toAssignmentView(kind: AssigneeKind, a: roles.RoleAssignment): AssignmentView {
  return { id: a.id, role: a.roleId, [FIELD[kind]]: a.assigneeId } as AssignmentView;
}

/** The assignee must belong to the role's organisation (a member, a group or an API key of it). */
async function requireAssignee(ctx: ServiceContext, organisationId: number, kind: AssigneeKind, id: number): Promise<string> {
  const db = ctx.store.db;
  if (kind === 'user') {
    if ((await findMembership(db, organisationId, id)) === undefined) throw ValidationError.field('user', `User ${id} is not a member of this organisation.`);
    return `user ${id}`;
  }
  if (kind === 'group') {
    const group = await findGroup(db, id);
    if (!group || group.organisationId !== organisationId) throw ValidationError.field('group', `Group ${id} is not a group of this organisation.`);
    return `group ${group.name}`;
  }
  const key = await db.selectFrom('organisation_api_keys').select(['id', 'organisation_id', 'name', 'revoked']).where('id', '=', id).executeTakeFirst();
  if (!key || key.organisation_id !== organisationId) throw ValidationError.field('master_api_key', `API key ${id} is not an API key of this organisation.`);
  return `API key ${key.name}`;
}

export async function listAssignments(ctx: ServiceContext, organisationId: number, roleId: number, kind: AssigneeKind): Promise<AssignmentView[]> {
  await getRole(ctx, organisationId, roleId);
  return (await roles.listAssignments(ctx.store.db, kind, { roleId })).map((a) => toAssignmentView(kind, a));
}

export async function assignRole(ctx: ServiceContext, organisationId: number, roleId: number, kind: AssigneeKind, assigneeId: number): Promise<AssignmentView> {
  const role = await getRole(ctx, organisationId, roleId);
  const label = await requireAssignee(ctx, organisationId, kind, assigneeId);
  if (await roles.findAssignment(ctx.store.db, kind, roleId, assigneeId)) throw new ConflictError(`Role ${role.name} is assigned to ${label} already.`);
  const id = await write(ctx, async (w) => {
    const id = await roles.insertAssignment(w.trx, w.traits, kind, roleId, assigneeId);
    w.audit({ action: 'assign_role', resourceType: 'role', resourceId: roleId, organisationId, log: `Role ${role.name} assigned to ${label}`, after: { role: roleId, [FIELD[kind]]: assigneeId } });
    return id;
  });
  return toAssignmentView(kind, { id, roleId, assigneeId });
}

async function unassign(ctx: ServiceContext, organisationId: number, role: RoleRecord, kind: AssigneeKind, assignment: roles.RoleAssignment): Promise<void> {
  await write(ctx, async (w) => {
    await roles.deleteAssignment(w.trx, kind, assignment.id);
    w.audit({ action: 'unassign_role', resourceType: 'role', resourceId: role.id, organisationId, log: `Role ${role.name} removed from ${kind === 'api_key' ? 'API key' : kind} ${assignment.assigneeId}`, before: { role: role.id, [FIELD[kind]]: assignment.assigneeId } });
  });
}

/** Removes an assignment addressed by its id under the role (`roles/{rid}/users/{id}/`). */
export async function removeAssignment(ctx: ServiceContext, organisationId: number, roleId: number, kind: AssigneeKind, assignmentId: number): Promise<void> {
  const role = await getRole(ctx, organisationId, roleId);
  const assignment = await roles.findAssignmentById(ctx.store.db, kind, assignmentId);
  if (!assignment || assignment.roleId !== roleId) throw new NotFoundError('Role assignment', assignmentId);
  await unassign(ctx, organisationId, role, kind, assignment);
}

/** The roles of one user, group or API key (`users/{uid}/roles/` and the like). */
export async function rolesOf(ctx: ServiceContext, organisationId: number, kind: AssigneeKind, assigneeId: number): Promise<RoleRecord[]> {
  await requireAssigneeExists(ctx, organisationId, kind, assigneeId);
  const ids = (await roles.listAssignments(ctx.store.db, kind, { assigneeId })).map((a) => a.roleId);
  return roles.listRoles(ctx.store.db, organisationId, ids);
}

/** Removes a role from an assignee addressed by the assignee (`users/{uid}/roles/{rid}/`). */
export async function removeRoleFrom(ctx: ServiceContext, organisationId: number, kind: AssigneeKind, assigneeId: number, roleId: number): Promise<void> {
  const role = await getRole(ctx, organisationId, roleId);
  const assignment = await roles.findAssignment(ctx.store.db, kind, roleId, assigneeId);
  if (!assignment) throw new NotFoundError('Role assignment', roleId);
  await unassign(ctx, organisationId, role, kind, assignment);
}

/** 404 (not 400) when the assignee in the URL is not of this organisation. */
export async function requireAssigneeExists(ctx: ServiceContext, organisationId: number, kind: AssigneeKind, id: number): Promise<void> {
  try {
    await requireAssignee(ctx, organisationId, kind, id);
  } catch (error) {
    if (error instanceof ValidationError) throw new NotFoundError(kind === 'api_key' ? 'API key' : kind === 'user' ? 'User' : 'Group', id);
    throw error;
  }
}
