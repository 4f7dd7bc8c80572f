import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { FeatureStateTable } from '../schema';
import { fromJson, insertReturningId, toBool, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import type { FlagValue } from '../../domain/values';
import { deleteDependents } from '../cascade';

export interface FeatureStateRecord {
  id: number;
  uuid: string;
  featureId: number;
  environmentId: number;
  featureSegmentId: number | null;
  identityId: number | null;
  enabled: boolean;
  value: FlagValue;
  version: number;
  liveFrom: string | null;
  createdAt: string | null;
  updatedAt: string | null;
}

export interface MultivariateStateValueRecord {
  id: number;
  uuid: string;
  featureStateId: number;
  multivariateOptionId: number;
  percentageAllocation: number;
}

export function toFeatureState(row: Selectable<FeatureStateTable>): FeatureStateRecord {
  return {
    id: row.id,
    uuid: row.uuid,
    featureId: row.feature_id,
    environmentId: row.environment_id,
    featureSegmentId: row.feature_segment_id,
    identityId: row.identity_id,
    enabled: toBool(row.enabled),
    value: fromJson<FlagValue>(row.value_json),
    version: Number(row.version),
    liveFrom: toIso(row.live_from),
    createdAt: toIso(row.created_at),
    updatedAt: toIso(row.updated_at),
  };
}

export function scopeKey(featureSegmentId: number | null | undefined, identityId: number | null | undefined): string {
  if (identityId) return `id:${identityId}`;
  if (featureSegmentId) return `seg:${featureSegmentId}`;
  return 'env';
}

export async function insertFeatureState(
  db: Executor,
  traits: EngineTraits,
  values: { featureId: number; environmentId: number; featureSegmentId?: number | null; identityId?: number | null; enabled: boolean; value: FlagValue },
): Promise<number> {
  const now = new Date();
  return insertReturningId(db, traits, 'feature_states', {
    uuid: randomUUID(),
    feature_id: values.featureId,
    environment_id: values.environmentId,
    feature_segment_id: values.featureSegmentId ?? null,
    identity_id: values.identityId ?? null,
    scope_key: scopeKey(values.featureSegmentId, values.identityId),
    enabled: values.enabled,
    value_json: JSON.stringify(values.value),
    version: 1,
    live_from: now,
    created_at: now,
    updated_at: now,
  });
}

/** Updates a state and bumps its version; with `expectedVersion`, only if nobody changed it since (no lost updates). */
export async function updateFeatureState(
  db: Executor,
  id: number,
  values: { enabled?: boolean; value?: FlagValue },
  expectedVersion?: number,
): Promise<boolean> {
  const set: Record<string, unknown> = { updated_at: new Date() };
  if (values.enabled !== undefined) set.enabled = values.enabled;
  if (values.value !== undefined) set.value_json = JSON.stringify(values.value);
  let query = db
    .updateTable('feature_states')
    .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
    .where('id', '=', id);
  if (expectedVersion !== undefined) query = query.where('version', '=', expectedVersion);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteFeatureState(db: Executor, id: number): Promise<void> {
  await deleteDependents(db, 'feature_states', [id]);
  await db.deleteFrom('feature_states').where('id', '=', id).execute();
}

export async function findFeatureState(db: Executor, id: number): Promise<FeatureStateRecord | undefined> {
  const row = await db.selectFrom('feature_states').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toFeatureState(row);
}

export async function findFeatureStateByScope(
  db: Executor,
  featureId: number,
  environmentId: number,
  featureSegmentId: number | null,
  identityId: number | null,
): Promise<FeatureStateRecord | undefined> {
  const row = await db
    .selectFrom('feature_states')
    .selectAll()
    .where('feature_id', '=', featureId)
    .where('environment_id', '=', environmentId)
    .where('scope_key', '=', scopeKey(featureSegmentId, identityId))
    .executeTakeFirst();
  return row && toFeatureState(row);
}

export interface FeatureStateFilter {
  environmentId?: number;
  featureId?: number;
  /** `null` = environment defaults and segment overrides only; a number = that identity's overrides. */
  identityId?: number | null;
  /** true = only environment defaults; false = only segment overrides. */
  defaultsOnly?: boolean;
  featureSegmentId?: number;
}

export async function listFeatureStates(db: Executor, filter: FeatureStateFilter): Promise<FeatureStateRecord[]> {
  let query = db.selectFrom('feature_states').selectAll().orderBy('id');
  if (filter.environmentId !== undefined) query = query.where('environment_id', '=', filter.environmentId);
  if (filter.featureId !== undefined) query = query.where('feature_id', '=', filter.featureId);
  if (filter.identityId === null) query = query.where('identity_id', 'is', null);
  else if (filter.identityId !== undefined) query = query.where('identity_id', '=', filter.identityId);
  if (filter.defaultsOnly === true) query = query.where('scope_key', '=', 'env');
  if (filter.defaultsOnly === false) query = query.where('feature_segment_id', 'is not', null);
  if (filter.featureSegmentId !== undefined) query = query.where('feature_segment_id', '=', filter.featureSegmentId);
  return (await query.execute()).map(toFeatureState);
}

// Multivariate state values

export async function listMultivariateStateValues(db: Executor, featureStateIds: number[]): Promise<MultivariateStateValueRecord[]> {
  if (featureStateIds.length === 0) return [];
  const out: MultivariateStateValueRecord[] = [];
  // Chunked: some engines cap the number of bound parameters in one statement.
  for (let i = 0; i < featureStateIds.length; i += 500) {
    const rows = await db
      .selectFrom('multivariate_state_values')
      .selectAll()
      .where('feature_state_id', 'in', featureStateIds.slice(i, i + 500))
      .orderBy('id')
      .execute();
    for (const r of rows) {
      out.push({
        id: r.id,
        uuid: r.uuid,
        featureStateId: r.feature_state_id,
        multivariateOptionId: r.multivariate_option_id,
        percentageAllocation: Number(r.percentage_allocation),
      });
    }
  }
  return out;
}

/** Sets a state's variant weights: one row per option given; options not given are removed. */
export async function replaceMultivariateStateValues(
  db: Executor,
  featureStateId: number,
  weights: Array<{ multivariateOptionId: number; percentageAllocation: number }>,
): Promise<void> {
  const existing = await listMultivariateStateValues(db, [featureStateId]);
  const byOption = new Map(existing.map((e) => [e.multivariateOptionId, e]));
  const wanted = new Set(weights.map((w) => w.multivariateOptionId));
  for (const e of existing) {
    if (!wanted.has(e.multivariateOptionId)) await db.deleteFrom('multivariate_state_values').where('id', '=', e.id).execute();
  }
  for (const w of weights) {
    const current = byOption.get(w.multivariateOptionId);
    if (!current) {
      await db
        .insertInto('multivariate_state_values')
        .values({ uuid: randomUUID(), feature_state_id: featureStateId, multivariate_option_id: w.multivariateOptionId, percentage_allocation: w.percentageAllocation })
        .execute();
    } else if (current.percentageAllocation !== w.percentageAllocation) {
      await db.updateTable('multivariate_state_values').set({ percentage_allocation: w.percentageAllocation }).where('id', '=', current.id).execute();
    }
  }
}

export async function insertMultivariateStateValuesForOption(
  db: Executor,
  featureStateIds: number[],
  multivariateOptionId: number,
  percentageAllocation: number,
): Promise<void> {
  // Chunked: SQL Server takes at most 2,100 parameters (and 1,000 rows) in one statement.
  for (let i = 0; i < featureStateIds.length; i += 200) {
    await db
      .insertInto('multivariate_state_values')
      .values(featureStateIds.slice(i, i + 200).map((id) => ({ uuid: randomUUID(), feature_state_id: id, multivariate_option_id: multivariateOptionId, percentage_allocation: percentageAllocation })))
      .execute();
  }
}

// Feature segments (segment overrides' placement and priority)

export interface FeatureSegmentRecord {
  id: number;
  featureId: number;
  segmentId: number;
  environmentId: number;
  priority: number;
}

export async function listFeatureSegments(db: Executor, filter: { environmentId?: number; featureId?: number; segmentId?: number }): Promise<FeatureSegmentRecord[]> {
  let query = db.selectFrom('feature_segments').selectAll().orderBy('priority').orderBy('id');
  if (filter.environmentId !== undefined) query = query.where('environment_id', '=', filter.environmentId);
  if (filter.featureId !== undefined) query = query.where('feature_id', '=', filter.featureId);
  if (filter.segmentId !== undefined) query = query.where('segment_id', '=', filter.segmentId);
  const rows = await query.execute();
  return rows.map((r) => ({ id: r.id, featureId: r.feature_id, segmentId: r.segment_id, environmentId: r.environment_id, priority: Number(r.priority) }));
}

export async function findFeatureSegment(db: Executor, id: number): Promise<FeatureSegmentRecord | undefined> {
  const r = await db.selectFrom('feature_segments').selectAll().where('id', '=', id).executeTakeFirst();
  return r && { id: r.id, featureId: r.feature_id, segmentId: r.segment_id, environmentId: r.environment_id, priority: Number(r.priority) };
}

export async function insertFeatureSegment(
  db: Executor,
  traits: EngineTraits,
  values: { featureId: number; segmentId: number; environmentId: number; priority: number },
): Promise<number> {
  return insertReturningId(db, traits, 'feature_segments', {
    feature_id: values.featureId,
    segment_id: values.segmentId,
    environment_id: values.environmentId,
    priority: values.priority,
  });
}

export async function setFeatureSegmentPriority(db: Executor, id: number, priority: number): Promise<void> {
  await db.updateTable('feature_segments').set({ priority }).where('id', '=', id).execute();
}

export async function deleteFeatureSegment(db: Executor, id: number): Promise<void> {
  await deleteDependents(db, 'feature_segments', [id]);
  await db.deleteFrom('feature_segments').where('id', '=', id).execute();
}
