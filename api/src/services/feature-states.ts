// Feature states: environment defaults, segment overrides (with their priorities) and identity overrides.
import { ConflictError, NotFoundError, ValidationError } from '../domain/errors';
import { normaliseFlagValue, type FlagValue } from '../domain/values';
import type { Environment } from '../store/repositories/environments';
import type { Project } from '../store/repositories/projects';
import * as states from '../store/repositories/feature-states';
import { findFeature, listMultivariateOptions } from '../store/repositories/features';
import { findSegment } from '../store/repositories/segments';
import { findIdentityById } from '../store/repositories/identities';
import { isUniqueViolation } from '../store/errors';
import type { WriteScope } from '../store/store';
import { pageOffset, toPage, write, type Page, type PageRequest, type ServiceContext } from './context';
import { requireDirectChangesAllowed } from './workflows/change-requests';

export interface MultivariateStateValue {
  id: number;
  multivariate_feature_option: number;
  percentage_allocation: number;
}

export interface FeatureState {
  id: number;
  uuid: string;
  feature: number;
  environment: number;
  identity: number | null;
  feature_segment: number | null;
  enabled: boolean;
  feature_state_value: FlagValue;
  multivariate_feature_state_values: MultivariateStateValue[];
  version: number;
  live_from: string | null;
  created_at: string | null;
  updated_at: string | null;
}

export interface FeatureStateInput {
  enabled?: boolean;
  feature_state_value?: string | number | boolean | null;
  multivariate_feature_state_values?: Array<{ multivariate_feature_option: number; percentage_allocation: number }>;
  /** The version the writer last saw: a stale one is refused with 409 instead of overwriting a newer change. */
  version?: number;
}

export interface Scope {
  project: Project;
  environment: Environment;
}

async function serialize(ctx: ServiceContext, records: states.FeatureStateRecord[]): Promise<FeatureState[]> {
  const mv = await states.listMultivariateStateValues(ctx.store.db, records.map((r) => r.id));
  return records.map((r) => ({
    id: r.id,
    uuid: r.uuid,
    feature: r.featureId,
    environment: r.environmentId,
    identity: r.identityId,
    feature_segment: r.featureSegmentId,
    enabled: r.enabled,
    feature_state_value: r.value,
    multivariate_feature_state_values: mv
      .filter((m) => m.featureStateId === r.id)
      .map((m) => ({ id: m.id, multivariate_feature_option: m.multivariateOptionId, percentage_allocation: m.percentageAllocation })),
    version: r.version,
    live_from: r.liveFrom,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  }));
}

export async function getFeatureState(ctx: ServiceContext, environment: Environment, id: number): Promise<FeatureState> {
  const record = await states.findFeatureState(ctx.store.db, id);
  if (!record || record.environmentId !== environment.id) throw new NotFoundError('Feature state', id);
  return (await serialize(ctx, [record]))[0]!;
}

export async function listFeatureStates(
  ctx: ServiceContext,
  environment: Environment,
  filter: { feature?: number; identity?: number | null; defaultsOnly?: boolean; featureSegment?: number },
  page: PageRequest,
  basePath: string,
): Promise<Page<FeatureState>> {
  const all = await states.listFeatureStates(ctx.store.db, {
    environmentId: environment.id,
    featureId: filter.feature,
    identityId: filter.identity,
    defaultsOnly: filter.defaultsOnly,
    featureSegmentId: filter.featureSegment,
  });
  const { offset, limit } = pageOffset(page);
  return toPage(await serialize(ctx, all.slice(offset, offset + limit)), all.length, page, basePath);
}

async function checkWeights(w: WriteScope, featureId: number, weights: NonNullable<FeatureStateInput['multivariate_feature_state_values']>): Promise<void> {
  const options = new Set((await listMultivariateOptions(w.trx, [featureId])).map((o) => o.id));
  let total = 0;
  weights.forEach((weight, i) => {
    if (!options.has(weight.multivariate_feature_option)) {
      throw ValidationError.field(`multivariate_feature_state_values[${i}].multivariate_feature_option`, `Option ${weight.multivariate_feature_option} is not an option of this feature.`);
    }
    if (weight.percentage_allocation < 0 || weight.percentage_allocation > 100) {
      throw ValidationError.field(`multivariate_feature_state_values[${i}].percentage_allocation`, 'Must be between 0 and 100.');
    }
    total += weight.percentage_allocation;
  });
  if (total > 100 + 1e-9) throw ValidationError.field('multivariate_feature_state_values', `Percentage allocations add up to ${total}; the most is 100.`);
}

