// Organisation API keys for automation (`Authorization: Api-Key <key>`); the key is shown once, on creation.
import { NotFoundError } from '../domain/errors';
import { hashSecret, newOrganisationApiKey } from '../auth/keys';
import * as keys from '../store/repositories/organisation-api-keys';
import { write, type ServiceContext } from './context';

export function listApiKeys(ctx: ServiceContext, organisationId: number): Promise<keys.OrganisationApiKey[]> {
  return keys.listOrganisationApiKeys(ctx.store.db, organisationId);
}

export async function createApiKey(
  ctx: ServiceContext,
  organisationId: number,
  input: { name: string; is_admin?: boolean; expiry_date?: string | null },
): Promise<keys.OrganisationApiKey & { key: string }> {
  const { key, prefix } = newOrganisationApiKey();
  const id = await write(ctx, async (w) => {
    const id = await keys.insertOrganisationApiKey(w.trx, w.traits, {
      organisationId,
      name: input.name,
      prefix,
      keyHash: hashSecret(key),
      isAdmin: input.is_admin ?? true,
      expiresAt: input.expiry_date ? new Date(input.expiry_date) : null,
    });
    w.audit({ action: 'create', resourceType: 'organisation_api_key', resourceId: id, organisationId, log: `Organisation API key created: ${input.name} (${prefix})` });
    return id;
  });
  const created = (await listApiKeys(ctx, organisationId)).find((k) => k.id === id)!;
  return { ...created, key };
}

export async function revokeApiKey(ctx: ServiceContext, organisationId: number, id: number): Promise<void> {
  await write(ctx, async (w) => {
    if (!(await keys.revokeOrganisationApiKey(w.trx, organisationId, id))) throw new NotFoundError('API key', id);
    w.audit({ action: 'revoke', resourceType: 'organisation_api_key', resourceId: id, organisationId, log: `Organisation API key revoked: ${id}` });
  });
}
