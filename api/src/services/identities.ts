// Identities and their traits, managed through the admin API.
import { NotFoundError, ValidationError } from '../domain/errors';
import { plainTraitValue } from '../domain/traits';
import type { Environment } from '../store/repositories/environments';
import type { Project } from '../store/repositories/projects';
import * as identities from '../store/repositories/identities';
import { isUniqueViolation } from '../store/errors';
import { toTraitKey, toTraitValue } from './sdk/trait-input';
import { pageOffset, toPage, write, type Page, type PageRequest, type ServiceContext } from './context';

export interface Identity {
  id: number;
  identifier: string;
  environment: number;
  created_date: string | null;
}

export interface Scope {
  project: Project;
  environment: Environment;
}

function toIdentity(r: identities.IdentityRecord): Identity {
  return { id: r.id, identifier: r.identifier, environment: r.environmentId, created_date: r.createdAt };
}

export async function listIdentities(ctx: ServiceContext, environment: Environment, q: string | undefined, page: PageRequest, basePath: string): Promise<Page<Identity>> {
  // Core: a query in double quotes is an exact match.
  const exact = q !== undefined && q.length >= 2 && q.startsWith('"') && q.endsWith('"');
  const search = exact ? q!.slice(1, -1) : q;
  const { count, rows } = await identities.listIdentities(ctx.store.db, { environmentId: environment.id, search, exact, ...pageOffset(page) });
  return toPage(rows.map(toIdentity), count, page, basePath);
}

export async function getIdentity(ctx: ServiceContext, environment: Environment, id: number): Promise<Identity> {
  const r = await identities.findIdentityById(ctx.store.db, id);
  if (!r || r.environmentId !== environment.id) throw new NotFoundError('Identity', id);
  return toIdentity(r);
}

export async function createIdentity(ctx: ServiceContext, scope: Scope, identifier: string): Promise<Identity> {
  const id = await write(ctx, async (w) => {
    const id = await identities.insertIdentity(w.trx, w.traits, scope.environment.id, identifier);
    w.touchIdentity(scope.environment.id, identifier);
    w.audit({ action: 'create', resourceType: 'identity', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Identity created: ${identifier}` });
    return id;
  }).catch((error) => {
    if (isUniqueViolation(error)) throw ValidationError.field('identifier', 'An identity with this identifier already exists in this environment.');
    throw error;
  });
  return getIdentity(ctx, scope.environment, id);
}

export async function deleteIdentity(ctx: ServiceContext, scope: Scope, id: number): Promise<void> {
  const before = await getIdentity(ctx, scope.environment, id);
  await write(ctx, async (w) => {
    await identities.deleteIdentity(w.trx, id);
    // The SDK endpoints' cached copy goes too (this process at once, others by notification or expiry).
    w.touchIdentity(scope.environment.id, before.identifier);
    // Its overrides leave the environment document.
    w.touchEnvironments(scope.environment.id);
    w.audit({ action: 'delete', resourceType: 'identity', resourceId: id, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Identity deleted: ${before.identifier}` });
  });
}

export interface Trait {
  id: number;
  trait_key: string;
  trait_value: string | number | boolean;
}

export async function listIdentityTraits(ctx: ServiceContext, environment: Environment, identityId: number): Promise<Trait[]> {
  await getIdentity(ctx, environment, identityId);
  const traits = await identities.listTraits(ctx.store.db, identityId);
  return traits.map((t) => ({ id: t.id, trait_key: t.key, trait_value: plainTraitValue(t.value) }));
}

export async function setIdentityTrait(ctx: ServiceContext, scope: Scope, identityId: number, input: { trait_key: unknown; trait_value: unknown }): Promise<Trait> {
  const identity = await getIdentity(ctx, scope.environment, identityId);
  const key = toTraitKey(input.trait_key, 'trait_key');
  const value = toTraitValue(input.trait_value, 'trait_value');
  if (value === null) throw ValidationError.field('trait_value', 'A value is required; delete the trait to remove it.');
  await write(ctx, async (w) => {
    await identities.applyTraitChanges(w.trx, identityId, [{ key, value }]);
    w.touchIdentity(scope.environment.id, identity.identifier);
    w.audit({ action: 'update', resourceType: 'trait', resourceId: identityId, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Trait ${key} set on ${identity.identifier}` });
  });
  return (await listIdentityTraits(ctx, scope.environment, identityId)).find((t) => t.trait_key === key)!;
}

export async function deleteIdentityTrait(ctx: ServiceContext, scope: Scope, identityId: number, traitId: number): Promise<void> {
  const identity = await getIdentity(ctx, scope.environment, identityId);
  await write(ctx, async (w) => {
    if (!(await identities.deleteTrait(w.trx, identityId, traitId))) throw new NotFoundError('Trait', traitId);
    w.touchIdentity(scope.environment.id, identity.identifier);
    w.audit({ action: 'delete', resourceType: 'trait', resourceId: traitId, organisationId: scope.project.organisation, projectId: scope.project.id, environmentId: scope.environment.id, log: `Trait ${traitId} deleted from ${identity.identifier}` });
  });
}
