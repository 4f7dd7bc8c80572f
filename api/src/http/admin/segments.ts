import { Type } from '@sinclair/typebox';
import * as segments from '../../services/segments';
import { defineRoutes } from '../admin-route';
import { ifMatchVersion, Name, NullableString, PageQuery, pageOf, ProjectChildParam, ProjectParam, strictObject } from './schemas';

// Rules are validated by services/segments.ts, which names the exact path of a bad rule or condition.
const SegmentFields = {
  description: Type.Optional(NullableString(20_000)),
  feature: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.Null()])),
  rules: Type.Array(Type.Unknown(), { maxItems: 100 }),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  project: Type.Optional(Type.Integer()),
  id: Type.Optional(Type.Integer()),
  uuid: Type.Optional(Type.String()),
};
const SegmentBody = strictObject({ name: Name, ...SegmentFields });
const SegmentPatch = Type.Partial(SegmentBody, { additionalProperties: false });

const tag = 'segments';
const projectScope = (r: { params: { project_pk: number } }) => ({ project: r.params.project_pk });
const input = <T extends { project?: unknown; id?: unknown; uuid?: unknown }>(b: T) => {
  const { project: _p, id: _i, uuid: _u, ...rest } = b;
  return rest;
};

export const segmentRoutes = defineRoutes([
  {
    method: 'GET', url: '/api/v1/projects/:project_pk/segments/', tag, summary: 'List segments', permission: 'VIEW_PROJECT', scope: projectScope,
    schema: { params: ProjectParam, querystring: strictObject({ ...PageQuery, q: Type.Optional(Type.String({ maxLength: 200 })) }) },
    handler: async (r) => segments.listSegments(r.ctx, r.params.project_pk, r.query.q, pageOf(r.query), r.path),
  },
  { method: 'POST', url: '/api/v1/projects/:project_pk/segments/', tag, summary: 'Create a segment', permission: 'MANAGE_SEGMENTS', scope: projectScope, schema: { params: ProjectParam, body: SegmentBody }, handler: async (r) => segments.createSegment(r.ctx, r.scope.project!, input(r.body) as segments.SegmentInput) },
  { method: 'GET', url: '/api/v1/projects/:project_pk/segments/:id/', tag, summary: 'Get a segment', permission: 'VIEW_PROJECT', scope: projectScope, schema: { params: ProjectChildParam }, handler: async (r) => segments.getSegment(r.ctx, r.params.project_pk, r.params.id) },
  { method: 'PUT', url: '/api/v1/projects/:project_pk/segments/:id/', tag, summary: 'Replace a segment', permission: 'MANAGE_SEGMENTS', scope: projectScope, schema: { params: ProjectChildParam, body: SegmentBody }, handler: async (r) => segments.updateSegment(r.ctx, r.scope.project!, r.params.id, input(r.body), ifMatchVersion(r.headers)) },
  { method: 'PATCH', url: '/api/v1/projects/:project_pk/segments/:id/', tag, summary: 'Update some fields of a segment', permission: 'MANAGE_SEGMENTS', scope: projectScope, schema: { params: ProjectChildParam, body: SegmentPatch }, handler: async (r) => segments.updateSegment(r.ctx, r.scope.project!, r.params.id, input(r.body), ifMatchVersion(r.headers)) },
  { method: 'DELETE', url: '/api/v1/projects/:project_pk/segments/:id/', tag, summary: 'Delete a segment and its overrides', permission: 'MANAGE_SEGMENTS', scope: projectScope, schema: { params: ProjectChildParam }, status: 204, handler: async (r) => segments.deleteSegment(r.ctx, r.scope.project!, r.params.id) },
]);
