// Targeted checks of what the SQL Server and Oracle dialects do beyond the repository SQL: parameters (paging order,
// LIKE escapes, booleans), Oracle's out binds, one-row inserts, IN-list limits, DDL guards, names, and the Oracle
// driver and migration lock against a fake node-oracledb connection.
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import { compileOnlyDb } from '../../../../api/src/store/dialects/compile-only';
import { OracleBatch, OracleOutBind } from '../../../../api/src/store/dialects/oracle/compiler';
import { OracleDriver, fromDualIfBare, fromOracleRow, toOracleBind, type OracleDbConnection, type OracleDbModule } from '../../../../api/src/store/dialects/oracle/driver';
import { OracleAdapter } from '../../../../api/src/store/dialects/oracle/adapter';
import { oracleName, storeName } from '../../../../api/src/store/dialects/oracle/identifiers';
import { mssqlDataType, oracleDataType } from '../../../../api/src/store/dialects/data-types';
import { listFeatures } from '../../../../api/src/store/repositories/features';
import { insertMultivariateStateValuesForOption } from '../../../../api/src/store/repositories/feature-states';
import { recordingDb } from './recording';

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const mssql = compileOnlyDb<any>('mssql') as Db; // eslint-disable-line @typescript-eslint/no-explicit-any
const oracle = compileOnlyDb<any>('oracle') as Db; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('SQL Server compiler', () => {
  it('pages with OFFSET before FETCH (parameters in that order) and escapes LIKE, "[" included', async () => {
    const r = recordingDb('mssql', () => ({ rows: [{ n: 0 }] }));
    await listFeatures(r.db, { projectId: 3, search: 'a[b]_%', offset: 40, limit: 20 });
    const [count, page] = r.take();
    expect(count!.parameters).toEqual([3, '%a\\[b]\\_\\%%']);
    expect(page!.sql).toMatch(/order by "id" offset @3 rows fetch next @4 rows only$/);
    expect(page!.parameters).toEqual([3, '%a\\[b]\\_\\%%', 40, 20]);
  });

  it('adds ORDER BY (select null) when a paged query has none, and pages without offset from 0', () => {
    expect(mssql.selectFrom('t').select('a').limit(5).compile().sql).toBe('select "a" from "t" order by (select null) offset 0 rows fetch next @1 rows only');
  });

  it('binds booleans as parameters (tedious sends BIT) and writes boolean literals as 1/0', () => {
    const q = mssql.updateTable('t').set({ a: true }).where('b', '=', false).compile();
    expect(q.parameters).toEqual([true, false]);
    expect(mssql.schema.createTable('t').addColumn('a', 'boolean', (c) => c.notNull().defaultTo(true)).compile().sql).toBe('create table "t" ("a" bit default 1 not null)');
  });

  it('reads inserted ids with OUTPUT', () => {
    expect(mssql.insertInto('t').values({ a: 1 }).output('inserted.id').compile().sql).toBe('insert into "t" ("a") output "inserted"."id" values (@1)');
  });

  it('inlines an IN list of more than 1,000 integers (2,100-parameter cap) and binds shorter ones', () => {
    const ids = Array.from({ length: 1500 }, (_, i) => i + 1);
    const long = mssql.selectFrom('t').select('a').where('id', 'in', ids).compile();
    expect(long.parameters).toEqual([]);
    expect(long.sql).toBe(`select "a" from "t" where "id" in (${ids.join(', ')})`);
    expect(mssql.selectFrom('t').select('a').where('id', 'in', [1, 2]).compile().parameters).toEqual([1, 2]);
  });

  it('maps portable types, with a collation only in column definitions, and autoIncrement to identity(1,1)', () => {
    expect(mssqlDataType('varchar(200)')).toBe('nvarchar(200) collate Latin1_General_100_BIN2');
    expect(mssqlDataType('varchar(200)', false)).toBe('nvarchar(200)');
    expect(mssqlDataType('timestamp')).toBe('datetime2(3)');
    expect(mssqlDataType('text')).toBe('nvarchar(max) collate Latin1_General_100_BIN2');
    expect(mssql.selectFrom('t').select((eb) => eb.cast('a', 'varchar(10)').as('b')).compile().sql).toBe('select cast("a" as nvarchar(10)) as "b" from "t"');
    expect(mssql.schema.createTable('t').addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()).compile().sql).toBe('create table "t" ("id" int identity(1,1) primary key)');
    expect(mssql.schema.createTable('t').addColumn('p', 'integer', (c) => c.references('p.id').onDelete('restrict')).compile().sql).toBe('create table "t" ("p" int references "p" ("id") on delete no action)');
  });
});

