// SAML configuration admin on Flagsmith's paths: /api/v1/auth/saml/configuration/ (keyed by name) and
// /api/v1/auth/saml/attribute-mapping/ (keyed by id). A configuration belongs to an organisation: its admins (role ADMIN,
// admin API keys) and instance admins manage it (ORGANISATION_ADMIN checked against the configuration's organisation).
// Lists answer only what the caller administers.
import { Type } from '@sinclair/typebox';
import * as saml from '../../services/saml/configs';
import { LOCAL_FIELDS } from '../../auth/saml/profile';
import { MAX_METADATA_CHARS } from '../../auth/saml/metadata';
import { defineRoutes } from '../admin-route';
import { strictObject } from './schemas';

const base = '/api/v1/auth/saml';
const tag = 'saml';

// URL-safe: the name goes into the entity ID and every SAML URL unescaped.
export const SamlName = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$' });
const NameParam = strictObject({ name: SamlName });
const IdParam = strictObject({ id: Type.Integer({ minimum: 1 }) });

const ConfigurationFields = {
  frontend_url: Type.String({ minLength: 1, maxLength: 1000 }),
  idp_metadata_xml: Type.Optional(Type.Union([Type.String({ maxLength: MAX_METADATA_CHARS }), Type.Null()])),
  allow_idp_initiated: Type.Optional(Type.Boolean()),
  want_response_signed: Type.Optional(Type.Boolean()),
  // Echoed back by clients that PUT what they read.
  id: Type.Optional(Type.Integer()),
};
const ConfigurationBody = strictObject({ name: SamlName, organisation: Type.Integer({ minimum: 1 }), ...ConfigurationFields });
const ConfigurationPut = strictObject({ name: Type.Optional(SamlName), organisation: Type.Optional(Type.Integer({ minimum: 1 })), ...ConfigurationFields });
const ConfigurationPatch = strictObject({
  name: Type.Optional(SamlName),
  organisation: Type.Optional(Type.Integer({ minimum: 1 })),
  frontend_url: Type.Optional(ConfigurationFields.frontend_url),
  idp_metadata_xml: ConfigurationFields.idp_metadata_xml,
  allow_idp_initiated: ConfigurationFields.allow_idp_initiated,
  want_response_signed: ConfigurationFields.want_response_signed,
  id: ConfigurationFields.id,
});

const LocalField = Type.Union(LOCAL_FIELDS.map((f) => Type.Literal(f)));
const IdpAttribute = Type.String({ minLength: 1, maxLength: 500 });
const MappingBody = strictObject({ saml_configuration: Type.Integer({ minimum: 1 }), django_attribute_name: LocalField, idp_attribute_name: IdpAttribute, id: Type.Optional(Type.Integer()) });
const MappingPatch = strictObject({
  saml_configuration: Type.Optional(Type.Integer({ minimum: 1 })),
  django_attribute_name: Type.Optional(LocalField),
  idp_attribute_name: Type.Optional(IdpAttribute),
  id: Type.Optional(Type.Integer()),
});

const byName = (r: { params: { name: string } }) => ({ samlConfiguration: r.params.name });
const byMapping = (r: { params: { id: number } }) => ({ samlAttributeMapping: r.params.id });

export const samlAdminRoutes = defineRoutes([
  {
    method: 'GET', url: `${base}/configuration/`, tag, summary: 'List the SAML configurations you administer (optionally of one organisation)', permission: 'AUTHENTICATED',
    schema: { querystring: strictObject({ organisation: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    handler: async (r) => saml.listConfigurations(r.ctx, r.query),
  },
  {
    method: 'POST', url: `${base}/configuration/`, tag, summary: 'Create a SAML configuration for an organisation', permission: 'ORGANISATION_ADMIN',
    scope: (r: { body: { organisation: number } }) => ({ organisation: r.body.organisation }),
    schema: { body: ConfigurationBody },
    handler: async (r) => saml.createConfiguration(r.ctx, r.body),
  },
  { method: 'GET', url: `${base}/configuration/:name/`, tag, summary: 'Get a SAML configuration', permission: 'ORGANISATION_ADMIN', scope: byName, schema: { params: NameParam }, handler: async (r) => saml.getConfiguration(r.ctx, r.params.name) },
  { method: 'PUT', url: `${base}/configuration/:name/`, tag, summary: 'Update a SAML configuration (name and organisation cannot change)', permission: 'ORGANISATION_ADMIN', scope: byName, schema: { params: NameParam, body: ConfigurationPut }, handler: async (r) => saml.updateConfiguration(r.ctx, r.params.name, r.body) },
  { method: 'PATCH', url: `${base}/configuration/:name/`, tag, summary: 'Update some fields of a SAML configuration', permission: 'ORGANISATION_ADMIN', scope: byName, schema: { params: NameParam, body: ConfigurationPatch }, handler: async (r) => saml.updateConfiguration(r.ctx, r.params.name, r.body) },
  { method: 'DELETE', url: `${base}/configuration/:name/`, tag, summary: 'Delete a SAML configuration and its attribute mappings', permission: 'ORGANISATION_ADMIN', scope: byName, schema: { params: NameParam }, status: 204, handler: async (r) => saml.deleteConfiguration(r.ctx, r.params.name) },
  {
    method: 'GET', url: `${base}/attribute-mapping/`, tag, summary: 'List the attribute mappings of the SAML configurations you administer', permission: 'AUTHENTICATED',
    schema: { querystring: strictObject({ saml_configuration: Type.Optional(Type.Integer({ minimum: 1 })) }) },
    handler: async (r) => saml.listMappings(r.ctx, r.query),
  },
  {
    method: 'POST', url: `${base}/attribute-mapping/`, tag, summary: 'Map a user field (email, first_name, last_name, groups) to an IdP attribute', permission: 'ORGANISATION_ADMIN',
    scope: (r: { body: { saml_configuration: number } }) => ({ samlConfigurationId: r.body.saml_configuration }),
    schema: { body: MappingBody },
    handler: async (r) => saml.createMapping(r.ctx, r.body),
  },
  { method: 'GET', url: `${base}/attribute-mapping/:id/`, tag, summary: 'Get an attribute mapping', permission: 'ORGANISATION_ADMIN', scope: byMapping, schema: { params: IdParam }, handler: async (r) => saml.getMapping(r.ctx, r.params.id) },
  { method: 'PUT', url: `${base}/attribute-mapping/:id/`, tag, summary: 'Update an attribute mapping', permission: 'ORGANISATION_ADMIN', scope: byMapping, schema: { params: IdParam, body: MappingBody }, handler: async (r) => saml.updateMapping(r.ctx, r.params.id, r.body) },
  { method: 'PATCH', url: `${base}/attribute-mapping/:id/`, tag, summary: 'Update some fields of an attribute mapping', permission: 'ORGANISATION_ADMIN', scope: byMapping, schema: { params: IdParam, body: MappingPatch }, handler: async (r) => saml.updateMapping(r.ctx, r.params.id, r.body) },
  { method: 'DELETE', url: `${base}/attribute-mapping/:id/`, tag, summary: 'Delete an attribute mapping', permission: 'ORGANISATION_ADMIN', scope: byMapping, schema: { params: IdParam }, status: 204, handler: async (r) => saml.deleteMapping(r.ctx, r.params.id) },
]);
