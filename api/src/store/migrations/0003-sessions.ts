// Browser sessions of the admin UI (AUTH-NOTES.md §5): the SHA-256 of an opaque 32-byte id, the user, and the two
// expiries (idle: last_seen_at + SESSION_IDLE_MINUTES; absolute: expires_at). Identifiers stay within 30 characters
// and types come from column-types.ts, so the table ports to SQL Server and Oracle.
import type { Migration } from 'kysely';
import type { Engine } from '../database-url';
import { columnTypes, type AnyDb } from './column-types';

export function sessionsMigration(engine: Engine): Migration {
  const t = columnTypes(engine);
  return {
    async up(db: AnyDb) {
      await t.withId(db.schema.createTable('sessions'))
        .addColumn('key_hash', 'char(64)', (c) => c.notNull().unique())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('created_at', t.timestamp, (c) => c.notNull())
        .addColumn('last_seen_at', t.timestamp, (c) => c.notNull())
        .addColumn('expires_at', t.timestamp, (c) => c.notNull())
        .addColumn('ip', 'varchar(45)')
        .addColumn('user_agent', 'varchar(512)')
        .execute();
      await db.schema.createIndex('sessions_user_idx').on('sessions').column('user_id').execute();
      await db.schema.createIndex('sessions_expires_idx').on('sessions').column('expires_at').execute();
    },
    async down(db: AnyDb) {
      await db.schema.dropTable('sessions').execute();
    },
  };
}
