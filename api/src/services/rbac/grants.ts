// Permission grants as the admin API sees them: Flagsmith's user and group permission records on organisations,
// projects and environments, and a role's organisation/project/environment permissions. One grant per principal and
// object; every change writes an audit row in the same transaction.
import type { Actor } from '../../domain/actor';
import { ConflictError, NotFoundError, ValidationError } from '../../domain/errors';
import { TAG_LIMITABLE_PERMISSIONS, keysOfLevel, sortKeys, type PermissionKey, type PermissionLevel } from '../../domain/permissions';
import * as grants from '../../store/repositories/grants';
import type { GrantRecord } from '../../store/repositories/grants';
import { findMembership } from '../../store/repositories/organisations';
import { findGroup } from '../../store/repositories/groups';
import { findRole } from '../../store/repositories/roles';
import type { Executor } from '../../store/rows';
import type { WriteScope } from '../../store/store';
import { write, type ServiceContext } from '../context';

export type PrincipalKind = 'user' | 'group' | 'role';

/** The object a grant is on. */
export interface GrantObjectRef {
  level: PermissionLevel;
  organisationId: number;
  projectId?: number;
  environmentId?: number;
}

export interface GrantInput {
  permissions?: string[];
  admin?: boolean;
  tags?: number[];
}

export interface GrantView {
  id: number;
  user?: number | { id: number; email: string; first_name: string; last_name: string };
  group?: number | { id: number; name: string };
  role?: number;
  organisation?: number;
  project?: number;
  environment?: number;
  permissions: string[];
  admin?: boolean;
  tags?: number[];
}

function principalOf(g: GrantRecord): { kind: PrincipalKind; id: number } {
  if (g.userId !== null) return { kind: 'user', id: g.userId };
  if (g.groupId !== null) return { kind: 'group', id: g.groupId };
  return { kind: 'role', id: g.roleId! };
}

function objectMatches(g: GrantRecord, object: GrantObjectRef): boolean {
  if (g.level !== object.level || g.organisationId !== object.organisationId) return false;
  if (object.level === 'project') return g.projectId === object.projectId;
  if (object.level === 'environment') return g.environmentId === object.environmentId;
  return true;
}

async function toView(db: Executor, g: GrantRecord, nested: boolean): Promise<GrantView> {
  const view: GrantView = { id: g.id, permissions: g.keys };
  const principal = principalOf(g);
  if (principal.kind === 'user') {
    if (nested) {
      const u = await db.selectFrom('users').select(['id', 'email', 'first_name', 'last_name']).where('id', '=', principal.id).executeTakeFirst();
      view.user = u ?? principal.id;
    } else view.user = principal.id;
  } else if (principal.kind === 'group') {
    if (nested) {
      const group = await findGroup(db, principal.id);
      view.group = group ? { id: group.id, name: group.name } : principal.id;
    } else view.group = principal.id;
  } else view.role = principal.id;
  if (g.level === 'organisation') view.organisation = g.organisationId;
  if (g.level === 'project') view.project = g.projectId!;
  if (g.level === 'environment') view.environment = g.environmentId!;
  if (g.level !== 'organisation') {
    view.admin = g.isAdmin;
    view.tags = g.tagIds;
  }
  return view;
}

/** Keys of the right level, known tags of the project, no admin flag on organisations. */
async function validate(db: Executor, object: GrantObjectRef, input: GrantInput, projectIdForTags: number | undefined): Promise<grants.GrantValues> {
  const allowed = keysOfLevel(object.level) as readonly string[];
  const keys = sortKeys(input.permissions ?? []);
  const unknown = keys.filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw ValidationError.field('permissions', `Not ${object.level} permissions: ${unknown.join(', ')}.`);
  if (object.level === 'organisation' && input.admin) throw ValidationError.field('admin', 'Organisation permissions have no admin flag; use the organisation role ADMIN.');
  let tagIds: number[] | null = null;
  if (input.tags && input.tags.length > 0) {
    if (object.level === 'organisation') throw ValidationError.field('tags', 'Organisation permissions cannot be limited by tags.');
    if (!keys.some((k) => TAG_LIMITABLE_PERMISSIONS.has(k as PermissionKey))) {
      throw ValidationError.field('tags', `Tags limit only ${[...TAG_LIMITABLE_PERMISSIONS].join(', ')}; this grant has none of them.`);
    }
    tagIds = [...new Set(input.tags)];
    const found = await db.selectFrom('tags').select('id').where('project_id', '=', projectIdForTags!).where('id', 'in', tagIds).execute();
    if (found.length !== tagIds.length) throw ValidationError.field('tags', 'Every tag must be a tag of this project.');
  }
  return { isAdmin: object.level !== 'organisation' && (input.admin ?? false), keys, tagIds };
}

