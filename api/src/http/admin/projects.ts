import { Type } from '@sinclair/typebox';
import * as projects from '../../services/projects';
import * as features from '../../services/features';
import { listTags } from '../../store/repositories/features';
import { listAudit } from '../../services/audit';
import { defineRoutes } from '../admin-route';
import { IdParam, Name, PageQuery, pageOf, ProjectChildParam, ProjectParam, strictObject } from './schemas';

const ProjectSettings = {
  hide_disabled_flags: Type.Optional(Type.Boolean()),
  enable_realtime_updates: Type.Optional(Type.Boolean()),
  minimum_change_request_approvals: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
};
const ProjectCreate = strictObject({ name: Name, organisation: Type.Integer({ minimum: 1 }), ...ProjectSettings });
const ProjectUpdate = strictObject({ name: Name, organisation: Type.Optional(Type.Integer({ minimum: 1 })), ...ProjectSettings });
const ProjectPatch = strictObject({ name: Type.Optional(Name), ...ProjectSettings });
const TagBody = strictObject({
  label: Type.String({ minLength: 1, maxLength: 100 }),
  color: Type.Optional(Type.String({ maxLength: 10 })),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 512 }), Type.Null()])),
});

const tag = 'projects';
const projectScope = (r: { params: { id: number } }) => ({ project: r.params.id });
const parentScope = (r: { params: { project_pk: number } }) => ({ project: r.params.project_pk });

export const projectRoutes = defineRoutes([
  {
    method: 'GET', url: '/api/v1/projects/', tag, summary: 'List the projects you can see', permission: 'AUTHENTICATED',
    schema: { querystring: strictObject({ organisation: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    handler: async (r) => projects.listProjects(r.ctx, r.query.organisation),
  },
  {
    method: 'POST', url: '/api/v1/projects/', tag, summary: 'Create a project', permission: 'CREATE_PROJECT',
    scope: (r) => ({ organisation: r.body.organisation }), schema: { body: ProjectCreate },
    handler: async (r) => {
      const { organisation, ...input } = r.body;
      return projects.createProject(r.ctx, organisation, input);
    },
  },
  { method: 'GET', url: '/api/v1/projects/:id/', tag, summary: 'Get a project', permission: 'VIEW_PROJECT', scope: projectScope, schema: { params: IdParam }, handler: async (r) => r.scope.project },
  {
    method: 'PUT', url: '/api/v1/projects/:id/', tag, summary: 'Update a project', permission: 'PROJECT_ADMIN', scope: projectScope, schema: { params: IdParam, body: ProjectUpdate },
    handler: async (r) => {
      const { organisation: _ignored, ...input } = r.body;
      return projects.updateProject(r.ctx, r.params.id, input);
    },
  },
  { method: 'PATCH', url: '/api/v1/projects/:id/', tag, summary: 'Update some settings of a project', permission: 'PROJECT_ADMIN', scope: projectScope, schema: { params: IdParam, body: ProjectPatch }, handler: async (r) => projects.updateProject(r.ctx, r.params.id, r.body) },
  { method: 'DELETE', url: '/api/v1/projects/:id/', tag, summary: 'Delete a project', permission: 'PROJECT_ADMIN', scope: projectScope, schema: { params: IdParam }, status: 204, handler: async (r) => projects.deleteProject(r.ctx, r.params.id) },
  {
    method: 'GET', url: '/api/v1/projects/:id/audit/', tag, summary: "The project's audit log", permission: 'VIEW_AUDIT_LOG', scope: projectScope,
    schema: { params: IdParam, querystring: strictObject({ ...PageQuery, search: Type.Optional(Type.String({ maxLength: 200 })) }) },
    handler: async (r) => listAudit(r.ctx, { projectId: r.params.id, search: r.query.search }, pageOf(r.query), r.path),
  },
  { method: 'GET', url: '/api/v1/projects/:project_pk/tags/', tag: 'tags', summary: 'List tags', permission: 'VIEW_PROJECT', scope: parentScope, schema: { params: ProjectParam }, handler: async (r) => listTags(r.ctx.store.db, r.params.project_pk) },
  { method: 'POST', url: '/api/v1/projects/:project_pk/tags/', tag: 'tags', summary: 'Create a tag', permission: 'MANAGE_TAGS', scope: parentScope, schema: { params: ProjectParam, body: TagBody }, handler: async (r) => features.createTag(r.ctx, r.scope.project!, r.body) },
  { method: 'PUT', url: '/api/v1/projects/:project_pk/tags/:id/', tag: 'tags', summary: 'Update a tag', permission: 'MANAGE_TAGS', scope: parentScope, schema: { params: ProjectChildParam, body: TagBody }, handler: async (r) => features.updateTag(r.ctx, r.scope.project!, r.params.id, r.body) },
  { method: 'PATCH', url: '/api/v1/projects/:project_pk/tags/:id/', tag: 'tags', summary: 'Update some fields of a tag', permission: 'MANAGE_TAGS', scope: parentScope, schema: { params: ProjectChildParam, body: Type.Partial(TagBody, { additionalProperties: false }) }, handler: async (r) => features.updateTag(r.ctx, r.scope.project!, r.params.id, r.body) },
  { method: 'DELETE', url: '/api/v1/projects/:project_pk/tags/:id/', tag: 'tags', summary: 'Delete a tag', permission: 'MANAGE_TAGS', scope: parentScope, schema: { params: ProjectChildParam }, status: 204, handler: async (r) => features.deleteTag(r.ctx, r.scope.project!, r.params.id) },
]);
