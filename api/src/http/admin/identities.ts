import { Type } from '@sinclair/typebox';
import * as identities from '../../services/identities';
import * as states from '../../services/feature-states';
import { NotFoundError } from '../../domain/errors';
import { defineRoutes, type AdminRequest } from '../admin-route';
import { FlagValueSchema, ifMatchVersion, PageQuery, pageOf, strictObject } from './schemas';

const EnvKey = Type.String({ minLength: 1, maxLength: 100 });
const IdentityParam = strictObject({ env_key: EnvKey, identity_pk: Type.Integer({ minimum: 1 }) });
const IdentityChildParam = strictObject({ env_key: EnvKey, identity_pk: Type.Integer({ minimum: 1 }), id: Type.Integer({ minimum: 1 }) });
const TraitBody = strictObject({
  trait_key: Type.String({ minLength: 1, maxLength: 200 }),
  trait_value: Type.Union([Type.String({ maxLength: 2000 }), Type.Number(), Type.Boolean()]),
  id: Type.Optional(Type.Integer()),
});
const OverrideBody = strictObject({
  feature: Type.Integer({ minimum: 1 }),
  enabled: Type.Optional(Type.Boolean()),
  feature_state_value: Type.Optional(FlagValueSchema),
  identity: Type.Optional(Type.Integer()),
  environment: Type.Optional(Type.Integer()),
});
const OverrideUpdate = strictObject({
  enabled: Type.Optional(Type.Boolean()),
  feature_state_value: Type.Optional(FlagValueSchema),
  version: Type.Optional(Type.Integer({ minimum: 1 })),
  feature: Type.Optional(Type.Integer()),
  identity: Type.Optional(Type.Integer()),
  environment: Type.Optional(Type.Integer()),
  id: Type.Optional(Type.Integer()),
});

const tag = 'identities';
const envScope = (r: { params: { env_key: string } }) => ({ environmentKey: r.params.env_key });
const scopeOf = (r: AdminRequest) => ({ project: r.scope.project!, environment: r.scope.environment! });

async function ownOverride(r: AdminRequest<unknown, unknown, { identity_pk: number; id: number }>) {
  const state = await states.getFeatureState(r.ctx, r.scope.environment!, r.params.id);
  if (state.identity !== r.params.identity_pk) throw new NotFoundError('Identity override', r.params.id);
  return state;
}

export const identityRoutes = defineRoutes([
  {
    method: 'GET', url: '/api/v1/environments/:env_key/identities/', tag, summary: 'List identities (q: search; "quoted" = exact)', permission: 'VIEW_IDENTITIES', scope: envScope,
    schema: { params: strictObject({ env_key: EnvKey }), querystring: strictObject({ ...PageQuery, q: Type.Optional(Type.String({ maxLength: 2000 })) }) },
    handler: async (r) => identities.listIdentities(r.ctx, r.scope.environment!, r.query.q, pageOf(r.query), r.path),
  },
  {
    method: 'POST', url: '/api/v1/environments/:env_key/identities/', tag, summary: 'Create an identity', permission: 'MANAGE_IDENTITIES', scope: envScope,
    schema: { params: strictObject({ env_key: EnvKey }), body: strictObject({ identifier: Type.String({ minLength: 1, maxLength: 2000 }), environment: Type.Optional(Type.Integer()) }) },
    handler: async (r) => identities.createIdentity(r.ctx, scopeOf(r), r.body.identifier),
  },
  { method: 'GET', url: '/api/v1/environments/:env_key/identities/:identity_pk/', tag, summary: 'Get an identity', permission: 'VIEW_IDENTITIES', scope: envScope, schema: { params: IdentityParam }, handler: async (r) => identities.getIdentity(r.ctx, r.scope.environment!, r.params.identity_pk) },
  { method: 'DELETE', url: '/api/v1/environments/:env_key/identities/:identity_pk/', tag, summary: 'Delete an identity, its traits and overrides', permission: 'MANAGE_IDENTITIES', scope: envScope, schema: { params: IdentityParam }, status: 204, handler: async (r) => identities.deleteIdentity(r.ctx, scopeOf(r), r.params.identity_pk) },
  { method: 'GET', url: '/api/v1/environments/:env_key/identities/:identity_pk/traits/', tag, summary: "List an identity's traits", permission: 'VIEW_IDENTITIES', scope: envScope, schema: { params: IdentityParam }, handler: async (r) => identities.listIdentityTraits(r.ctx, r.scope.environment!, r.params.identity_pk) },
  { method: 'POST', url: '/api/v1/environments/:env_key/identities/:identity_pk/traits/', tag, summary: 'Set a trait', permission: 'MANAGE_IDENTITIES', scope: envScope, schema: { params: IdentityParam, body: TraitBody }, handler: async (r) => identities.setIdentityTrait(r.ctx, scopeOf(r), r.params.identity_pk, r.body) },
  { method: 'DELETE', url: '/api/v1/environments/:env_key/identities/:identity_pk/traits/:id/', tag, summary: 'Delete a trait', permission: 'MANAGE_IDENTITIES', scope: envScope, schema: { params: IdentityChildParam }, status: 204, handler: async (r) => identities.deleteIdentityTrait(r.ctx, scopeOf(r), r.params.identity_pk, r.params.id) },
  {
    method: 'GET', url: '/api/v1/environments/:env_key/identities/:identity_pk/featurestates/', tag, summary: "List an identity's overrides", permission: 'VIEW_IDENTITIES', scope: envScope,
    schema: { params: IdentityParam, querystring: strictObject({ ...PageQuery }) },
    handler: async (r) => {
      await identities.getIdentity(r.ctx, r.scope.environment!, r.params.identity_pk);
      return (await states.listFeatureStates(r.ctx, r.scope.environment!, { identity: r.params.identity_pk }, { page: 1, pageSize: 1000 }, r.path)).results;
    },
  },
  { method: 'POST', url: '/api/v1/environments/:env_key/identities/:identity_pk/featurestates/', tag, summary: 'Override a flag for this identity', permission: 'MANAGE_IDENTITIES', scope: envScope, schema: { params: IdentityParam, body: OverrideBody }, handler: async (r) => states.createIdentityOverride(r.ctx, scopeOf(r), r.params.identity_pk, r.body) },
  { method: 'GET', url: '/api/v1/environments/:env_key/identities/:identity_pk/featurestates/:id/', tag, summary: 'Get an identity override', permission: 'VIEW_IDENTITIES', scope: envScope, schema: { params: IdentityChildParam }, handler: async (r) => ownOverride(r) },
  ...(['PUT', 'PATCH'] as const).map((method) => ({
    method, url: '/api/v1/environments/:env_key/identities/:identity_pk/featurestates/:id/', tag, summary: 'Change an identity override', permission: 'MANAGE_IDENTITIES' as const, scope: envScope,
    schema: { params: IdentityChildParam, body: OverrideUpdate },
    handler: async (r: AdminRequest) => {
      await ownOverride(r);
      return states.updateFeatureState(r.ctx, scopeOf(r), r.params.id, { enabled: r.body.enabled, feature_state_value: r.body.feature_state_value, version: r.body.version }, ifMatchVersion(r.headers));
    },
  })),
  {
    method: 'DELETE', url: '/api/v1/environments/:env_key/identities/:identity_pk/featurestates/:id/', tag, summary: 'Delete an identity override', permission: 'MANAGE_IDENTITIES', scope: envScope, schema: { params: IdentityChildParam }, status: 204,
    handler: async (r) => {
      await ownOverride(r);
      return states.deleteFeatureState(r.ctx, scopeOf(r), r.params.id);
    },
  },
]);
