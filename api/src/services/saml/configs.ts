// SAML configurations and their attribute mappings (Flagsmith's `saml/configuration/` and `saml/attribute-mapping/`).
// Organisation admins manage their own organisation's configurations, instance admins all of them; the route table
// checks that (http/admin/saml.ts), these functions keep lists to what the caller administers. A configuration's name
// and organisation never change: the name is in the URLs the IdP was given, and moving a configuration would hand
// its users to another organisation. Every change is audited; the metadata XML is audited by digest, not content.
import { createHash } from 'node:crypto';
import { NotFoundError, ValidationError } from '../../domain/errors';
import { MetadataError, parseIdpMetadata } from '../../auth/saml/metadata';
import { LOCAL_FIELDS, type LocalField } from '../../auth/saml/profile';
import { RESERVED_SAML_NAMES } from '../../auth/saml/urls';
import * as repo from '../../store/repositories/saml';
import { isUniqueViolation } from '../../store/errors';
import { accessView } from '../access';
import { write, type ServiceContext } from '../context';
import { deleteIdentitiesOfProviders } from '../../store/repositories/sign-in';

export interface SamlConfigurationView {
  id: number;
  name: string;
  organisation: number;
  frontend_url: string;
  idp_metadata_xml: string | null;
  allow_idp_initiated: boolean;
  want_response_signed: boolean;
}

export interface SamlConfigurationInput {
  name?: string;
  organisation?: number;
  frontend_url?: string;
  idp_metadata_xml?: string | null;
  allow_idp_initiated?: boolean;
  want_response_signed?: boolean;
}

export interface SamlAttributeMappingView {
  id: number;
  saml_configuration: number;
  django_attribute_name: LocalField;
  idp_attribute_name: string;
}

export interface SamlAttributeMappingInput {
  saml_configuration?: number;
  django_attribute_name?: LocalField;
  idp_attribute_name?: string;
}

const view = (c: repo.SamlConfigurationRecord): SamlConfigurationView => ({
  id: c.id,
  name: c.name,
  organisation: c.organisationId,
  frontend_url: c.frontendUrl,
  idp_metadata_xml: c.idpMetadataXml,
  allow_idp_initiated: c.allowIdpInitiated,
  want_response_signed: c.wantResponseSigned,
});

/** The audit form of a configuration: the metadata by SHA-256 (it is large and says nothing a digest does not). */
function audited(v: SamlConfigurationView): Record<string, unknown> {
  const { idp_metadata_xml: xml, ...rest } = v;
  return { ...rest, idp_metadata_sha256: xml === null ? null : createHash('sha256').update(xml).digest('hex') };
}

const mappingView = (m: repo.SamlAttributeMappingRecord): SamlAttributeMappingView => ({
  id: m.id,
  saml_configuration: m.configurationId,
  django_attribute_name: m.localField as LocalField,
  idp_attribute_name: m.idpAttribute,
});

/** The organisations whose configurations the caller administers (`null`: all). */
async function administeredOrganisations(ctx: ServiceContext): Promise<number[] | null> {
  const v = await accessView(ctx.store, ctx.actor);
  return v.all ? null : [...v.fullOrganisationIds];
}

