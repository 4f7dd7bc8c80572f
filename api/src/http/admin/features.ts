import { Type } from '@sinclair/typebox';
import * as features from '../../services/features';
import { listEvaluationCounts } from '../../store/repositories/analytics';
import { findEnvironment } from '../../store/repositories/environments';
import { ValidationError } from '../../domain/errors';
import { defineRoutes } from '../admin-route';
import { NullableString, PageQuery, pageOf, ProjectChildParam, ProjectParam, strictObject } from './schemas';

const OptionBody = strictObject({
  type: Type.Optional(Type.Union([Type.Literal('unicode'), Type.Literal('int'), Type.Literal('bool')])),
  string_value: Type.Optional(NullableString(20_000)),
  integer_value: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  boolean_value: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  default_percentage_allocation: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
});
const FeatureName = Type.String({ minLength: 1, maxLength: 255 });
const FeatureFields = {
  type: Type.Optional(Type.Union([Type.Literal('STANDARD'), Type.Literal('MULTIVARIATE')])),
  default_enabled: Type.Optional(Type.Boolean()),
  initial_value: Type.Optional(Type.Union([Type.String({ maxLength: 20_000 }), Type.Integer(), Type.Boolean(), Type.Null()])),
  description: Type.Optional(NullableString(20_000)),
  tags: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 100 })),
  is_server_key_only: Type.Optional(Type.Boolean()),
  is_archived: Type.Optional(Type.Boolean()),
  // Accepted (and ignored) so a Flagsmith dashboard payload does not fail on them.
  owners: Type.Optional(Type.Array(Type.Integer())),
  group_owners: Type.Optional(Type.Array(Type.Integer())),
};
const FeatureCreate = strictObject({ name: FeatureName, ...FeatureFields, multivariate_options: Type.Optional(Type.Array(OptionBody, { maxItems: 100 })) });
const FeatureUpdate = strictObject({ name: FeatureName, ...FeatureFields, project: Type.Optional(Type.Integer()) });
const FeaturePatch = strictObject({ name: Type.Optional(FeatureName), ...FeatureFields });
const OptionParam = strictObject({ project_pk: Type.Integer({ minimum: 1 }), feature_pk: Type.Integer({ minimum: 1 }), id: Type.Integer({ minimum: 1 }) });
const FeatureParam = strictObject({ project_pk: Type.Integer({ minimum: 1 }), feature_pk: Type.Integer({ minimum: 1 }) });

const tag = 'features';
const projectScope = (r: { params: { project_pk: number } }) => ({ project: r.params.project_pk });
const strip = <T extends { owners?: unknown; group_owners?: unknown; project?: unknown }>(b: T) => {
  const { owners: _o, group_owners: _g, project: _p, ...rest } = b;
  return rest;
};

