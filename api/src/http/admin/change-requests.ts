import { Type } from '@sinclair/typebox';
import * as workflows from '../../services/workflows/change-requests';
import { defineRoutes, type AdminRequest } from '../admin-route';
import { DateTime, FlagValueSchema, IdParam, NullableString, PageQuery, pageOf, ProjectChildParam, ProjectParam, strictObject } from './schemas';

const Weights = Type.Array(strictObject({ multivariate_feature_option: Type.Integer({ minimum: 1 }), percentage_allocation: Type.Number({ minimum: 0, maximum: 100 }) }), { maxItems: 100 });
const FeatureStateItem = strictObject({
  feature: Type.Integer({ minimum: 1 }),
  feature_segment: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  enabled: Type.Optional(Type.Boolean()),
  feature_state_value: Type.Optional(FlagValueSchema),
  multivariate_feature_state_values: Type.Optional(Weights),
  live_from: Type.Optional(Type.Union([DateTime, Type.Null()])),
});
const SegmentItem = strictObject({
  segment: Type.Integer({ minimum: 1 }),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  description: Type.Optional(NullableString(20_000)),
  rules: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 100 })),
});
const Reviewers = {
  approvals: Type.Optional(Type.Array(strictObject({ user: Type.Integer({ minimum: 1 }) }), { maxItems: 100 })),
  group_assignments: Type.Optional(Type.Array(strictObject({ group: Type.Integer({ minimum: 1 }) }), { maxItems: 100 })),
};
const Common = {
  title: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(NullableString(20_000)),
  live_from: Type.Optional(Type.Union([DateTime, Type.Null()])),
  ...Reviewers,
};
const EnvironmentCreate = strictObject({ ...Common, feature_states: Type.Array(FeatureStateItem, { minItems: 1, maxItems: 200 }) });
const EnvironmentUpdate = strictObject({ ...Common, title: Type.Optional(Common.title), feature_states: Type.Optional(Type.Array(FeatureStateItem, { minItems: 1, maxItems: 200 })), version: Type.Optional(Type.Integer({ minimum: 1 })) });
const ProjectCreate = strictObject({ ...Common, segments: Type.Array(SegmentItem, { minItems: 1, maxItems: 100 }) });
const ListQuery = strictObject({
  ...PageQuery,
  committed: Type.Optional(Type.Boolean()),
  feature_id: Type.Optional(Type.Integer({ minimum: 1 })),
  live_from_after: Type.Optional(DateTime),
  search: Type.Optional(Type.String({ maxLength: 200 })),
});

const tag = 'change requests';
const EnvKeyParam = strictObject({ env_key: Type.String({ minLength: 1, maxLength: 100 }) });
const envScope = (r: { params: { env_key: string } }) => ({ environmentKey: r.params.env_key });
/** A change request, with the features a change to it names (tag-limited grants must reach them all). */
const crScope = (r: { params: { id: number }; body?: { feature_states?: Array<{ feature: number }> } }) => ({ changeRequest: r.params.id, features: r.body?.feature_states?.map((f) => f.feature) });
const projectScope = (r: { params: { project_pk: number } }) => ({ project: r.params.project_pk });
const envOf = (r: AdminRequest) => ({ project: r.scope.project!, environment: r.scope.environment! });
const projectOf = (r: AdminRequest) => ({ project: r.scope.project! });
/** A change request's own scope: its environment, or its project for segment requests. */
const crOf = (r: AdminRequest) => ({ project: r.scope.project!, environment: r.scope.environment });