function checkFrontendUrl(value: string): void {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw ValidationError.field('frontend_url', 'Enter a valid URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw ValidationError.field('frontend_url', 'Enter an http or https URL.');
}

function checkMetadata(xml: string | null | undefined): void {
  if (xml === null || xml === undefined) return;
  try {
    parseIdpMetadata(xml);
  } catch (error) {
    if (error instanceof MetadataError) throw ValidationError.field('idp_metadata_xml', error.message);
    throw error;
  }
}

async function configurationNamed(ctx: ServiceContext, name: string): Promise<repo.SamlConfigurationRecord> {
  const found = await repo.findConfigurationByName(ctx.store.db, name);
  if (!found) throw new NotFoundError('SAML configuration', name);
  return found;
}

export async function listConfigurations(ctx: ServiceContext, filter: { organisation?: number }): Promise<SamlConfigurationView[]> {
  const mine = await administeredOrganisations(ctx);
  const ids = filter.organisation === undefined ? mine : mine === null || mine.includes(filter.organisation) ? [filter.organisation] : [];
  return (await repo.listConfigurations(ctx.store.db, ids)).map(view);
}

export async function getConfiguration(ctx: ServiceContext, name: string): Promise<SamlConfigurationView> {
  return view(await configurationNamed(ctx, name));
}

export async function createConfiguration(ctx: ServiceContext, input: Required<Pick<SamlConfigurationInput, 'name' | 'organisation' | 'frontend_url'>> & SamlConfigurationInput): Promise<SamlConfigurationView> {
  if (RESERVED_SAML_NAMES.includes(input.name.toLowerCase())) throw ValidationError.field('name', `"${input.name}" is reserved; choose another name.`);
  checkFrontendUrl(input.frontend_url);
  checkMetadata(input.idp_metadata_xml);
  if (await repo.isConfigurationNameTaken(ctx.store.db, input.name)) throw ValidationError.field('name', 'A SAML configuration with this name already exists.');
  const values = {
    name: input.name,
    organisationId: input.organisation,
    frontendUrl: input.frontend_url,
    idpMetadataXml: input.idp_metadata_xml ?? null,
    allowIdpInitiated: input.allow_idp_initiated ?? false,
    wantResponseSigned: input.want_response_signed ?? false,
  };
  try {
    const id = await write(ctx, async (w) => {
      const id = await repo.insertConfiguration(w.trx, w.traits, values);
      const created = (await repo.findConfigurationById(w.trx, id))!;
      w.audit({ action: 'create', resourceType: 'saml_configuration', resourceId: id, organisationId: input.organisation, log: `SAML configuration created: ${input.name}`, after: audited(view(created)) });
      return id;
    });
    return view((await repo.findConfigurationById(ctx.store.db, id))!);
  } catch (error) {
    // Two creations of one name at once: the unique key decides.
    if (isUniqueViolation(error)) throw ValidationError.field('name', 'A SAML configuration with this name already exists.');
    throw error;
  }
}

/** PUT and PATCH: fields left out keep their value; `name` and `organisation` may be sent but not changed. */
export async function updateConfiguration(ctx: ServiceContext, name: string, input: SamlConfigurationInput): Promise<SamlConfigurationView> {
  const current = await configurationNamed(ctx, name);
  if (input.name !== undefined && input.name !== current.name) throw ValidationError.field('name', 'The name of a SAML configuration cannot change (it is part of the URLs the identity provider knows).');
  if (input.organisation !== undefined && input.organisation !== current.organisationId) throw ValidationError.field('organisation', 'The organisation of a SAML configuration cannot change.');
  if (input.frontend_url !== undefined) checkFrontendUrl(input.frontend_url);
  checkMetadata(input.idp_metadata_xml);
  const values: repo.SamlConfigurationFields = {
    frontendUrl: input.frontend_url ?? current.frontendUrl,
    idpMetadataXml: input.idp_metadata_xml === undefined ? current.idpMetadataXml : input.idp_metadata_xml,
    allowIdpInitiated: input.allow_idp_initiated ?? current.allowIdpInitiated,
    wantResponseSigned: input.want_response_signed ?? current.wantResponseSigned,
  };
  await write(ctx, async (w) => {
    await repo.updateConfiguration(w.trx, current.id, values);
    const after = (await repo.findConfigurationById(w.trx, current.id))!;
    w.audit({ action: 'update', resourceType: 'saml_configuration', resourceId: current.id, organisationId: current.organisationId, log: `SAML configuration updated: ${name}`, before: audited(view(current)), after: audited(view(after)) });
  });
  return getConfiguration(ctx, name);
}

export async function deleteConfiguration(ctx: ServiceContext, name: string): Promise<void> {
  const current = await configurationNamed(ctx, name);
  await write(ctx, async (w) => {
    await repo.deleteConfiguration(w.trx, current.id);
    // The account links it made go too: a configuration created later under this name must not inherit them.
    await deleteIdentitiesOfProviders(w.trx, [`saml:${name}`]);
    w.audit({ action: 'delete', resourceType: 'saml_configuration', resourceId: current.id, organisationId: current.organisationId, log: `SAML configuration deleted: ${name}`, before: audited(view(current)) });
  });
}

// -- attribute mappings -------------------------------------------------------------------------------------------

export async function listMappings(ctx: ServiceContext, filter: { saml_configuration?: number }): Promise<SamlAttributeMappingView[]> {
  const configurations = await repo.listConfigurations(ctx.store.db, await administeredOrganisations(ctx));
  const ids = configurations.map((c) => c.id).filter((id) => filter.saml_configuration === undefined || id === filter.saml_configuration);
  return (await repo.listMappings(ctx.store.db, ids)).map(mappingView);
}

async function mappingWithConfiguration(ctx: ServiceContext, id: number): Promise<{ mapping: repo.SamlAttributeMappingRecord; configuration: repo.SamlConfigurationRecord }> {
  const mapping = await repo.findMapping(ctx.store.db, id);
  if (!mapping) throw new NotFoundError('SAML attribute mapping', id);
  return { mapping, configuration: (await repo.findConfigurationById(ctx.store.db, mapping.configurationId))! };
}

export async function getMapping(ctx: ServiceContext, id: number): Promise<SamlAttributeMappingView> {
  return mappingView((await mappingWithConfiguration(ctx, id)).mapping);
}

function checkField(field: string): asserts field is LocalField {
  if (!(LOCAL_FIELDS as readonly string[]).includes(field)) throw ValidationError.field('django_attribute_name', `"${field}" is not a valid choice.`);
}

const DUPLICATE_FIELD = 'This configuration maps this attribute already; change that mapping instead.';

export async function createMapping(ctx: ServiceContext, input: Required<SamlAttributeMappingInput>): Promise<SamlAttributeMappingView> {
  checkField(input.django_attribute_name);
  const configuration = await repo.findConfigurationById(ctx.store.db, input.saml_configuration);
  if (!configuration) throw ValidationError.field('saml_configuration', 'Unknown SAML configuration.');
  const values = { configurationId: configuration.id, localField: input.django_attribute_name, idpAttribute: input.idp_attribute_name };
  if ((await repo.listMappings(ctx.store.db, [configuration.id])).some((m) => m.localField === values.localField)) throw ValidationError.field('django_attribute_name', DUPLICATE_FIELD);
  try {
    const id = await write(ctx, async (w) => {
      const id = await repo.insertMapping(w.trx, w.traits, values);
      w.audit({ action: 'create', resourceType: 'saml_attribute_mapping', resourceId: id, organisationId: configuration.organisationId, log: `SAML attribute mapping of ${configuration.name}: ${values.localField} <- ${values.idpAttribute}`, after: input });
      return id;
    });
    return getMapping(ctx, id);
  } catch (error) {
    if (isUniqueViolation(error)) throw ValidationError.field('django_attribute_name', DUPLICATE_FIELD);
    throw error;
  }
}

export async function updateMapping(ctx: ServiceContext, id: number, input: SamlAttributeMappingInput): Promise<SamlAttributeMappingView> {
  const { mapping, configuration } = await mappingWithConfiguration(ctx, id);
  // Moving a row to another configuration would need admin rights on that one too: delete and create instead.
  if (input.saml_configuration !== undefined && input.saml_configuration !== mapping.configurationId) {
    throw ValidationError.field('saml_configuration', 'A mapping cannot move to another configuration; create one there instead.');
  }
  const values = { configurationId: mapping.configurationId, localField: input.django_attribute_name ?? mapping.localField, idpAttribute: input.idp_attribute_name ?? mapping.idpAttribute };
  checkField(values.localField);
  const others = (await repo.listMappings(ctx.store.db, [configuration.id])).filter((m) => m.id !== id);
  if (others.some((m) => m.localField === values.localField)) throw ValidationError.field('django_attribute_name', DUPLICATE_FIELD);
  try {
    await write(ctx, async (w) => {
      await repo.updateMapping(w.trx, id, values);
      w.audit({
        action: 'update',
        resourceType: 'saml_attribute_mapping',
        resourceId: id,
        organisationId: configuration.organisationId,
        log: `SAML attribute mapping of ${configuration.name}: ${values.localField} <- ${values.idpAttribute}`,
        before: mappingView(mapping),
        after: mappingView({ id, ...values }),
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw ValidationError.field('django_attribute_name', DUPLICATE_FIELD);
    throw error;
  }
  return getMapping(ctx, id);
}

export async function deleteMapping(ctx: ServiceContext, id: number): Promise<void> {
  const { mapping, configuration } = await mappingWithConfiguration(ctx, id);
  await write(ctx, async (w) => {
    await repo.deleteMapping(w.trx, id);
    w.audit({ action: 'delete', resourceType: 'saml_attribute_mapping', resourceId: id, organisationId: configuration.organisationId, log: `SAML attribute mapping of ${configuration.name} removed: ${mapping.localField}`, before: mappingView(mapping) });
  });
}
