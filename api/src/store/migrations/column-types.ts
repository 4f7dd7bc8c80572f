// Portable column types: one name per concept, the engine's own type underneath.
import { sql, type ColumnDataType, type CreateTableBuilder, type Expression, type Kysely } from 'kysely';
import type { Engine } from '../database-url';

type DataType = ColumnDataType | Expression<unknown>;

export interface ColumnTypes {
  timestamp: DataType;
  longText: DataType;
  float: DataType;
  bool: DataType;
  /** Adds the auto-increment integer primary key `id`. */
  withId<T extends string>(table: CreateTableBuilder<T, never>): CreateTableBuilder<T, 'id'>;
}

export function columnTypes(engine: Engine): ColumnTypes {
  const pg = engine === 'postgres';
  const mysql = engine === 'mysql';
  return {
    timestamp: pg ? 'timestamptz' : mysql ? sql`datetime(3)` : 'text',
    longText: mysql ? sql`longtext` : 'text',
    float: pg ? 'double precision' : mysql ? sql`double` : 'real',
    bool: 'boolean',
    withId: (table) =>
      pg
        ? table.addColumn('id', 'serial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
  };
}

/** Kysely's Migrator hands migrations an untyped database; this is its name here. */
export type AnyDb = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
