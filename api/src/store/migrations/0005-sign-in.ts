// What every sign-in method shares (issue 6): links from a local user to an outside identity (SAML subject, OIDC
// `sub`, LDAP username), the transient state of redirect flows (SAML request ids, OIDC state/nonce/PKCE verifier)
// kept server-side so every instance can consume it exactly once, and the failure counters of login throttling
// (in the database, so all containers and functions count together). Portable per column-types.ts.
import type { Migration } from 'kysely';
import type { Engine } from '../database-url';
import { columnTypes, type AnyDb } from './column-types';

export function signInMigration(engine: Engine): Migration {
  const t = columnTypes(engine);
  return {
    async up(db: AnyDb) {
      await t.withId(db.schema.createTable('user_identities'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        // 'ldap', 'oidc:<name>', 'saml:<configuration name>'
        .addColumn('provider', 'varchar(150)', (c) => c.notNull())
        .addColumn('subject', 'varchar(255)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_login_at', t.timestamp)
        .addUniqueConstraint('user_identities_subject_uq', ['provider', 'subject'])
        .execute();
      await db.schema.createIndex('user_identities_user_idx').on('user_identities').column('user_id').execute();

      await t.withId(db.schema.createTable('auth_flows'))
        // SHA-256 of the state / request id: a leaked table does not let anyone finish someone else's flow.
        .addColumn('key_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('provider', 'varchar(150)', (c) => c.notNull())
        .addColumn('payload', t.longText, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('auth_flows_expires_idx').on('auth_flows').column('expires_at').execute();

      await db.schema.createTable('login_throttle')
        // 'account:<lower-case login>' or 'ip:<address>'
        .addColumn('bucket', 'varchar(300)', (c) => c.notNull().primaryKey())
        .addColumn('failures', 'integer', (c) => c.notNull())
        .addColumn('window_start', t.timestamp, (c) => c.notNull())
        .addColumn('blocked_until', t.timestamp)
        .execute();
    },
    async down(db: AnyDb) {
      await db.schema.dropTable('login_throttle').execute();
      await db.schema.dropTable('auth_flows').execute();
      await db.schema.dropTable('user_identities').execute();
    },
  };
}
