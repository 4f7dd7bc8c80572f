// The Oracle dialect: the driver (node-oracledb thin mode) plus the adapter, compiler and introspector, which need
// no driver and serve the compiled-SQL tests with Kysely's DummyDriver.
import type { DatabaseIntrospector, Dialect, DialectAdapter, Driver, Kysely, QueryCompiler } from 'kysely';
import { OracleAdapter } from './adapter';
import { OracleQueryCompiler } from './compiler';
import { OracleDriver, type OracleDriverConfig } from './driver';
import { OracleIntrospector } from './introspector';

export class OracleDialect implements Dialect {
  constructor(private readonly config: OracleDriverConfig) {}

  createDriver(): Driver {
    return new OracleDriver(this.config);
  }

  createQueryCompiler(): QueryCompiler {
    return new OracleQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new OracleAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector { // eslint-disable-line @typescript-eslint/no-explicit-any
    return new OracleIntrospector(db);
  }
}
