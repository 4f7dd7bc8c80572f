// Named prepared statements for the identity read on PostgreSQL (api/src/store/prepared-statements.ts): the read is
// prepared once per connection and gives the same rows; when the server no longer has the statement (what a pooler
// that does not keep prepared statements per client looks like), the query is sent again unnamed and still answers.
import { sql } from 'kysely';
import { connect, type Connection } from '../../../api/src/store/connect';
import { migrateToLatest } from '../../../api/src/store/migrate';
import { loadIdentityWithTraits } from '../../../api/src/store/repositories/identity-reads';
import { createTestDatabase, enginesUnderTest, type TestDatabase } from '../../support/databases';

const engines = enginesUnderTest().filter((e) => e === 'postgres');
// Without PostgreSQL under test (TEST_ENGINES=sqlite) there is nothing to check: one test says so (no skip markers).
const run = engines.length > 0 ? describe : () => undefined;

run('named prepared statements (postgres)', () => {
  let database: TestDatabase;
  let connection: Connection;
  let plain: Connection;
  let environmentId: number;

  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    plain = await connect(database.url, { poolMax: 1 });
    await migrateToLatest(plain);
    const db = plain.db;
    const now = new Date();
    const org = await db.insertInto('organisations').values({ name: 'o', created_at: now } as never).returning('id').executeTakeFirstOrThrow();
    const project = await db.insertInto('projects').values({ name: 'p', organisation_id: org.id, created_at: now } as never).returning('id').executeTakeFirstOrThrow();
    const env = await db.insertInto('environments').values({ name: 'e', project_id: project.id, api_key: 'prepared-test-key', created_at: now, updated_at: now } as never).returning('id').executeTakeFirstOrThrow();
    environmentId = env.id;
    const { identifierHash } = await import('../../../api/src/store/repositories/identities');
    const identity = await db.insertInto('identities').values({ environment_id: environmentId, identifier: 'alice', identifier_hash: identifierHash('alice'), created_at: now } as never).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('traits').values([
      { identity_id: identity.id, trait_key: 'plan', value_json: '"pro"', created_at: now },
      { identity_id: identity.id, trait_key: 'age', value_json: '42', created_at: now },
    ] as never).execute();
    connection = await connect(database.url, { poolMax: 1, preparedStatements: true });
  });
  afterAll(async () => {
    await connection?.close();
    await plain?.close();
    await database?.drop();
  });

  const prepared = async () =>
    (await sql<{ name: string }>`select name from pg_prepared_statements where name like 'flagstack_%'`.execute(connection.db)).rows.map((r) => r.name);

  test('the identity read is prepared once per connection and reads the same as unnamed', async () => {
    const expected = await loadIdentityWithTraits(plain.db, environmentId, 'alice');
    expect(expected?.traits.map((t) => t.key)).toEqual(['plan', 'age']);
    expect(await loadIdentityWithTraits(connection.db, environmentId, 'alice')).toEqual(expected);
    expect(await loadIdentityWithTraits(connection.db, environmentId, 'alice')).toEqual(expected);
    expect(await loadIdentityWithTraits(connection.db, environmentId, 'nobody')).toBeUndefined();
    expect(await prepared()).toHaveLength(1);
    // The pool without the option prepares nothing.
    const unnamed = await sql<{ n: number }>`select count(*)::int as n from pg_prepared_statements`.execute(plain.db);
    expect(unnamed.rows[0]!.n).toBe(0);
  });

  test('a statement the server lost (a pooler in between) is sent again unnamed', async () => {
    await loadIdentityWithTraits(connection.db, environmentId, 'alice');
    await sql`deallocate all`.execute(connection.db);
    const again = await loadIdentityWithTraits(connection.db, environmentId, 'alice');
    expect(again?.traits).toHaveLength(2);
    expect(await loadIdentityWithTraits(connection.db, environmentId, 'alice')).toEqual(again);
    // From then on this pool no longer names statements.
    expect(await prepared()).toEqual([]);
  });
});

if (engines.length === 0) test('PostgreSQL is not under test (TEST_ENGINES)', () => expect(engines).toEqual([]));
