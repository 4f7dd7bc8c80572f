import { createHash } from 'node:crypto';
import { insertReturningId, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import type { TraitValue } from '../../domain/traits';
import { decodeTraitValue, encodeTraitValue } from '../../domain/traits';
import { deleteDependents } from '../cascade';

export interface IdentityRecord {
  id: number;
  environmentId: number;
  identifier: string;
  createdAt: string | null;
}

export interface TraitRecord {
  id: number;
  key: string;
  value: TraitValue;
}

export function identifierHash(identifier: string): string {
  return createHash('sha256').update(identifier, 'utf8').digest('hex');
}

export async function findIdentity(db: Executor, environmentId: number, identifier: string): Promise<IdentityRecord | undefined> {
  const row = await db
    .selectFrom('identities')
    .selectAll()
    .where('environment_id', '=', environmentId)
    .where('identifier_hash', '=', identifierHash(identifier))
    .executeTakeFirst();
  return row && { id: row.id, environmentId: row.environment_id, identifier: row.identifier, createdAt: toIso(row.created_at) };
}

export async function findIdentityById(db: Executor, id: number): Promise<IdentityRecord | undefined> {
  const row = await db.selectFrom('identities').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, environmentId: row.environment_id, identifier: row.identifier, createdAt: toIso(row.created_at) };
}

export async function insertIdentity(db: Executor, traits: EngineTraits, environmentId: number, identifier: string): Promise<number> {
  return insertReturningId(db, traits, 'identities', {
    environment_id: environmentId,
    identifier,
    identifier_hash: identifierHash(identifier),
    created_at: new Date(),
  });
}

/** Finds or creates an identity; a concurrent creator of the same identifier wins the race harmlessly. */
export async function ensureIdentity(db: Executor, traits: EngineTraits, environmentId: number, identifier: string): Promise<IdentityRecord> {
  const existing = await findIdentity(db, environmentId, identifier);
  if (existing) return existing;
  try {
    const id = await insertIdentity(db, traits, environmentId, identifier);
    return { id, environmentId, identifier, createdAt: new Date().toISOString() };
  } catch (error) {
    const raced = await findIdentity(db, environmentId, identifier);
    if (raced) return raced;
    throw error;
  }
}

export async function listIdentities(
  db: Executor,
  filter: { environmentId: number; search?: string; exact?: boolean; offset: number; limit: number },
): Promise<{ count: number; rows: IdentityRecord[] }> {
  let query = db.selectFrom('identities').where('environment_id', '=', filter.environmentId);
  if (filter.search) {
    query = filter.exact
      ? query.where('identifier_hash', '=', identifierHash(filter.search))
      : query.where('identifier', 'like', `%${filter.search.replace(/[\\%_]/g, (c) => '\\' + c)}%`);
  }
  const countRow = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const rows = await query.selectAll().orderBy('id').limit(filter.limit).offset(filter.offset).execute();
  return {
    count: Number(countRow.n),
    rows: rows.map((row) => ({ id: row.id, environmentId: row.environment_id, identifier: row.identifier, createdAt: toIso(row.created_at) })),
  };
}

export async function deleteIdentity(db: Executor, id: number): Promise<void> {
  await deleteDependents(db, 'identities', [id]);
  await db.deleteFrom('identities').where('id', '=', id).execute();
}

export async function listTraits(db: Executor, identityId: number): Promise<TraitRecord[]> {
  const rows = await db.selectFrom('traits').select(['id', 'trait_key', 'value_json']).where('identity_id', '=', identityId).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, key: r.trait_key, value: decodeTraitValue(r.value_json) }));
}

/** Writes traits for an identity: `null` deletes the key, other values are inserted or changed (unchanged ones untouched). */
export async function applyTraitChanges(
  db: Executor,
  identityId: number,
  changes: Array<{ key: string; value: TraitValue | null }>,
  current?: TraitRecord[],
): Promise<void> {
  const existing = new Map((current ?? (await listTraits(db, identityId))).map((t) => [t.key, t]));
  const now = new Date();
  for (const change of changes) {
    const before = existing.get(change.key);
    if (change.value === null) {
      if (before) await db.deleteFrom('traits').where('id', '=', before.id).execute();
      existing.delete(change.key);
      continue;
    }
    const encoded = encodeTraitValue(change.value);
    if (!before) {
      await db.insertInto('traits').values({ identity_id: identityId, trait_key: change.key, value_json: encoded, created_at: now }).execute();
      existing.set(change.key, { id: -1, key: change.key, value: change.value });
    } else if (encodeTraitValue(before.value) !== encoded) {
      await db.updateTable('traits').set({ value_json: encoded }).where('id', '=', before.id).execute();
    }
  }
}

export async function deleteTrait(db: Executor, identityId: number, traitId: number): Promise<boolean> {
  const r = await db.deleteFrom('traits').where('id', '=', traitId).where('identity_id', '=', identityId).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
