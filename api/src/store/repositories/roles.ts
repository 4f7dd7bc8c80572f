// Roles and their assignments to users, groups and organisation API keys. A role's grants live in perm_grants.
import './rbac-schema';
import { insertReturningId, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import { deleteDependents } from '../cascade';

export interface RoleRecord {
  id: number;
  organisation: number;
  name: string;
  description: string | null;
}

export type AssigneeKind = 'user' | 'group' | 'api_key';

export interface RoleAssignment {
  id: number;
  roleId: number;
  assigneeId: number;
}

const TABLES = {
  user: { table: 'role_users', column: 'user_id' },
  group: { table: 'role_groups', column: 'group_id' },
  api_key: { table: 'role_api_keys', column: 'api_key_id' },
} as const;

export async function insertRole(db: Executor, traits: EngineTraits, organisationId: number, values: { name: string; description?: string | null }): Promise<number> {
  return insertReturningId(db, traits, 'roles', { organisation_id: organisationId, name: values.name, description: values.description ?? null, created_at: new Date() });
}

export async function updateRole(db: Executor, id: number, values: { name?: string; description?: string | null }): Promise<void> {
  const set: Record<string, unknown> = {};
  if (values.name !== undefined) set.name = values.name;
  if (values.description !== undefined) set.description = values.description;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('roles').set(set).where('id', '=', id).execute();
}

export async function deleteRole(db: Executor, id: number): Promise<void> {
  // Its grants: SQL Server has no cascade for them (store/cascade.ts).
  await deleteDependents(db, 'roles', [id]);
  await db.deleteFrom('roles').where('id', '=', id).execute();
}

export async function findRole(db: Executor, id: number): Promise<RoleRecord | undefined> {
  const row = await db.selectFrom('roles').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, organisation: row.organisation_id, name: row.name, description: row.description };
}

export async function listRoles(db: Executor, organisationId: number, ids?: number[]): Promise<RoleRecord[]> {
  if (ids !== undefined && ids.length === 0) return [];
  let q = db.selectFrom('roles').selectAll().where('organisation_id', '=', organisationId).orderBy('id');
  if (ids !== undefined) q = q.where('id', 'in', ids);
  return (await q.execute()).map((row) => ({ id: row.id, organisation: row.organisation_id, name: row.name, description: row.description }));
}

export async function insertAssignment(db: Executor, traits: EngineTraits, kind: AssigneeKind, roleId: number, assigneeId: number): Promise<number> {
  const { table, column } = TABLES[kind];
  return insertReturningId(db, traits, table, { role_id: roleId, [column]: assigneeId } as never);
}

export async function findAssignment(db: Executor, kind: AssigneeKind, roleId: number, assigneeId: number): Promise<RoleAssignment | undefined> {
  const { table, column } = TABLES[kind];
  const row = (await db
    .selectFrom(table)
    .select(['id', 'role_id', `${column} as assignee` as never])
    .where('role_id', '=', roleId)
    .where(column as never, '=', assigneeId as never)
    .executeTakeFirst()) as { id: number; role_id: number; assignee: number } | undefined;
  return row && { id: row.id, roleId: row.role_id, assigneeId: row.assignee };
}

export async function findAssignmentById(db: Executor, kind: AssigneeKind, id: number): Promise<RoleAssignment | undefined> {
  const { table, column } = TABLES[kind];
  const row = (await db.selectFrom(table).select(['id', 'role_id', `${column} as assignee` as never]).where('id', '=', id).executeTakeFirst()) as
    | { id: number; role_id: number; assignee: number }
    | undefined;
  return row && { id: row.id, roleId: row.role_id, assigneeId: row.assignee };
}

export async function deleteAssignment(db: Executor, kind: AssigneeKind, id: number): Promise<void> {
  await db.deleteFrom(TABLES[kind].table).where('id', '=', id).execute();
}

/** Assignments of one role, or of one assignee (any role). */
export async function listAssignments(db: Executor, kind: AssigneeKind, filter: { roleId?: number; assigneeId?: number }): Promise<RoleAssignment[]> {
  const { table, column } = TABLES[kind];
  let q = db.selectFrom(table).select(['id', 'role_id', `${column} as assignee` as never]).orderBy('id');
  if (filter.roleId !== undefined) q = q.where('role_id', '=', filter.roleId);
  if (filter.assigneeId !== undefined) q = q.where(column as never, '=', filter.assigneeId as never);
  const rows = (await q.execute()) as unknown as Array<{ id: number; role_id: number; assignee: number }>;
  return rows.map((r) => ({ id: r.id, roleId: r.role_id, assigneeId: r.assignee }));
}
