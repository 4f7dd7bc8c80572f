// better-sqlite3 binds only numbers, strings, bigints, buffers and null. The store writes booleans and Dates like the
// server engines do, so this wrapper converts them on the way in; it also reuses prepared statements, which saves a
// parse per query on the hot identity path.
import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

const STATEMENT_CACHE_SIZE = 500;

function toSqliteValue(value: unknown): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value;
}

function toSqliteParams(params: ReadonlyArray<unknown>): unknown[] {
  return params.map(toSqliteValue);
}

/**
 * How long a statement waits synchronously for another connection's lock. better-sqlite3 blocks the thread while it
 * waits, so a long wait would also stop the other connection in this process from finishing: keep it short and let
 * Store.write retry busy transactions asynchronously instead.
 */
const BUSY_TIMEOUT_MS = 50;

export function isSqliteBusy(error: unknown): boolean {
  const code = (error as { code?: string } | null)?.code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || code === 'SQLITE_BUSY_SNAPSHOT';
}

export function wrapSqlite(db: BetterSqlite3.Database): SqliteDatabase {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string): BetterSqlite3.Statement => {
    let stmt = statements.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql);
      if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value as string);
      statements.set(sql, stmt);
    }
    return stmt;
  };
  return {
    close: () => {
      statements.clear();
      db.close();
    },
    prepare: (sql: string): SqliteStatement => {
      // A deferred transaction that reads before it writes cannot take the write lock while another connection
      // writes (SQLite answers "database is locked" at once, ignoring busy_timeout); IMMEDIATE takes it up front and
      // waits its turn instead.
      const stmt = prepare(sql === 'begin' ? 'begin immediate' : sql);
      return {
        reader: stmt.reader,
        all: (params: ReadonlyArray<unknown>) => stmt.all(...toSqliteParams(params)),
        run: (params: ReadonlyArray<unknown>) => stmt.run(...toSqliteParams(params)),
        iterate: (params: ReadonlyArray<unknown>) => stmt.iterate(...toSqliteParams(params)),
      } as SqliteStatement;
    },
  };
}