async function applyUpdate(w: WriteScope, record: states.FeatureStateRecord, input: FeatureStateInput, expectedVersion?: number): Promise<void> {
  if (input.multivariate_feature_state_values) await checkWeights(w, record.featureId, input.multivariate_feature_state_values);
  const value = input.feature_state_value === undefined ? undefined : normaliseFlagValue(input.feature_state_value);
  const applied = await states.updateFeatureState(w.trx, record.id, { enabled: input.enabled, value }, expectedVersion);
  if (!applied) {
    const current = await states.findFeatureState(w.trx, record.id);
    throw new ConflictError('This feature state was changed by someone else; reload it and apply your change again.', { current_version: current?.version ?? null });
  }
  if (input.multivariate_feature_state_values) {
    await states.replaceMultivariateStateValues(
      w.trx,
      record.id,
      input.multivariate_feature_state_values.map((m) => ({ multivariateOptionId: m.multivariate_feature_option, percentageAllocation: m.percentage_allocation })),
    );
  }
}

export async function updateFeatureState(ctx: ServiceContext, scope: Scope, id: number, input: FeatureStateInput, ifMatchVersion?: number): Promise<FeatureState> {
  const record = await states.findFeatureState(ctx.store.db, id);
  if (!record || record.environmentId !== scope.environment.id) throw new NotFoundError('Feature state', id);
  // Identity overrides stay direct; environment defaults and segment overrides may need a change request.
  if (record.identityId === null) requireDirectChangesAllowed(scope);
  const expected = input.version ?? ifMatchVersion;
  await write(ctx, async (w) => {
    await applyUpdate(w, record, input, expected);
    w.touchEnvironments(scope.environment.id);
    w.audit({
      action: 'update',
      resourceType: 'feature_state',
      resourceId: id,
      organisationId: scope.project.organisation,
      projectId: scope.project.id,
      environmentId: scope.environment.id,
      log: `Flag state updated for feature ${record.featureId}${record.featureSegmentId ? ` (segment override ${record.featureSegmentId})` : ''}${record.identityId ? ` (identity ${record.identityId})` : ''}`,
      before: { enabled: record.enabled, feature_state_value: record.value },
      after: input,
    });
  });
  return getFeatureState(ctx, scope.environment, id);
}