/** The principal must belong to the grant's organisation: a member user, one of its groups or roles. */
async function requirePrincipal(db: Executor, organisationId: number, kind: PrincipalKind, id: number, field: string): Promise<string> {
  if (kind === 'user') {
    if ((await findMembership(db, organisationId, id)) === undefined) throw ValidationError.field(field, `User ${id} is not a member of this organisation.`);
    const u = await db.selectFrom('users').select('email').where('id', '=', id).executeTakeFirst();
    return `user ${u?.email ?? id}`;
  }
  if (kind === 'group') {
    const group = await findGroup(db, id);
    if (!group || group.organisationId !== organisationId) throw ValidationError.field(field, `Group ${id} is not a group of this organisation.`);
    return `group ${group.name}`;
  }
  const role = await findRole(db, id);
  if (!role || role.organisation !== organisationId) throw ValidationError.field(field, `Role ${id} is not a role of this organisation.`);
  return `role ${role.name}`;
}

function describeObject(object: GrantObjectRef): string {
  return object.level === 'organisation' ? `organisation ${object.organisationId}` : object.level === 'project' ? `project ${object.projectId}` : `environment ${object.environmentId}`;
}

function describeValues(v: { isAdmin: boolean; keys: readonly string[]; tagIds: readonly number[] | null }): string {
  const parts = [...(v.isAdmin ? ['admin'] : []), ...v.keys];
  return `${parts.length > 0 ? parts.join(', ') : 'no permissions'}${v.tagIds && v.tagIds.length > 0 ? ` (tagged features: ${v.tagIds.join(', ')})` : ''}`;
}

function auditSnapshot(g: { isAdmin: boolean; keys: readonly string[]; tagIds: readonly number[] | null }) {
  return { admin: g.isAdmin, permissions: [...g.keys], tags: g.tagIds ? [...g.tagIds] : [] };
}

function resourceType(kind: PrincipalKind, level: PermissionLevel): string {
  return `${kind}_${level}_permission`;
}

function auditScope(object: GrantObjectRef) {
  return { organisationId: object.organisationId, projectId: object.projectId ?? null, environmentId: object.environmentId ?? null };
}

export async function listGrants(ctx: ServiceContext, kind: PrincipalKind, object: GrantObjectRef, filter: { principalId?: number } = {}): Promise<GrantView[]> {
  const rows = await grants.listGrants(ctx.store.db, {
    organisationId: object.organisationId,
    level: object.level,
    projectId: object.projectId,
    environmentId: object.environmentId,
    principal: kind,
    userId: kind === 'user' ? filter.principalId : undefined,
    groupId: kind === 'group' ? filter.principalId : undefined,
    roleId: kind === 'role' ? filter.principalId : undefined,
  });
  return Promise.all(rows.map((g) => toView(ctx.store.db, g, kind !== 'role')));
}

/** A role's grants of one level, optionally on one project or environment (the `?project=` / `?environment=` filters). */
export async function listRoleGrants(ctx: ServiceContext, roleId: number, organisationId: number, level: PermissionLevel, on: { projectId?: number; environmentId?: number }): Promise<GrantView[]> {
  const rows = await grants.listGrants(ctx.store.db, { organisationId, level, roleId, projectId: on.projectId, environmentId: on.environmentId });
  return Promise.all(rows.map((g) => toView(ctx.store.db, g, false)));
}

async function findIn(ctx: ServiceContext, kind: PrincipalKind, object: GrantObjectRef, id: number, principalId?: number): Promise<GrantRecord> {
  const g = await grants.findGrant(ctx.store.db, id);
  if (!g || principalOf(g).kind !== kind || (principalId !== undefined && principalOf(g).id !== principalId)) throw new NotFoundError('Permission', id);
  // Role grants are addressed by role; their object is checked against the organisation only.
  if (kind === 'role' ? g.organisationId !== object.organisationId || g.level !== object.level : !objectMatches(g, object)) throw new NotFoundError('Permission', id);
  return g;
}

export async function getGrant(ctx: ServiceContext, kind: PrincipalKind, object: GrantObjectRef, id: number, principalId?: number): Promise<GrantView> {
  return toView(ctx.store.db, await findIn(ctx, kind, object, id, principalId), kind !== 'role');
}

