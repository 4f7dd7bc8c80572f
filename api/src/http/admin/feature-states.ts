import { Type } from '@sinclair/typebox';
import * as states from '../../services/feature-states';
import { checkAccess } from '../../services/access';
import { resolveScope } from '../../services/scope';
import { createChangeRequest, requireDirectChangesAllowed } from '../../services/workflows/change-requests';
import { findFeatureState } from '../../store/repositories/feature-states';
import { ValidationError } from '../../domain/errors';
import { defineRoutes, type AdminRequest } from '../admin-route';
import { EnvChildParam, EnvParam, FlagValueSchema, IdParam, ifMatchVersion, PageQuery, pageOf, strictObject } from './schemas';

const Weights = Type.Array(strictObject({ id: Type.Optional(Type.Integer()), multivariate_feature_option: Type.Integer({ minimum: 1 }), percentage_allocation: Type.Number({ minimum: 0, maximum: 100 }) }), { maxItems: 100 });
const StateFields = {
  enabled: Type.Optional(Type.Boolean()),
  feature_state_value: Type.Optional(FlagValueSchema),
  multivariate_feature_state_values: Type.Optional(Weights),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  /** A future time schedules the change instead of applying it now. */
  live_from: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  // Echoed back by clients that PUT a whole state; checked against the URL, otherwise ignored.
  id: Type.Optional(Type.Integer()),
  feature: Type.Optional(Type.Integer()),
  environment: Type.Optional(Type.Integer()),
  identity: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  feature_segment: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
};
const StateUpdate = strictObject(StateFields);
const StateCreate = strictObject({
  feature: Type.Integer({ minimum: 1 }),
  environment: Type.Integer({ minimum: 1 }),
  feature_segment: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  identity: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  enabled: Type.Optional(Type.Boolean()),
  feature_state_value: Type.Optional(FlagValueSchema),
});
const SegmentOverrideCreate = strictObject({
  segment: Type.Integer({ minimum: 1 }),
  priority: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
  enabled: Type.Optional(Type.Boolean()),
  feature_state_value: Type.Optional(FlagValueSchema),
});
const FeatureSegmentCreate = strictObject({
  feature: Type.Integer({ minimum: 1 }),
  segment: Type.Integer({ minimum: 1 }),
  environment: Type.Integer({ minimum: 1 }),
  priority: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
});

const tag = 'feature states';
const envScope = (r: { params: { env_key: string } }) => ({ environmentKey: r.params.env_key });
const stateScope = (r: { params: { id: number } }) => ({ featureState: r.params.id });
/** The environment and the feature whose state the URL names (tag-limited grants need the feature). */
const envStateScope = (r: { params: { env_key: string; id: number } }) => ({ environmentKey: r.params.env_key, featureState: r.params.id });
const scopeOf = (r: AdminRequest) => ({ project: r.scope.project!, environment: r.scope.environment! });

function updateInput(body: states.FeatureStateInput & { id?: number }, id: number): states.FeatureStateInput {
  if (body.id !== undefined && body.id !== id) throw ValidationError.field('id', 'Does not match the feature state in the URL.');
  return { enabled: body.enabled, feature_state_value: body.feature_state_value, multivariate_feature_state_values: body.multivariate_feature_state_values, version: body.version };
}

/** Environment-default routes accept only environment defaults; overrides have their own permissions. */
/**
 * A change with a future live_from becomes a scheduled change: a change request committed at once by its author,
 * published by the scheduler (and served by the cache) at that time. Answers with that change request.
 */
async function scheduleIfFuture(r: AdminRequest, stateId: number): Promise<unknown | undefined> {
  const liveFrom = r.body.live_from ? new Date(r.body.live_from) : null;
  if (!liveFrom || liveFrom <= new Date()) return undefined;
  const scope = scopeOf(r);
  requireDirectChangesAllowed(scope);
  const record = await findFeatureState(r.ctx.store.db, stateId);
  if (!record || record.environmentId !== scope.environment.id) return undefined;
  try {
    return await createChangeRequest(
      r.ctx,
      scope,
      {
        title: `Scheduled change to feature ${record.featureId}`,
        live_from: liveFrom.toISOString(),
        feature_states: [{ feature: record.featureId, feature_segment: record.featureSegmentId, enabled: r.body.enabled, feature_state_value: r.body.feature_state_value, multivariate_feature_state_values: r.body.multivariate_feature_state_values }],
      },
      { commit: true },
    );
  } catch (error) {
    // Errors name the change request's fields (`feature_states[0].…`); this request sent them at the top level.
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(Object.fromEntries(Object.entries(error.fields).map(([field, messages]) => [field.replace(/^feature_states\[0\]\.?/, '') || 'non_field_errors', messages])));
  }
}

