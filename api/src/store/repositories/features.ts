import type { Selectable } from 'kysely';
import type { FeatureTable } from '../schema';
import { fromJson, insertReturningId, toBool, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import type { FlagValue } from '../../domain/values';
import { deleteDependents } from '../cascade';

export interface FeatureRecord {
  id: number;
  projectId: number;
  name: string;
  type: 'STANDARD' | 'MULTIVARIATE';
  initialValue: string | null;
  defaultEnabled: boolean;
  description: string | null;
  isServerKeyOnly: boolean;
  isArchived: boolean;
  createdAt: string | null;
}

export interface MultivariateOptionRecord {
  id: number;
  featureId: number;
  value: FlagValue;
  defaultPercentageAllocation: number;
}

function toFeature(row: Selectable<FeatureTable>): FeatureRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    name: row.name,
    type: row.type,
    initialValue: row.initial_value,
    defaultEnabled: toBool(row.default_enabled),
    description: row.description,
    isServerKeyOnly: toBool(row.is_server_key_only),
    isArchived: toBool(row.is_archived),
    createdAt: toIso(row.created_at),
  };
}

export type FeatureFields = Partial<{
  name: string;
  type: 'STANDARD' | 'MULTIVARIATE';
  initialValue: string | null;
  defaultEnabled: boolean;
  description: string | null;
  isServerKeyOnly: boolean;
  isArchived: boolean;
}>;

function toFeatureColumns(values: FeatureFields) {
  const set: Record<string, unknown> = {};
  if (values.name !== undefined) set.name = values.name;
  if (values.type !== undefined) set.type = values.type;
  if (values.initialValue !== undefined) set.initial_value = values.initialValue;
  if (values.defaultEnabled !== undefined) set.default_enabled = values.defaultEnabled;
  if (values.description !== undefined) set.description = values.description;
  if (values.isServerKeyOnly !== undefined) set.is_server_key_only = values.isServerKeyOnly;
  if (values.isArchived !== undefined) set.is_archived = values.isArchived;
  return set;
}

export async function insertFeature(db: Executor, traits: EngineTraits, projectId: number, values: FeatureFields & { name: string }): Promise<number> {
  return insertReturningId(db, traits, 'features', {
    project_id: projectId,
    name: values.name,
    type: values.type ?? 'STANDARD',
    initial_value: values.initialValue ?? null,
    default_enabled: values.defaultEnabled ?? false,
    description: values.description ?? null,
    is_server_key_only: values.isServerKeyOnly ?? false,
    is_archived: values.isArchived ?? false,
    created_at: new Date(),
  });
}

export async function updateFeature(db: Executor, id: number, values: FeatureFields): Promise<void> {
  const set = toFeatureColumns(values);
  if (Object.keys(set).length === 0) return;
  await db.updateTable('features').set(set).where('id', '=', id).execute();
}

export async function deleteFeature(db: Executor, id: number): Promise<void> {
  await deleteDependents(db, 'features', [id]);
  await db.deleteFrom('features').where('id', '=', id).execute();
}

export async function findFeature(db: Executor, id: number): Promise<FeatureRecord | undefined> {
  const row = await db.selectFrom('features').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toFeature(row);
}

export async function findFeatureByName(db: Executor, projectId: number, name: string): Promise<FeatureRecord | undefined> {
  const row = await db.selectFrom('features').selectAll().where('project_id', '=', projectId).where('name', '=', name).executeTakeFirst();
  return row && toFeature(row);
}

export interface FeatureListFilter {
  projectId: number;
  search?: string;
  tagIds?: number[];
  isArchived?: boolean;
  offset: number;
  limit: number;
}

export async function listFeatures(db: Executor, filter: FeatureListFilter): Promise<{ count: number; rows: FeatureRecord[] }> {
  let query = db.selectFrom('features').where('project_id', '=', filter.projectId);
  if (filter.search) query = query.where('name', 'like', `%${escapeLike(filter.search)}%`);
  if (filter.isArchived !== undefined) query = query.where('is_archived', '=', filter.isArchived);
  if (filter.tagIds && filter.tagIds.length > 0) {
    query = query.where('id', 'in', (eb) => eb.selectFrom('feature_tags').select('feature_id').where('tag_id', 'in', filter.tagIds!));
  }
  const countRow = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  return { count: Number(countRow.n), rows: rows.map(toFeature) };
}

