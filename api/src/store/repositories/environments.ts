import type { Selectable } from 'kysely';
import type { EnvironmentTable } from '../schema';
import { insertReturningId, toBool, toDate, toIso, toNullableBool, type Executor } from '../rows';
import type { EngineTraits } from '../connect';
import { deleteDependents } from '../cascade';

export interface Environment {
  id: number;
  name: string;
  api_key: string;
  project: number;
  description: string | null;
  allow_client_traits: boolean;
  hide_sensitive_data: boolean;
  hide_disabled_flags: boolean | null;
  use_identity_composite_key_for_hashing: boolean;
  use_identity_overrides_in_local_eval: boolean;
  minimum_change_request_approvals: number | null;
  version: number;
  updated_at: string | null;
}

export type EnvironmentSettings = Partial<
  Pick<
    Environment,
    | 'name'
    | 'description'
    | 'allow_client_traits'
    | 'hide_sensitive_data'
    | 'hide_disabled_flags'
    | 'use_identity_composite_key_for_hashing'
    | 'use_identity_overrides_in_local_eval'
    | 'minimum_change_request_approvals'
  >
>;

export function toEnvironment(row: Selectable<EnvironmentTable>): Environment {
  return {
    id: row.id,
    name: row.name,
    api_key: row.api_key,
    project: row.project_id,
    description: row.description,
    allow_client_traits: toBool(row.allow_client_traits),
    hide_sensitive_data: toBool(row.hide_sensitive_data),
    hide_disabled_flags: toNullableBool(row.hide_disabled_flags),
    use_identity_composite_key_for_hashing: toBool(row.use_identity_composite_key_for_hashing),
    use_identity_overrides_in_local_eval: toBool(row.use_identity_overrides_in_local_eval),
    minimum_change_request_approvals: row.minimum_change_request_approvals,
    version: Number(row.version),
    updated_at: toIso(row.updated_at),
  };
}

export async function insertEnvironment(
  db: Executor,
  traits: EngineTraits,
  projectId: number,
  apiKey: string,
  values: EnvironmentSettings & { name: string },
): Promise<number> {
  const now = new Date();
  return insertReturningId(db, traits, 'environments', {
    project_id: projectId,
    name: values.name,
    api_key: apiKey,
    description: values.description ?? null,
    allow_client_traits: values.allow_client_traits ?? true,
    hide_sensitive_data: values.hide_sensitive_data ?? false,
    hide_disabled_flags: values.hide_disabled_flags ?? null,
    use_identity_composite_key_for_hashing: values.use_identity_composite_key_for_hashing ?? true,
    use_identity_overrides_in_local_eval: values.use_identity_overrides_in_local_eval ?? true,
    minimum_change_request_approvals: values.minimum_change_request_approvals ?? null,
    version: 1,
    created_at: now,
    updated_at: now,
  });
}

export async function findEnvironmentByKey(db: Executor, apiKey: string): Promise<Environment | undefined> {
  const row = await db.selectFrom('environments').selectAll().where('api_key', '=', apiKey).executeTakeFirst();
  return row && toEnvironment(row);
}

export async function findEnvironment(db: Executor, id: number): Promise<Environment | undefined> {
  const row = await db.selectFrom('environments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toEnvironment(row);
}

export async function listEnvironments(db: Executor, projectIds: number[]): Promise<Environment[]> {
  if (projectIds.length === 0) return [];
  const rows = await db.selectFrom('environments').selectAll().where('project_id', 'in', projectIds).orderBy('id').execute();
  return rows.map(toEnvironment);
}

export async function listEnvironmentIds(db: Executor, projectId: number): Promise<number[]> {
  const rows = await db.selectFrom('environments').select('id').where('project_id', '=', projectId).execute();
  return rows.map((r) => r.id);
}

export async function updateEnvironment(db: Executor, id: number, values: EnvironmentSettings): Promise<void> {
  if (Object.keys(values).length === 0) return;
  await db.updateTable('environments').set(values).where('id', '=', id).execute();
}

export async function deleteEnvironment(db: Executor, id: number): Promise<void> {
  await deleteDependents(db, 'environments', [id]);
  await db.deleteFrom('environments').where('id', '=', id).execute();
}

/** Every environment's version: what the cache compares to learn of changes made by other processes. */
export async function listEnvironmentVersions(db: Executor): Promise<Array<{ id: number; version: number }>> {
  const rows = await db.selectFrom('environments').select(['id', 'version']).execute();
  return rows.map((r) => ({ id: r.id, version: Number(r.version) }));
}

export interface EnvironmentApiKey {
  id: number;
  name: string;
  key: string;
  active: boolean;
  expires_at: string | null;
  created_at: string | null;
}

export async function insertEnvironmentApiKey(
  db: Executor,
  traits: EngineTraits,
  values: { environmentId: number; name: string; keyPrefix: string; keyHash: string; expiresAt: Date | null },
): Promise<number> {
  return insertReturningId(db, traits, 'environment_api_keys', {
    environment_id: values.environmentId,
    name: values.name,
    key_prefix: values.keyPrefix,
    key_hash: values.keyHash,
    active: true,
    expires_at: values.expiresAt,
    created_at: new Date(),
  });
}

export async function listEnvironmentApiKeys(db: Executor, environmentId: number): Promise<EnvironmentApiKey[]> {
  const rows = await db.selectFrom('environment_api_keys').selectAll().where('environment_id', '=', environmentId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    // The key is stored only as a hash: lists show its prefix so users can tell keys apart.
    key: `${r.key_prefix}…`,
    active: toBool(r.active),
    expires_at: toIso(r.expires_at),
    created_at: toIso(r.created_at),
  }));
}

export async function updateEnvironmentApiKey(
  db: Executor,
  environmentId: number,
  id: number,
  values: Partial<{ name: string; active: boolean; expiresAt: Date | null }>,
): Promise<boolean> {
  const set: Record<string, unknown> = {};
  if (values.name !== undefined) set.name = values.name;
  if (values.active !== undefined) set.active = values.active;
  if (values.expiresAt !== undefined) set.expires_at = values.expiresAt;
  if (Object.keys(set).length === 0) return true;
  const result = await db.updateTable('environment_api_keys').set(set).where('id', '=', id).where('environment_id', '=', environmentId).executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function deleteEnvironmentApiKey(db: Executor, environmentId: number, id: number): Promise<boolean> {
  const result = await db.deleteFrom('environment_api_keys').where('id', '=', id).where('environment_id', '=', environmentId).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Resolves a server-side key (by hash) to its environment, if the key is active and not expired. */
export async function findEnvironmentByServerKeyHash(db: Executor, keyHash: string, now = new Date()): Promise<{ apiKey: string } | undefined> {
  const row = await db
    .selectFrom('environment_api_keys')
    .innerJoin('environments', 'environments.id', 'environment_api_keys.environment_id')
    .select(['environments.api_key', 'environment_api_keys.active', 'environment_api_keys.expires_at'])
    .where('environment_api_keys.key_hash', '=', keyHash)
    .executeTakeFirst();
  if (!row || !toBool(row.active)) return undefined;
  if (row.expires_at && toDate(row.expires_at) <= now) return undefined;
  return { apiKey: row.api_key };
}