describe('Oracle compiler', () => {
  it('pages with OFFSET … ROWS FETCH NEXT … ROWS ONLY and escapes LIKE', async () => {
    const r = recordingDb('oracle', () => ({ rows: [{ n: 0 }] }));
    await listFeatures(r.db, { projectId: 3, search: 'a[b]_', isArchived: true, offset: 40, limit: 20 });
    const [, page] = r.take();
    expect(page!.sql).toBe('select * from "FEATURES" where "PROJECT_ID" = :1 and "NAME" like :2 escape \'\\\' and "IS_ARCHIVED" = :3 order by "ID" offset :4 rows fetch next :5 rows only');
    // '[' is no wildcard on Oracle; booleans stay booleans until the driver binds them as 1/0.
    expect(page!.parameters).toEqual([3, '%a[b]\\_%', true, 40, 20]);
  });

  it('reads from DUAL when a select has no FROM, raw `select 1` included', () => {
    expect(oracle.selectNoFrom(sql<number>`1`.as('ok')).compile().sql).toBe('select 1 as "OK" from "DUAL"');
    expect(fromDualIfBare(sql`select 1`.compile(oracle))).toBe('select 1 from dual');
    expect(fromDualIfBare(sql`select 1 from t`.compile(oracle))).toBe('select 1 from t');
    expect(fromDualIfBare(oracle.selectFrom('t').select('a').compile())).toBe('select "A" from "T"');
  });

  it('returns inserted values through RETURNING … INTO with an out bind per column', () => {
    const q = oracle.insertInto('features').values({ name: 'x' }).returning(['id', 'name as label']).compile();
    expect(q.sql).toBe('insert into "FEATURES" ("NAME") values (:1) returning "ID", "NAME" as "LABEL" into :2, :3');
    expect(q.parameters).toEqual(['x', new OracleOutBind('id', 'number'), new OracleOutBind('label', 'string')]);
  });

  it('turns a multi-row insert into one single-row statement with the rows as a batch', async () => {
    const r = recordingDb('oracle');
    await insertMultivariateStateValuesForOption(r.db, [6, 16], 8, 25);
    const [q] = r.take();
    expect(q!.sql).toBe('insert into "MULTIVARIATE_STATE_VALUES" ("UUID", "FEATURE_STATE_ID", "MULTIVARIATE_OPTION_ID", "PERCENTAGE_ALLOCATION") values (:1, :2, :3, :4)');
    expect(q!.parameters).toHaveLength(1);
    const batch = q!.parameters[0] as OracleBatch;
    expect(batch).toBeInstanceOf(OracleBatch);
    expect(batch.rows.map((row) => row.slice(1))).toEqual([[6, 8, 25], [16, 8, 25]]);
    expect(() => oracle.insertInto('t').values([{ a: 1 }, { a: 2 }]).returning('id').compile()).toThrow(/multi-row insert cannot return/);
  });

  it('splits IN lists of more than 1,000 values (ORA-01795)', () => {
    const ids = Array.from({ length: 2001 }, (_, i) => i);
    const q = oracle.selectFrom('t').select('a').where('id', 'in', ids).compile();
    expect(q.parameters).toHaveLength(2001);
    expect(q.sql.match(/"ID" in \(/g)).toHaveLength(3);
    expect(q.sql).toMatch(/^select "A" from "T" where \("ID" in \(:1, .*, :1000\) or "ID" in \(:1001, .*, :2000\) or "ID" in \(:2001\)\)$/);
    expect(oracle.selectFrom('t').select('a').where('id', 'not in', ids).compile().sql).toMatch(/\("ID" not in \(.*\) and "ID" not in \(.*\) and "ID" not in \(:2001\)\)$/);
  });

  it('writes table aliases without AS and column aliases with it', () => {
    expect(oracle.selectFrom('features as f').select('f.id as fid').compile().sql).toBe('select "F"."ID" as "FID" from "FEATURES" "F"');
  });

  it('guards IF [NOT] EXISTS DDL with PL/SQL and writes ALTER TABLE the Oracle way', () => {
    expect(oracle.schema.createTable('t').ifNotExists().addColumn('a', 'integer').compile().sql).toBe(
      `begin execute immediate 'create table "T" ("A" number(10))'; exception when others then if sqlcode != -955 then raise; end if; end;`,
    );
    expect(oracle.schema.dropTable('t').ifExists().compile().sql).toContain('if sqlcode != -942 then raise');
    expect(oracle.schema.alterTable('t').addColumn('a', 'varchar(20)', (c) => c.defaultTo('x')).addColumn('b', 'boolean').compile().sql).toBe(
      `alter table "T" add ("A" varchar2(20 char) default 'x', "B" number(1))`,
    );
    expect(oracle.schema.alterTable('t').alterColumn('a', (c) => c.setNotNull()).compile().sql).toBe('alter table "T" modify ("A" not null)');
    expect(oracle.schema.alterTable('t').dropColumn('a').compile().sql).toBe('alter table "T" drop ("A")');
  });

  it('maps portable types and foreign key actions', () => {
    expect(oracleDataType('varchar(200)')).toBe('varchar2(200 char)');
    expect(oracleDataType('text')).toBe('clob');
    expect(oracleDataType('double precision')).toBe('binary_double');
    const fk = (action: 'cascade' | 'no action' | 'restrict' | 'set null') => oracle.schema.createTable('t').addColumn('p', 'integer', (c) => c.references('p.id').onDelete(action)).compile().sql;
    expect(fk('cascade')).toBe('create table "T" ("P" number(10) references "P" ("ID") on delete cascade)');
    expect(fk('set null')).toContain('on delete set null');
    expect(fk('no action')).toBe('create table "T" ("P" number(10) references "P" ("ID"))');
    expect(fk('restrict')).toBe('create table "T" ("P" number(10) references "P" ("ID"))');
  });

  it('names: snake_case upper-cased, long names shortened, mixed case kept; and back', () => {
    expect(oracleName('feature_states')).toBe('FEATURE_STATES');
    expect(oracleName('use_identity_composite_key_for_hashing')).toBe('USE_IDENTITY_COMP_KEY_HASHING');
    expect(oracleName('camelCase')).toBe('camelCase');
    expect(storeName('FEATURE_STATES')).toBe('feature_states');
    expect(storeName('USE_IDENTITY_COMP_KEY_HASHING')).toBe('use_identity_composite_key_for_hashing');
    expect(storeName('camelCase')).toBe('camelCase');
    expect(() => oracle.selectFrom('x'.repeat(129)).selectAll().compile()).toThrow(/longer than 128/);
  });
});

/** A node-oracledb stand-in that records calls. */
function fakeOracle(results: (sqlText: string) => { rows?: Array<Record<string, unknown>>; rowsAffected?: number; outBinds?: unknown[] } = () => ({ rows: [] })) {
  const calls: Array<{ op: string; sql?: string; binds?: unknown[]; options?: Record<string, unknown> }> = [];
  const connection: OracleDbConnection = {
    execute: async (sqlText, binds, options) => {
      calls.push({ op: 'execute', sql: sqlText, binds, options });
      return results(sqlText);
    },
    commit: async () => void calls.push({ op: 'commit' }),
    rollback: async () => void calls.push({ op: 'rollback' }),
    close: async () => void calls.push({ op: 'close' }),
  };
  const module: OracleDbModule = {
    OUT_FORMAT_OBJECT: 4002,
    BIND_OUT: 3003,
    NUMBER: 'NUMBER',
    STRING: 'STRING',
    DB_TYPE_CLOB: 'CLOB',
    DB_TYPE_NCLOB: 'NCLOB',
    createPool: async () => ({ getConnection: async () => connection, close: async () => void calls.push({ op: 'pool.close' }) }),
  };
  return { calls, module };
}

describe('Oracle driver', () => {
  const compiled = (q: { compile(): CompiledQuery }) => q.compile();

  it('commits each statement outside a transaction and nothing inside one until COMMIT', async () => {
    const { calls, module } = fakeOracle(() => ({ rowsAffected: 1 }));
    const driver = new OracleDriver({ oracledb: module, pool: () => module.createPool({}) });
    await driver.init();
    const c = await driver.acquireConnection();
    await c.executeQuery(compiled(oracle.updateTable('t').set({ a: true })));
    await driver.beginTransaction(c, {});
    await c.executeQuery(compiled(oracle.updateTable('t').set({ a: false })));
    await driver.commitTransaction(c);
    await driver.releaseConnection(c);
    expect(calls.map((x) => [x.op, x.options?.autoCommit, x.binds])).toEqual([
      ['execute', true, [1]],
      ['execute', false, [0]],
      ['commit', undefined, undefined],
      ['close', undefined, undefined],
    ]);
    expect(calls[0]!.options!.outFormat).toBe(4002);
  });

  it('rolls back a transaction left open when the connection is released', async () => {
    const { calls, module } = fakeOracle();
    const driver = new OracleDriver({ oracledb: module, pool: () => module.createPool({}) });
    await driver.init();
    const c = await driver.acquireConnection();
    await driver.beginTransaction(c, {});
    await driver.releaseConnection(c);
    expect(calls.map((x) => x.op)).toEqual(['rollback', 'close']);
  });

  it('turns out binds into rows, folds keys back, reads NULL names as empty strings, fetches CLOBs as text', async () => {
    const { calls, module } = fakeOracle((s) =>
      s.startsWith('insert') ? { rowsAffected: 1, outBinds: [[42]] } : { rows: [{ ID: 1, FIRST_NAME: null, PASSWORD_HASH: null, USE_IDENTITY_COMP_KEY_HASHING: 1 }] },
    );
    const driver = new OracleDriver({ oracledb: module, pool: () => module.createPool({}) });
    await driver.init();
    const c = await driver.acquireConnection();
    const inserted = await c.executeQuery(compiled(oracle.insertInto('users').values({ email: 'e' }).returning('id')));
    expect(inserted.rows).toEqual([{ id: 42 }]);
    expect(calls[0]!.binds).toEqual(['e', { dir: 3003, type: 'NUMBER' }]);
    const selected = await c.executeQuery(compiled(oracle.selectFrom('users').selectAll()));
    expect(selected.rows).toEqual([{ id: 1, first_name: '', password_hash: null, use_identity_composite_key_for_hashing: 1 }]);
    const handler = calls[1]!.options!.fetchTypeHandler as (m: { dbType: unknown }) => unknown;
    expect(handler({ dbType: 'CLOB' })).toEqual({ type: 'STRING' });
    expect(handler({ dbType: 'NUMBER' })).toBeUndefined();
  });

  it('runs a batch row by row and commits once (rolls back on failure)', async () => {
    let n = 0;
    const { calls, module } = fakeOracle(() => {
      n += 1;
      if (n === 4) throw new Error('ORA-00001: unique constraint violated');
      return { rowsAffected: 1 };
    });
    const driver = new OracleDriver({ oracledb: module, pool: () => module.createPool({}) });
    await driver.init();
    const c = await driver.acquireConnection();
    const ok = await c.executeQuery(compiled(oracle.insertInto('t').values([{ a: 1, b: true }, { a: 2, b: false }])));
    expect(ok.numAffectedRows).toBe(2n);
    await expect(c.executeQuery(compiled(oracle.insertInto('t').values([{ a: 3 }, { a: 4 }])))).rejects.toThrow(/ORA-00001/);
    expect(calls.map((x) => [x.op, x.binds, x.options?.autoCommit])).toEqual([
      ['execute', [1, 1], false],
      ['execute', [2, 0], false],
      ['commit', undefined, undefined],
      ['execute', [3], false],
      ['execute', [4], false],
      ['rollback', undefined, undefined],
    ]);
  });

  it('binds values the way Oracle takes them', () => {
    expect([true, false, undefined, null, 1n, 'x'].map(toOracleBind)).toEqual([1, 0, null, null, '1', 'x']);
    expect(fromOracleRow({ COLOR: null, NAME: null, camelCase: 1 })).toEqual({ color: '', name: null, camelCase: 1 });
  });
});

describe('Oracle migration lock', () => {
  it('takes the lease when the lock row is free or lapsed, waits while another holds it, and releases it', async () => {
    let held = 2;
    const r = recordingDb('oracle', (q) => ({ rows: [], numAffectedRows: q.sql.startsWith('update') && q.sql.includes('<') ? BigInt(held-- > 0 ? 0 : 1) : 1n }));
    const adapter = new OracleAdapter(10_000);
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate'] });
    try {
      const acquired = adapter.acquireMigrationLock(r.db, { lockTable: 'kysely_migration_lock', lockRowId: 'migration_lock' });
      for (let i = 0; i < 5; i++) await jest.advanceTimersByTimeAsync(1000);
      await acquired;
    } finally {
      jest.useRealTimers();
    }
    await adapter.releaseMigrationLock(r.db, { lockTable: 'kysely_migration_lock', lockRowId: 'migration_lock' });
    const sqls = r.sqls();
    expect(sqls).toHaveLength(4);
    expect(sqls[0]).toBe('update "KYSELY_MIGRATION_LOCK" set "IS_LOCKED" = :1 where "ID" = :2 and "IS_LOCKED" < :3');
    expect(sqls[3]).toBe('update "KYSELY_MIGRATION_LOCK" set "IS_LOCKED" = :1 where "ID" = :2');
    expect(adapter.supportsTransactionalDdl).toBe(false);
    expect(adapter.supportsReturning).toBe(true);
  });
});
