// Permission grants (perm_grants with their keys and tags): what the access check reads and the permission
// endpoints write. A grant's level follows from its columns: environment_id set = environment, else project_id set =
// project, else organisation.
import type { Selectable } from 'kysely';
import './rbac-schema';
import type { PermGrantTable } from './rbac-schema';
import { insertReturningId, toBool, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import { sortKeys, type PermissionLevel } from '../../domain/permissions';

export interface GrantRecord {
  id: number;
  level: PermissionLevel;
  organisationId: number;
  projectId: number | null;
  environmentId: number | null;
  userId: number | null;
  groupId: number | null;
  roleId: number | null;
  isAdmin: boolean;
  tagLimited: boolean;
  keys: string[];
  tagIds: number[];
}

export type GrantPrincipal = { userId: number } | { groupId: number } | { roleId: number };

export interface GrantObject {
  organisationId: number;
  projectId?: number | null;
  environmentId?: number | null;
}

export interface GrantValues {
  isAdmin: boolean;
  keys: readonly string[];
  /** null: not tag-limited; a list (possibly empty after tag deletions): limited to those tags. */
  tagIds: readonly number[] | null;
}

/** Which of a subject's grants to load for an access decision. */
export type Subject = { userId: number } | { apiKeyId: number };

function levelOf(row: Pick<Selectable<PermGrantTable>, 'project_id' | 'environment_id'>): PermissionLevel {
  return row.environment_id !== null ? 'environment' : row.project_id !== null ? 'project' : 'organisation';
}

async function hydrate(db: Executor, rows: Selectable<PermGrantTable>[]): Promise<GrantRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const keys = new Map<number, string[]>();
  const tags = new Map<number, number[]>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const keyRows = await db.selectFrom('perm_grant_keys').select(['grant_id', 'perm_key']).where('grant_id', 'in', chunk).orderBy('perm_key').execute();
    for (const k of keyRows) (keys.get(k.grant_id) ?? keys.set(k.grant_id, []).get(k.grant_id)!).push(k.perm_key);
    const limited = rows.filter((r) => toBool(r.tag_limited) && chunk.includes(r.id)).map((r) => r.id);
    if (limited.length > 0) {
      const tagRows = await db.selectFrom('perm_grant_tags').select(['grant_id', 'tag_id']).where('grant_id', 'in', limited).orderBy('tag_id').execute();
      for (const t of tagRows) (tags.get(t.grant_id) ?? tags.set(t.grant_id, []).get(t.grant_id)!).push(t.tag_id);
    }
  }
  return rows.map((r) => ({
    id: r.id,
    level: levelOf(r),
    organisationId: r.organisation_id,
    projectId: r.project_id,
    environmentId: r.environment_id,
    userId: r.user_id,
    groupId: r.group_id,
    roleId: r.role_id,
    isAdmin: toBool(r.is_admin),
    tagLimited: toBool(r.tag_limited),
    keys: sortKeys(keys.get(r.id) ?? []),
    tagIds: tags.get(r.id) ?? [],
  }));
}

async function writeKeysAndTags(db: Executor, grantId: number, values: GrantValues): Promise<void> {
  const keys = [...new Set(values.keys)];
  if (keys.length > 0) await db.insertInto('perm_grant_keys').values(keys.map((perm_key) => ({ grant_id: grantId, perm_key }))).execute();
  const tagIds = [...new Set(values.tagIds ?? [])];
  if (tagIds.length > 0) await db.insertInto('perm_grant_tags').values(tagIds.map((tag_id) => ({ grant_id: grantId, tag_id }))).execute();
}

export async function insertGrant(db: Executor, traits: EngineTraits, principal: GrantPrincipal, object: GrantObject, values: GrantValues): Promise<number> {
  const id = await insertReturningId(db, traits, 'perm_grants', {
    organisation_id: object.organisationId,
    project_id: object.projectId ?? null,
    environment_id: object.environmentId ?? null,
    user_id: 'userId' in principal ? principal.userId : null,
    group_id: 'groupId' in principal ? principal.groupId : null,
    role_id: 'roleId' in principal ? principal.roleId : null,
    is_admin: values.isAdmin,
    tag_limited: values.tagIds !== null && values.tagIds.length > 0,
    created_at: new Date(),
  });
  await writeKeysAndTags(db, id, values);
  return id;
}

/** Replaces a grant's admin flag, keys and tags. */
export async function updateGrant(db: Executor, id: number, values: GrantValues): Promise<void> {
  await db
    .updateTable('perm_grants')
    .set({ is_admin: values.isAdmin, tag_limited: values.tagIds !== null && values.tagIds.length > 0 })
    .where('id', '=', id)
    .execute();
  await db.deleteFrom('perm_grant_keys').where('grant_id', '=', id).execute();
  await db.deleteFrom('perm_grant_tags').where('grant_id', '=', id).execute();
  await writeKeysAndTags(db, id, values);
}

