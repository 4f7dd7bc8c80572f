import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { SegmentTable } from '../schema';
import { insertReturningId, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import type { SegmentRule } from '../../domain/segments';
import { deleteDependents } from '../cascade';

export interface SegmentRecord {
  id: number;
  uuid: string;
  projectId: number;
  name: string;
  description: string | null;
  featureId: number | null;
  rules: SegmentRule[];
  version: number;
  createdAt: string | null;
  updatedAt: string | null;
}

function toSegment(row: Selectable<SegmentTable>): SegmentRecord {
  return {
    id: row.id,
    uuid: row.uuid,
    projectId: row.project_id,
    name: row.name,
    description: row.description,
    featureId: row.feature_id,
    rules: JSON.parse(row.rules_json) as SegmentRule[],
    version: Number(row.version),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export async function insertSegment(
  db: Executor,
  traits: EngineTraits,
  projectId: number,
  values: { name: string; description: string | null; featureId: number | null; rules: SegmentRule[] },
): Promise<number> {
  const now = new Date();
  return insertReturningId(db, traits, 'segments', {
    project_id: projectId,
    uuid: randomUUID(),
    name: values.name,
    description: values.description,
    feature_id: values.featureId,
    rules_json: JSON.stringify(values.rules),
    version: 1,
    created_at: now,
    updated_at: now,
  });
}

export async function updateSegment(
  db: Executor,
  id: number,
  values: Partial<{ name: string; description: string | null; featureId: number | null; rules: SegmentRule[] }>,
  expectedVersion?: number,
): Promise<boolean> {
  const set: Record<string, unknown> = { updated_at: new Date() };
  if (values.name !== undefined) set.name = values.name;
  if (values.description !== undefined) set.description = values.description;
  if (values.featureId !== undefined) set.feature_id = values.featureId;
  if (values.rules !== undefined) set.rules_json = JSON.stringify(values.rules);
  let query = db.updateTable('segments').set((eb) => ({ ...set, version: eb('version', '+', 1) })).where('id', '=', id);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteSegment(db: Executor, id: number): Promise<void> {
  // Its overrides (feature_segments) and their states: SQL Server has no cascade for them (store/cascade.ts).
  await deleteDependents(db, 'segments', [id]);
  await db.deleteFrom('segments').where('id', '=', id).execute();
}

export async function findSegment(db: Executor, id: number): Promise<SegmentRecord | undefined> {
  const row = await db.selectFrom('segments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSegment(row);
}

export async function listSegments(
  db: Executor,
  filter: { projectId: number; search?: string; offset?: number; limit?: number; ids?: number[] },
): Promise<{ count: number; rows: SegmentRecord[] }> {
  let query = db.selectFrom('segments').where('project_id', '=', filter.projectId);
  if (filter.search) query = query.where('name', 'like', `%${filter.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  if (filter.ids) {
    if (filter.ids.length === 0) return { count: 0, rows: [] };
    query = query.where('id', 'in', filter.ids);
  }
  const countRow = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  let rowsQuery = query.selectAll().orderBy('id');
  if (filter.limit !== undefined) rowsQuery = rowsQuery.limit(filter.limit).offset(filter.offset ?? 0);
  return { count: Number(countRow.n), rows: (await rowsQuery.execute()).map(toSegment) };
}
