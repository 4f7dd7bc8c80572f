// Dialects that compile but never connect (Kysely's DummyDriver): `Kysely#compile()` on every query, for tests and
// for `flagstack` tooling that shows SQL. They load no database driver.
import { DummyDriver, Kysely, MssqlAdapter, MssqlIntrospector, type Dialect } from 'kysely';
import { FlagstackMssqlQueryCompiler } from './mssql-compiler';
import { OracleAdapter } from './oracle/adapter';
import { OracleQueryCompiler } from './oracle/compiler';
import { OracleIntrospector } from './oracle/introspector';

export function compileOnlyDialect(engine: 'mssql' | 'oracle'): Dialect {
  return engine === 'mssql'
    ? {
        createAdapter: () => new MssqlAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new MssqlIntrospector(db),
        createQueryCompiler: () => new FlagstackMssqlQueryCompiler(),
      }
    : {
        createAdapter: () => new OracleAdapter(),
        createDriver: () => new DummyDriver(),
        createIntrospector: (db) => new OracleIntrospector(db),
        createQueryCompiler: () => new OracleQueryCompiler(),
      };
}

export function compileOnlyDb<DB>(engine: 'mssql' | 'oracle'): Kysely<DB> {
  return new Kysely<DB>({ dialect: compileOnlyDialect(engine) });
}
