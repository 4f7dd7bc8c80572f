// Change requests (with approvals and reviewer assignments) and their items. A committed request whose live_from is
// in the future is a scheduled change: its items are published by the scheduler (or at commit when already due).
import type { Migration } from 'kysely';
import type { Engine } from '../database-url';
import { columnTypes, type AnyDb } from './column-types';

export function workflowsMigration(engine: Engine): Migration {
  const t = columnTypes(engine);
  const cascade = 'cascade' as const;
  return {
    async up(db: AnyDb) {
      await t.withId(db.schema.createTable('change_requests'))
        .addColumn('project_id', 'integer', (c) => c.notNull().references('projects.id').onDelete(cascade))
        // Null for a project-level (segment) change request.
        .addColumn('environment_id', 'integer', (c) => c.references('environments.id'))
        .addColumn('title', 'varchar(500)', (c) => c.notNull())
        .addColumn('description', t.longText)
        .addColumn('author_id', 'integer')
        .addColumn('author_label', 'varchar(300)', (c) => c.notNull())
        .addColumn('live_from', t.timestamp)
        .addColumn('committed_at', t.timestamp)
        .addColumn('committed_by', 'integer')
        .addColumn('published_at', t.timestamp)
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('updated_at', t.timestamp, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('cr_env_idx').on('change_requests').columns(['environment_id', 'committed_at']).execute();
      await db.schema.createIndex('cr_pending_idx').on('change_requests').columns(['published_at', 'live_from']).execute();

      await t.withId(db.schema.createTable('change_request_items'))
        .addColumn('change_request_id', 'integer', (c) => c.notNull().references('change_requests.id').onDelete(cascade))
        .addColumn('kind', 'varchar(20)', (c) => c.notNull())
        .addColumn('feature_id', 'integer')
        .addColumn('feature_segment_id', 'integer')
        .addColumn('segment_id', 'integer')
        // The change itself, as JSON text: a feature state's enabled/value/weights, or a segment's new fields.
        .addColumn('payload_json', t.longText, (c) => c.notNull())
        .execute();

      await t.withId(db.schema.createTable('change_request_approvals'))
        .addColumn('change_request_id', 'integer', (c) => c.notNull().references('change_requests.id').onDelete(cascade))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete(cascade))
        // Null while the user is only an assigned reviewer.
        .addColumn('approved_at', t.timestamp)
        .addUniqueConstraint('cr_approvals_uq', ['change_request_id', 'user_id'])
        .execute();

      await t.withId(db.schema.createTable('change_request_groups'))
        .addColumn('change_request_id', 'integer', (c) => c.notNull().references('change_requests.id').onDelete(cascade))
        .addColumn('group_id', 'integer', (c) => c.notNull())
        .addUniqueConstraint('cr_groups_uq', ['change_request_id', 'group_id'])
        .execute();
    },
  };
}
