// The SDK's identity read, in one query: the identity's id and its stored traits.
import type { Executor } from '../rows';
import { identifierHash, type TraitRecord } from './identities';
import { decodeTraitValue } from '../../domain/traits';

export async function loadIdentityWithTraits(db: Executor, environmentId: number, identifier: string): Promise<{ id: number; traits: TraitRecord[] } | undefined> {
  const rows = await db
    .selectFrom('identities')
    .leftJoin('traits', 'traits.identity_id', 'identities.id')
    .select(['identities.id as identity_id', 'traits.id as trait_id', 'traits.trait_key', 'traits.value_json'])
    .where('identities.environment_id', '=', environmentId)
    .where('identities.identifier_hash', '=', identifierHash(identifier))
    .orderBy('traits.id')
    .execute();
  if (rows.length === 0) return undefined;
  const traits: TraitRecord[] = [];
  for (const r of rows) {
    if (r.trait_id !== null && r.trait_key !== null && r.value_json !== null) traits.push({ id: r.trait_id, key: r.trait_key, value: decodeTraitValue(r.value_json) });
  }
  return { id: rows[0]!.identity_id, traits };
}