export const featureRoutes = defineRoutes([
  {
    method: 'GET', url: '/api/v1/projects/:project_pk/features/', tag, summary: 'List features (paged; search, tags, is_archived)', permission: 'VIEW_PROJECT', scope: projectScope,
    schema: {
      params: ProjectParam,
      querystring: strictObject({ ...PageQuery, search: Type.Optional(Type.String({ maxLength: 255 })), tags: Type.Optional(Type.String({ pattern: '^\\d+(,\\d+)*$' })), is_archived: Type.Optional(Type.Boolean()), environment: Type.Optional(Type.Integer()) }),
    },
    handler: async (r) =>
      features.listFeatures(r.ctx, r.params.project_pk, { search: r.query.search, tags: r.query.tags?.split(',').map(Number), is_archived: r.query.is_archived }, pageOf(r.query), r.path),
  },
  { method: 'POST', url: '/api/v1/projects/:project_pk/features/', tag, summary: 'Create a feature (gets a state in every environment)', permission: 'CREATE_FEATURE', scope: projectScope, schema: { params: ProjectParam, body: FeatureCreate }, handler: async (r) => features.createFeature(r.ctx, r.scope.project!, strip(r.body) as features.FeatureInput) },
  { method: 'GET', url: '/api/v1/projects/:project_pk/features/:id/', tag, summary: 'Get a feature', permission: 'VIEW_PROJECT', scope: projectScope, schema: { params: ProjectChildParam }, handler: async (r) => features.getFeature(r.ctx, r.params.project_pk, r.params.id) },
  { method: 'PUT', url: '/api/v1/projects/:project_pk/features/:id/', tag, summary: 'Update a feature', permission: 'CREATE_FEATURE', scope: projectScope, schema: { params: ProjectChildParam, body: FeatureUpdate }, handler: async (r) => features.updateFeature(r.ctx, r.scope.project!, r.params.id, strip(r.body)) },
  { method: 'PATCH', url: '/api/v1/projects/:project_pk/features/:id/', tag, summary: 'Update some fields of a feature', permission: 'CREATE_FEATURE', scope: projectScope, schema: { params: ProjectChildParam, body: FeaturePatch }, handler: async (r) => features.updateFeature(r.ctx, r.scope.project!, r.params.id, strip(r.body)) },
  { method: 'DELETE', url: '/api/v1/projects/:project_pk/features/:id/', tag, summary: 'Delete a feature', permission: 'DELETE_FEATURE', scope: (r) => ({ project: r.params.project_pk, feature: r.params.id }), schema: { params: ProjectChildParam }, status: 204, handler: async (r) => features.deleteFeature(r.ctx, r.scope.project!, r.params.id) },
  {
    method: 'GET', url: '/api/v1/projects/:project_pk/features/:id/evaluation-data/', tag, summary: 'Evaluation counts per day from SDK analytics', permission: 'VIEW_PROJECT', scope: projectScope,
    schema: { params: ProjectChildParam, querystring: strictObject({ environment_id: Type.Integer({ minimum: 1 }), period: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) }) },
    handler: async (r) => {
      await features.getFeature(r.ctx, r.params.project_pk, r.params.id);
      const env = await findEnvironment(r.ctx.store.db, r.query.environment_id);
      if (!env || env.project !== r.params.project_pk) throw ValidationError.field('environment_id', 'No such environment in this project.');
      const from = new Date(Date.now() - (r.query.period ?? 30) * 86_400_000).toISOString().slice(0, 10);
      return listEvaluationCounts(r.ctx.store.db, env.id, r.params.id, from);
    },
  },
  { method: 'GET', url: '/api/v1/projects/:project_pk/features/:feature_pk/mv-options/', tag, summary: 'List variants', permission: 'VIEW_PROJECT', scope: projectScope, schema: { params: FeatureParam }, handler: async (r) => features.listOptions(r.ctx, r.scope.project!, r.params.feature_pk) },
  { method: 'POST', url: '/api/v1/projects/:project_pk/features/:feature_pk/mv-options/', tag, summary: 'Add a variant', permission: 'CREATE_FEATURE', scope: projectScope, schema: { params: FeatureParam, body: OptionBody }, handler: async (r) => features.createOption(r.ctx, r.scope.project!, r.params.feature_pk, r.body) },
  { method: 'PUT', url: '/api/v1/projects/:project_pk/features/:feature_pk/mv-options/:id/', tag, summary: 'Change a variant', permission: 'CREATE_FEATURE', scope: projectScope, schema: { params: OptionParam, body: strictObject({ ...OptionBody.properties, feature: Type.Optional(Type.Integer()), id: Type.Optional(Type.Integer()) }) }, handler: async (r) => { const { feature: _f, id: _i, ...body } = r.body; return features.updateOption(r.ctx, r.scope.project!, r.params.feature_pk, r.params.id, body); } },
  { method: 'PATCH', url: '/api/v1/projects/:project_pk/features/:feature_pk/mv-options/:id/', tag, summary: 'Change a variant', permission: 'CREATE_FEATURE', scope: projectScope, schema: { params: OptionParam, body: OptionBody }, handler: async (r) => features.updateOption(r.ctx, r.scope.project!, r.params.feature_pk, r.params.id, r.body) },
  { method: 'DELETE', url: '/api/v1/projects/:project_pk/features/:feature_pk/mv-options/:id/', tag, summary: 'Delete a variant', permission: 'CREATE_FEATURE', scope: projectScope, schema: { params: OptionParam }, status: 204, handler: async (r) => features.deleteOption(r.ctx, r.scope.project!, r.params.feature_pk, r.params.id) },
]);
