// Role-based access control (FLAGSMITH-COMPAT.md §4.3, AUTH-NOTES.md §1.2): user groups with group admins, roles,
// and permission grants. A grant is one row whatever its principal (a user, a group or a role) and its level
// (organisation; project; environment): exactly one of user_id/group_id/role_id is set, project_id is set for project
// and environment grants, environment_id for environment grants. Its keys are rows of perm_grant_keys; tag_limited
// with rows of perm_grant_tags limits the tag-limitable keys to features carrying one of those tags. Roles are
// assigned to users, groups and organisation API keys.
//
// Portable: identifiers are at most 30 characters (Oracle), no engine-specific types (column-types.ts), no unique
// index over a nullable column (engines disagree on NULLs in unique indexes: the services enforce those).
import type { Migration } from 'kysely';
import type { Engine } from '../database-url';
import { columnTypes, type AnyDb } from './column-types';

export function rbacMigration(engine: Engine): Migration {
  const t = columnTypes(engine);
  const cascade = 'cascade' as const;
  return {
    async up(db: AnyDb) {
      await t.withId(db.schema.createTable('user_groups'))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete(cascade))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        // Matched against a SAML `groups` claim or an LDAP group (later); unique per organisation (enforced by the service).
        .addColumn('external_id', 'varchar(255)')
        // Every new member of the organisation joins the default groups.
        .addColumn('is_default', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('user_groups_org_idx').on('user_groups').columns(['organisation_id']).execute();

      await db.schema.createTable('user_group_members')
        .addColumn('group_id', 'integer', (c) => c.notNull().references('user_groups.id').onDelete(cascade))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete(cascade))
        .addColumn('group_admin', t.bool, (c) => c.notNull().defaultTo(false))
        .addPrimaryKeyConstraint('user_group_members_pk', ['group_id', 'user_id'])
        .execute();
      await db.schema.createIndex('user_group_members_user_idx').on('user_group_members').columns(['user_id']).execute();

      await t.withId(db.schema.createTable('roles'))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete(cascade))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('description', 'varchar(2000)')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('roles_org_idx').on('roles').columns(['organisation_id']).execute();

      await t.withId(db.schema.createTable('perm_grants'))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete(cascade))
        .addColumn('project_id', 'integer', (c) => c.references('projects.id').onDelete(cascade))
        .addColumn('environment_id', 'integer', (c) => c.references('environments.id').onDelete(cascade))
        .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete(cascade))
        .addColumn('group_id', 'integer', (c) => c.references('user_groups.id').onDelete(cascade))
        .addColumn('role_id', 'integer', (c) => c.references('roles.id').onDelete(cascade))
        .addColumn('is_admin', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('tag_limited', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('perm_grants_org_idx').on('perm_grants').columns(['organisation_id', 'project_id']).execute();
      await db.schema.createIndex('perm_grants_user_idx').on('perm_grants').columns(['user_id']).execute();
      await db.schema.createIndex('perm_grants_group_idx').on('perm_grants').columns(['group_id']).execute();
      await db.schema.createIndex('perm_grants_role_idx').on('perm_grants').columns(['role_id']).execute();

      await db.schema.createTable('perm_grant_keys')
        .addColumn('grant_id', 'integer', (c) => c.notNull().references('perm_grants.id').onDelete(cascade))
        .addColumn('perm_key', 'varchar(64)', (c) => c.notNull())
        .addPrimaryKeyConstraint('perm_grant_keys_pk', ['grant_id', 'perm_key'])
        .execute();

      // Deleting a tag removes it from grants limited to it; a limited grant whose tags are all gone applies to no
      // feature (tag_limited stays set), so deleting a tag never widens a grant.
      await db.schema.createTable('perm_grant_tags')
        .addColumn('grant_id', 'integer', (c) => c.notNull().references('perm_grants.id').onDelete(cascade))
        .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete(cascade))
        .addPrimaryKeyConstraint('perm_grant_tags_pk', ['grant_id', 'tag_id'])
        .execute();

      await t.withId(db.schema.createTable('role_users'))
        .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete(cascade))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete(cascade))
        .addUniqueConstraint('role_users_uq', ['role_id', 'user_id'])
        .execute();
      await db.schema.createIndex('role_users_user_idx').on('role_users').columns(['user_id']).execute();

      await t.withId(db.schema.createTable('role_groups'))
        .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete(cascade))
        .addColumn('group_id', 'integer', (c) => c.notNull().references('user_groups.id').onDelete(cascade))
        .addUniqueConstraint('role_groups_uq', ['role_id', 'group_id'])
        .execute();
      await db.schema.createIndex('role_groups_group_idx').on('role_groups').columns(['group_id']).execute();

      await t.withId(db.schema.createTable('role_api_keys'))
        .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete(cascade))
        .addColumn('api_key_id', 'integer', (c) => c.notNull().references('organisation_api_keys.id').onDelete(cascade))
        .addUniqueConstraint('role_api_keys_uq', ['role_id', 'api_key_id'])
        .execute();
      await db.schema.createIndex('role_api_keys_key_idx').on('role_api_keys').columns(['api_key_id']).execute();
    },
  };
}
