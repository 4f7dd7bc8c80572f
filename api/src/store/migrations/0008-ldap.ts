// LDAP group mirroring (issue 6 item 4): a group created from LDAP_SYNCED_GROUPS remembers the directory group it
// mirrors in `ldap_dn`; login and `flagstack sync-ldap-users-and-groups` touch only groups that have one.
// Portable per column-types.ts: nullable, so no unique index (engines disagree on NULLs in unique indexes); the
// service keeps one group per DN (compared in normalised form, which an index could not do anyway).
import type { Migration } from 'kysely';
import type { Engine } from '../database-url';
import type { AnyDb } from './column-types';

export function ldapMigration(_engine: Engine): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema.alterTable('user_groups').addColumn('ldap_dn', 'varchar(1000)').execute();
    },
    async down(db: AnyDb) {
      await db.schema.alterTable('user_groups').dropColumn('ldap_dn').execute();
    },
  };
}