export async function deleteFeatureState(ctx: ServiceContext, scope: Scope, id: number): Promise<void> {
  const record = await states.findFeatureState(ctx.store.db, id);
  if (!record || record.environmentId !== scope.environment.id) throw new NotFoundError('Feature state', id);
  if (record.featureSegmentId === null && record.identityId === null) {
    throw ValidationError.field('id', 'An environment default cannot be deleted; delete the feature instead.');
  }
  if (record.identityId === null) requireDirectChangesAllowed(scope);
  await write(ctx, async (w) => {
    if (record.featureSegmentId !== null) await states.deleteFeatureSegment(w.trx, record.featureSegmentId);
    else await states.deleteFeatureState(w.trx, id);
    w.touchEnvironments(scope.environment.id);
    w.audit({ action: 'delete', resourceType: 'feature_state', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Override deleted for feature ${record.featureId}`, before: { enabled: record.enabled, feature_state_value: record.value } });
  });
}

async function requireFeatureInProject(ctx: ServiceContext, project: Project, featureId: number, field = 'feature') {
  const feature = await findFeature(ctx.store.db, featureId);
  if (!feature || feature.projectId !== project.id) throw ValidationError.field(field, `Feature ${featureId} does not exist in this project.`);
  return feature;
}

// Segment overrides

export interface FeatureSegment {
  id: number;
  feature: number;
  segment: number;
  environment: number;
  priority: number;
  segment_name?: string;
}

function toFeatureSegment(r: states.FeatureSegmentRecord): FeatureSegment {
  return { id: r.id, feature: r.featureId, segment: r.segmentId, environment: r.environmentId, priority: r.priority };
}

export async function listFeatureSegments(ctx: ServiceContext, scope: Scope, featureId?: number): Promise<FeatureSegment[]> {
  const rows = await states.listFeatureSegments(ctx.store.db, { environmentId: scope.environment.id, featureId });
  return rows.map(toFeatureSegment);
}

/** Puts the feature's overrides in this environment in order 0..n-1, with `moved` placed at `position`. */
async function renumber(w: WriteScope, featureId: number, environmentId: number, moved?: { id: number; position: number }): Promise<void> {
  const rows = await states.listFeatureSegments(w.trx, { featureId, environmentId });
  const ordered = rows.filter((r) => r.id !== moved?.id);
  if (moved) ordered.splice(Math.max(0, Math.min(moved.position, ordered.length)), 0, rows.find((r) => r.id === moved.id)!);
  for (let i = 0; i < ordered.length; i++) {
    if (ordered[i]!.priority !== i) await states.setFeatureSegmentPriority(w.trx, ordered[i]!.id, i);
  }
}

/** Creates a segment override: its placement (feature segment) and its state, in one write. */
export async function createSegmentOverride(
  ctx: ServiceContext,
  scope: Scope,
  input: { feature: number; segment: number; priority?: number | null; enabled?: boolean; feature_state_value?: string | number | boolean | null },
): Promise<{ featureSegment: FeatureSegment; featureState: FeatureState }> {
  requireDirectChangesAllowed(scope);
  const feature = await requireFeatureInProject(ctx, scope.project, input.feature);
  const segment = await findSegment(ctx.store.db, input.segment);
  if (!segment || segment.projectId !== scope.project.id) throw ValidationError.field('segment', `Segment ${input.segment} does not exist in this project.`);
  if (segment.featureId !== null && segment.featureId !== feature.id) throw ValidationError.field('segment', 'This segment belongs to another feature.');
  const ids = await write(ctx, async (w) => {
    const count = (await states.listFeatureSegments(w.trx, { featureId: feature.id, environmentId: scope.environment.id })).length;
    const featureSegmentId = await states.insertFeatureSegment(w.trx, w.traits, { featureId: feature.id, segmentId: segment.id, environmentId: scope.environment.id, priority: count });
    if (input.priority !== undefined && input.priority !== null) await renumber(w, feature.id, scope.environment.id, { id: featureSegmentId, position: input.priority });
    const defaults = await states.findFeatureStateByScope(w.trx, feature.id, scope.environment.id, null, null);
    const stateId = await states.insertFeatureState(w.trx, w.traits, {
      featureId: feature.id,
      environmentId: scope.environment.id,
      featureSegmentId,
      enabled: input.enabled ?? false,
      value: input.feature_state_value === undefined ? (defaults?.value ?? null) : normaliseFlagValue(input.feature_state_value),
    });
    // An override starts with the environment's variant weights, as Flagsmith copies them.
    if (defaults) {
      const weights = await states.listMultivariateStateValues(w.trx, [defaults.id]);
      if (weights.length > 0) await states.replaceMultivariateStateValues(w.trx, stateId, weights.map((m) => ({ multivariateOptionId: m.multivariateOptionId, percentageAllocation: m.percentageAllocation })));
    }
    w.touchEnvironments(scope.environment.id);
    w.audit({ action: 'create', resourceType: 'segment_override', resourceId: featureSegmentId, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Segment override created: feature ${feature.name}, segment ${segment.name}`, after: input });
    return { featureSegmentId, stateId };
  }).catch((error) => {
    if (isUniqueViolation(error)) throw ValidationError.field('segment', 'This feature already has an override for this segment in this environment.');
    throw error;
  });
  const featureSegment = (await listFeatureSegments(ctx, scope, feature.id)).find((f) => f.id === ids.featureSegmentId)!;
  return { featureSegment, featureState: await getFeatureState(ctx, scope.environment, ids.stateId) };
}

