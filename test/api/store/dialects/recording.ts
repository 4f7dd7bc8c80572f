// A Kysely whose driver records every compiled query instead of sending it: the SQL Server or Oracle compiler and
// adapter, no database. Queries answer with `respond` (default: one row `{ id: 1, n: 0 }` and one affected row), so
// repository functions run to completion and every statement they issue can be asserted.
import {
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  type RootOperationNode,
} from 'kysely';
import { compileOnlyDialect } from '../../../../api/src/store/dialects/compile-only';
import type { Engine } from '../../../../api/src/store/database-url';
import type { Database } from '../../../../api/src/store/schema';
import { engineTraits, type EngineTraits } from '../../../../api/src/store/connect';

export type DialectName = 'mssql' | 'oracle';

export interface Recorded {
  sql: string;
  parameters: readonly unknown[];
  node: RootOperationNode;
}

/** Kysely's own compilers for the three engines that run here, with no driver. */
function baseDialect(engine: Engine): Omit<Dialect, 'createDriver'> {
  switch (engine) {
    case 'mssql':
    case 'oracle':
      return compileOnlyDialect(engine);
    case 'postgres':
      return { createAdapter: () => new PostgresAdapter(), createIntrospector: (db) => new PostgresIntrospector(db), createQueryCompiler: () => new PostgresQueryCompiler() };
    case 'mysql':
      return { createAdapter: () => new MysqlAdapter(), createIntrospector: (db) => new MysqlIntrospector(db), createQueryCompiler: () => new MysqlQueryCompiler() };
    case 'sqlite':
      return { createAdapter: () => new SqliteAdapter(), createIntrospector: (db) => new SqliteIntrospector(db), createQueryCompiler: () => new SqliteQueryCompiler() };
  }
}

export interface RecordingDb {
  db: Kysely<Database>;
  traits: EngineTraits;
  queries: Recorded[];
  /** The SQL of every recorded query, then forgets them. */
  take(): Recorded[];
  sqls(): string[];
}

export function recordingDb(engine: Engine, respond: (q: CompiledQuery) => QueryResult<unknown> = () => ({ rows: [{ id: 1, n: 0 }], numAffectedRows: 1n })): RecordingDb {
  const queries: Recorded[] = [];
  const base = baseDialect(engine);
  const connection: DatabaseConnection = {
    executeQuery: async <R,>(q: CompiledQuery) => {
      queries.push({ sql: q.sql, parameters: q.parameters, node: q.query });
      return respond(q) as QueryResult<R>;
    },
    streamQuery: async function* () {
      throw new Error('not recorded');
    },
  };
  const driver: Driver = {
    init: async () => undefined,
    acquireConnection: async () => connection,
    beginTransaction: async () => undefined,
    commitTransaction: async () => undefined,
    rollbackTransaction: async () => undefined,
    releaseConnection: async () => undefined,
    destroy: async () => undefined,
  };
  const dialect: Dialect = { ...base, createDriver: () => driver, createAdapter: base.createAdapter, createQueryCompiler: base.createQueryCompiler, createIntrospector: base.createIntrospector };
  return {
    db: new Kysely<Database>({ dialect }),
    traits: engineTraits(engine),
    queries,
    take: () => queries.splice(0, queries.length),
    sqls: () => queries.splice(0, queries.length).map((q) => q.sql),
  };
}
