// OIDC/OAuth login providers configured through the admin API (issue 6 item 3), beside the env-configured ones
// (OIDC_<NAME>_*). The client secret is stored sealed with AES-256-GCM under FLAGSTACK_ENCRYPTION_KEY
// (auth/secret-box.ts), never in clear. A provider may name the organisation its new users join; deleting that
// organisation deletes the provider (store/cascade.ts). Portable per column-types.ts: identifiers ≤ 30 characters, the
// only unique column is NOT NULL, and the optional groups claim is nullable rather than ''.
import type { Migration } from 'kysely';
import type { Engine } from '../database-url';
import { columnTypes, type AnyDb } from './column-types';

export function oidcMigration(engine: Engine): Migration {
  const t = columnTypes(engine);
  return {
    async up(db: AnyDb) {
      await t.withId(db.schema.createTable('oidc_providers'))
        // URL-safe, lower case, immutable: part of the login and callback paths and of `oidc:<name>` identities.
        .addColumn('name', 'varchar(50)', (c) => c.notNull().unique())
        // 'oidc' (discovery, ID token) or 'github' (OAuth2, REST API)
        .addColumn('kind', 'varchar(10)', (c) => c.notNull())
        .addColumn('issuer', 'varchar(500)', (c) => c.notNull())
        .addColumn('client_id', 'varchar(255)', (c) => c.notNull())
        // `v1.<key id>.<iv>.<ciphertext>.<tag>`; NULL for a public client (PKCE only)
        .addColumn('client_secret', 'varchar(2000)')
        // space-separated
        .addColumn('scopes', 'varchar(1000)', (c) => c.notNull())
        .addColumn('email_claim', 'varchar(100)', (c) => c.notNull())
        .addColumn('first_name_claim', 'varchar(100)', (c) => c.notNull())
        .addColumn('last_name_claim', 'varchar(100)', (c) => c.notNull())
        .addColumn('groups_claim', 'varchar(100)')
        .addColumn('organisation_id', 'integer', (c) => c.references('organisations.id').onDelete('cascade'))
        .addColumn('allow_signup', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('oidc_providers_org_idx').on('oidc_providers').column('organisation_id').execute();
    },
    async down(db: AnyDb) {
      await db.schema.dropTable('oidc_providers').execute();
    },
  };
}