export const changeRequestRoutes = defineRoutes([
  {
    method: 'POST', url: '/api/v1/environments/:env_key/create-change-request/', tag, summary: 'Propose flag changes (optionally scheduled with live_from)', permission: 'CREATE_CHANGE_REQUEST',
    scope: (r) => ({ environmentKey: r.params.env_key, features: r.body.feature_states.map((f: { feature: number }) => f.feature) }),
    schema: { params: EnvKeyParam, body: EnvironmentCreate },
    handler: async (r) => workflows.createChangeRequest(r.ctx, envOf(r), r.body),
  },
  {
    method: 'GET', url: '/api/v1/environments/:env_key/list-change-requests/', tag, summary: 'List change requests (committed, feature_id, live_from_after, search)', permission: 'VIEW_ENVIRONMENT', scope: envScope,
    schema: { params: EnvKeyParam, querystring: ListQuery },
    handler: async (r) => workflows.listChangeRequests(r.ctx, envOf(r), r.query, pageOf(r.query), r.path),
  },
  {
    method: 'GET', url: '/api/v1/environments/:env_key/scheduled-changes/', tag, summary: 'Pending scheduled changes (committed, live_from in the future)', permission: 'VIEW_ENVIRONMENT', scope: envScope,
    schema: { params: EnvKeyParam, querystring: strictObject({ ...PageQuery }) },
    handler: async (r) => workflows.listChangeRequests(r.ctx, envOf(r), { committed: true, live_from_after: new Date().toISOString() }, pageOf(r.query), r.path),
  },
  { method: 'GET', url: '/api/v1/features/workflows/change-requests/:id/', tag, summary: 'Get a change request', permission: 'VIEW_ENVIRONMENT', scope: crScope, schema: { params: IdParam }, handler: async (r) => workflows.getChangeRequest(r.ctx, crOf(r), r.params.id) },
  ...(['PUT', 'PATCH'] as const).map((method) => ({
    method, url: '/api/v1/features/workflows/change-requests/:id/', tag, summary: 'Change an open change request (approvals are reset when its changes change)', permission: 'CREATE_CHANGE_REQUEST' as const, scope: crScope,
    schema: { params: IdParam, body: EnvironmentUpdate },
    handler: async (r: AdminRequest) => workflows.updateChangeRequest(r.ctx, crOf(r), r.params.id, r.body),
  })),
  { method: 'DELETE', url: '/api/v1/features/workflows/change-requests/:id/', tag, summary: 'Delete an open change request, or cancel a scheduled one', permission: 'CREATE_CHANGE_REQUEST', scope: crScope, schema: { params: IdParam }, status: 204, handler: async (r) => workflows.deleteChangeRequest(r.ctx, crOf(r), r.params.id) },
  { method: 'POST', url: '/api/v1/features/workflows/change-requests/:id/approve/', tag, summary: 'Approve (not your own)', permission: 'APPROVE_CHANGE_REQUEST', scope: crScope, schema: { params: IdParam }, status: 200, handler: async (r) => workflows.approveChangeRequest(r.ctx, crOf(r), r.params.id) },
  { method: 'POST', url: '/api/v1/features/workflows/change-requests/:id/commit/', tag, summary: 'Commit: publish now, or at live_from', permission: 'UPDATE_FEATURE_STATE', scope: crScope, schema: { params: IdParam }, status: 200, handler: async (r) => workflows.commitChangeRequest(r.ctx, crOf(r), r.params.id) },
  {
    method: 'POST', url: '/api/v1/projects/:project_pk/change-requests/', tag, summary: 'Propose segment changes', permission: 'CREATE_PROJECT_LEVEL_CHANGE_REQUESTS', scope: projectScope,
    schema: { params: ProjectParam, body: ProjectCreate },
    handler: async (r) => workflows.createChangeRequest(r.ctx, projectOf(r), r.body),
  },
  {
    method: 'GET', url: '/api/v1/projects/:project_pk/change-requests/', tag, summary: 'List project (segment) change requests', permission: 'VIEW_PROJECT', scope: projectScope,
    schema: { params: ProjectParam, querystring: ListQuery },
    handler: async (r) => workflows.listChangeRequests(r.ctx, projectOf(r), r.query, pageOf(r.query), r.path),
  },
  { method: 'GET', url: '/api/v1/projects/:project_pk/change-requests/:id/', tag, summary: 'Get a project change request', permission: 'VIEW_PROJECT', scope: projectScope, schema: { params: ProjectChildParam }, handler: async (r) => workflows.getChangeRequest(r.ctx, projectOf(r), r.params.id) },
  { method: 'DELETE', url: '/api/v1/projects/:project_pk/change-requests/:id/', tag, summary: 'Delete or cancel a project change request', permission: 'MANAGE_PROJECT_LEVEL_CHANGE_REQUESTS', scope: projectScope, schema: { params: ProjectChildParam }, status: 204, handler: async (r) => workflows.deleteChangeRequest(r.ctx, projectOf(r), r.params.id) },
  { method: 'POST', url: '/api/v1/projects/:project_pk/change-requests/:id/approve/', tag, summary: 'Approve a project change request', permission: 'APPROVE_PROJECT_LEVEL_CHANGE_REQUESTS', scope: projectScope, schema: { params: ProjectChildParam }, status: 200, handler: async (r) => workflows.approveChangeRequest(r.ctx, projectOf(r), r.params.id) },
  { method: 'POST', url: '/api/v1/projects/:project_pk/change-requests/:id/commit/', tag, summary: 'Commit a project change request', permission: 'MANAGE_PROJECT_LEVEL_CHANGE_REQUESTS', scope: projectScope, schema: { params: ProjectChildParam }, status: 200, handler: async (r) => workflows.commitChangeRequest(r.ctx, projectOf(r), r.params.id) },
]);