async function requireDefaultState(r: AdminRequest<unknown, unknown, { id: number }>): Promise<void> {
  const record = await findFeatureState(r.ctx.store.db, r.params.id);
  if (record && (record.featureSegmentId !== null || record.identityId !== null)) {
    throw ValidationError.field('id', 'This is an override; change it through /features/featurestates/ or the identity routes.');
  }
}

/** The generic routes also reach overrides: those need the permission for their kind as well. */
async function checkOverridePermission(r: AdminRequest, stateId: number): Promise<void> {
  const record = await findFeatureState(r.ctx.store.db, stateId);
  if (record?.featureSegmentId) await checkAccess(r.ctx.store, r.actor, 'MANAGE_SEGMENT_OVERRIDES', r.scope);
  if (record?.identityId) await checkAccess(r.ctx.store, r.actor, 'MANAGE_IDENTITIES', r.scope);
}

export const featureStateRoutes = defineRoutes([
  {
    method: 'GET', url: '/api/v1/environments/:env_key/featurestates/', tag, summary: 'List environment default states', permission: 'VIEW_ENVIRONMENT', scope: envScope,
    schema: { params: EnvParam, querystring: strictObject({ ...PageQuery, feature: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    handler: async (r) => states.listFeatureStates(r.ctx, r.scope.environment!, { feature: r.query.feature, identity: null, defaultsOnly: true }, pageOf(r.query), r.path),
  },
  { method: 'GET', url: '/api/v1/environments/:env_key/featurestates/:id/', tag, summary: 'Get an environment default state', permission: 'VIEW_ENVIRONMENT', scope: envScope, schema: { params: EnvChildParam }, handler: async (r) => states.getFeatureState(r.ctx, r.scope.environment!, r.params.id) },
  ...(['PUT', 'PATCH'] as const).map((method) => ({
    method, url: '/api/v1/environments/:env_key/featurestates/:id/', tag, summary: 'Change an environment default (on/off, value, variant weights)', permission: 'UPDATE_FEATURE_STATE' as const, scope: envStateScope,
    schema: { params: EnvChildParam, body: StateUpdate },
    handler: async (r: AdminRequest) => {
      await requireDefaultState(r);
      const scheduled = await scheduleIfFuture(r, r.params.id);
      if (scheduled) return scheduled;
      return states.updateFeatureState(r.ctx, scopeOf(r), r.params.id, updateInput(r.body, r.params.id), ifMatchVersion(r.headers));
    },
  })),
  {
    method: 'POST', url: '/api/v1/environments/:env_key/features/:feature_pk/create-segment-override/', tag: 'segment overrides', summary: 'Create a segment override for a feature', permission: 'MANAGE_SEGMENT_OVERRIDES',
    scope: (r) => ({ environmentKey: r.params.env_key, feature: r.params.feature_pk }),
    schema: { params: strictObject({ env_key: Type.String({ minLength: 1, maxLength: 100 }), feature_pk: Type.Integer({ minimum: 1 }) }), body: SegmentOverrideCreate },
    handler: async (r) => {
      const { featureSegment, featureState } = await states.createSegmentOverride(r.ctx, scopeOf(r), { feature: r.params.feature_pk, ...r.body });
      return { ...featureState, feature_segment: featureSegment };
    },
  },
  {
    method: 'GET', url: '/api/v1/features/featurestates/', tag, summary: 'List states of an environment, overrides included', permission: 'VIEW_ENVIRONMENT', scope: (r) => ({ environment: r.query.environment }),
    schema: { querystring: strictObject({ ...PageQuery, environment: Type.Integer({ minimum: 1 }), feature: Type.Optional(Type.Integer({ minimum: 1 })), feature_segment: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    handler: async (r) => states.listFeatureStates(r.ctx, r.scope.environment!, { feature: r.query.feature, featureSegment: r.query.feature_segment, identity: null }, pageOf(r.query), r.path),
  },
  {
    method: 'POST', url: '/api/v1/features/featurestates/', tag, summary: "Create a segment override's state or an identity override", permission: 'MANAGE_SEGMENT_OVERRIDES', scope: (r) => ({ environment: r.body.environment, feature: r.body.feature }),
    schema: { body: StateCreate },
    handler: async (r) => {
      if (r.body.identity) await checkAccess(r.ctx.store, r.actor, 'MANAGE_IDENTITIES', r.scope);
      return states.createFeatureState(r.ctx, scopeOf(r), r.body);
    },
  },
  { method: 'GET', url: '/api/v1/features/featurestates/:id/', tag, summary: 'Get any feature state', permission: 'VIEW_ENVIRONMENT', scope: stateScope, schema: { params: IdParam }, handler: async (r) => states.getFeatureState(r.ctx, r.scope.environment!, r.params.id) },
  ...(['PUT', 'PATCH'] as const).map((method) => ({
    method, url: '/api/v1/features/featurestates/:id/', tag, summary: 'Change any feature state', permission: 'UPDATE_FEATURE_STATE' as const, scope: stateScope,
    schema: { params: IdParam, body: StateUpdate },
    handler: async (r: AdminRequest) => {
      await checkOverridePermission(r, r.params.id);
      const scheduled = await scheduleIfFuture(r, r.params.id);
      if (scheduled) return scheduled;
      return states.updateFeatureState(r.ctx, scopeOf(r), r.params.id, updateInput(r.body, r.params.id), ifMatchVersion(r.headers));
    },
  })),
  {
    method: 'DELETE', url: '/api/v1/features/featurestates/:id/', tag, summary: 'Delete an override', permission: 'MANAGE_SEGMENT_OVERRIDES', scope: stateScope, schema: { params: IdParam }, status: 204,
    handler: async (r) => {
      await checkOverridePermission(r, r.params.id);
      return states.deleteFeatureState(r.ctx, scopeOf(r), r.params.id);
    },
  },
  {
    method: 'GET', url: '/api/v1/features/feature-segments/', tag: 'segment overrides', summary: 'List segment overrides of an environment in priority order', permission: 'VIEW_ENVIRONMENT', scope: (r) => ({ environment: r.query.environment }),
    schema: { querystring: strictObject({ environment: Type.Integer({ minimum: 1 }), feature: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    handler: async (r) => states.listFeatureSegments(r.ctx, scopeOf(r), r.query.feature),
  },
  {
    method: 'POST', url: '/api/v1/features/feature-segments/', tag: 'segment overrides', summary: 'Place a segment override (created off, with the default value)', permission: 'MANAGE_SEGMENT_OVERRIDES', scope: (r) => ({ environment: r.body.environment, feature: r.body.feature }),
    schema: { body: FeatureSegmentCreate },
    handler: async (r) => (await states.createSegmentOverride(r.ctx, scopeOf(r), { feature: r.body.feature, segment: r.body.segment, priority: r.body.priority })).featureSegment,
  },
  {
    method: 'POST', url: '/api/v1/features/feature-segments/update-priorities/', tag: 'segment overrides', summary: 'Reorder segment overrides (0 = first)', permission: 'MANAGE_SEGMENT_OVERRIDES',
    scope: (r) => ({ featureSegment: r.body[0]?.id ?? 0 }), status: 200,
    schema: { body: Type.Array(strictObject({ id: Type.Integer({ minimum: 1 }), priority: Type.Integer({ minimum: 0 }) }), { minItems: 1, maxItems: 500 }) },
    handler: async (r) => {
      // The scope names the first override's feature; a tag-limited grant must also reach every other one moved.
      for (const { id } of r.body.slice(1)) {
        const other = await resolveScope(r.ctx.store, { featureSegment: id }).catch(() => undefined);
        if (other && other.environmentId === r.scope.environmentId) await checkAccess(r.ctx.store, r.actor, 'MANAGE_SEGMENT_OVERRIDES', other);
      }
      return states.updatePriorities(r.ctx, scopeOf(r), r.body);
    },
  },
  {
    method: 'DELETE', url: '/api/v1/features/feature-segments/:id/', tag: 'segment overrides', summary: 'Delete a segment override', permission: 'MANAGE_SEGMENT_OVERRIDES', scope: (r) => ({ featureSegment: r.params.id }),
    schema: { params: IdParam }, status: 204,
    handler: async (r) => states.deleteFeatureSegment(r.ctx, scopeOf(r), r.params.id),
  },
]);