export async function listProjectFeatures(db: Executor, projectId: number): Promise<FeatureRecord[]> {
  const rows = await db.selectFrom('features').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
  return rows.map(toFeature);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => '\\' + c);
}

// Tags

export async function listFeatureTagIds(db: Executor, featureIds: number[]): Promise<Map<number, number[]>> {
  const map = new Map<number, number[]>();
  if (featureIds.length === 0) return map;
  const rows = await db.selectFrom('feature_tags').selectAll().where('feature_id', 'in', featureIds).orderBy('tag_id').execute();
  for (const row of rows) {
    const list = map.get(row.feature_id) ?? [];
    list.push(row.tag_id);
    map.set(row.feature_id, list);
  }
  return map;
}

export async function setFeatureTags(db: Executor, featureId: number, tagIds: number[]): Promise<void> {
  await db.deleteFrom('feature_tags').where('feature_id', '=', featureId).execute();
  if (tagIds.length > 0) {
    await db.insertInto('feature_tags').values([...new Set(tagIds)].map((tag_id) => ({ feature_id: featureId, tag_id }))).execute();
  }
}

export async function countProjectTags(db: Executor, projectId: number, tagIds: number[]): Promise<number> {
  if (tagIds.length === 0) return 0;
  const row = await db
    .selectFrom('tags')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('project_id', '=', projectId)
    .where('id', 'in', [...new Set(tagIds)])
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface Tag {
  id: number;
  label: string;
  color: string;
  description: string | null;
  project: number;
}

export async function listTags(db: Executor, projectId: number): Promise<Tag[]> {
  const rows = await db.selectFrom('tags').selectAll().where('project_id', '=', projectId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, label: r.label, color: r.color, description: r.description, project: r.project_id }));
}

export async function insertTag(db: Executor, traits: EngineTraits, projectId: number, values: { label: string; color: string; description: string | null }): Promise<number> {
  return insertReturningId(db, traits, 'tags', { project_id: projectId, ...values });
}

export async function updateTag(db: Executor, projectId: number, id: number, values: Partial<{ label: string; color: string; description: string | null }>): Promise<boolean> {
  if (Object.keys(values).length === 0) return true;
  const r = await db.updateTable('tags').set(values).where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

export async function deleteTag(db: Executor, projectId: number, id: number): Promise<boolean> {
  const tag = await db.selectFrom('tags').select('id').where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
  if (tag) await deleteDependents(db, 'tags', [tag.id]);
  const r = await db.deleteFrom('tags').where('id', '=', id).where('project_id', '=', projectId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

// Multivariate options

export async function listMultivariateOptions(db: Executor, featureIds: number[]): Promise<MultivariateOptionRecord[]> {
  if (featureIds.length === 0) return [];
  const rows = await db.selectFrom('multivariate_options').selectAll().where('feature_id', 'in', featureIds).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    featureId: r.feature_id,
    value: fromJson<FlagValue>(r.value_json),
    defaultPercentageAllocation: Number(r.default_percentage_allocation),
  }));
}

export async function insertMultivariateOption(
  db: Executor,
  traits: EngineTraits,
  featureId: number,
  values: { value: FlagValue; defaultPercentageAllocation: number },
): Promise<number> {
  return insertReturningId(db, traits, 'multivariate_options', {
    feature_id: featureId,
    value_json: JSON.stringify(values.value),
    default_percentage_allocation: values.defaultPercentageAllocation,
  });
}

export async function updateMultivariateOption(
  db: Executor,
  id: number,
  values: Partial<{ value: FlagValue; defaultPercentageAllocation: number }>,
): Promise<void> {
  const set: Record<string, unknown> = {};
  if (values.value !== undefined) set.value_json = JSON.stringify(values.value);
  if (values.defaultPercentageAllocation !== undefined) set.default_percentage_allocation = values.defaultPercentageAllocation;
  if (Object.keys(set).length === 0) return;
  await db.updateTable('multivariate_options').set(set).where('id', '=', id).execute();
}

export async function deleteMultivariateOption(db: Executor, id: number): Promise<void> {
  await deleteDependents(db, 'multivariate_options', [id]);
  await db.deleteFrom('multivariate_options').where('id', '=', id).execute();
}
