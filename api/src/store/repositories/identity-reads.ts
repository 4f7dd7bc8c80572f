// The SDK's identity read, in one query: the identity's id and its stored traits.
//
// It runs on every identity request, so the query is built and compiled once per database handle and only its two
// parameters are bound per call: Kysely's query building and SQL compilation cost more than the indexed lookup itself.
// On PostgreSQL it is also a named statement where the server asks for them (store/prepared-statements.ts).
import type { CompiledQuery } from 'kysely';
import type { Executor } from '../rows';
import { identifierHash, type TraitRecord } from './identities';
import { decodeTraitValue } from '../../domain/traits';
import { prepareStatement } from '../prepared-statements';

interface Row {
  identity_id: number;
  trait_id: number | null;
  trait_key: string | null;
  value_json: string | null;
}

function identityQuery(db: Executor, environmentId: number, hash: string) {
  return db
    .selectFrom('identities')
    .leftJoin('traits', 'traits.identity_id', 'identities.id')
    .select(['identities.id as identity_id', 'traits.id as trait_id', 'traits.trait_key', 'traits.value_json'])
    .where('identities.environment_id', '=', environmentId)
    .where('identities.identifier_hash', '=', hash)
    .orderBy('traits.id');
}

/** The compiled query and where its two parameters sit (found with sentinel values, not assumed). */
interface Template {
  query: CompiledQuery<Row>;
  environmentAt: number;
  hashAt: number;
}

const templates = new WeakMap<Executor, Template>();
const SENTINEL_ID = -918273645;
const SENTINEL_HASH = '\u0000identity-read-template';

function template(db: Executor): Template {
  let found = templates.get(db);
  if (!found) {
    const query = identityQuery(db, SENTINEL_ID, SENTINEL_HASH).compile() as CompiledQuery<Row>;
    found = { query, environmentAt: query.parameters.indexOf(SENTINEL_ID), hashAt: query.parameters.indexOf(SENTINEL_HASH) };
    if (found.environmentAt < 0 || found.hashAt < 0) throw new Error('identity read: cannot locate the query parameters');
    // On PostgreSQL the long-running server sends it as a named statement: parsed and planned once per connection.
    prepareStatement(query.sql);
    templates.set(db, found);
  }
  return found;
}

async function readRows(db: Executor, environmentId: number, hash: string): Promise<Row[]> {
  // Transactions are short-lived handles: build their query the ordinary way.
  if (db.isTransaction) return identityQuery(db, environmentId, hash).execute();
  const t = template(db);
  const parameters = t.query.parameters.slice();
  parameters[t.environmentAt] = environmentId;
  parameters[t.hashAt] = hash;
  return (await db.executeQuery<Row>({ ...t.query, parameters })).rows;
}

export async function loadIdentityWithTraits(db: Executor, environmentId: number, identifier: string): Promise<{ id: number; traits: TraitRecord[] } | undefined> {
  const rows = await readRows(db, environmentId, identifierHash(identifier));
  if (rows.length === 0) return undefined;
  const traits: TraitRecord[] = [];
  for (const r of rows) {
    if (r.trait_id !== null && r.trait_key !== null && r.value_json !== null) traits.push({ id: r.trait_id, key: r.trait_key, value: decodeTraitValue(r.value_json) });
  }
  return { id: rows[0]!.identity_id, traits };
}
