// User groups and their members (with the group_admin flag).
import type { Selectable } from 'kysely';
import './rbac-schema';
import type { UserGroupTable } from './rbac-schema';
import { insertReturningId, toBool, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import { deleteDependents } from '../cascade';

export interface GroupRecord {
  id: number;
  organisationId: number;
  name: string;
  externalId: string | null;
  isDefault: boolean;
  createdAt: string | null;
}

export interface GroupMemberRecord {
  groupId: number;
  id: number;
  email: string;
  first_name: string;
  last_name: string;
  group_admin: boolean;
}

export type GroupFields = Partial<{ name: string; externalId: string | null; isDefault: boolean }>;

function toGroup(row: Selectable<UserGroupTable>): GroupRecord {
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    externalId: row.external_id,
    isDefault: toBool(row.is_default),
    createdAt: toIso(row.created_at),
  };
}

export async function insertGroup(db: Executor, traits: EngineTraits, organisationId: number, values: GroupFields & { name: string }): Promise<number> {
  return insertReturningId(db, traits, 'user_groups', {
    organisation_id: organisationId,
    name: values.name,
    external_id: values.externalId ?? null,
    is_default: values.isDefault ?? false,
    created_at: new Date(),
  });
}

export async function updateGroup(db: Executor, id: number, values: GroupFields): Promise<void> {
  const set: Record<string, unknown> = {};
  if (values.name !== undefined) set.name = values.name;
  if (values.externalId !== undefined) set.external_id = values.externalId;
  if (values.isDefault !== undefined) set.is_default = values.isDefault;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('user_groups').set(set).where('id', '=', id).execute();
}

export async function deleteGroup(db: Executor, id: number): Promise<void> {
  // Its grants and role links: SQL Server has no cascade for them (store/cascade.ts).
  await deleteDependents(db, 'user_groups', [id]);
  await db.deleteFrom('user_groups').where('id', '=', id).execute();
}

export async function findGroup(db: Executor, id: number): Promise<GroupRecord | undefined> {
  const row = await db.selectFrom('user_groups').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toGroup(row);
}

export async function findGroupByExternalId(db: Executor, organisationId: number, externalId: string): Promise<GroupRecord | undefined> {
  const row = await db.selectFrom('user_groups').selectAll().where('organisation_id', '=', organisationId).where('external_id', '=', externalId).executeTakeFirst();
  return row && toGroup(row);
}

export async function listGroups(db: Executor, organisationId: number, filter: { ids?: number[]; memberId?: number; adminId?: number; isDefault?: boolean } = {}): Promise<GroupRecord[]> {
  let q = db.selectFrom('user_groups').selectAll('user_groups').where('user_groups.organisation_id', '=', organisationId).orderBy('user_groups.id');
  if (filter.ids !== undefined) {
    if (filter.ids.length === 0) return [];
    q = q.where('user_groups.id', 'in', filter.ids);
  }
  if (filter.memberId !== undefined) {
    const userId = filter.memberId;
    q = q.where('user_groups.id', 'in', (eb) => eb.selectFrom('user_group_members').select('group_id').where('user_id', '=', userId));
  }
  if (filter.adminId !== undefined) {
    const userId = filter.adminId;
    q = q.where('user_groups.id', 'in', (eb) => eb.selectFrom('user_group_members').select('group_id').where('user_id', '=', userId).where('group_admin', '=', true));
  }
  if (filter.isDefault !== undefined) q = q.where('user_groups.is_default', '=', filter.isDefault);
  return (await q.execute()).map(toGroup);
}

export async function listGroupMembers(db: Executor, groupIds: number[]): Promise<GroupMemberRecord[]> {
  if (groupIds.length === 0) return [];
  const rows = await db
    .selectFrom('user_group_members')
    .innerJoin('users', 'users.id', 'user_group_members.user_id')
    .select(['user_group_members.group_id', 'users.id', 'users.email', 'users.first_name', 'users.last_name', 'user_group_members.group_admin'])
    .where('user_group_members.group_id', 'in', groupIds)
    .orderBy('user_group_members.group_id')
    .orderBy('users.id')
    .execute();
  return rows.map((r) => ({ groupId: r.group_id, id: r.id, email: r.email, first_name: r.first_name, last_name: r.last_name, group_admin: toBool(r.group_admin) }));
}

export async function findGroupMembership(db: Executor, groupId: number, userId: number): Promise<{ groupAdmin: boolean } | undefined> {
  const row = await db.selectFrom('user_group_members').select('group_admin').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  return row && { groupAdmin: toBool(row.group_admin) };
}

/** Adds a member; answers false when the user was one already. */
export async function addGroupMember(db: Executor, groupId: number, userId: number, groupAdmin = false): Promise<boolean> {
  if (await findGroupMembership(db, groupId, userId)) return false;
  await db.insertInto('user_group_members').values({ group_id: groupId, user_id: userId, group_admin: groupAdmin }).execute();
  return true;
}

/** Removes a member; answers false when the user was not one. */
export async function removeGroupMember(db: Executor, groupId: number, userId: number): Promise<boolean> {
  const r = await db.deleteFrom('user_group_members').where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

export async function setGroupAdmin(db: Executor, groupId: number, userId: number, groupAdmin: boolean): Promise<boolean> {
  const r = await db.updateTable('user_group_members').set({ group_admin: groupAdmin }).where('group_id', '=', groupId).where('user_id', '=', userId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
