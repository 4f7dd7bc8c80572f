import { insertReturningId, toBool, toDate, toIso, type Executor } from '../rows';
import type { EngineTraits } from '../connect';

export interface OrganisationApiKey {
  id: number;
  organisation: number;
  name: string;
  prefix: string;
  is_admin: boolean;
  revoked: boolean;
  expiry_date: string | null;
  created: string | null;
}

export async function insertOrganisationApiKey(
  db: Executor,
  traits: EngineTraits,
  values: { organisationId: number; name: string; prefix: string; keyHash: string; isAdmin: boolean; expiresAt: Date | null },
): Promise<number> {
  return insertReturningId(db, traits, 'organisation_api_keys', {
    organisation_id: values.organisationId,
    name: values.name,
    prefix: values.prefix,
    key_hash: values.keyHash,
    is_admin: values.isAdmin,
    revoked: false,
    expires_at: values.expiresAt,
    created_at: new Date(),
  });
}

export async function listOrganisationApiKeys(db: Executor, organisationId: number): Promise<OrganisationApiKey[]> {
  const rows = await db.selectFrom('organisation_api_keys').selectAll().where('organisation_id', '=', organisationId).orderBy('id').execute();
  return rows.map((r) => ({
    id: r.id,
    organisation: r.organisation_id,
    name: r.name,
    prefix: r.prefix,
    is_admin: toBool(r.is_admin),
    revoked: toBool(r.revoked),
    expiry_date: toIso(r.expires_at),
    created: toIso(r.created_at),
  }));
}

export async function findOrganisationApiKeyByHash(db: Executor, keyHash: string) {
  const row = await db.selectFrom('organisation_api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    isAdmin: toBool(row.is_admin),
    revoked: toBool(row.revoked),
    expiresAt: row.expires_at ? toDate(row.expires_at) : null,
  };
}

export async function revokeOrganisationApiKey(db: Executor, organisationId: number, id: number): Promise<boolean> {
  const result = await db
    .updateTable('organisation_api_keys')
    .set({ revoked: true })
    .where('id', '=', id)
    .where('organisation_id', '=', organisationId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
