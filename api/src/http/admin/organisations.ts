import { Type } from '@sinclair/typebox';
import { ValidationError } from '../../domain/errors';
import * as orgs from '../../services/organisations';
import * as apiKeys from '../../services/organisation-api-keys';
import { listAudit } from '../../services/audit';
import { defineRoutes } from '../admin-route';
import { DateTime, IdParam, Name, PageQuery, pageOf, strictObject } from './schemas';

const OrganisationBody = strictObject({
  name: Name,
  persist_trait_data: Type.Optional(Type.Boolean()),
  stop_serving_flags: Type.Optional(Type.Boolean()),
  feature_analytics: Type.Optional(Type.Boolean()),
  restrict_project_create_to_admin: Type.Optional(Type.Boolean()),
});
const OrganisationPatch = Type.Partial(OrganisationBody, { additionalProperties: false });
const Role = Type.Union([Type.Literal('ADMIN'), Type.Literal('USER')]);
const OrgUserParam = strictObject({ id: Type.Integer({ minimum: 1 }), user_id: Type.Integer({ minimum: 1 }) });
const OrgKeyParam = strictObject({ id: Type.Integer({ minimum: 1 }), key_id: Type.Integer({ minimum: 1 }) });

const base = '/api/v1/organisations';
const tag = 'organisations';
const orgScope = (r: { params: { id: number } }) => ({ organisation: r.params.id });

export const organisationRoutes = defineRoutes([
  { method: 'GET', url: `${base}/`, tag, summary: 'List your organisations', permission: 'AUTHENTICATED', handler: async (r) => orgs.listOrganisations(r.ctx) },
  {
    method: 'POST', url: `${base}/`, tag, summary: 'Create an organisation (you become its admin)', permission: 'AUTHENTICATED',
    schema: { body: OrganisationBody },
    handler: async (r) => {
      if (r.actor.type !== 'user') throw ValidationError.field('non_field_errors', 'Organisations are created by users, not API keys.');
      return orgs.createOrganisation(r.ctx, r.body);
    },
  },
  { method: 'GET', url: `${base}/:id/`, tag, summary: 'Get an organisation', permission: 'ORGANISATION_MEMBER', scope: orgScope, schema: { params: IdParam }, handler: async (r) => orgs.getOrganisation(r.ctx, r.params.id) },
  { method: 'PUT', url: `${base}/:id/`, tag, summary: 'Update an organisation', permission: 'ORGANISATION_ADMIN', scope: orgScope, schema: { params: IdParam, body: OrganisationBody }, handler: async (r) => orgs.updateOrganisation(r.ctx, r.params.id, r.body) },
  { method: 'PATCH', url: `${base}/:id/`, tag, summary: 'Update some settings of an organisation', permission: 'ORGANISATION_ADMIN', scope: orgScope, schema: { params: IdParam, body: OrganisationPatch }, handler: async (r) => orgs.updateOrganisation(r.ctx, r.params.id, r.body) },
  { method: 'DELETE', url: `${base}/:id/`, tag, summary: 'Delete an organisation and everything in it', permission: 'ORGANISATION_ADMIN', scope: orgScope, schema: { params: IdParam }, status: 204, handler: async (r) => orgs.deleteOrganisation(r.ctx, r.params.id) },
  { method: 'GET', url: `${base}/:id/users/`, tag, summary: 'List members', permission: 'ORGANISATION_MEMBER', scope: orgScope, schema: { params: IdParam }, handler: async (r) => orgs.listOrganisationUsers(r.ctx, r.params.id) },
  {
    method: 'POST', url: `${base}/:id/users/`, tag, summary: 'Add a member (creates the account if new)', permission: 'ORGANISATION_ADMIN', scope: orgScope,
    schema: {
      params: IdParam,
      body: strictObject({
        email: Type.String({ format: 'email', maxLength: 254 }),
        role: Type.Optional(Role),
        password: Type.Optional(Type.String({ maxLength: 128 })),
        first_name: Type.Optional(Type.String({ maxLength: 150 })),
        last_name: Type.Optional(Type.String({ maxLength: 150 })),
      }),
    },
    handler: async (r) => orgs.addOrganisationUser(r.ctx, r.params.id, { ...r.body, role: r.body.role ?? 'USER' }),
  },
  {
    method: 'POST', url: `${base}/:id/users/:user_id/update-role/`, tag, summary: "Change a member's role", permission: 'ORGANISATION_ADMIN', scope: orgScope,
    schema: { params: OrgUserParam, body: strictObject({ role: Role }) }, status: 200,
    handler: async (r) => orgs.updateOrganisationUserRole(r.ctx, r.params.id, r.params.user_id, r.body.role),
  },
  { method: 'DELETE', url: `${base}/:id/users/:user_id/`, tag, summary: 'Remove a member', permission: 'ORGANISATION_ADMIN', scope: orgScope, schema: { params: OrgUserParam }, status: 204, handler: async (r) => orgs.removeOrganisationUser(r.ctx, r.params.id, r.params.user_id) },
  { method: 'GET', url: `${base}/:id/master-api-keys/`, tag, summary: 'List organisation API keys', permission: 'ORGANISATION_ADMIN', scope: orgScope, schema: { params: IdParam }, handler: async (r) => apiKeys.listApiKeys(r.ctx, r.params.id) },
  {
    method: 'POST', url: `${base}/:id/master-api-keys/`, tag, summary: 'Create an organisation API key (shown once)', permission: 'ORGANISATION_ADMIN', scope: orgScope,
    schema: { params: IdParam, body: strictObject({ name: Type.String({ minLength: 1, maxLength: 200 }), is_admin: Type.Optional(Type.Boolean()), expiry_date: Type.Optional(Type.Union([DateTime, Type.Null()])) }) },
    handler: async (r) => apiKeys.createApiKey(r.ctx, r.params.id, r.body),
  },
  { method: 'DELETE', url: `${base}/:id/master-api-keys/:key_id/`, tag, summary: 'Revoke an organisation API key', permission: 'ORGANISATION_ADMIN', scope: orgScope, schema: { params: OrgKeyParam }, status: 204, handler: async (r) => apiKeys.revokeApiKey(r.ctx, r.params.id, r.params.key_id) },
  {
    method: 'GET', url: `${base}/:id/audit/`, tag, summary: "The organisation's audit log", permission: 'ORGANISATION_ADMIN', scope: orgScope,
    schema: { params: IdParam, querystring: strictObject({ ...PageQuery, search: Type.Optional(Type.String({ maxLength: 200 })) }) },
    handler: async (r) => listAudit(r.ctx, { organisationId: r.params.id, search: r.query.search }, pageOf(r.query), r.path),
  },
]);