export async function deleteGrant(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('perm_grants').where('id', '=', id).execute();
}

export async function findGrant(db: Executor, id: number): Promise<GrantRecord | undefined> {
  const row = await db.selectFrom('perm_grants').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await hydrate(db, [row]))[0] : undefined;
}

export interface GrantFilter {
  organisationId?: number;
  level?: PermissionLevel;
  projectId?: number;
  environmentId?: number;
  principal?: 'user' | 'group' | 'role';
  userId?: number;
  groupId?: number;
  roleId?: number;
}

export async function listGrants(db: Executor, filter: GrantFilter): Promise<GrantRecord[]> {
  let q = db.selectFrom('perm_grants').selectAll().orderBy('id');
  if (filter.organisationId !== undefined) q = q.where('organisation_id', '=', filter.organisationId);
  if (filter.projectId !== undefined) q = q.where('project_id', '=', filter.projectId);
  if (filter.environmentId !== undefined) q = q.where('environment_id', '=', filter.environmentId);
  if (filter.level === 'organisation') q = q.where('project_id', 'is', null);
  if (filter.level === 'project') q = q.where('project_id', 'is not', null).where('environment_id', 'is', null);
  if (filter.level === 'environment') q = q.where('environment_id', 'is not', null);
  if (filter.principal === 'user') q = q.where('user_id', 'is not', null);
  if (filter.principal === 'group') q = q.where('group_id', 'is not', null);
  if (filter.principal === 'role') q = q.where('role_id', 'is not', null);
  if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
  if (filter.groupId !== undefined) q = q.where('group_id', '=', filter.groupId);
  if (filter.roleId !== undefined) q = q.where('role_id', '=', filter.roleId);
  return hydrate(db, await q.execute());
}

/**
 * Every grant that reaches a subject: a user's own, its groups', and those of the roles assigned to it or to its
 * groups; an API key's roles'. In the given organisations; with a project (and environment), only the grants on the
 * organisation, that project and that environment; with `organisationLevelOnly`, only organisation grants.
 */
export async function loadSubjectGrants(
  db: Executor,
  subject: Subject,
  where: { organisationIds: number[]; projectId?: number; environmentId?: number; organisationLevelOnly?: boolean },
): Promise<GrantRecord[]> {
  if (where.organisationIds.length === 0) return [];
  let q = db.selectFrom('perm_grants').selectAll().where('organisation_id', 'in', where.organisationIds);
  if ('userId' in subject) {
    const userId = subject.userId;
    q = q.where((eb) =>
      eb.or([
        eb('user_id', '=', userId),
        eb('group_id', 'in', eb.selectFrom('user_group_members').select('group_id').where('user_id', '=', userId)),
        eb('role_id', 'in', eb.selectFrom('role_users').select('role_id').where('user_id', '=', userId)),
        eb(
          'role_id',
          'in',
          eb
            .selectFrom('role_groups')
            .innerJoin('user_group_members', 'user_group_members.group_id', 'role_groups.group_id')
            .select('role_groups.role_id')
            .where('user_group_members.user_id', '=', userId),
        ),
      ]),
    );
  } else {
    const apiKeyId = subject.apiKeyId;
    q = q.where('role_id', 'in', (eb) => eb.selectFrom('role_api_keys').select('role_id').where('api_key_id', '=', apiKeyId));
  }
  if (where.projectId !== undefined) {
    const projectId = where.projectId;
    const environmentId = where.environmentId;
    q = q.where((eb) =>
      eb.or([
        eb('project_id', 'is', null),
        eb.and([
          eb('project_id', '=', projectId),
          environmentId === undefined ? eb('environment_id', 'is', null) : eb.or([eb('environment_id', 'is', null), eb('environment_id', '=', environmentId)]),
        ]),
      ]),
    );
  } else if (where.organisationLevelOnly) {
    q = q.where('project_id', 'is', null);
  }
  return hydrate(db, await q.orderBy('id').execute());
}

/** Removes a user's grants, group memberships and role assignments in one organisation (on leaving it). */
export async function removeUserAccess(db: Executor, organisationId: number, userId: number): Promise<void> {
  await db.deleteFrom('perm_grants').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
  await db
    .deleteFrom('user_group_members')
    .where('user_id', '=', userId)
    .where('group_id', 'in', (eb) => eb.selectFrom('user_groups').select('id').where('organisation_id', '=', organisationId))
    .execute();
  await db
    .deleteFrom('role_users')
    .where('user_id', '=', userId)
    .where('role_id', 'in', (eb) => eb.selectFrom('roles').select('id').where('organisation_id', '=', organisationId))
    .execute();
}