export async function createGrant(ctx: ServiceContext, kind: PrincipalKind, principalId: number, object: GrantObjectRef, input: GrantInput, projectIdForTags?: number): Promise<GrantView> {
  const db = ctx.store.db;
  const label = await requirePrincipal(db, object.organisationId, kind, principalId, kind);
  const values = await validate(db, object, input, projectIdForTags ?? object.projectId);
  const existing = await grants.listGrants(db, {
    organisationId: object.organisationId,
    level: object.level,
    projectId: object.projectId,
    environmentId: object.environmentId,
    userId: kind === 'user' ? principalId : undefined,
    groupId: kind === 'group' ? principalId : undefined,
    roleId: kind === 'role' ? principalId : undefined,
  });
  if (existing.some((g) => principalOf(g).kind === kind)) {
    throw new ConflictError(`The ${label} has permissions on this ${object.level} already; change them instead.`, { id: existing[0]!.id });
  }
  const principal = kind === 'user' ? { userId: principalId } : kind === 'group' ? { groupId: principalId } : { roleId: principalId };
  const id = await write(ctx, async (w) => {
    const id = await grants.insertGrant(w.trx, w.traits, principal, object, values);
    w.audit({
      action: 'grant',
      resourceType: resourceType(kind, object.level),
      resourceId: id,
      ...auditScope(object),
      log: `Permissions on ${describeObject(object)} granted to ${label}: ${describeValues(values)}`,
      after: { [kind]: principalId, ...auditSnapshot(values) },
    });
    return id;
  });
  return toView(db, (await grants.findGrant(db, id))!, false);
}

export async function updateGrant(ctx: ServiceContext, kind: PrincipalKind, object: GrantObjectRef, id: number, input: GrantInput, options: { partial: boolean; principalId?: number; projectIdForTags?: number }): Promise<GrantView> {
  const db = ctx.store.db;
  const before = await findIn(ctx, kind, object, id, options.principalId);
  const merged: GrantInput = options.partial
    ? { permissions: input.permissions ?? before.keys, admin: input.admin ?? before.isAdmin, tags: input.tags ?? (before.tagLimited ? before.tagIds : []) }
    : input;
  const actualObject: GrantObjectRef = { level: before.level, organisationId: before.organisationId, projectId: before.projectId ?? undefined, environmentId: before.environmentId ?? undefined };
  const values = await validate(db, actualObject, merged, options.projectIdForTags ?? actualObject.projectId);
  const principal = principalOf(before);
  await write(ctx, async (w) => {
    await grants.updateGrant(w.trx, id, values);
    w.audit({
      action: 'update',
      resourceType: resourceType(kind, before.level),
      resourceId: id,
      ...auditScope(actualObject),
      log: `Permissions on ${describeObject(actualObject)} of ${principal.kind} ${principal.id} changed: ${describeValues({ isAdmin: before.isAdmin, keys: before.keys, tagIds: before.tagLimited ? before.tagIds : null })} -> ${describeValues(values)}`,
      before: { [kind]: principal.id, ...auditSnapshot({ isAdmin: before.isAdmin, keys: before.keys, tagIds: before.tagIds }) },
      after: { [kind]: principal.id, ...auditSnapshot(values) },
    });
  });
  return toView(db, (await grants.findGrant(db, id))!, false);
}

export async function deleteGrant(ctx: ServiceContext, kind: PrincipalKind, object: GrantObjectRef, id: number, principalId?: number): Promise<void> {
  const before = await findIn(ctx, kind, object, id, principalId);
  const principal = principalOf(before);
  const actualObject: GrantObjectRef = { level: before.level, organisationId: before.organisationId, projectId: before.projectId ?? undefined, environmentId: before.environmentId ?? undefined };
  await write(ctx, async (w) => {
    await grants.deleteGrant(w.trx, id);
    w.audit({
      action: 'revoke',
      resourceType: resourceType(kind, before.level),
      resourceId: id,
      ...auditScope(actualObject),
      log: `Permissions on ${describeObject(actualObject)} revoked from ${principal.kind} ${principal.id}`,
      before: { [kind]: principal.id, ...auditSnapshot({ isAdmin: before.isAdmin, keys: before.keys, tagIds: before.tagIds }) },
    });
  });
}

/**
 * Creators become admin of the projects and environments they create (FLAGSMITH-COMPAT.md §4.3): called inside the
 * creating write, so the grant and its audit row commit with the object. API keys and the system get none.
 */
export async function recordCreatorAdmin(w: WriteScope, actor: Actor, object: GrantObjectRef): Promise<void> {
  if (actor.type !== 'user') return;
  const values = { isAdmin: true, keys: [] as string[], tagIds: null };
  const id = await grants.insertGrant(w.trx, w.traits, { userId: actor.userId }, object, values);
  w.audit({
    action: 'grant',
    resourceType: resourceType('user', object.level),
    resourceId: id,
    ...auditScope(object),
    log: `Permissions on ${describeObject(object)} granted to user ${actor.email}: admin (creator)`,
    after: { user: actor.userId, ...auditSnapshot(values) },
  });
}
