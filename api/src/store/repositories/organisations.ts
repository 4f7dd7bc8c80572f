import type { Selectable } from 'kysely';
import type { OrganisationTable } from '../schema';
import { insertReturningId, toBool, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import { deleteDependents } from '../cascade';

export interface Organisation {
  id: number;
  name: string;
  persist_trait_data: boolean;
  stop_serving_flags: boolean;
  feature_analytics: boolean;
  restrict_project_create_to_admin: boolean;
  created_date: string | null;
}

export type OrganisationRole = 'ADMIN' | 'USER';

export function toOrganisation(row: Selectable<OrganisationTable>): Organisation {
  return {
    id: row.id,
    name: row.name,
    persist_trait_data: toBool(row.persist_trait_data),
    stop_serving_flags: toBool(row.stop_serving_flags),
    feature_analytics: toBool(row.feature_analytics),
    restrict_project_create_to_admin: toBool(row.restrict_project_create_to_admin),
    created_date: toIso(row.created_at),
  };
}

export type OrganisationSettings = Partial<Omit<Organisation, 'id' | 'created_date'>>;

export async function insertOrganisation(db: Executor, traits: EngineTraits, values: { name: string } & OrganisationSettings): Promise<number> {
  return insertReturningId(db, traits, 'organisations', {
    name: values.name,
    persist_trait_data: values.persist_trait_data ?? true,
    stop_serving_flags: values.stop_serving_flags ?? false,
    feature_analytics: values.feature_analytics ?? false,
    restrict_project_create_to_admin: values.restrict_project_create_to_admin ?? false,
    created_at: new Date(),
  });
}

export async function findOrganisation(db: Executor, id: number): Promise<Organisation | undefined> {
  const row = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toOrganisation(row);
}

export async function listOrganisations(db: Executor, userId: number | null): Promise<Organisation[]> {
  let query = db.selectFrom('organisations').selectAll('organisations').orderBy('organisations.id');
  if (userId !== null) {
    query = query
      .innerJoin('organisation_users', 'organisation_users.organisation_id', 'organisations.id')
      .where('organisation_users.user_id', '=', userId);
  }
  return (await query.execute()).map(toOrganisation);
}

export async function updateOrganisation(db: Executor, id: number, values: OrganisationSettings): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db.updateTable('organisations').set(values).where('id', '=', id).execute();
}

export async function deleteOrganisation(db: Executor, id: number): Promise<void> {
  await deleteDependents(db, 'organisations', [id]);
  await db.deleteFrom('organisations').where('id', '=', id).execute();
}

export async function findMembership(db: Executor, organisationId: number, userId: number): Promise<OrganisationRole | undefined> {
  const row = await db
    .selectFrom('organisation_users')
    .select('role')
    .where('organisation_id', '=', organisationId)
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.role;
}

export async function upsertMembership(db: Executor, organisationId: number, userId: number, role: OrganisationRole): Promise<void> {
  const existing = await findMembership(db, organisationId, userId);
  if (existing === undefined) {
    await db.insertInto('organisation_users').values({ organisation_id: organisationId, user_id: userId, role }).execute();
  } else if (existing !== role) {
    await db.updateTable('organisation_users').set({ role }).where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
  }
}

export async function deleteMembership(db: Executor, organisationId: number, userId: number): Promise<void> {
  await db.deleteFrom('organisation_users').where('organisation_id', '=', organisationId).where('user_id', '=', userId).execute();
}

export async function listMembers(db: Executor, organisationId: number) {
  return db
    .selectFrom('organisation_users')
    .innerJoin('users', 'users.id', 'organisation_users.user_id')
    .select(['users.id', 'users.email', 'users.first_name', 'users.last_name', 'users.last_login_at', 'users.is_active', 'organisation_users.role'])
    .where('organisation_users.organisation_id', '=', organisationId)
    .orderBy('users.id')
    .execute();
}
