// The Kysely driver for node-oracledb in thin mode (pure JavaScript: no Oracle Client libraries). It owns the
// transaction bookkeeping node-oracledb leaves to the caller: outside a transaction every statement commits
// (autoCommit), inside one nothing commits until Kysely says so. It also converts values both ways:
// booleans are bound as 1/0, CLOBs are fetched as strings, and result keys come back in the store's spelling.
import type { CompiledQuery, DatabaseConnection, Driver, QueryResult, TransactionSettings } from 'kysely';
import { OracleBatch, OracleOutBind } from './compiler';
import { ORACLE_EMPTY_STRING_COLUMNS, storeName } from './identifiers';

// The small part of node-oracledb's API used here (the package ships no type declarations).
export interface OracleDbModule {
  OUT_FORMAT_OBJECT: number;
  BIND_OUT: number;
  NUMBER: unknown;
  STRING: unknown;
  DB_TYPE_CLOB: unknown;
  DB_TYPE_NCLOB: unknown;
  createPool(attrs: Record<string, unknown>): Promise<OraclePool>;
}

export interface OraclePool {
  getConnection(): Promise<OracleDbConnection>;
  close(drainTime?: number): Promise<void>;
}

export interface OracleExecuteResult {
  rows?: Array<Record<string, unknown>>;
  rowsAffected?: number;
  outBinds?: unknown[];
}

export interface OracleDbConnection {
  execute(sql: string, binds: unknown[], options: Record<string, unknown>): Promise<OracleExecuteResult>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): Promise<void>;
}

export interface OracleDriverConfig {
  oracledb: OracleDbModule;
  /** Creates the pool on first use (node-oracledb's createPool is asynchronous). */
  pool: () => Promise<OraclePool>;
}

export class OracleDriver implements Driver {
  private pool?: OraclePool;

  constructor(private readonly config: OracleDriverConfig) {}

  async init(): Promise<void> {
    this.pool = await this.config.pool();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new OracleConnection(await this.pool!.getConnection(), this.config.oracledb);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const c = connection as OracleConnection;
    c.inTransaction = true;
    if (settings.isolationLevel === 'serializable' || settings.isolationLevel === 'read committed') {
      await c.raw.execute(`set transaction isolation level ${settings.isolationLevel}`, [], {});
    } else if (settings.isolationLevel) {
      throw new Error(`Oracle: isolation level ${settings.isolationLevel} is not supported`);
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as OracleConnection;
    try {
      await c.raw.commit();
    } finally {
      c.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as OracleConnection;
    try {
      await c.raw.rollback();
    } finally {
      c.inTransaction = false;
    }
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as OracleConnection).raw.execute(`savepoint ${savepointName(name)}`, [], {});
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await (connection as OracleConnection).raw.execute(`rollback to savepoint ${savepointName(name)}`, [], {});
  }

  async releaseSavepoint(): Promise<void> {
    // Oracle has no RELEASE SAVEPOINT; savepoints end with the transaction.
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as OracleConnection;
    if (c.inTransaction) {
      c.inTransaction = false;
      await c.raw.rollback().catch(() => undefined);
    }
    await c.raw.close();
  }

  async destroy(): Promise<void> {
    await this.pool?.close(0);
    this.pool = undefined;
  }
}

function savepointName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,29}$/.test(name)) throw new Error(`Oracle: invalid savepoint name ${name}`);
  return name;
}

/** A bound value as node-oracledb takes it. */
export function toOracleBind(value: unknown): unknown {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** A result row with the store's keys. */
export function fromOracleRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) {
    const name = storeName(key);
    const value = row[key];
    out[name] = value === null && ORACLE_EMPTY_STRING_COLUMNS.has(name) ? '' : value;
  }
  return out;
}

/**
 * Raw SQL (sql`…`) bypasses the compiler, which gives builder queries without FROM a `from dual`: a raw
 * `select 1` (the readiness check's) gets the same here. Only raw SELECTs naming no table at all are touched.
 */
export function fromDualIfBare(compiled: CompiledQuery): string {
  const { sql } = compiled;
  return compiled.query.kind === 'RawNode' && /^\s*select\b/i.test(sql) && !/\bfrom\b/i.test(sql) ? `${sql.trimEnd()} from dual` : sql;
}

export class OracleConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    readonly raw: OracleDbConnection,
    private readonly oracledb: OracleDbModule,
  ) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const autoCommit = !this.inTransaction;
    const params = compiled.parameters;
    if (params.length === 1 && params[0] instanceof OracleBatch) {
      // One execute per row, committed together: executeMany would infer one bind type per column from the data,
      // and a long JSON text (CLOB) in one row must not depend on what the other rows hold.
      let affected = 0;
      try {
        for (const row of params[0].rows) affected += (await this.raw.execute(compiled.sql, row.map(toOracleBind), { autoCommit: false })).rowsAffected ?? 0;
        if (autoCommit) await this.raw.commit();
      } catch (error) {
        if (autoCommit) await this.raw.rollback().catch(() => undefined);
        throw error;
      }
      return { rows: [], numAffectedRows: BigInt(affected) };
    }
    const outKeys: string[] = [];
    const binds = params.map((p) => {
      if (!(p instanceof OracleOutBind)) return toOracleBind(p);
      outKeys.push(p.key);
      return p.type === 'number' ? { dir: this.oracledb.BIND_OUT, type: this.oracledb.NUMBER } : { dir: this.oracledb.BIND_OUT, type: this.oracledb.STRING, maxSize: 32767 };
    });
    const result = await this.raw.execute(fromDualIfBare(compiled), binds, {
      autoCommit,
      outFormat: this.oracledb.OUT_FORMAT_OBJECT,
      // CLOB and NCLOB columns (long text, JSON) as plain strings rather than LOB streams.
      fetchTypeHandler: (meta: { dbType?: unknown }) =>
        meta.dbType === this.oracledb.DB_TYPE_CLOB || meta.dbType === this.oracledb.DB_TYPE_NCLOB ? { type: this.oracledb.STRING } : undefined,
    });
    const numAffectedRows = result.rowsAffected === undefined ? undefined : BigInt(result.rowsAffected);
    if (outKeys.length > 0) {
      // `returning … into`: each out bind holds one value per affected row.
      const columns = (result.outBinds ?? []) as unknown[][];
      const count = Array.isArray(columns[0]) ? columns[0].length : 0;
      const rows: Array<Record<string, unknown>> = [];
      for (let i = 0; i < count; i++) rows.push(Object.fromEntries(outKeys.map((key, k) => [key, columns[k]![i]])));
      return { rows: rows as R[], numAffectedRows };
    }
    return { rows: (result.rows ?? []).map(fromOracleRow) as R[], numAffectedRows };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Oracle: streaming queries are not supported by this driver');
  }
}
