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

export function wrapSqlite(db: BetterSqlite3.Database): SqliteDatabase {
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
      const stmt = prepare(sql);
      return {
        reader: stmt.reader,
        all: (params: ReadonlyArray<unknown>) => stmt.all(...toSqliteParams(params)),
        run: (params: ReadonlyArray<unknown>) => stmt.run(...toSqliteParams(params)),
        iterate: (params: ReadonlyArray<unknown>) => stmt.iterate(...toSqliteParams(params)),
      } as SqliteStatement;
    },
  };
}
