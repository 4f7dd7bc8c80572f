// SAML 2.0 per organisation (issue 6 item 2; AUTH-NOTES.md §1.4): one row per configuration — its globally unique,
// immutable `name` is part of every SAML URL and of the SP entity ID — and the optional attribute mapping rows that
// tell flagstack which IdP attribute carries the email, the names and the groups (Entra ID's claims are namespaced
// URIs, so the defaults do not always fit). Portable per column-types.ts: identifiers ≤ 30 characters, no unique index
// over a nullable column, every foreign key listed in store/cascade.ts.
import type { Migration } from 'kysely';
import type { Engine } from '../database-url';
import { columnTypes, type AnyDb } from './column-types';

export function samlMigration(engine: Engine): Migration {
  const t = columnTypes(engine);
  return {
    async up(db: AnyDb) {
      await t.withId(db.schema.createTable('saml_configurations'))
        // URL-safe ([A-Za-z0-9_-]); unique over the instance, not per organisation: it alone names the config in URLs.
        .addColumn('name', 'varchar(100)', (c) => c.notNull())
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete('cascade'))
        .addColumn('frontend_url', 'varchar(1000)', (c) => c.notNull())
        // The IdP's metadata as uploaded; parsed at every write (to refuse bad uploads) and at every login.
        .addColumn('idp_metadata_xml', t.longText)
        .addColumn('allow_idp_initiated', t.bool, (c) => c.notNull())
        .addColumn('want_response_signed', t.bool, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('saml_configurations_name_uq', ['name'])
        .execute();
      await db.schema.createIndex('saml_configurations_org_idx').on('saml_configurations').column('organisation_id').execute();

      await t.withId(db.schema.createTable('saml_attribute_mappings'))
        .addColumn('saml_configuration_id', 'integer', (c) => c.notNull().references('saml_configurations.id').onDelete('cascade'))
        // email | first_name | last_name | groups (Flagsmith's field names)
        .addColumn('django_attribute_name', 'varchar(20)', (c) => c.notNull())
        .addColumn('idp_attribute_name', 'varchar(500)', (c) => c.notNull())
        // One IdP attribute per local field and configuration.
        .addUniqueConstraint('saml_attr_mappings_field_uq', ['saml_configuration_id', 'django_attribute_name'])
        .execute();
    },
    async down(db: AnyDb) {
      await db.schema.dropTable('saml_attribute_mappings').execute();
      await db.schema.dropTable('saml_configurations').execute();
    },
  };
}