export async function deleteFeatureSegment(ctx: ServiceContext, scope: Scope, id: number): Promise<void> {
  const record = await states.findFeatureSegment(ctx.store.db, id);
  if (!record || record.environmentId !== scope.environment.id) throw new NotFoundError('Feature segment', id);
  requireDirectChangesAllowed(scope);
  await write(ctx, async (w) => {
    await states.deleteFeatureSegment(w.trx, id);
    await renumber(w, record.featureId, record.environmentId);
    w.touchEnvironments(scope.environment.id);
    w.audit({ action: 'delete', resourceType: 'segment_override', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Segment override deleted: feature ${record.featureId}, segment ${record.segmentId}` });
  });
}

/** Reorders overrides: each given id moves to its given priority (0 = first). */
export async function updatePriorities(ctx: ServiceContext, scope: Scope, changes: Array<{ id: number; priority: number }>): Promise<FeatureSegment[]> {
  requireDirectChangesAllowed(scope);
  const records = await Promise.all(changes.map((c) => states.findFeatureSegment(ctx.store.db, c.id)));
  records.forEach((r, i) => {
    if (!r || r.environmentId !== scope.environment.id) throw ValidationError.field(`[${i}].id`, `Feature segment ${changes[i]!.id} does not exist in this environment.`);
  });
  await write(ctx, async (w) => {
    const sorted = changes.map((c, i) => ({ ...c, record: records[i]! })).sort((a, b) => a.priority - b.priority);
    for (const change of sorted) await renumber(w, change.record.featureId, scope.environment.id, { id: change.id, position: change.priority });
    w.touchEnvironments(scope.environment.id);
    w.audit({ action: 'update', resourceType: 'segment_override', organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: 'Segment override priorities changed', after: changes });
  });
  const all = await listFeatureSegments(ctx, scope);
  return all.filter((f) => changes.some((c) => c.id === f.id) || records.some((r) => r!.featureId === f.feature));
}

// Identity overrides

export async function createIdentityOverride(
  ctx: ServiceContext,
  scope: Scope,
  identityId: number,
  input: { feature: number; enabled?: boolean; feature_state_value?: string | number | boolean | null },
): Promise<FeatureState> {
  const identity = await findIdentityById(ctx.store.db, identityId);
  if (!identity || identity.environmentId !== scope.environment.id) throw new NotFoundError('Identity', identityId);
  const feature = await requireFeatureInProject(ctx, scope.project, input.feature);
  const id = await write(ctx, async (w) => {
    const id = await states.insertFeatureState(w.trx, w.traits, {
      featureId: feature.id,
      environmentId: scope.environment.id,
      identityId,
      enabled: input.enabled ?? false,
      value: input.feature_state_value === undefined ? null : normaliseFlagValue(input.feature_state_value),
    });
    w.touchEnvironments(scope.environment.id);
    w.audit({ action: 'create', resourceType: 'identity_override', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Identity override created: ${identity.identifier} / ${feature.name}`, after: input });
    return id;
  }).catch((error) => {
    if (isUniqueViolation(error)) throw ValidationError.field('feature', 'This identity already has an override for this feature.');
    throw error;
  });
  return getFeatureState(ctx, scope.environment, id);
}

/** The generic `features/featurestates/` create: a segment override's state or an identity override. */
export async function createFeatureState(
  ctx: ServiceContext,
  scope: Scope,
  input: { feature: number; feature_segment?: number | null; identity?: number | null; enabled?: boolean; feature_state_value?: string | number | boolean | null },
): Promise<FeatureState> {
  if (input.identity) return createIdentityOverride(ctx, scope, input.identity, input);
  if (!input.feature_segment) throw ValidationError.field('feature_segment', 'Environment defaults exist already; give a feature_segment or an identity.');
  requireDirectChangesAllowed(scope);
  const fs = await states.findFeatureSegment(ctx.store.db, input.feature_segment);
  if (!fs || fs.environmentId !== scope.environment.id || fs.featureId !== input.feature) {
    throw ValidationError.field('feature_segment', `Feature segment ${input.feature_segment} does not belong to this feature and environment.`);
  }
  const existing = await states.findFeatureStateByScope(ctx.store.db, fs.featureId, fs.environmentId, fs.id, null);
  if (existing) return updateFeatureState(ctx, scope, existing.id, input);
  const id = await write(ctx, async (w) => {
    const id = await states.insertFeatureState(w.trx, w.traits, {
      featureId: fs.featureId,
      environmentId: fs.environmentId,
      featureSegmentId: fs.id,
      enabled: input.enabled ?? false,
      value: input.feature_state_value === undefined ? null : normaliseFlagValue(input.feature_state_value),
    });
    w.touchEnvironments(scope.environment.id);
    w.audit({ action: 'create', resourceType: 'feature_state', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Segment override state created for feature ${fs.featureId}`, after: input });
    return id;
  });
  return getFeatureState(ctx, scope.environment, id);
}
