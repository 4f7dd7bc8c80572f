import { Type } from '@sinclair/typebox';
import * as envs from '../../services/environments';
import { listEnvironmentApiKeys } from '../../store/repositories/environments';
import { loadEffectiveSnapshot } from '../../services/sdk/effective-snapshot';
import { buildEnvironmentDocument } from '../../services/sdk/environment-document';
import { NotFoundError } from '../../domain/errors';
import { defineRoutes } from '../admin-route';
import { DateTime, EnvChildParam, EnvParam, Name, NullableString, strictObject } from './schemas';

const EnvironmentSettings = {
  description: Type.Optional(NullableString(20_000)),
  allow_client_traits: Type.Optional(Type.Boolean()),
  hide_sensitive_data: Type.Optional(Type.Boolean()),
  hide_disabled_flags: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  use_identity_composite_key_for_hashing: Type.Optional(Type.Boolean()),
  use_identity_overrides_in_local_eval: Type.Optional(Type.Boolean()),
  minimum_change_request_approvals: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.Null()])),
};
const EnvironmentCreate = strictObject({ name: Name, project: Type.Integer({ minimum: 1 }), ...EnvironmentSettings });
const EnvironmentUpdate = strictObject({ name: Name, project: Type.Optional(Type.Integer({ minimum: 1 })), ...EnvironmentSettings });
const EnvironmentPatch = strictObject({ name: Type.Optional(Name), ...EnvironmentSettings });
const ServerKeyCreate = strictObject({ name: Type.String({ minLength: 1, maxLength: 200 }), expires_at: Type.Optional(Type.Union([DateTime, Type.Null()])) });
const ServerKeyUpdate = strictObject({ name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), active: Type.Optional(Type.Boolean()), expires_at: Type.Optional(Type.Union([DateTime, Type.Null()])) });

const tag = 'environments';
const envScope = (r: { params: { env_key: string } }) => ({ environmentKey: r.params.env_key });

export const environmentRoutes = defineRoutes([
  {
    method: 'GET', url: '/api/v1/environments/', tag, summary: 'List environments (of a project)', permission: 'AUTHENTICATED',
    schema: { querystring: strictObject({ project: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    handler: async (r) => {
      const visible = await envs.listEnvironments(r.ctx);
      return r.query.project === undefined ? visible : visible.filter((e) => e.project === r.query.project);
    },
  },
  {
    method: 'POST', url: '/api/v1/environments/', tag, summary: 'Create an environment (gets a state for every feature)', permission: 'CREATE_ENVIRONMENT',
    scope: (r) => ({ project: r.body.project }), schema: { body: EnvironmentCreate },
    handler: async (r) => {
      const { project, ...input } = r.body;
      return envs.createEnvironment(r.ctx, r.scope.organisationId, project, input);
    },
  },
  { method: 'GET', url: '/api/v1/environments/:env_key/', tag, summary: 'Get an environment', permission: 'VIEW_ENVIRONMENT', scope: envScope, schema: { params: EnvParam }, handler: async (r) => r.scope.environment },
  {
    method: 'PUT', url: '/api/v1/environments/:env_key/', tag, summary: 'Update an environment', permission: 'ENVIRONMENT_ADMIN', scope: envScope, schema: { params: EnvParam, body: EnvironmentUpdate },
    handler: async (r) => {
      const { project: _ignored, ...input } = r.body;
      return envs.updateEnvironment(r.ctx, r.scope.organisationId, r.scope.environment!, input);
    },
  },
  { method: 'PATCH', url: '/api/v1/environments/:env_key/', tag, summary: 'Update some settings of an environment', permission: 'ENVIRONMENT_ADMIN', scope: envScope, schema: { params: EnvParam, body: EnvironmentPatch }, handler: async (r) => envs.updateEnvironment(r.ctx, r.scope.organisationId, r.scope.environment!, r.body) },
  { method: 'DELETE', url: '/api/v1/environments/:env_key/', tag, summary: 'Delete an environment', permission: 'ENVIRONMENT_ADMIN', scope: envScope, schema: { params: EnvParam }, status: 204, handler: async (r) => envs.deleteEnvironment(r.ctx, r.scope.organisationId, r.scope.environment!) },
  {
    method: 'GET', url: '/api/v1/environments/:env_key/document/', tag, summary: 'The environment document as local-evaluation SDKs see it', permission: 'VIEW_ENVIRONMENT', scope: envScope, schema: { params: EnvParam },
    handler: async (r) => {
      const snapshot = await loadEffectiveSnapshot(r.ctx.store.db, r.scope.environment!.id);
      if (!snapshot) throw new NotFoundError('Environment', r.params.env_key);
      return buildEnvironmentDocument(snapshot);
    },
  },
  { method: 'GET', url: '/api/v1/environments/:env_key/api-keys/', tag: 'server-side keys', summary: 'List server-side SDK keys (prefixes only)', permission: 'ENVIRONMENT_ADMIN', scope: envScope, schema: { params: EnvParam }, handler: async (r) => listEnvironmentApiKeys(r.ctx.store.db, r.scope.environment!.id) },
  { method: 'POST', url: '/api/v1/environments/:env_key/api-keys/', tag: 'server-side keys', summary: 'Create a server-side SDK key (shown once)', permission: 'ENVIRONMENT_ADMIN', scope: envScope, schema: { params: EnvParam, body: ServerKeyCreate }, handler: async (r) => envs.createServerKey(r.ctx, r.scope.organisationId, r.scope.environment!, r.body) },
  { method: 'PATCH', url: '/api/v1/environments/:env_key/api-keys/:id/', tag: 'server-side keys', summary: 'Rename, deactivate or set expiry of a server-side key', permission: 'ENVIRONMENT_ADMIN', scope: envScope, schema: { params: EnvChildParam, body: ServerKeyUpdate }, handler: async (r) => envs.updateServerKey(r.ctx, r.scope.organisationId, r.scope.environment!, r.params.id, r.body) },
  { method: 'PUT', url: '/api/v1/environments/:env_key/api-keys/:id/', tag: 'server-side keys', summary: 'Rename, deactivate or set expiry of a server-side key', permission: 'ENVIRONMENT_ADMIN', scope: envScope, schema: { params: EnvChildParam, body: ServerKeyUpdate }, handler: async (r) => envs.updateServerKey(r.ctx, r.scope.organisationId, r.scope.environment!, r.params.id, r.body) },
  { method: 'DELETE', url: '/api/v1/environments/:env_key/api-keys/:id/', tag: 'server-side keys', summary: 'Revoke a server-side key', permission: 'ENVIRONMENT_ADMIN', scope: envScope, schema: { params: EnvChildParam }, status: 204, handler: async (r) => envs.revokeServerKey(r.ctx, r.scope.organisationId, r.scope.environment!, r.params.id) },
]);
