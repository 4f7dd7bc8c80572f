// The tables of migration 0006 (SAML per organisation): configurations, keyed in URLs by their unique name, and their
// attribute mapping rows. Shapes are merged into the store's `Database` type here, beside their only users.
import type { Generated, Selectable } from 'kysely';
import type { Bool, Timestamp } from '../schema';
import { insertReturningId, toBool, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import { deleteDependents } from '../cascade';

export interface SamlConfigurationTable {
  id: Generated<number>;
  name: string;
  organisation_id: number;
  frontend_url: string;
  idp_metadata_xml: string | null;
  allow_idp_initiated: Bool;
  want_response_signed: Bool;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface SamlAttributeMappingTable {
  id: Generated<number>;
  saml_configuration_id: number;
  django_attribute_name: string;
  idp_attribute_name: string;
}

declare module '../schema' {
  interface Database {
    saml_configurations: SamlConfigurationTable;
    saml_attribute_mappings: SamlAttributeMappingTable;
  }
}

export interface SamlConfigurationRecord {
  id: number;
  name: string;
  organisationId: number;
  frontendUrl: string;
  idpMetadataXml: string | null;
  allowIdpInitiated: boolean;
  wantResponseSigned: boolean;
  createdAt: string | null;
  updatedAt: string | null;
}

export type SamlConfigurationFields = {
  frontendUrl: string;
  idpMetadataXml: string | null;
  allowIdpInitiated: boolean;
  wantResponseSigned: boolean;
};

export interface SamlAttributeMappingRecord {
  id: number;
  configurationId: number;
  localField: string;
  idpAttribute: string;
}

const toConfiguration = (row: Selectable<SamlConfigurationTable>): SamlConfigurationRecord => ({
  id: row.id,
  name: row.name,
  organisationId: row.organisation_id,
  frontendUrl: row.frontend_url,
  idpMetadataXml: row.idp_metadata_xml,
  allowIdpInitiated: toBool(row.allow_idp_initiated),
  wantResponseSigned: toBool(row.want_response_signed),
  createdAt: toIso(row.created_at),
  updatedAt: toIso(row.updated_at),
});

const toMapping = (row: Selectable<SamlAttributeMappingTable>): SamlAttributeMappingRecord => ({
  id: row.id,
  configurationId: row.saml_configuration_id,
  localField: row.django_attribute_name,
  idpAttribute: row.idp_attribute_name,
});

export async function findConfigurationByName(db: Executor, name: string): Promise<SamlConfigurationRecord | undefined> {
  const rows = await db.selectFrom('saml_configurations').selectAll().where('name', '=', name).execute();
  // Exact match: MySQL's default collation compares case-insensitively, URLs do not.
  const row = rows.find((r) => r.name === name);
  return row && toConfiguration(row);
}

export async function findConfigurationById(db: Executor, id: number): Promise<SamlConfigurationRecord | undefined> {
  const row = await db.selectFrom('saml_configurations').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toConfiguration(row);
}

/** Whether a configuration's name is taken, ignoring case (names differing only in case would collide on MySQL). */
export async function isConfigurationNameTaken(db: Executor, name: string): Promise<boolean> {
  const rows = await db.selectFrom('saml_configurations').select('name').execute();
  return rows.some((r) => r.name.toLowerCase() === name.toLowerCase());
}

/** Configurations of some organisations (`null`: of all), in creation order. */
export async function listConfigurations(db: Executor, organisationIds: number[] | null): Promise<SamlConfigurationRecord[]> {
  if (organisationIds !== null && organisationIds.length === 0) return [];
  let q = db.selectFrom('saml_configurations').selectAll().orderBy('id');
  if (organisationIds !== null) q = q.where('organisation_id', 'in', organisationIds);
  return (await q.execute()).map(toConfiguration);
}

export async function insertConfiguration(db: Executor, traits: EngineTraits, values: SamlConfigurationFields & { name: string; organisationId: number }): Promise<number> {
  const now = new Date();
  return insertReturningId(db, traits, 'saml_configurations', {
    name: values.name,
    organisation_id: values.organisationId,
    frontend_url: values.frontendUrl,
    idp_metadata_xml: values.idpMetadataXml,
    allow_idp_initiated: values.allowIdpInitiated,
    want_response_signed: values.wantResponseSigned,
    created_at: now,
    updated_at: now,
  });
}

export async function updateConfiguration(db: Executor, id: number, values: SamlConfigurationFields): Promise<void> {
  await db
    .updateTable('saml_configurations')
    .set({
      frontend_url: values.frontendUrl,
      idp_metadata_xml: values.idpMetadataXml,
      allow_idp_initiated: values.allowIdpInitiated,
      want_response_signed: values.wantResponseSigned,
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export async function deleteConfiguration(db: Executor, id: number): Promise<void> {
  // Its mapping rows: SQL Server may have no cascade for them (store/cascade.ts).
  await deleteDependents(db, 'saml_configurations', [id]);
  await db.deleteFrom('saml_configurations').where('id', '=', id).execute();
}

export async function findMapping(db: Executor, id: number): Promise<SamlAttributeMappingRecord | undefined> {
  const row = await db.selectFrom('saml_attribute_mappings').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toMapping(row);
}

/** Mapping rows of some configurations (`null`: of all). */
export async function listMappings(db: Executor, configurationIds: number[] | null): Promise<SamlAttributeMappingRecord[]> {
  if (configurationIds !== null && configurationIds.length === 0) return [];
  let q = db.selectFrom('saml_attribute_mappings').selectAll().orderBy('id');
  if (configurationIds !== null) q = q.where('saml_configuration_id', 'in', configurationIds);
  return (await q.execute()).map(toMapping);
}

export async function insertMapping(db: Executor, traits: EngineTraits, values: Omit<SamlAttributeMappingRecord, 'id'>): Promise<number> {
  return insertReturningId(db, traits, 'saml_attribute_mappings', {
    saml_configuration_id: values.configurationId,
    django_attribute_name: values.localField,
    idp_attribute_name: values.idpAttribute,
  });
}

export async function updateMapping(db: Executor, id: number, values: Omit<SamlAttributeMappingRecord, 'id'>): Promise<void> {
  await db
    .updateTable('saml_attribute_mappings')
    .set({ saml_configuration_id: values.configurationId, django_attribute_name: values.localField, idp_attribute_name: values.idpAttribute })
    .where('id', '=', id)
    .execute();
}

export async function deleteMapping(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('saml_attribute_mappings').where('id', '=', id).execute();
}

/** The organisation a configuration (by name or id) or a mapping row belongs to: what admin access is checked against. */
export async function organisationOfSamlObject(db: Executor, ref: { name: string } | { id: number } | { mapping: number }): Promise<number | undefined> {
  let q = db.selectFrom('saml_configurations').select('saml_configurations.organisation_id');
  if ('name' in ref) q = q.where('saml_configurations.name', '=', ref.name);
  else if ('id' in ref) q = q.where('saml_configurations.id', '=', ref.id);
  else {
    q = q
      .innerJoin('saml_attribute_mappings', 'saml_attribute_mappings.saml_configuration_id', 'saml_configurations.id')
      .where('saml_attribute_mappings.id', '=', ref.mapping);
  }
  return (await q.executeTakeFirst())?.organisation_id;
}
