// The core schema: organisations to identities, the audit log and analytics counts. Portable to all five engines
// (column-types.ts lists the rules); on SQL Server some cascades are NO ACTION (store/cascade.ts).
import type { Migration } from 'kysely';
import type { Engine } from '../database-url';
import { columnTypes, type AnyDb } from './column-types';

export function initialMigration(engine: Engine): Migration {
  const t = columnTypes(engine);
  const cascade = 'cascade' as const;
  return {
    async up(db: AnyDb) {
      await t.withId(db.schema.createTable('organisations'))
        .addColumn('name', 'varchar(2000)', (c) => c.notNull())
        .addColumn('persist_trait_data', t.bool, (c) => c.notNull().defaultTo(true))
        .addColumn('stop_serving_flags', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('feature_analytics', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('restrict_project_create_to_admin', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await t.withId(db.schema.createTable('users'))
        .addColumn('email', 'varchar(254)', (c) => c.notNull().unique())
        .addColumn('password_hash', 'varchar(255)')
        .addColumn('first_name', 'varchar(150)', (c) => t.notNullOrEmpty(c))
        .addColumn('last_name', 'varchar(150)', (c) => t.notNullOrEmpty(c))
        .addColumn('is_active', t.bool, (c) => c.notNull().defaultTo(true))
        .addColumn('is_superuser', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('auth_provider', 'varchar(50)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_login_at', t.timestamp)
        .execute();

      await db.schema.createTable('organisation_users')
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete(cascade))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete(cascade))
        .addColumn('role', 'varchar(10)', (c) => c.notNull())
        .addPrimaryKeyConstraint('organisation_users_pk', ['organisation_id', 'user_id'])
        .execute();

      await t.withId(db.schema.createTable('api_tokens'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete(cascade))
        .addColumn('key_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp)
        .execute();

      await t.withId(db.schema.createTable('organisation_api_keys'))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete(cascade))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('prefix', 'varchar(16)', (c) => c.notNull())
        .addColumn('key_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('is_admin', t.bool, (c) => c.notNull().defaultTo(true))
        .addColumn('revoked', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('expires_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await t.withId(db.schema.createTable('projects'))
        .addColumn('organisation_id', 'integer', (c) => c.notNull().references('organisations.id').onDelete(cascade))
        .addColumn('name', 'varchar(2000)', (c) => c.notNull())
        .addColumn('hide_disabled_flags', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('enable_realtime_updates', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('minimum_change_request_approvals', 'integer')
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await t.withId(db.schema.createTable('environments'))
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete(cascade))
        .addColumn('name', 'varchar(2000)', (c) => c.notNull())
        .addColumn('api_key', 'varchar(100)', (c) => c.notNull().unique())
        .addColumn('description', t.longText)
        .addColumn('allow_client_traits', t.bool, (c) => c.notNull().defaultTo(true))
        .addColumn('hide_sensitive_data', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('hide_disabled_flags', t.bool)
        .addColumn('use_identity_composite_key_for_hashing', t.bool, (c) => c.notNull().defaultTo(true))
        .addColumn('use_identity_overrides_in_local_eval', t.bool, (c) => c.notNull().defaultTo(true))
        .addColumn('minimum_change_request_approvals', 'integer')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await t.withId(db.schema.createTable('environment_api_keys'))
        .addColumn('environment_id', 'integer', (c) => c.notNull().references('environments.id').onDelete(cascade))
        .addColumn('name', 'varchar(200)', (c) => c.notNull())
        .addColumn('key_prefix', 'varchar(16)', (c) => c.notNull())
        .addColumn('key_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('active', t.bool, (c) => c.notNull().defaultTo(true))
        .addColumn('expires_at', t.timestamp)
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .execute();

      await t.withId(db.schema.createTable('features'))
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete(cascade))
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('type', 'varchar(20)', (c) => c.notNull())
        .addColumn('initial_value', t.longText)
        .addColumn('default_enabled', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('description', t.longText)
        .addColumn('is_server_key_only', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('is_archived', t.bool, (c) => c.notNull().defaultTo(false))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('features_project_name_uq', ['project_id', 'name'])
        .execute();

      await t.withId(db.schema.createTable('tags'))
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete(cascade))
        .addColumn('label', 'varchar(100)', (c) => c.notNull())
        .addColumn('color', 'varchar(10)', (c) => t.notNullOrEmpty(c))
        .addColumn('description', 'varchar(512)')
        .execute();

      await db.schema.createTable('feature_tags')
        .addColumn('feature_id', 'integer', (c) => c.notNull().references('features.id').onDelete(cascade))
        .addColumn('tag_id', 'integer', (c) => c.notNull().references('tags.id').onDelete(cascade))
        .addPrimaryKeyConstraint('feature_tags_pk', ['feature_id', 'tag_id'])
        .execute();

      await t.withId(db.schema.createTable('multivariate_options'))
        .addColumn('feature_id', 'integer', (c) => c.notNull().references('features.id').onDelete(cascade))
        .addColumn('value_json', t.longText, (c) => c.notNull())
        .addColumn('default_percentage_allocation', t.float, (c) => c.notNull())
        .execute();

      await t.withId(db.schema.createTable('segments'))
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete(cascade))
        .addColumn('uuid', 'char(36)', (c) => c.notNull().unique())
        .addColumn('name', 'varchar(2000)', (c) => c.notNull())
        .addColumn('description', t.longText)
        .addColumn('feature_id', 'integer', (c) => c.references('features.id').onDelete(cascade))
        .addColumn('rules_json', t.longText, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();

      await t.withId(db.schema.createTable('feature_segments'))
        .addColumn('feature_id', 'integer', (c) => c.notNull().references('features.id').onDelete(cascade))
        .addColumn('segment_id', 'integer', (c) => c.notNull().references('segments.id').onDelete(cascade))
        .addColumn('environment_id', 'integer', (c) => c.notNull().references('environments.id').onDelete(cascade))
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addUniqueConstraint('feature_segments_uq', ['feature_id', 'segment_id', 'environment_id'])
        .execute();

      await t.withId(db.schema.createTable('identities'))
        .addColumn('environment_id', 'integer', (c) => c.notNull().references('environments.id').onDelete(cascade))
        .addColumn('identifier', 'varchar(2000)', (c) => c.notNull())
        .addColumn('identifier_hash', 'char(64)', (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('identities_env_identifier_uq', ['environment_id', 'identifier_hash'])
        .execute();

      await t.withId(db.schema.createTable('feature_states'))
        .addColumn('uuid', 'char(36)', (c) => c.notNull().unique())
        .addColumn('feature_id', 'integer', (c) => c.notNull().references('features.id').onDelete(cascade))
        .addColumn('environment_id', 'integer', (c) => c.notNull().references('environments.id').onDelete(cascade))
        .addColumn('feature_segment_id', 'integer', (c) => c.references('feature_segments.id').onDelete(cascade))
        .addColumn('identity_id', 'integer', (c) => c.references('identities.id').onDelete(cascade))
        .addColumn('scope_key', 'varchar(40)', (c) => c.notNull())
        .addColumn('enabled', t.bool, (c) => c.notNull())
        .addColumn('value_json', t.longText)
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('live_from', t.timestamp, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('feature_states_scope_uq', ['feature_id', 'environment_id', 'scope_key'])
        .execute();
      await db.schema.createIndex('feature_states_env_idx').on('feature_states').columns(['environment_id', 'identity_id']).execute();

      await t.withId(db.schema.createTable('multivariate_state_values'))
        .addColumn('uuid', 'char(36)', (c) => c.notNull().unique())
        .addColumn('feature_state_id', 'integer', (c) => c.notNull().references('feature_states.id').onDelete(cascade))
        .addColumn('multivariate_option_id', 'integer', (c) => c.notNull().references('multivariate_options.id').onDelete(cascade))
        .addColumn('percentage_allocation', t.float, (c) => c.notNull())
        .addUniqueConstraint('mv_state_values_uq', ['feature_state_id', 'multivariate_option_id'])
        .execute();

      await t.withId(db.schema.createTable('traits'))
        .addColumn('identity_id', 'integer', (c) => c.notNull().references('identities.id').onDelete(cascade))
        .addColumn('trait_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('value_json', t.longText, (c) => c.notNull())
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addUniqueConstraint('traits_identity_key_uq', ['identity_id', 'trait_key'])
        .execute();

      await t.withId(db.schema.createTable('audit_log'))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('organisation_id', 'integer')
        .addColumn('project_id', 'integer')
        .addColumn('environment_id', 'integer')
        .addColumn('actor_type', 'varchar(20)', (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('actor_label', 'varchar(300)', (c) => c.notNull())
        .addColumn('action', 'varchar(64)', (c) => c.notNull())
        .addColumn('resource_type', 'varchar(64)', (c) => c.notNull())
        .addColumn('resource_id', 'varchar(64)')
        .addColumn('log', 'varchar(1000)', (c) => c.notNull())
        .addColumn('before_json', t.longText)
        .addColumn('after_json', t.longText)
        .addColumn('ip', 'varchar(64)')
        .execute();
      await db.schema.createIndex('audit_log_org_idx').on('audit_log').columns(['organisation_id', 'id']).execute();
      await db.schema.createIndex('audit_log_project_idx').on('audit_log').columns(['project_id', 'id']).execute();

      await db.schema.createTable('feature_evaluation_counts')
        .addColumn('environment_id', 'integer', (c) => c.notNull().references('environments.id').onDelete(cascade))
        .addColumn('feature_id', 'integer', (c) => c.notNull().references('features.id').onDelete(cascade))
        .addColumn('day', 'char(10)', (c) => c.notNull())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('feature_evaluation_counts_pk', ['environment_id', 'feature_id', 'day'])
        .execute();
    },
  };
}
