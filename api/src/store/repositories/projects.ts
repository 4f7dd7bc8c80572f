import type { Selectable } from 'kysely';
import type { ProjectTable } from '../schema';
import { insertReturningId, toBool, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import { deleteDependents } from '../cascade';

export interface Project {
  id: number;
  name: string;
  organisation: number;
  hide_disabled_flags: boolean;
  enable_realtime_updates: boolean;
  minimum_change_request_approvals: number | null;
  created_date: string | null;
}

export type ProjectSettings = Partial<Pick<Project, 'name' | 'hide_disabled_flags' | 'enable_realtime_updates' | 'minimum_change_request_approvals'>>;

function toProject(row: Selectable<ProjectTable>): Project {
  return {
    id: row.id,
    name: row.name,
    organisation: row.organisation_id,
    hide_disabled_flags: toBool(row.hide_disabled_flags),
    enable_realtime_updates: toBool(row.enable_realtime_updates),
    minimum_change_request_approvals: row.minimum_change_request_approvals,
    created_date: toIso(row.created_at),
  };
}

export async function insertProject(db: Executor, traits: EngineTraits, organisationId: number, values: ProjectSettings & { name: string }): Promise<number> {
  return insertReturningId(db, traits, 'projects', {
    organisation_id: organisationId,
    name: values.name,
    hide_disabled_flags: values.hide_disabled_flags ?? false,
    enable_realtime_updates: values.enable_realtime_updates ?? false,
    minimum_change_request_approvals: values.minimum_change_request_approvals ?? null,
    created_at: new Date(),
  });
}

export async function findProject(db: Executor, id: number): Promise<Project | undefined> {
  const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toProject(row);
}

export async function listProjects(db: Executor, filter: { organisationIds?: number[]; organisationId?: number }): Promise<Project[]> {
  let query = db.selectFrom('projects').selectAll().orderBy('id');
  if (filter.organisationId !== undefined) query = query.where('organisation_id', '=', filter.organisationId);
  if (filter.organisationIds !== undefined) {
    if (filter.organisationIds.length === 0) return [];
    query = query.where('organisation_id', 'in', filter.organisationIds);
  }
  return (await query.execute()).map(toProject);
}

export async function updateProject(db: Executor, id: number, values: ProjectSettings): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db.updateTable('projects').set(values).where('id', '=', id).execute();
}

export async function deleteProject(db: Executor, id: number): Promise<void> {
  await deleteDependents(db, 'projects', [id]);
  await db.deleteFrom('projects').where('id', '=', id).execute();
}
